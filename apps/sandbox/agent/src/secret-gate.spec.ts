import { describe, expect, it } from 'vitest';
import {
  configFileHasAuth,
  isSecretPath,
  parseDiffPath,
  scanDiff,
  scanLine,
} from './secret-gate.js';

// Test values are assembled at run time so this file never holds a token-shaped literal.
const repeat = (chars: string, length: number): string =>
  chars.repeat(Math.ceil(length / chars.length)).slice(0, length);
const AWS = `AKIA${repeat('Q7XZ', 16)}`;
const ANTHROPIC = `sk-ant-api03-${repeat('aB3_x-', 90)}`;
const GITHUB_CLASSIC = `ghp_${repeat('Ab1', 36)}`;
const GITHUB_FINE = `github_pat_${repeat('Ab1_', 82)}`;
const SLACK = `xoxb-${repeat('1234567890-', 30)}`;
const PEM = `-----BEGIN ${'RSA '}PRIVATE KEY-----`;

describe('isSecretPath', () => {
  it.each([
    '.env',
    'app/.env.local',
    '.env.production',
    'certs/server.pem',
    'tls/server.key',
    'keys/id_rsa',
    '.ssh/id_ed25519',
    'credentials',
    'aws/credentials.json',
    'gcp-credentials.json',
    '.netrc',
    '.git-credentials',
    'store.p12',
  ])('holds %s', (path) => {
    expect(isSecretPath(path)).toBe(true);
  });

  it.each([
    '.env.example',
    'config/.env.sample',
    '.env.template',
    'src/env.ts',
    'keys/id_rsa.pub',
    'src/keyboard.ts',
    'docs/credentials-guide.md',
    'environment.md',
    'monkey.py',
  ])('lets %s through', (path) => {
    expect(isSecretPath(path)).toBe(false);
  });
});

describe('configFileHasAuth', () => {
  it('holds an .npmrc with a token and lets a plain one through', () => {
    expect(configFileHasAuth('.npmrc', '//registry.example/:_authToken=abc\n')).toBe(true);
    expect(configFileHasAuth('web/.npmrc', 'save-exact=true\nfund=false\n')).toBe(false);
    expect(configFileHasAuth('.yarnrc.yml', 'npmAuthToken: abc')).toBe(true);
    expect(configFileHasAuth('notes.txt', '_authToken=abc')).toBe(false);
  });
});

describe('scanLine', () => {
  it.each([
    ['aws-access-key-id', `aws_access_key_id = ${AWS}`],
    ['anthropic-api-key', `ANTHROPIC_API_KEY=${ANTHROPIC}`],
    ['github-token', `token: "${GITHUB_CLASSIC}"`],
    ['github-token', `GH=${GITHUB_FINE}`],
    ['slack-token', `const slack = '${SLACK}';`],
    ['private-key', PEM],
    ['private-key', `-----BEGIN ${'OPENSSH '}PRIVATE KEY-----`],
  ])('finds %s', (kind, line) => {
    expect(scanLine(line)).toBe(kind);
  });

  it.each([
    'const key = process.env.AWS_ACCESS_KEY_ID;',
    'AKIA is the prefix of an access key id',
    `AKIA${repeat('q7xz', 16)}`, // lower case: not a key id
    'sk-ant-api03-short',
    'ghp_tooShort123',
    'see github_pat_ docs',
    'xoxb-',
    '-----BEGIN PUBLIC KEY-----',
    '-----BEGIN CERTIFICATE-----',
    'ANTHROPIC_API_KEY=',
  ])('ignores %s', (line) => {
    expect(scanLine(line)).toBeNull();
  });
});

describe('scanDiff', () => {
  const diff = [
    'diff --git a/src/config.ts b/src/config.ts',
    'index 1111111..2222222 100644',
    '--- a/src/config.ts',
    '+++ b/src/config.ts',
    '@@ -3,0 +4,2 @@ export const a = 1;',
    '+export const region = "eu";',
    `+export const key = "${AWS}";`,
    '@@ -10 +12 @@',
    `-const old = "${GITHUB_CLASSIC}";`,
    '+const old = process.env.TOKEN;',
    'diff --git a/notes.md b/notes.md',
    'new file mode 100644',
    '--- /dev/null',
    '+++ b/notes.md',
    '@@ -0,0 +1,3 @@',
    '+# Notes',
    '+',
    `+${PEM}`,
    'diff --git a/gone.txt b/gone.txt',
    'deleted file mode 100644',
    '--- a/gone.txt',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    `-${SLACK}`,
  ].join('\n');

  it('reports the file, the line and the kind of added secrets only', () => {
    expect(scanDiff(diff)).toEqual([
      { file: 'src/config.ts', line: 5, kind: 'aws-access-key-id' },
      { file: 'notes.md', line: 3, kind: 'private-key' },
    ]);
  });

  it('never reports the secret itself', () => {
    expect(JSON.stringify(scanDiff(diff))).not.toContain(AWS);
  });

  it('finds nothing in a clean diff', () => {
    expect(
      scanDiff('+++ b/a.ts\n@@ -1 +1 @@\n-const a = 1;\n+const a = 2;\n+const b = "AKIA";\n'),
    ).toEqual([]);
  });

  it('checks only the start of overlong lines', () => {
    const line = `+${'x'.repeat(100)} ${AWS}`;
    expect(scanDiff(`+++ b/min.js\n@@ -0,0 +1 @@\n${line}\n`, 50)).toEqual([]);
    expect(scanDiff(`+++ b/min.js\n@@ -0,0 +1 @@\n${line}\n`)).toHaveLength(1);
  });
});

describe('parseDiffPath', () => {
  it('reads plain, quoted and removed paths', () => {
    expect(parseDiffPath('b/src/a b.ts')).toBe('src/a b.ts');
    expect(parseDiffPath('"b/caf\\303\\251\\tx.txt"')).toBe('café\tx.txt');
    expect(parseDiffPath('/dev/null')).toBeNull();
  });
});
