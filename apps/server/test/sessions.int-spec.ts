// Every session route over real HTTP, against the real Docker engine and the sandbox image.
import { randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Session, SessionSchema } from '@ccr/protocol/api';
import { type Event } from '@ccr/protocol/events';
import { Runtime } from '../src/runtime/runtime.port';
import { readEvents } from './support/sse';
import { startTestApp, type TestApp } from './support/test-app';

const READY_TIMEOUT_MS = 150_000;
const docker = new Docker();
const dockerAvailable = inject('dockerAvailable');

let t: TestApp;
let admin: string;
let other: string;

type Json = Record<string, unknown>;

async function api(
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: Json & Json[]; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  let body: string | undefined;
  if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${t.baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // text/plain answers (logs) stay in `text`.
  }
  return {
    status: response.status,
    body: parsed as Json & Json[],
    text,
    headers: response.headers,
  };
}

async function createSession(body: Json = {}, token = admin): Promise<Session> {
  const response = await api('POST', '/api/sessions', { token, body });
  expect(response.status, response.text).toBe(201);
  return SessionSchema.parse(response.body);
}

async function waitForStatus(
  id: string,
  wanted: Session['status'][],
  token = admin,
): Promise<Session> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const response = await api('GET', `/api/sessions/${id}`, { token });
    const session = SessionSchema.parse(response.body);
    if (wanted.includes(session.status)) {
      return session;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `session ${id} stayed ${session.status} (${session.error ?? 'no error'}); wanted ${wanted.join('|')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function containersOf(sessionId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({
    all: true,
    filters: { label: [`ccr.instance=${t.instance}`, `ccr.session-id=${sessionId}`] },
  });
}

async function volumeExists(name: string): Promise<boolean> {
  const { Volumes } = await docker.listVolumes();
  return (Volumes ?? []).some((volume) => volume.Name === name);
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login();
  await t.createUser('other@test.local', 'other-password-1');
  other = await t.login('other@test.local', 'other-password-1');
});

afterAll(async () => {
  await t?.close();
});

describe('validation', () => {
  const invalid: Array<[string, Json, string]> = [
    ['repoUrl ftp://', { repoUrl: 'ftp://example.com/repo.git' }, 'repoUrl'],
    ['repoUrl file://', { repoUrl: 'file:///etc/passwd' }, 'repoUrl'],
    ['repoUrl ext::', { repoUrl: 'ext::sh -c touch% /tmp/pwned' }, 'repoUrl'],
    ['repoUrl leading -', { repoUrl: '-uhttps://example.com/repo.git' }, 'repoUrl'],
    ['repoUrl local path', { repoUrl: '/srv/git/repo.git' }, 'repoUrl'],
    ['repoUrl relative path', { repoUrl: '../repo' }, 'repoUrl'],
    ['repoUrl credentials', { repoUrl: 'https://user:secret@example.com/repo.git' }, 'repoUrl'],
    ['repoUrl token as user', { repoUrl: 'https://ghp_token@example.com/repo.git' }, 'repoUrl'],
    ['branch with ..', { branch: 'feature..x' }, 'branch'],
    ['branch with space', { branch: 'my branch' }, 'branch'],
    ['branch ending .lock', { branch: 'topic.lock' }, 'branch'],
    ['branch starting -', { branch: '-delete' }, 'branch'],
    ['branch HEAD', { branch: 'HEAD' }, 'branch'],
    ['branch with @{', { branch: 'a@{1}' }, 'branch'],
    ['branch with ~', { branch: 'a~1' }, 'branch'],
    ['branch component starting .', { branch: 'a/.hidden' }, 'branch'],
    ['branch ending /', { branch: 'a/' }, 'branch'],
    ['name uppercase', { name: 'My-Session' }, 'name'],
    ['name with slash', { name: 'a/b' }, 'name'],
    ['name too long', { name: 'a'.repeat(41) }, 'name'],
    ['name ending -', { name: 'abc-' }, 'name'],
    ['memory above the maximum', { resources: { memoryMb: 1_000_000 } }, 'resources.memoryMb'],
    ['memory below the minimum', { resources: { memoryMb: 16 } }, 'resources.memoryMb'],
    ['memory not an integer', { resources: { memoryMb: 512.5 } }, 'resources.memoryMb'],
    ['cpus above the maximum', { resources: { cpus: 64 } }, 'resources.cpus'],
    ['cpus zero', { resources: { cpus: 0 } }, 'resources.cpus'],
    ['unknown top-level field', { privileged: true }, 'privileged'],
    ['unknown nested field', { resources: { memoryMb: 512, swapMb: 1 } }, 'resources.swapMb'],
    ['bad permission mode', { claude: { permissionMode: 'yolo' } }, 'claude.permissionMode'],
    ['bad autoCommit', { autoCommit: { debounceMs: -1 } }, 'autoCommit.debounceMs'],
    ['wrong type', { repoUrl: 42 }, 'repoUrl'],
  ];

  it.each(invalid)('refuses %s with a 400 naming the field', async (_label, body, field) => {
    const response = await api('POST', '/api/sessions', { token: admin, body });
    expect(response.status, response.text).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.fields).toHaveProperty([field]);
    expect(response.body.message).toContain(`${field}: `);
  });

  it('refuses malformed JSON', async () => {
    const response = await api('POST', '/api/sessions', { token: admin, rawBody: '{"name": "x",' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      fields: { body: 'malformed JSON' },
    });
  });

  it('refuses a body that is not an object', async () => {
    const response = await api('POST', '/api/sessions', { token: admin, rawBody: '[1,2]' });
    expect(response.status).toBe(400);
    expect(response.body.fields).toHaveProperty(['body']);
  });

  it('refuses a body over the size limit', async () => {
    const response = await api('POST', '/api/sessions', {
      token: admin,
      rawBody: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
  });

  it('refuses bad PATCH bodies and bad logs queries', async () => {
    const id = randomUUID();
    expect(
      (await api('PATCH', `/api/sessions/${id}`, { token: admin, body: { status: 'running' } }))
        .status,
    ).toBe(400);
    expect((await api('GET', `/api/sessions/${id}/logs?tail=abc`, { token: admin })).status).toBe(
      400,
    );
    expect((await api('GET', `/api/sessions/${id}/logs?tail=0`, { token: admin })).status).toBe(
      400,
    );
  });

  it('creates nothing when validation fails', async () => {
    const response = await api('GET', '/api/sessions', { token: admin });
    expect(response.body).toEqual([]);
  });

  it('answers 404 for a session id that is not a UUID', async () => {
    const response = await api('GET', '/api/sessions/../../etc', { token: admin });
    expect(response.status).toBe(404);
  });
});

describe.skipIf(!dockerAvailable)('session lifecycle', () => {
  let session: Session;

  it('creates a session with defaults at once (201, pending) and it becomes running', async () => {
    const started = Date.now();
    session = await createSession();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(session.status).toBe('pending');
    expect(session.name).toMatch(/^[a-z]+-[a-z]+-\d{1,2}$/);
    expect(session.workBranch).toBe(`ccr/${session.name}`);
    expect(session.branch).toBe('main');
    expect(session.repoUrl).toBeNull();
    expect(session.terminals).toEqual(['claude', 'shell']);
    expect(session.resources).toEqual({
      memoryMb: t.config.values.resources.defaultMemoryMb,
      cpus: t.config.values.resources.defaultCpus,
    });
    expect(session.autoCommit).toEqual({
      enabled: true,
      push: true,
      debounceMs: 3000,
      maxWaitMs: 300000,
      maxFiles: 10,
    });
    expect(session.claude).toEqual({ permissionMode: 'default' });
    const running = await waitForStatus(session.id, ['running', 'failed']);
    expect(running.error).toBeUndefined();
    expect(running.status).toBe('running');
    const [container] = await containersOf(session.id);
    expect(container?.State).toBe('running');
  });

  it('refuses a second session with the same name (409) and accepts explicit settings', async () => {
    const named = await api('POST', '/api/sessions', {
      token: admin,
      body: { name: session.name },
    });
    expect(named.status).toBe(409);
    expect(named.body).toMatchObject({
      code: 'SESSION_NAME_TAKEN',
      fields: { name: expect.any(String) },
    });
  });

  it('lists and gets the session', async () => {
    const list = await api('GET', '/api/sessions', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.map((s) => s.id)).toContain(session.id);
    const one = await api('GET', `/api/sessions/${session.id}`, { token: admin });
    expect(one.status).toBe(200);
    expect(SessionSchema.parse(one.body).id).toBe(session.id);
  });

  it('patches name, autoCommit and claude, merging partial objects', async () => {
    const response = await api('PATCH', `/api/sessions/${session.id}`, {
      token: admin,
      body: {
        name: 'renamed-session',
        autoCommit: { push: false },
        claude: { permissionMode: 'acceptEdits' },
      },
    });
    expect(response.status, response.text).toBe(200);
    const patched = SessionSchema.parse(response.body);
    expect(patched.name).toBe('renamed-session');
    expect(patched.autoCommit).toMatchObject({ push: false, enabled: true, debounceMs: 3000 });
    expect(patched.claude.permissionMode).toBe('acceptEdits');
    // The work branch already exists inside the container; renaming does not move it.
    expect(patched.workBranch).toBe(session.workBranch);
  });

  it('serves the container log as text/plain, honouring tail', async () => {
    const response = await api('GET', `/api/sessions/${session.id}/logs`, { token: admin });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.text).toContain('"agent.ready"');
    const tailed = await api('GET', `/api/sessions/${session.id}/logs?tail=1`, { token: admin });
    expect(tailed.text.trim().split('\n')).toHaveLength(1);
  });

  it('hides the session from another user: 404 on every route', async () => {
    const id = session.id;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/api/sessions/${id}`],
      ['PATCH', `/api/sessions/${id}`, { name: 'stolen' }],
      ['POST', `/api/sessions/${id}/stop`],
      ['POST', `/api/sessions/${id}/start`],
      ['GET', `/api/sessions/${id}/logs`],
      ['DELETE', `/api/sessions/${id}`],
    ];
    for (const [method, path, body] of routes) {
      const response = await api(method, path, { token: other, body });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'SESSION_NOT_FOUND' });
    }
    expect((await api('GET', '/api/sessions', { token: other })).body).toEqual([]);
    // Still there, untouched, for its owner.
    const mine = SessionSchema.parse(
      (await api('GET', `/api/sessions/${id}`, { token: admin })).body,
    );
    expect(mine.status).toBe('running');
    expect(mine.name).toBe('renamed-session');
  });

  it('stop keeps the workspace and start resumes it', async () => {
    const runtime = t.app.get(Runtime);
    const write = await runtime.exec(session.id, [
      'sh',
      '-c',
      'echo kept-across-restarts > /workspace/keep.txt',
    ]);
    expect(write.exitCode).toBe(0);

    const stopped = await api('POST', `/api/sessions/${session.id}/stop`, { token: admin });
    expect(stopped.status, stopped.text).toBe(200);
    expect(SessionSchema.parse(stopped.body).status).toBe('stopped');
    const [container] = await containersOf(session.id);
    expect(container?.State).not.toBe('running');

    expect((await api('POST', `/api/sessions/${session.id}/stop`, { token: admin })).status).toBe(
      409,
    );

    const started = await api('POST', `/api/sessions/${session.id}/start`, { token: admin });
    expect(started.status, started.text).toBe(200);
    expect(SessionSchema.parse(started.body).status).toBe('starting');
    expect((await api('POST', `/api/sessions/${session.id}/start`, { token: admin })).status).toBe(
      409,
    );
    const running = await waitForStatus(session.id, ['running', 'failed', 'stopped']);
    expect(running.status).toBe('running');

    const read = await runtime.exec(session.id, ['cat', '/workspace/keep.txt']);
    expect(read.stdout.trim()).toBe('kept-across-restarts');
  });

  it('publishes status changes on the SSE stream, only to the owner, resumable with Last-Event-ID', async () => {
    let foreignEvents: Event[] = [];
    const foreign = readEvents(t.baseUrl, other, () => false, { timeoutMs: 8_000 }).then(
      (events) => {
        foreignEvents = events;
      },
    );
    const seen = await readEvents(
      t.baseUrl,
      admin,
      (events) => events.some((e) => e.sessionId === session.id && e.data.status === 'stopped'),
      {
        onOpen: async () => {
          expect(
            (await api('POST', `/api/sessions/${session.id}/stop`, { token: admin })).status,
          ).toBe(200);
        },
      },
    );
    const stoppedEvent = seen.find((e) => e.data.status === 'stopped')!;
    expect(stoppedEvent).toMatchObject({ sessionId: session.id, type: 'session.status' });
    expect(stoppedEvent.data.previous).toBe('running');

    const replayed = await readEvents(t.baseUrl, admin, (events) => events.length >= 3, {
      lastEventId: '1',
      timeoutMs: 5_000,
    });
    expect(replayed.length).toBeGreaterThanOrEqual(3);
    expect(replayed.map((e) => Number(e.id))).toEqual(
      [...replayed.map((e) => Number(e.id))].sort((a, b) => a - b),
    );
    expect(replayed.every((e) => Number(e.id) > 1)).toBe(true);
    expect(replayed.map((e) => e.data.status)).toEqual(
      expect.arrayContaining(['starting', 'running', 'stopped']),
    );

    await foreign;
    expect(foreignEvents.filter((e) => e.sessionId === session.id)).toEqual([]);
  });

  it('delete removes the container and the workspace volume (204)', async () => {
    const response = await api('DELETE', `/api/sessions/${session.id}`, { token: admin });
    expect(response.status).toBe(204);
    expect(await containersOf(session.id)).toEqual([]);
    expect(await volumeExists(`ccr-${t.instance}-ws-${session.id}`)).toBe(false);
    expect((await api('GET', `/api/sessions/${session.id}`, { token: admin })).status).toBe(404);
    expect((await api('DELETE', `/api/sessions/${session.id}`, { token: admin })).status).toBe(404);
  });
});

