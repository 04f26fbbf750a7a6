// A session's status follows its container live: a container that dies on its own (killed,
// OOM-killed, removed) fails the session with the reason; the server's own stop does not.
// Real app, real engine, real sandbox image.
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Session, SessionSchema } from '@ccr/protocol/api';
import { type Event } from '@ccr/protocol/events';
import { Runtime, type SandboxChange } from '../src/runtime/runtime.port';
import { SessionsService } from '../src/sessions/sessions.service';
import { readEvents } from './support/sse';
import { startTestApp, type TestApp } from './support/test-app';

const READY_TIMEOUT_MS = 150_000;
const docker = new Docker();
const dockerAvailable = inject('dockerAvailable');

let t: TestApp;
let token: string;

async function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown; text: string }> {
  const response = await fetch(`${t.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}

async function getSession(id: string): Promise<Session> {
  const response = await api('GET', `/api/sessions/${id}`);
  expect(response.status, response.text).toBe(200);
  return SessionSchema.parse(response.body);
}

async function waitForStatus(id: string, wanted: Session['status'][]): Promise<Session> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const session = await getSession(id);
    if (wanted.includes(session.status)) {
      return session;
    }
    if (Date.now() > deadline) {
      throw new Error(`session ${id} stayed ${session.status} (${session.error ?? 'no error'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function createRunning(body: Record<string, unknown>): Promise<Session> {
  const response = await api('POST', '/api/sessions', body);
  expect(response.status, response.text).toBe(201);
  const session = SessionSchema.parse(response.body);
  const running = await waitForStatus(session.id, ['running', 'failed']);
  expect(running.error).toBeUndefined();
  expect(running.status).toBe('running');
  return running;
}

async function containerOf(sessionId: string): Promise<Docker.Container> {
  const [info] = await docker.listContainers({
    all: true,
    filters: { label: [`ccr.instance=${t.instance}`, `ccr.session-id=${sessionId}`] },
  });
  expect(info, `container of ${sessionId}`).toBeDefined();
  return docker.getContainer(info!.Id);
}

/** Resolves with the first change of this session the runtime reports that matches. */
function nextChange(
  sessionId: string,
  kind: SandboxChange['kind'],
  timeoutMs = 60_000,
): Promise<SandboxChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unwatch();
      reject(new Error(`no ${kind} change for ${sessionId} within ${timeoutMs} ms`));
    }, timeoutMs);
    const unwatch = t.app.get(Runtime).watch((change) => {
      if (change.sessionId === sessionId && change.kind === kind) {
        clearTimeout(timer);
        unwatch();
        resolve(change);
      }
    });
  });
}

/**
 * Our listener was registered after the server's, so when it sees a change the server has
 * queued its handling too; this waits for that handling to finish.
 */
async function serverHandled(change: Promise<SandboxChange>): Promise<SandboxChange> {
  const seen = await change;
  await t.app.get(SessionsService).changesSettled();
  return seen;
}

/** Reads the SSE stream, running `action` once it is open, until `until` holds. */
function eventsDuring(
  action: () => Promise<void>,
  until: (events: Event[]) => boolean,
  timeoutMs = 60_000,
): Promise<Event[]> {
  return readEvents(t.baseUrl, token, until, { timeoutMs, onOpen: action });
}

beforeAll(async () => {
  t = await startTestApp();
  token = await t.login();
});

afterAll(async () => {
  await t?.close();
});

