import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { branchNameProblem, repoUrlProblem, SESSION_NAME_PATTERN } from './git-refs';

function gitAccepts(name: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('branchNameProblem', () => {
  const valid = ['main', 'feature/x', 'release-1.2', 'ccr/my-session', 'a.b', 'user@host', 'x/y/z'];
  const invalid = [
    '',
    '-rf',
    'a..b',
    'a b',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
    'a[b',
    'a\\b',
    '/a',
    'a/',
    'a//b',
    'a.',
    '.hidden',
    'x/.y',
    'a.lock',
    'x/y.lock/z',
    'a@{1}',
    'tab\there',
    'del\x7f',
  ];

  it.each(valid)('accepts %j like git does', (name) => {
    expect(branchNameProblem(name)).toBeNull();
    expect(gitAccepts(name)).toBe(true);
  });

  it.each(invalid)('refuses %j like git does', (name) => {
    expect(branchNameProblem(name)).toEqual(expect.any(String));
    expect(gitAccepts(name)).toBe(false);
  });

  it('refuses over-long names and "@" (which git expands to HEAD) even though git would not', () => {
    expect(branchNameProblem('a'.repeat(201))).toMatch(/at most 200/);
    expect(branchNameProblem('@')).toMatch(/"@"/);
  });
});

describe('repoUrlProblem', () => {
  it.each([
    'https://example.com/org/repo.git',
    'http://example.com:8080/repo',
    'ssh://git@example.com/org/repo.git',
    'git@example.com:org/repo.git',
  ])('accepts %s', (url) => {
    expect(repoUrlProblem(url)).toBeNull();
  });

  it.each([
    ['-uhttps://x/y', /start with "-"/],
    ['ext::sh -c touch% /tmp/pwned', /spaces|remote helper/],
    ['ext::sh', /remote helper/],
    ['fd::17', /remote helper/],
    ['file:///etc/passwd', /file:\/\//],
    ['/srv/repo.git', /https/],
    ['./repo', /https/],
    ['../repo', /https/],
    ['ftp://example.com/repo', /protocol ftp/],
    ['https://user:secret@example.com/repo.git', /credentials/],
    ['https://token@example.com/repo.git', /credentials/],
    ['ssh://git:pw@example.com/repo.git', /credentials/],
    ['https://example.com', /repository path/],
    [' https://example.com/r', /spaces/],
    ['git@example.com:-oProxyCommand=x', /start with "-"/],
  ])('refuses %s', (url, reason) => {
    expect(repoUrlProblem(url)).toMatch(reason);
  });
});

describe('SESSION_NAME_PATTERN', () => {
  it.each(['a', 'my-session', 'x1', 'a'.repeat(40)])('accepts %s', (name) => {
    expect(SESSION_NAME_PATTERN.test(name)).toBe(true);
  });
  it.each(['', '-a', 'a-', 'A', 'a_b', 'a.b', 'a/b', 'a'.repeat(41)])('refuses %j', (name) => {
    expect(SESSION_NAME_PATTERN.test(name)).toBe(false);
  });
});
