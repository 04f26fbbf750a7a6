// Conventional Commit messages built from what changed: the paths, git's numstat and, when
// Claude Code made the change, the user's prompt that led to it. Pure, so every inference
// rule is unit-tested; the committer feeds it `git diff --cached` output.

export type ChangeStatus = 'added' | 'modified' | 'deleted';

export interface FileChange {
  path: string;
  status: ChangeStatus;
  /** null for binary files (numstat prints `-`). */
  insertions: number | null;
  deletions: number | null;
  /** True when `git diff -w` sees no change: only whitespace differs. */
  whitespaceOnly?: boolean;
}

export type CommitType =
  'feat' | 'fix' | 'refactor' | 'docs' | 'test' | 'ci' | 'build' | 'style' | 'chore';

export type PathKind = 'docs' | 'test' | 'ci' | 'build' | 'source' | 'other';

export interface PlannedCommit {
  message: string;
  files: FileChange[];
}

export interface MessageOptions {
  /** The user's prompt behind the change (from Claude Code's transcript). */
  prompt?: string | null;
}

export const MAX_SUBJECT = 72;
export const MAX_PROMPT_CHARS = 1000;
export const MAX_BODY_FILES = 50;

const SOURCE_EXTENSIONS = new Set([
  'ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'mts', 'cts', 'py', 'go', 'rs', 'java', 'kt', 'kts',
  'scala', 'rb', 'php', 'c', 'h', 'cc', 'cpp', 'hpp', 'cs', 'swift', 'm', 'mm', 'sh', 'bash',
  'zsh', 'sql', 'vue', 'svelte', 'astro', 'css', 'scss', 'sass', 'less', 'html', 'lua', 'ex',
  'exs', 'erl', 'hs', 'ml', 'clj', 'dart', 'r', 'pl', 'zig', 'nim', 'elm', 'fs', 'graphql',
  'proto',
]); // prettier-ignore

const DOC_EXTENSIONS = new Set(['md', 'mdx', 'rst', 'adoc', 'txt']);

const BUILD_FILES = new Set([
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml',
  'pnpm-workspace.yaml', 'bun.lockb', 'bun.lock', 'dockerfile', 'containerfile', 'makefile',
  'gnumakefile', 'cmakelists.txt', 'cargo.toml', 'cargo.lock', 'go.mod', 'go.sum',
  'pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt', 'pipfile', 'pipfile.lock',
  'poetry.lock', 'uv.lock', 'gemfile', 'gemfile.lock', 'composer.json', 'composer.lock',
  'build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'pom.xml',
  'docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml', '.dockerignore',
  '.npmrc', '.nvmrc', 'tsconfig.json', 'build.mjs', 'build.js', 'vite.config.ts',
  'webpack.config.js', 'rollup.config.js', 'esbuild.config.mjs',
]); // prettier-ignore

const CI_FILES = new Set(['.gitlab-ci.yml', '.travis.yml', 'jenkinsfile', 'azure-pipelines.yml']);

const FIX_WORDS =
  /\b(fix(es|ed|ing)?|bug|broken|crash(es|ed)?|error|fail(s|ing|ure)?|regression|wrong|typo)\b/i;
const REFACTOR_WORDS = /\b(refactor\w*|rename\w*|clean ?up|simplif\w*|restructur\w*|extract\w*)\b/i;

