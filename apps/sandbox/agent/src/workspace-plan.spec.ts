import { describe, expect, it } from 'vitest';
import {
  parseCurrentBranch,
  planWorkBranch,
  planWorkspace,
  WorkspacePlanError,
} from './workspace-plan.js';

describe('planWorkspace', () => {
  it('resumes an existing repository whatever the settings say', () => {
    expect(
      planWorkspace({
        hasRepository: true,
        entries: ['.git', 'a.txt'],
        repoUrl: 'https://h.test/r.git',
      }),
    ).toBe('resume');
    expect(planWorkspace({ hasRepository: true, entries: ['.git'], repoUrl: null })).toBe('resume');
  });

  it('clones into an empty workspace when there is a repository URL', () => {
    expect(
      planWorkspace({ hasRepository: false, entries: [], repoUrl: 'https://h.test/r.git' }),
    ).toBe('clone');
  });

  it('initialises when there is no repository URL, even beside existing files', () => {
    expect(planWorkspace({ hasRepository: false, entries: [], repoUrl: null })).toBe('init');
    expect(planWorkspace({ hasRepository: false, entries: ['notes.txt'], repoUrl: null })).toBe(
      'init',
    );
  });

  it('refuses to clone over files it did not create', () => {
    expect(() =>
      planWorkspace({ hasRepository: false, entries: ['x'], repoUrl: 'https://h.test/r.git' }),
    ).toThrow(WorkspacePlanError);
  });
});

describe('planWorkBranch', () => {
  const base = {
    workBranch: 'ccr/demo',
    currentBranch: 'main',
    workBranchExists: false,
    headHasCommit: true,
  };

  it('stays when already on the work branch', () => {
    expect(planWorkBranch({ ...base, currentBranch: 'ccr/demo', workBranchExists: true })).toBe(
      'stay',
    );
  });

  it('switches to an existing work branch', () => {
    expect(planWorkBranch({ ...base, workBranchExists: true })).toBe('switch');
    expect(planWorkBranch({ ...base, currentBranch: null, workBranchExists: true })).toBe('switch');
  });

  it('creates the work branch from HEAD, or as an unborn branch in an empty repository', () => {
    expect(planWorkBranch(base)).toBe('create');
    expect(planWorkBranch({ ...base, headHasCommit: false })).toBe('create-unborn');
  });
});

describe('parseCurrentBranch', () => {
  it('reads git branch --show-current', () => {
    expect(parseCurrentBranch('ccr/demo\n')).toBe('ccr/demo');
    expect(parseCurrentBranch('\n')).toBeNull();
  });
});
