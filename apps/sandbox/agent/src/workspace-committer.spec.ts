// The committer against real git in a temporary repository.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceCommitter } from './workspace-committer.js';

let root: string;
let repo: string;

function git(...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
}

function write(path: string, content: string): void {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), content);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ccr-committer-'));
  repo = join(root, 'repo');
  execFileSync('git', ['init', '-q', '--initial-branch=main', repo]);
  git('config', 'user.name', 'Test');
  git('config', 'user.email', 'test@example.com');
  write('README.md', '# demo\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'Initial commit');
  git('checkout', '-q', '-b', 'ccr/demo');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const committer = (): WorkspaceCommitter => new WorkspaceCommitter('ccr/demo', repo, root);

describe('WorkspaceCommitter', () => {
  it('commits new and changed files with conventional messages, docs apart', async () => {
    write('src/hello.ts', 'export const hello = 1;\n');
    write('README.md', '# demo\n\nMore.\n');
    write('.gitignore', 'dist/\n');
    write('dist/out.js', 'ignored\n');
    const outcome = await committer().commit({ prompt: 'add a hello module' });
    expect(outcome.blocked).toEqual([]);
    expect(outcome.commits.map((commit) => commit.message.split('\n')[0])).toEqual([
      'feat: add .gitignore, hello.ts',
      'docs: update README.md',
    ]);
    expect(outcome.commits[0]).toMatchObject({
      files: ['.gitignore', 'src/hello.ts'].sort(),
      branch: 'ccr/demo',
      pushed: false,
    });
    expect(git('log', '--format=%s', 'ccr/demo')).toBe(
      'docs: update README.md\nfeat: add .gitignore, hello.ts\nInitial commit\n',
    );
    expect(git('log', '--format=%B', '-1', 'HEAD~1')).toContain('> add a hello module');
    expect(git('log', '--format=%s', 'main')).toBe('Initial commit\n');
    expect(git('status', '--porcelain')).toBe('');
    expect(await committer().commit()).toMatchObject({ changedCount: 0, commits: [] });
  });

  it('holds secret files and lines, commits the rest', async () => {
    write('.env', 'TOKEN=abc\n');
    write('.env.example', 'TOKEN=\n');
    write('src/config.ts', `export const key = "AKIA${'Q7XZ'.repeat(4)}";\n`);
    write('src/ok.ts', 'export const ok = true;\n');
    const outcome = await committer().commit();
    expect(outcome.blocked).toEqual([
      { file: '.env', line: null, kind: 'secret-file' },
      { file: 'src/config.ts', line: 1, kind: 'aws-access-key-id' },
    ]);
    expect(outcome.commits).toHaveLength(1);
    expect(outcome.commits[0]!.files).toEqual(['.env.example', 'src/ok.ts']);
    expect(git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([
      '.env.example',
      'src/ok.ts',
    ]);
    expect(git('status', '--porcelain', '--untracked-files=all')).toContain('.env\n');
  });

  it('commits changes to a secret-looking file the user already tracks', async () => {
    write('.env', 'A=1\n');
    git('add', '.env');
    git('commit', '-q', '-m', 'track env');
    write('.env', 'A=2\n');
    const outcome = await committer().commit({ message: 'chore: bump A' });
    expect(outcome.blocked).toEqual([]);
    expect(outcome.commits.map((commit) => commit.message)).toEqual(['chore: bump A']);
  });

  it('does nothing off the work branch', async () => {
    git('checkout', '-q', 'main');
    write('a.ts', 'x\n');
    const outcome = await committer().commit();
    expect(outcome).toMatchObject({ offBranch: 'main', commits: [] });
    expect(git('log', '--format=%s', 'main')).toBe('Initial commit\n');
  });

  it('records deletions and whitespace-only changes', async () => {
    write('src/a.ts', 'const a = 1;\n');
    write('src/b.ts', 'const b = 1;\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    write('src/a.ts', 'const  a = 1;\n');
    const style = await committer().commit();
    expect(style.commits[0]!.message.split('\n')[0]).toBe('style(src): update a.ts');
    rmSync(join(repo, 'src/b.ts'));
    const removed = await committer().commit();
    expect(removed.commits[0]!.message.split('\n')[0]).toBe('refactor(src): remove b.ts');
    expect(git('status', '--porcelain')).toBe('');
  });
});