function lower(path: string): string[] {
  return path.toLowerCase().split('/');
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

export function classifyPath(path: string): PathKind {
  const parts = lower(path);
  const name = parts[parts.length - 1] ?? '';
  const dirs = parts.slice(0, -1);
  if (dirs[0] === '.github' || dirs[0] === '.ci' || dirs[0] === '.circleci' || CI_FILES.has(name)) {
    return 'ci';
  }
  if (
    /\.(spec|test)\.[a-z0-9]+$/.test(name) ||
    /^test_.*\.py$/.test(name) ||
    /_test\.(go|py|rb)$/.test(name) ||
    dirs.some((dir) => dir === 'test' || dir === 'tests' || dir === '__tests__' || dir === 'e2e')
  ) {
    return 'test';
  }
  if (BUILD_FILES.has(name) || name.startsWith('dockerfile') || name.endsWith('.dockerfile')) {
    return 'build';
  }
  const extension = extensionOf(name);
  if (
    DOC_EXTENSIONS.has(extension) ||
    dirs[0] === 'docs' ||
    dirs[0] === 'doc' ||
    /^(readme|changelog|contributing|license|licence|authors)(\.|$)/.test(name)
  ) {
    return 'docs';
  }
  if (SOURCE_EXTENSIONS.has(extension)) {
    return 'source';
  }
  return 'other';
}

/**
 * Splits one batch into groups that read well as separate commits: docs, ci and build changes
 * apart from code; tests stay with the code they test. A batch of one kind stays whole.
 */
export function groupChanges(changes: readonly FileChange[]): FileChange[][] {
  const groups = new Map<string, FileChange[]>();
  for (const change of changes) {
    const kind = classifyPath(change.path);
    const key = kind === 'source' || kind === 'test' || kind === 'other' ? 'code' : kind;
    const group = groups.get(key) ?? [];
    group.push(change);
    groups.set(key, group);
  }
  const order = ['code', 'build', 'ci', 'docs'];
  return order.flatMap((key) => {
    const group = groups.get(key);
    return group ? [group] : [];
  });
}

export function inferType(changes: readonly FileChange[], prompt?: string | null): CommitType {
  const kinds = new Set(changes.map((change) => classifyPath(change.path)));
  const only = (kind: PathKind): boolean => kinds.size === 1 && kinds.has(kind);
  if (changes.length > 0 && changes.every((change) => change.whitespaceOnly === true)) {
    return 'style';
  }
  if (only('docs')) {
    return 'docs';
  }
  if (only('test')) {
    return 'test';
  }
  if (only('ci')) {
    return 'ci';
  }
  if (only('build')) {
    return 'build';
  }
  const code = changes.filter((change) => {
    const kind = classifyPath(change.path);
    return kind === 'source' || kind === 'test';
  });
  if (code.length === 0) {
    return 'chore';
  }
  if (prompt && FIX_WORDS.test(prompt)) {
    return 'fix';
  }
  if (prompt && REFACTOR_WORDS.test(prompt)) {
    return 'refactor';
  }
  if (code.some((change) => change.status === 'added' && classifyPath(change.path) === 'source')) {
    return 'feat';
  }
  if (code.every((change) => change.status === 'deleted')) {
    return 'refactor';
  }
  const insertions = sum(code.map((change) => change.insertions ?? 0));
  const deletions = sum(code.map((change) => change.deletions ?? 0));
  // About as much removed as added, in existing files: the code was reshaped, not extended.
  if (deletions > 0 && insertions <= deletions * 1.25) {
    return 'refactor';
  }
  return 'feat';
}

/** The package or top-level directory every path shares, when there is one. */
export function inferScope(paths: readonly string[]): string | null {
  const scopes = new Set(
    paths.map((path) => {
      const parts = path.split('/');
      if (parts.length < 2) {
        return '';
      }
      const [top, second] = parts;
      // Monorepo layouts: the package name says more than "apps" or "packages".
      if (
        parts.length > 2 &&
        second &&
        ['apps', 'packages', 'services', 'libs', 'crates', 'modules', 'plugins'].includes(top ?? '')
      ) {
        return second;
      }
      return top ?? '';
    }),
  );
  if (scopes.size !== 1) {
    return null;
  }
  const [scope] = [...scopes];
  const clean = (scope ?? '')
    .toLowerCase()
    .replace(/^[._-]+/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, 24);
  return clean === '' ? null : clean;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function describeChanges(changes: readonly FileChange[]): string {
  const statuses = new Set(changes.map((change) => change.status));
  const verb =
    statuses.size === 1
      ? { added: 'add', modified: 'update', deleted: 'remove' }[changes[0]!.status]
      : 'update';
  const names = [...new Set(changes.map((change) => baseName(change.path)))];
  const listed = `${verb} ${names.join(', ')}`;
  if (names.length <= 3) {
    return listed;
  }
  return `${verb} ${changes.length} files`;
}

function clipSubject(prefix: string, summary: string): string {
  const room = MAX_SUBJECT - prefix.length;
  if (summary.length <= room) {
    return prefix + summary;
  }
  return `${prefix}${summary.slice(0, Math.max(0, room - 1)).trimEnd()}…`;
}

export function formatStats(change: FileChange): string {
  if (change.insertions === null || change.deletions === null) {
    return `${change.path} | binary`;
  }
  return `${change.path} | +${change.insertions} -${change.deletions}`;
}

/** The prompt as a quoted block: control characters removed, at most MAX_PROMPT_CHARS. */
export function quotePrompt(prompt: string): string | null {
  // eslint-disable-next-line no-control-regex
  let text = prompt.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  text = text.trim();
  if (text === '') {
    return null;
  }
  if (text.length > MAX_PROMPT_CHARS) {
    text = `${text.slice(0, MAX_PROMPT_CHARS - 1).trimEnd()}…`;
  }
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
    .join('\n');
}

export function buildCommitMessage(
  changes: readonly FileChange[],
  options: MessageOptions = {},
): string {
  const type = inferType(changes, options.prompt);
  const scope = inferScope(changes.map((change) => change.path));
  const prefix = `${type}${scope ? `(${scope})` : ''}: `;
  const subject = clipSubject(prefix, describeChanges(changes));

  const sections: string[] = [];
  const quoted = options.prompt ? quotePrompt(options.prompt) : null;
  if (quoted) {
    sections.push(`Prompt:\n${quoted}`);
  }
  const listed = changes.slice(0, MAX_BODY_FILES).map(formatStats);
  if (changes.length > MAX_BODY_FILES) {
    listed.push(`… and ${changes.length - MAX_BODY_FILES} more files`);
  }
  const insertions = sum(changes.map((change) => change.insertions ?? 0));
  const deletions = sum(changes.map((change) => change.deletions ?? 0));
  listed.push(
    `${changes.length} file${changes.length === 1 ? '' : 's'} changed, +${insertions} -${deletions}`,
  );
  sections.push(listed.join('\n'));
  return `${subject}\n\n${sections.join('\n\n')}\n`;
}

/** One batch as the commits it becomes, in order; an empty batch becomes none. */
export function planCommits(
  changes: readonly FileChange[],
  options: MessageOptions = {},
): PlannedCommit[] {
  return groupChanges(changes).map((files) => ({
    files,
    message: buildCommitMessage(files, options),
  }));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
