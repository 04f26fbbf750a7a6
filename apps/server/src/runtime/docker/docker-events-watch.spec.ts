// DockerRuntime.watch against a stand-in engine on a unix socket: the real engine is shared on
// this machine and cannot be restarted by a test, so the interruption is played by this server.
import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxChange } from '../runtime.port';
import { DockerRuntime } from './docker.runtime';

const INSTANCE = 'watch-test';

function dockerEvent(action: string, sessionId: string, timeNano: number): string {
  return `${JSON.stringify({
    Type: 'container',
    Action: action,
    Actor: {
      ID: 'abc',
      Attributes: {
        'ccr.managed': '1',
        'ccr.instance': INSTANCE,
        'ccr.session-id': sessionId,
        exitCode: '3',
      },
    },
    time: Math.floor(timeNano / 1e9),
    timeNano,
  })}\n`;
}

let server: Server | undefined;
let dir: string | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('DockerRuntime.watch', () => {
  it('delivers parsed changes, reconnects after the stream ends, resumes from the last event and asks for a resync', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ccr-events-'));
    const socketPath = join(dir, 'engine.sock');
    const requests: URL[] = [];
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? '/', 'http://engine');
      if (!url.pathname.endsWith('/events')) {
        response.writeHead(404).end();
        return;
      }
      requests.push(url);
      response.writeHead(200, { 'content-type': 'application/json' });
      if (requests.length === 1) {
        // Split mid-line, then a stranger and garbage, then the engine goes away.
        const line = dockerEvent('die', 'session-a', 1_700_000_000_500 * 1e6);
        response.write(line.slice(0, 20));
        response.write(line.slice(20));
        response.write('not json\n');
        response.end(
          dockerEvent('die', 'session-b', 1_700_000_000_600 * 1e6).replace(INSTANCE, 'other'),
        );
      } else {
        response.write(dockerEvent('destroy', 'session-a', 1_700_000_001_000 * 1e6));
      }
    });
    await new Promise<void>((resolve) => server!.listen(socketPath, resolve));

    const runtime = new DockerRuntime({ instance: INSTANCE, dockerHost: `unix://${socketPath}` });
    const changes: SandboxChange[] = [];
    let resyncs = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const stop = runtime.watch(
      (change) => {
        changes.push(change);
        if (change.kind === 'removed') {
          done();
        }
      },
      { onResync: () => (resyncs += 1) },
    );
    try {
      await finished;
    } finally {
      stop();
      runtime.onModuleDestroy();
    }
    expect(changes).toEqual([
      { sessionId: 'session-a', kind: 'exited', exitCode: 3, at: '2023-11-14T22:13:20.500Z' },
      { sessionId: 'session-a', kind: 'removed', at: '2023-11-14T22:13:21.000Z' },
    ]);
    expect(resyncs).toBe(1);
    expect(requests).toHaveLength(2);
    const filters = JSON.parse(requests[0]!.searchParams.get('filters') ?? '{}') as Record<
      string,
      string[]
    >;
    expect(filters.type).toEqual(['container']);
    expect(filters.label).toEqual(['ccr.managed=1', `ccr.instance=${INSTANCE}`]);
    expect(requests[0]!.searchParams.get('since')).toBeNull();
    // The reconnect resumes at the last event the stream carried (the stranger's), not later.
    expect(Number(requests[1]!.searchParams.get('since'))).toBe(1_700_000_000.6);
  });
});
