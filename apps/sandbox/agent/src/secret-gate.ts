// The secret gate: what auto-commit must never put into history by itself. Two checks, both
// pure: file names that look like secrets (held unless the user already tracks the file), and
// added lines that hold a high-confidence credential. A hit names the file, the line and the
// kind of secret; the secret text itself never leaves this module.

export type SecretKind =
  | 'secret-file'
  | 'aws-access-key-id'
  | 'anthropic-api-key'
  | 'github-token'
  | 'slack-token'
  | 'private-key';

export interface SecretHit {
  file: string;
  /** 1-based line in the new file; null when the whole file is held by its name. */
  line: number | null;
  kind: SecretKind;
}

const ENV_EXAMPLES = /^\.env\.(example|sample|template|dist|defaults)$/;

/** True when a file's name says it holds secrets (`.env`, keys, credentials). */
export function isSecretPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name === '.env' || (name.startsWith('.env.') && !ENV_EXAMPLES.test(name))) {
    return true;
  }
  if (/\.(pem|key|p12|pfx|jks|keystore|ppk|asc|gpg)$/.test(name)) {
    return true;
  }
  // SSH private keys (id_rsa, id_ed25519, ...); their .pub halves are public.
  if (/^id_[a-z0-9_-]+$/.test(name)) {
    return true;
  }
  if (/^credentials(\..*)?$/.test(name) || /^.*-credentials\.json$/.test(name)) {
    return true;
  }
  if (['.netrc', '_netrc', '.pgpass', '.git-credentials', '.htpasswd'].includes(name)) {
    return true;
  }
  return false;
}

/** `.npmrc` and similar files are fine to commit unless they carry an auth token. */
export function configFileHasAuth(path: string, content: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name === '.npmrc' || name === '.yarnrc' || name === '.yarnrc.yml') {
    return /(_authToken|_auth|_password|npmAuthToken|npmAuthIdent)\s*[=:]/i.test(content);
  }
  return false;
}

const LINE_RULES: ReadonlyArray<{ kind: SecretKind; pattern: RegExp }> = [
  { kind: 'aws-access-key-id', pattern: /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/ },
  { kind: 'anthropic-api-key', pattern: /\bsk-ant-[a-z0-9]{2,10}-[A-Za-z0-9_-]{32,}/ },
  { kind: 'github-token', pattern: /\b(ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36,}\b/ },
  { kind: 'github-token', pattern: /\bgithub_pat_[A-Za-z0-9_]{60,}\b/ },
  { kind: 'slack-token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  {
    kind: 'private-key',
    pattern: /-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/,
  },
];

/** The kind of secret on one line, or null. */
export function scanLine(text: string): SecretKind | null {
  for (const rule of LINE_RULES) {
    if (rule.pattern.test(text)) {
      return rule.kind;
    }
  }
  return null;
}

/**
 * Scans the added lines of a unified diff (`git diff --cached -U0 --no-color`). Lines longer
 * than `maxLineLength` are checked only in their first part, so a minified blob cannot stall
 * the agent.
 */
export function scanDiff(diff: string, maxLineLength = 8192): SecretHit[] {
  const hits: SecretHit[] = [];
  let file: string | null = null;
  let line = 0;
  for (const raw of diff.split('\n')) {
    if (raw.startsWith('diff --git ')) {
      file = null;
      continue;
    }
    if (raw.startsWith('+++ ')) {
      file = parseDiffPath(raw.slice(4));
      continue;
    }
    if (raw.startsWith('@@')) {
      const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
      line = match ? Number(match[1]) : 0;
      continue;
    }
    if (file === null) {
      continue;
    }
    if (raw.startsWith('+')) {
      const kind = scanLine(raw.slice(1, maxLineLength + 1));
      if (kind) {
        hits.push({ file, line, kind });
      }
      line += 1;
    } else if (raw.startsWith(' ')) {
      line += 1;
    }
  }
  return hits;
}

/** `b/path` (or a C-quoted `"b/pa\tth"`) from a `+++` line; null for /dev/null. */
export function parseDiffPath(text: string): string | null {
  const trimmed = text.replace(/\t$/, '');
  if (trimmed === '/dev/null') {
    return null;
  }
  const unquoted = trimmed.startsWith('"') ? unquoteC(trimmed) : trimmed;
  return unquoted.startsWith('b/') ? unquoted.slice(2) : unquoted;
}

function unquoteC(text: string): string {
  const body = text.slice(1, text.endsWith('"') ? -1 : undefined);
  const bytes: number[] = [];
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8 };
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(escapes[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
