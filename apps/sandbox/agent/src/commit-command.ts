// `ccr-agent commit [--json] [--message M]`: commits every change now through the running
// agent (so it never races an auto-commit) and prints what was committed, or null.
import { AgentCommitResultSchema } from '@ccr/protocol/agent';
import { requestControl } from './control-socket.js';
import { CONTROL_SOCKET } from './paths.js';

const COMMIT_TIMEOUT_MS = 120_000;

export async function commitCommand(json: boolean, message: string | null): Promise<number> {
  let result;
  try {
    result = AgentCommitResultSchema.parse(
      await requestControl(CONTROL_SOCKET, { op: 'commit', message }, COMMIT_TIMEOUT_MS),
    );
  } catch (error) {
    process.stderr.write(
      `ccr-agent commit: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else if (result.commits.length === 0) {
    process.stdout.write('nothing to commit\n');
  } else {
    for (const commit of result.commits) {
      process.stdout.write(`${commit.sha.slice(0, 12)} ${commit.message.split('\n')[0]}\n`);
    }
  }
  for (const hit of result.blocked) {
    process.stderr.write(`held back: ${hit.file}${hit.line ? `:${hit.line}` : ''} (${hit.kind})\n`);
  }
  return 0;
}