describe.skipIf(!dockerAvailable)('failures during creation leave nothing behind', () => {
  it('an agent failure (clone of an unreachable repository) ends failed with its message', async () => {
    const session = await createSession({
      repoUrl: 'https://127.0.0.1:9/nothing/here.git',
      name: 'clone-fails',
    });
    const failed = await waitForStatus(session.id, ['failed', 'running']);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/clone/i);
    expect(await containersOf(session.id)).toEqual([]);
    expect(await volumeExists(`ccr-${t.instance}-ws-${session.id}`)).toBe(false);
    // A failed session can be deleted, not started or stopped.
    expect((await api('POST', `/api/sessions/${session.id}/start`, { token: admin })).status).toBe(
      409,
    );
    expect((await api('POST', `/api/sessions/${session.id}/stop`, { token: admin })).status).toBe(
      409,
    );
    expect((await api('GET', `/api/sessions/${session.id}/logs`, { token: admin })).text).toBe('');
    expect((await api('DELETE', `/api/sessions/${session.id}`, { token: admin })).status).toBe(204);
  });

  it('an engine failure (the sandbox image does not exist) ends failed and creates nothing', async () => {
    const broken = await startTestApp({
      CCR_SANDBOX_IMAGE: `ccr-missing-image-${randomUUID().slice(0, 8)}:none`,
    });
    try {
      const token = await broken.login();
      const response = await fetch(`${broken.baseUrl}/api/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(201);
      const session = SessionSchema.parse(await response.json());
      const deadline = Date.now() + 30_000;
      let current = session;
      while (current.status !== 'failed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const again = await fetch(`${broken.baseUrl}/api/sessions/${session.id}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        current = SessionSchema.parse(await again.json());
      }
      expect(current.status).toBe('failed');
      expect(current.error).toMatch(/image/i);
      const leftovers = await docker.listContainers({
        all: true,
        filters: { label: [`ccr.instance=${broken.instance}`] },
      });
      expect(leftovers).toEqual([]);
      const { Volumes } = await docker.listVolumes();
      expect(
        (Volumes ?? []).filter((v) => v.Name.startsWith(`ccr-${broken.instance}-ws-`)),
      ).toEqual([]);
    } finally {
      await broken.close();
    }
  });
});

