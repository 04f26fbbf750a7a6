// The two terminals are tmux sessions on the default server of user dev. Terminal state lives
// in tmux, so the server can attach any number of clients and a browser reload loses nothing.
import { execFile, execChecked } from './exec-file.js';
import { CLAUDE_LOOP_SCRIPT, TERMINALS, WORKSPACE_DIR, type TerminalName } from './paths.js';

const COMMANDS: Record<TerminalName, readonly string[]> = {
  claude: [CLAUDE_LOOP_SCRIPT],
  shell: ['bash', '-l'],
};

export async function listTmuxSessions(): Promise<string[]> {
  const result = await execFile('tmux', ['list-sessions', '-F', '#{session_name}']);
  // No server running means no sessions, which is an answer, not an error.
  if (result.code !== 0) {
    return [];
  }
  return result.stdout.split('\n').filter((name) => name.length > 0);
}

export async function startTerminal(name: TerminalName): Promise<void> {
  await execChecked('tmux', [
    'new-session',
    '-d',
    '-s',
    name,
    '-c',
    WORKSPACE_DIR,
    '-x',
    '200',
    '-y',
    '50',
    ...COMMANDS[name],
  ]);
}

/** Starts every terminal that is missing; returns the names it (re)started. */
export async function ensureTerminals(): Promise<TerminalName[]> {
  const existing = new Set(await listTmuxSessions());
  const started: TerminalName[] = [];
  for (const name of TERMINALS) {
    if (!existing.has(name)) {
      await startTerminal(name);
      started.push(name);
    }
  }
  return started;
}

export async function killTmuxServer(): Promise<void> {
  await execFile('tmux', ['kill-server']);
}
