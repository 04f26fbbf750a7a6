// The marker that says init has finished in this container start. It lives in /tmp (the
// container's own filesystem) and is removed at the start of every `run`, because /tmp
// survives a stop/start and an old marker must not make a restarting container look ready.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AGENT_STATE_DIR, CLIENTS_DIR, INIT_MARKER_FILE } from './paths.js';

export interface InitMarker {
  workBranch: string;
  pid: number;
}

export function clearRuntimeState(): void {
  rmSync(INIT_MARKER_FILE, { force: true });
  // Clients of the previous start died with its tmux server.
  rmSync(CLIENTS_DIR, { recursive: true, force: true });
  mkdirSync(AGENT_STATE_DIR, { recursive: true, mode: 0o700 });
  mkdirSync(CLIENTS_DIR, { recursive: true, mode: 0o700 });
}

export function writeInitMarker(marker: InitMarker): void {
  writeFileSync(INIT_MARKER_FILE, JSON.stringify(marker));
}

export function readInitMarker(): InitMarker | null {
  try {
    const value: unknown = JSON.parse(readFileSync(INIT_MARKER_FILE, 'utf8'));
    if (
      typeof value === 'object' &&
      value !== null &&
      'workBranch' in value &&
      typeof value.workBranch === 'string' &&
      'pid' in value &&
      typeof value.pid === 'number'
    ) {
      return { workBranch: value.workBranch, pid: value.pid };
    }
    return null;
  } catch {
    return null;
  }
}