describe.skipIf(!dockerAvailable)('reconcile at server start', () => {
  it('fails sessions whose container vanished, keeps running ones and removes orphans', async () => {
    const vanishing = await createSession({ name: 'vanishing' });
    const survivor = await createSession({ name: 'survivor' });
    await waitForStatus(vanishing.id, ['running']);
    await waitForStatus(survivor.id, ['running']);

    // While the server is down (a running server follows the engine live, see
    // session-watch.int-spec.ts): the container disappears, and a stray labelled one appears.
    const orphanId = randomUUID();
    await t.restart(async () => {
      for (const container of await containersOf(vanishing.id)) {
        await docker.getContainer(container.Id).remove({ force: true });
      }
      const orphan = await docker.createContainer({
        Image: t.config.values.sandboxImage,
        name: `ccr-${t.instance}-${orphanId}`,
        Entrypoint: ['sleep', 'infinity'],
        Labels: {
          'ccr.managed': '1',
          'ccr.instance': t.instance,
          'ccr.session-id': orphanId,
          'ccr.user-id': randomUUID(),
        },
      });
      await orphan.start();
    });
    admin = await t.login();

    const failed = SessionSchema.parse(
      (await api('GET', `/api/sessions/${vanishing.id}`, { token: admin })).body,
    );
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('container disappeared');
    const kept = SessionSchema.parse(
      (await api('GET', `/api/sessions/${survivor.id}`, { token: admin })).body,
    );
    expect(kept.status).toBe('running');
    expect(await containersOf(orphanId)).toEqual([]);
    expect((await containersOf(survivor.id))[0]?.State).toBe('running');
  });
});