describe.skipIf(!dockerAvailable)('a session follows its container', () => {
  let session: Session;

  it('docker kill → failed with the exit code, seen by GET and on /api/events', async () => {
    session = await createRunning({ name: 'killed-one' });
    const runtime = t.app.get(Runtime);
    const write = await runtime.exec(session.id, [
      'sh',
      '-c',
      'echo survives-the-crash > /workspace/crash.txt',
    ]);
    expect(write.exitCode).toBe(0);

    const container = await containerOf(session.id);
    const events = await eventsDuring(
      async () => {
        await container.kill();
      },
      (seen) => seen.some((e) => e.sessionId === session.id && e.data.status === 'failed'),
    );
    const failedEvent = events.find(
      (e) => e.sessionId === session.id && e.data.status === 'failed',
    );
    expect(failedEvent).toMatchObject({
      type: 'session.status',
      data: {
        status: 'failed',
        previous: 'running',
        error: 'The container exited unexpectedly (exit code 137)',
      },
    });
    const failed = await getSession(session.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('The container exited unexpectedly (exit code 137)');
    // The crashed container is kept: its log is still there to read.
    const logs = await api('GET', `/api/sessions/${session.id}/logs`);
    expect(logs.text).toContain('"agent.ready"');
  });

  it('start brings the crashed session back with its workspace', async () => {
    const started = await api('POST', `/api/sessions/${session.id}/start`);
    expect(started.status, started.text).toBe(200);
    const starting = SessionSchema.parse(started.body);
    expect(starting.status).toBe('starting');
    expect(starting.error).toBeUndefined();
    const running = await waitForStatus(session.id, ['running', 'failed', 'stopped']);
    expect(running.status).toBe('running');
    const read = await t.app.get(Runtime).exec(session.id, ['cat', '/workspace/crash.txt']);
    expect(read.stdout.trim()).toBe('survives-the-crash');
  });

  it('our own stop does not fail the session', async () => {
    const exited = serverHandled(nextChange(session.id, 'exited'));
    const stopped = await api('POST', `/api/sessions/${session.id}/stop`);
    expect(stopped.status, stopped.text).toBe(200);
    expect(SessionSchema.parse(stopped.body).status).toBe('stopped');
    await exited;
    const after = await getSession(session.id);
    expect(after.status).toBe('stopped');
    expect(after.error).toBeUndefined();
  });

  it('a stopped session whose container is removed fails, and start then answers 409', async () => {
    const container = await containerOf(session.id);
    const removed = serverHandled(nextChange(session.id, 'removed'));
    await container.remove({ force: true });
    await removed;
    const failed = await getSession(session.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('container disappeared');

    const start = await api('POST', `/api/sessions/${session.id}/start`);
    expect(start.status, start.text).toBe(409);
    expect(start.body).toMatchObject({
      statusCode: 409,
      code: 'SESSION_INVALID_STATE',
      message: expect.stringMatching(/no container/),
    });
    expect((await getSession(session.id)).status).toBe('failed');
    expect((await api('DELETE', `/api/sessions/${session.id}`)).status).toBe(204);
  });
});

describe.skipIf(!dockerAvailable)('out of memory', () => {
  let session: Session;

  it('an OOM kill of a child process only leaves the session running', async () => {
    session = await createRunning({ name: 'memory-hog', resources: { memoryMb: 256 } });
    const runtime = t.app.get(Runtime);
    const oom = serverHandled(nextChange(session.id, 'oom'));
    // One process allocating past the limit: the kernel's OOM killer picks it, the largest.
    const hog = await runtime.exec(
      session.id,
      ['python3', '-c', 'b = []\nwhile True: b.append(bytearray(16 * 1024 * 1024))'],
      { timeoutMs: 60_000 },
    );
    expect(hog.exitCode).toBe(137);
    await oom;
    const after = await getSession(session.id);
    expect(after.status).toBe('running');
    expect(after.error).toBeUndefined();
    const alive = await runtime.exec(session.id, ['echo', 'still-here']);
    expect(alive.stdout.trim()).toBe('still-here');
  });

  it('a kernel OOM kill of the container fails the session naming the limit', async () => {
    const runtime = t.app.get(Runtime);
    // Make the container's init the OOM killer's first choice (an unprivileged process may
    // raise any of its own user's scores), then allocate in several processes, each smaller
    // than the limit, so the kernel kills PID 1 and with it the whole container.
    const adjust = await runtime.exec(session.id, [
      'sh',
      '-c',
      'echo 1000 > /proc/1/oom_score_adj && cat /proc/1/oom_score_adj',
    ]);
    expect(adjust.stdout.trim()).toBe('1000');
    const hog = [
      'import os',
      'for _ in range(8):',
      '    if os.fork() == 0:',
      '        b = []',
      '        while True: b.append(bytearray(4 * 1024 * 1024))',
      'os.wait()',
    ].join('\n');
    // The exec ends with the container; how it ends does not matter here.
    await runtime.exec(session.id, ['python3', '-c', hog], { timeoutMs: 60_000 }).catch(() => null);

    const failed = await waitForStatus(session.id, ['failed']);
    expect(failed.error).toBe('Out of memory: the container was killed at its 256 MB limit');
    const info = await runtime.inspect(session.id);
    expect(info?.oomKilled).toBe(true);
  });
});
