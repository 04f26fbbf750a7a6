// The agent's control channel for verbs run next to it (the Claude Code Stop hook, the
// server's `ccr-agent commit` exec): a unix socket in the agent's private state directory.
// One JSON request line in, one JSON reply line out. Both ends bound what they read.
import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { z } from 'zod';

const MAX_REQUEST_BYTES = 64 * 1024;
const MAX_REPLY_BYTES = 1024 * 1024;

export const ControlRequestSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('flush'), prompt: z.string().max(16_000).nullable() }),
  z.object({ op: z.literal('commit'), message: z.string().min(1).max(8000).nullable() }),
]);
export type ControlRequest = z.infer<typeof ControlRequestSchema>;

export function serveControl(
  path: string,
  handle: (request: ControlRequest) => Promise<unknown>,
): Promise<Server> {
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_REQUEST_BYTES) {
        socket.destroy();
        return;
      }
      const newline = buffered.indexOf('\n');
      if (newline < 0) {
        return;
      }
      socket.removeAllListeners('data');
      let request: ControlRequest;
      try {
        request = ControlRequestSchema.parse(JSON.parse(buffered.slice(0, newline)));
      } catch {
        socket.end(`${JSON.stringify({ error: 'invalid request' })}\n`);
        return;
      }
      handle(request).then(
        (reply) => socket.end(`${JSON.stringify({ ok: reply })}\n`),
        (error: unknown) =>
          socket.end(
            `${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`,
          ),
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      chmodSync(path, 0o600);
      resolve(server);
    });
  });
}

export class ControlError extends Error {
  override readonly name = 'ControlError';
}

/** Sends one request to the running agent and returns its reply (`ok` payload). */
export function requestControl(
  path: string,
  request: ControlRequest,
  timeoutMs: number,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let buffered = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ControlError(`the agent did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_REPLY_BYTES) {
        socket.destroy(new Error('reply too long'));
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(new ControlError(`the agent is not reachable: ${error.message}`));
    });
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        const reply = JSON.parse(buffered) as { ok?: unknown; error?: unknown };
        if (typeof reply.error === 'string') {
          reject(new ControlError(reply.error));
        } else {
          resolve(reply.ok ?? null);
        }
      } catch {
        reject(new ControlError('the agent sent an unreadable reply'));
      }
    });
  });
}
