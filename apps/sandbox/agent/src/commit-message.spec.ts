import { describe, expect, it } from 'vitest';
import {
  buildCommitMessage,
  classifyPath,
  type FileChange,
  groupChanges,
  inferScope,
  inferType,
  MAX_PROMPT_CHARS,
  MAX_SUBJECT,
  planCommits,
  quotePrompt,
} from './commit-message.js';

const change = (
  path: string,
  status: FileChange['status'] = 'modified',
  insertions: number | null = 3,
  deletions: number | null = 1,
  whitespaceOnly = false,
): FileChange => ({ path, status, insertions, deletions, whitespaceOnly });

describe('classifyPath', () => {
  it.each([
    ['README.md', 'docs'],
    ['docs/guide/setup.html', 'docs'],
    ['notes.txt', 'docs'],
    ['src/app.spec.ts', 'test'],
    ['pkg/handler_test.go', 'test'],
    ['tests/test_api.py', 'test'],
    ['apps/web/e2e/login.ts', 'test'],
    ['.github/workflows/ci.yml', 'ci'],
    ['.ci/run', 'ci'],
    ['.gitlab-ci.yml', 'ci'],
    ['package.json', 'build'],
    ['apps/server/package-lock.json', 'build'],
    ['Dockerfile', 'build'],
    ['image/Dockerfile.dev', 'build'],
    ['Makefile', 'build'],
    ['Cargo.lock', 'build'],
    ['src/main.ts', 'source'],
    ['lib/util.py', 'source'],
    ['config/settings.yaml', 'other'],
    ['assets/logo.png', 'other'],
  ])('%s is %s', (path, kind) => {
    expect(classifyPath(path)).toBe(kind);
  });
});

describe('inferType', () => {
  it('docs, test, ci and build when every path is of that kind', () => {
    expect(inferType([change('README.md'), change('docs/a.md')])).toBe('docs');
    expect(inferType([change('src/a.spec.ts')])).toBe('test');
    expect(inferType([change('.github/workflows/ci.yml')])).toBe('ci');
    expect(inferType([change('package.json'), change('package-lock.json')])).toBe('build');
  });

  it('style when only whitespace changed', () => {
    expect(inferType([change('src/a.ts', 'modified', 4, 4, true)])).toBe('style');
    expect(
      inferType([change('src/a.ts', 'modified', 4, 4, true), change('src/b.ts', 'modified')]),
    ).not.toBe('style');
  });

  it('feat for a new source file or code that grows', () => {
    expect(inferType([change('src/new.ts', 'added', 20, 0)])).toBe('feat');
    expect(inferType([change('src/a.ts', 'modified', 30, 2)])).toBe('feat');
  });

  it('fix when the prompt talks about a bug', () => {
    expect(inferType([change('src/a.ts')], 'Fix the crash when the list is empty')).toBe('fix');
    expect(inferType([change('src/a.ts', 'modified', 30, 2)], 'add a --json flag')).toBe('feat');
  });

  it('refactor for reshaped or removed code, or a prompt that asks for it', () => {
    expect(inferType([change('src/a.ts', 'modified', 10, 12)])).toBe('refactor');
    expect(inferType([change('src/old.ts', 'deleted', 0, 40)])).toBe('refactor');
    expect(inferType([change('src/a.ts', 'modified', 30, 1)], 'rename foo to bar')).toBe(
      'refactor',
    );
  });

  it('chore when no code, docs, tests or build files changed', () => {
    expect(inferType([change('config/settings.yaml')])).toBe('chore');
    expect(inferType([change('config/settings.yaml'), change('README.md')])).toBe('chore');
  });
});

describe('inferScope', () => {
  it('uses the package of a monorepo and the top-level directory otherwise', () => {
    expect(inferScope(['apps/server/src/a.ts', 'apps/server/test/b.ts'])).toBe('server');
    expect(inferScope(['packages/protocol/src/api.ts'])).toBe('protocol');
    expect(inferScope(['src/a.ts', 'src/lib/b.ts'])).toBe('src');
    expect(inferScope(['.github/workflows/ci.yml'])).toBe('github');
  });

  it('has no scope for root files or unrelated directories', () => {
    expect(inferScope(['README.md'])).toBeNull();
    expect(inferScope(['src/a.ts', 'lib/b.ts'])).toBeNull();
    expect(inferScope(['apps/server/a.ts', 'apps/web/b.ts'])).toBeNull();
  });

  it('keeps scopes to safe characters', () => {
    expect(inferScope(['My Dir (1)/a.ts'])).toBe('my-dir-1-');
  });
});

