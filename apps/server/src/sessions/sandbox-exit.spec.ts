import { describe, expect, it } from 'vitest';
import { unexpectedExitReason } from './sandbox-exit';

describe('unexpectedExitReason', () => {
  it('names the memory limit when the kernel OOM-killed the container', () => {
    expect(unexpectedExitReason({ exitCode: 137, oomKilled: true, memoryMb: 256 })).toBe(
      'Out of memory: the container was killed at its 256 MB limit',
    );
    expect(unexpectedExitReason({ exitCode: undefined, oomKilled: true, memoryMb: 2048 })).toBe(
      'Out of memory: the container was killed at its 2048 MB limit',
    );
  });

  it('gives the exit code otherwise', () => {
    expect(unexpectedExitReason({ exitCode: 137, oomKilled: false, memoryMb: 256 })).toBe(
      'The container exited unexpectedly (exit code 137)',
    );
    expect(unexpectedExitReason({ exitCode: 0, oomKilled: false, memoryMb: 256 })).toBe(
      'The container exited unexpectedly (exit code 0)',
    );
    expect(unexpectedExitReason({ exitCode: null, oomKilled: false, memoryMb: 256 })).toBe(
      'The container exited unexpectedly (exit code unknown)',
    );
  });

  it('does not blame memory when an earlier OOM hit only a child and the exit was another one', () => {
    expect(unexpectedExitReason({ exitCode: 1, oomKilled: true, memoryMb: 512 })).toBe(
      'The container exited unexpectedly (exit code 1)',
    );
  });
});
