// `ccr-agent status --json`: what the server asks (through exec) to know whether a session's
// terminals can be attached.
import { AgentStatusSchema, type AgentStatus } from '@ccr/protocol/agent';
import { readInitMarker } from './init-marker.js';
import { TERMINALS } from './paths.js';
import { listTmuxSessions } from './tmux.js';
import { currentBranch, headCommit } from './workspace.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function readAgentStatus(): Promise<AgentStatus> {
  const marker = readInitMarker();
  const terminals = await listTmuxSessions();
  const initDone = marker !== null && isAlive(marker.pid);
  const ready = initDone && TERMINALS.every((name) => terminals.includes(name));
  return AgentStatusSchema.parse({
    ready,
    terminals,
    workBranch: marker?.workBranch ?? (await currentBranch()),
    head: await headCommit(),
  });
}

export async function statusCommand(json: boolean): Promise<number> {
  const status = await readAgentStatus();
  if (json) {
    process.stdout.write(`${JSON.stringify(status)}\n`);
  } else {
    process.stdout.write(
      `ready: ${status.ready}\nterminals: ${status.terminals.join(', ') || '(none)'}\n` +
        `work branch: ${status.workBranch ?? '(none)'}\nhead: ${status.head ?? '(none)'}\n`,
    );
  }
  return 0;
}
