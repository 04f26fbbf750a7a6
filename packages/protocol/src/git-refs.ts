// Pure validators for what users type into git-facing fields. They mirror git's own rules so
// that a bad value is refused at the API edge with a clear reason, never inside a sandbox.

/** Reason a branch name is refused, as `git check-ref-format --branch` would; null when valid. */
export function branchNameProblem(name: string): string | null {
  if (name.length === 0) {
    return 'must not be empty';
  }
  if (name.length > 200) {
    return 'must be at most 200 characters';
  }
  if (name.startsWith('-')) {
    return 'must not start with "-"';
  }
  if (name === '@') {
    return 'must not be "@"';
  }
  if (name === 'HEAD') {
    return 'must not be "HEAD"';
  }
  if (name.startsWith('/') || name.endsWith('/')) {
    return 'must not start or end with "/"';
  }
  if (name.endsWith('.')) {
    return 'must not end with "."';
  }
  if (name.includes('..')) {
    return 'must not contain ".."';
  }
  if (name.includes('//')) {
    return 'must not contain "//"';
  }
  if (name.includes('@{')) {
    return 'must not contain "@{"';
  }
  // Control characters, space and the characters git reserves for revision syntax.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) {
    return 'must not contain spaces, control characters or any of ~ ^ : ? * [ \\';
  }
  for (const component of name.split('/')) {
    if (component.startsWith('.')) {
      return 'no path component may start with "."';
    }
    if (component.endsWith('.lock')) {
      return 'no path component may end with ".lock"';
    }
  }
  return null;
}

const SCP_LIKE = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):([^\s:][^\s]*)$/;

/**
 * Reason a repository URL is refused; null when valid. Only http(s) and ssh remotes are
 * accepted: git's other transports (ext::, file://, local paths) run commands or read the
 * host, and credentials belong in the credential store, never in a URL.
 */
export function repoUrlProblem(value: string): string | null {
  if (value.length > 2048) {
    return 'must be at most 2048 characters';
  }
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (value.trim() !== value || /[\x00-\x20\x7f]/.test(value)) {
    return 'must not contain spaces or control characters';
  }
  if (value.startsWith('-')) {
    return 'must not start with "-"';
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(value)) {
    return 'must not use a git remote helper (such as ext::)';
  }
  const scp = SCP_LIKE.exec(value);
  if (scp) {
    return scp[3]?.startsWith('-') ? 'path must not start with "-"' : null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an https://, http:// or ssh:// URL (or user@host:path)';
  }
  if (url.protocol === 'file:') {
    return 'must not be a file:// URL';
  }
  if (!['https:', 'http:', 'ssh:'].includes(url.protocol)) {
    return `protocol ${url.protocol.replace(/:$/, '')} is not allowed (use https, http or ssh)`;
  }
  if (!url.hostname) {
    return 'must name a host';
  }
  if (url.password || (url.username && url.protocol !== 'ssh:')) {
    return 'must not contain credentials; store them as git credentials instead';
  }
  if (url.pathname === '/' || url.pathname === '') {
    return 'must name a repository path';
  }
  return null;
}

/** Session names become the work branch `ccr/<name>` and container labels. */
export const SESSION_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