describe('groupChanges', () => {
  it('keeps tests with their source and splits docs, build and ci apart', () => {
    const groups = groupChanges([
      change('README.md'),
      change('src/a.ts'),
      change('src/a.spec.ts'),
      change('package.json'),
      change('.github/workflows/ci.yml'),
    ]);
    expect(groups.map((group) => group.map((file) => file.path))).toEqual([
      ['src/a.ts', 'src/a.spec.ts'],
      ['package.json'],
      ['.github/workflows/ci.yml'],
      ['README.md'],
    ]);
  });

  it('keeps a batch of one kind whole and an empty batch empty', () => {
    expect(groupChanges([change('a.md'), change('docs/b.md')])).toHaveLength(1);
    expect(groupChanges([])).toEqual([]);
  });
});

describe('buildCommitMessage', () => {
  it('writes a conventional subject and per-file statistics', () => {
    const message = buildCommitMessage([
      change('src/hello.ts', 'added', 12, 0),
      change('src/util.ts', 'modified', 3, 1),
    ]);
    const [subject, blank, ...body] = message.trimEnd().split('\n');
    expect(subject).toBe('feat(src): update hello.ts, util.ts');
    expect(blank).toBe('');
    expect(body).toEqual([
      'src/hello.ts | +12 -0',
      'src/util.ts | +3 -1',
      '2 files changed, +15 -1',
    ]);
  });

  it('names the action for one kind of change and counts many files', () => {
    expect(buildCommitMessage([change('docs/a.md', 'added', 1, 0)])).toMatch(
      /^docs\(docs\): add a\.md\n/,
    );
    expect(buildCommitMessage([change('old.md', 'deleted', 0, 9)])).toMatch(
      /^docs: remove old\.md/,
    );
    const many = ['a', 'b', 'c', 'd', 'e'].map((name) =>
      change(`lib/${name}.py`, 'modified', 5, 0),
    );
    expect(buildCommitMessage(many)).toMatch(/^feat\(lib\): update 5 files\n/);
  });

  it('keeps the subject within 72 characters', () => {
    const long = change(`src/${'very-long-module-name-'.repeat(6)}.ts`, 'added', 1, 0);
    const subject = buildCommitMessage([long]).split('\n')[0]!;
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT);
    expect(subject.endsWith('…')).toBe(true);
  });

  it('shows binary files and bounds the file list', () => {
    expect(buildCommitMessage([change('logo.png', 'added', null, null)])).toContain(
      'logo.png | binary',
    );
    const files = Array.from({ length: 60 }, (_, i) => change(`src/f${i}.ts`, 'modified', 1, 0));
    const message = buildCommitMessage(files);
    expect(message).toContain('… and 10 more files');
    expect(message).not.toContain('src/f55.ts |');
  });

  it('quotes the prompt that led to the change', () => {
    const message = buildCommitMessage([change('src/a.ts')], {
      prompt: 'Fix the parser\n\nit breaks on empty input',
    });
    expect(message).toMatch(
      /^fix\(src\): update a\.ts\n\nPrompt:\n> Fix the parser\n>\n> it breaks/,
    );
    expect(message).toContain('src/a.ts | +3 -1');
  });
});

describe('quotePrompt', () => {
  it('trims, strips control characters and bounds the length', () => {
    expect(quotePrompt('  hi\u0007 there \n')).toBe('> hi there');
    expect(quotePrompt('   ')).toBeNull();
    const quoted = quotePrompt('x'.repeat(5000))!;
    expect(quoted.length).toBeLessThanOrEqual(MAX_PROMPT_CHARS + 2);
    expect(quoted.endsWith('…')).toBe(true);
  });
});

describe('planCommits', () => {
  it('one commit per group, each with its own message', () => {
    const plan = planCommits([change('README.md'), change('src/a.ts', 'added', 5, 0)], {
      prompt: 'add a',
    });
    expect(plan.map((commit) => commit.message.split('\n')[0])).toEqual([
      'feat(src): add a.ts',
      'docs: update README.md',
    ]);
    expect(plan.every((commit) => commit.message.includes('> add a'))).toBe(true);
  });
});
