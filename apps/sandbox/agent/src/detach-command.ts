// `ccr-agent detach <clientId>`: ends the tmux client that `ccr-attach` started. Docker keeps an
// exec'd process running after its connection closes, so the server calls this when a
// WebSocket goes away. A tmux client detaches cleanly on SIGHUP.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENTS_DIR } from './paths.js';

/** Pid from a pid file's text, or null when it is not a plain positive number. */
export function parsePidFile(text: string): number | null {
  const trimmed = text.trim();
  if (!/^[1-9][0-9]{0,9}$/.test(trimmed)) {
    return null;
  }
  return Number(trimmed);
}

/** True when the command line (NUL-separated, as in /proc/<pid>/cmdline) is a tmux client. */
export function isTmuxClientCmdline(cmdline: string): boolean {
  const [program] = cmdline.split('\0');
  return program !== undefined && /(^|\/)tmux$/.test(program);
}

function readCmdline(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return null;
  }
}

export function detachCommand(clientId: string): number {
  const pidFile = join(CLIENTS_DIR, `${clientId}.pid`);
  let text: string;
  try {
    text = readFileSync(pidFile, 'utf8');
  } catch {
    return 0; // Already gone.
  }
  const pid = parsePidFile(text);
  // The pid may have been reused since the client ended: signal only a tmux process.
  const cmdline = pid === null ? null : readCmdline(pid);
  if (pid !== null && cmdline !== null && isTmuxClientCmdline(cmdline)) {
    try {
      process.kill(pid, 'SIGHUP');
    } catch {
      // It ended between the check and the signal: that is the outcome we wanted.
    }
  }
  rmSync(pidFile, { force: true });
  return 0;
}
