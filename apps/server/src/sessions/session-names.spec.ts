import { describe, expect, it } from 'vitest';
import { SESSION_NAME_PATTERN } from '@ccr/protocol/git-refs';
import { branchNameProblem } from '@ccr/protocol/git-refs';
import { generateSessionName, workBranchFor } from './session-names';

describe('generated session names', () => {
  it('are readable adjective-noun-number names', () => {
    expect(generateSessionName(() => 0)).toBe('amber-badger-0');
    expect(generateSessionName((max) => max - 1)).toBe('witty-zephyr-99');
  });

  it('always match the session name pattern and make a valid work branch', () => {
    for (let i = 0; i < 500; i++) {
      const name = generateSessionName();
      expect(name).toMatch(SESSION_NAME_PATTERN);
      expect(branchNameProblem(workBranchFor(name))).toBeNull();
    }
  });

  it('vary (the space is large enough for retries to find a free one)', () => {
    const names = new Set(Array.from({ length: 200 }, () => generateSessionName()));
    expect(names.size).toBeGreaterThan(150);
  });

  it('become the work branch ccr/<name>', () => {
    expect(workBranchFor('quiet-otter-4')).toBe('ccr/quiet-otter-4');
  });
});
