// Why a sandbox ended when nobody asked it to, in words a user can act on.

export interface SandboxExit {
  /** The main process's exit code, when the engine reported one. */
  exitCode: number | null | undefined;
  /** The engine says the kernel's OOM killer ended the sandbox. */
  oomKilled: boolean;
  /** The session's memory limit. */
  memoryMb: number;
}

/** SIGKILL: what the kernel's OOM killer sends, and what `docker kill` sends by default. */
const KILLED_EXIT_CODE = 137;

export function unexpectedExitReason(exit: SandboxExit): string {
  // A container whose main process was OOM-killed always ends with SIGKILL; another exit code
  // means the OOM hit a child earlier and the container ended for a different reason.
  if (
    exit.oomKilled &&
    (exit.exitCode === KILLED_EXIT_CODE || exit.exitCode === null || exit.exitCode === undefined)
  ) {
    return `Out of memory: the container was killed at its ${exit.memoryMb} MB limit`;
  }
  if (exit.exitCode === null || exit.exitCode === undefined) {
    return 'The container exited unexpectedly (exit code unknown)';
  }
  return `The container exited unexpectedly (exit code ${exit.exitCode})`;
}
