// `ccr-agent flush`, Claude Code's Stop hook: tells the running agent that a turn ended, with
// the user's last prompt from the transcript. It never fails the hook: a problem is written to
// stderr and the exit code stays 0, so Claude Code is never held up by auto-commit.
import { lastUserPrompt, transcriptPathFromHookInput } from './claude-transcript.js';
import { requestControl } from './control-socket.js';
import { CONTROL_SOCKET } from './paths.js';
import { readTail } from './transcript-files.js';

const MAX_HOOK_INPUT = 256 * 1024;
const FLUSH_TIMEOUT_MS = 50_000;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    return '';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_HOOK_INPUT) {
      break;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function flushCommand(): Promise<number> {
  let prompt: string | null = null;
  try {
    const transcript = transcriptPathFromHookInput(await readStdin());
    if (transcript) {
      prompt = lastUserPrompt(readTail(transcript));
    }
  } catch (error) {
    process.stderr.write(`ccr-agent flush: could not read the prompt: ${String(error)}\n`);
  }
  try {
    await requestControl(CONTROL_SOCKET, { op: 'flush', prompt }, FLUSH_TIMEOUT_MS);
  } catch (error) {
    process.stderr.write(
      `ccr-agent flush: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  return 0;
}
