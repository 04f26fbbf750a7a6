// Auto-commit end to end: the real server, the real engine and sandbox image, real git inside
// the container. A file written in a session becomes a conventional commit on the work branch,
// reported as a commit.created event; a secret is held back with commit.blocked; main is never
// touched; the Stop hook's flush carries the prompt; the commits API works while stopped.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SessionCommitSchema, type SessionCommit } from '@ccr/protocol/agent';
import { type Session, SessionSchema } from '@ccr/protocol/api';
import { EventsRepository } from '../src/events/events.repository';
import { Runtime } from '../src/runtime/runtime.port';
import { startTestApp, type TestApp } from './support/test-app';

const READY_TIMEOUT_MS = 150_000;
const dockerAvailable = inject('dockerAvailable');

let t: TestApp;
let token: string;
let session: Session;
/** A session whose quiet period never ends within a test: only turns and restarts commit. */
let slow: Session;

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
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON; the text is kept for messages.
  }
  return { status: response.status, body: parsed, text };
}

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function sh(script: string, sessionId = session.id): Promise<string> {
  const result = await t.app
    .get(Runtime)
    .exec(sessionId, ['sh', '-c', script], { timeoutMs: 30_000 });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout;
}

async function commits(sessionId = session.id): Promise<SessionCommit[]> {
  const response = await api('GET', `/api/sessions/${sessionId}/commits`);
  expect(response.status, response.text).toBe(200);
  return SessionCommitSchema.array().parse(response.body);
}

async function runningSession(body: Record<string, unknown>): Promise<Session> {
  const created = await api('POST', '/api/sessions', body);
  expect(created.status, created.text).toBe(201);
  const { id } = SessionSchema.parse(created.body);
  return waitFor(
    `session ${id} to run`,
    async () => {
      const response = await api('GET', `/api/sessions/${id}`);
      const current = SessionSchema.parse(response.body);
      if (current.status === 'failed') {
        throw new Error(`session failed: ${current.error ?? ''}`);
      }
      return current.status === 'running' ? current : undefined;
    },
    READY_TIMEOUT_MS,
  );
}

describe.skipIf(!dockerAvailable && process.env.CI !== 'true')('auto-commit', () => {
  beforeAll(async () => {
    if (!dockerAvailable) {
      throw new Error('auto-commit tests need the Docker engine and the sandbox image');
    }
    t = await startTestApp();
    token = await t.login();
    session = await runningSession({ name: 'autocommit', autoCommit: { debounceMs: 500 } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('passes the session auto-commit settings to the agent', async () => {
    expect(
      await sh('printenv CCR_AUTO_COMMIT CCR_AUTO_COMMIT_DEBOUNCE_MS CCR_AUTO_COMMIT_MAX_FILES'),
    ).toBe('true\n500\n10\n');
  });

  it('commits a saved file on the work branch and holds a secret back', async () => {
    const before = Date.now();
    await sh(
      'mkdir -p /workspace/src && printf "export const greet = () => 1;\\n" > /workspace/src/greet.ts' +
        ` && printf "API_KEY=AKIA%s\\n" Q7XZQ7XZQ7XZQ7XZ > /workspace/.env`,
    );
    const commit = await waitFor('a commit of src/greet.ts', async () =>
      (await commits()).find((entry) => entry.files.includes('src/greet.ts')),
    );
    // Within seconds: the default debounce is 3 s; this session asked for 0.5 s.
    expect(Date.now() - before).toBeLessThan(15_000);
    expect(commit.message.split('\n')[0]).toBe('feat(src): add greet.ts');
    expect(commit.message).toContain('src/greet.ts | +1 -0');
    expect(commit).toMatchObject({ insertions: 1, deletions: 0, pushed: false });
    expect(commit.files).not.toContain('.env');

    const log = await sh('git -C /workspace log --format="%H %s" ccr/autocommit');
    expect(log.split('\n')[0]).toBe(`${commit.sha} feat(src): add greet.ts`);
    expect(await sh('git -C /workspace log --format=%s main')).toBe('Initial commit\n');
    expect(await sh('git -C /workspace status --porcelain --untracked-files=all')).toBe(
      '?? .env\n',
    );

    const events = t.app.get(EventsRepository);
    const blocked = await waitFor('commit.blocked', async () => {
      const rows = await events.listForSession(session.id, 'commit.blocked', 10);
      return rows.length > 0 ? rows : undefined;
    });
    expect(blocked.map((row) => row.data)).toEqual([
      { file: '.env', line: null, kind: 'secret-file' },
    ]);
    expect(JSON.stringify(blocked.map((row) => row.data))).not.toContain('AKIA');
    const changed = await events.listForSession(session.id, 'files.changed', 10);
    expect(changed.at(-1)?.data).toMatchObject({ count: 2 });
  });

  it('commits at the end of a Claude turn with the prompt from the transcript', async () => {
    const transcript = JSON.stringify({
      type: 'user',
      message: { role: 'user', content: 'Document the greet helper' },
    });
    // Where Claude Code 2.x keeps the transcripts of /workspace.
    const path = '/home/dev/.claude/projects/-workspace/s1.jsonl';
    const hookInput = JSON.stringify({ session_id: 's1', transcript_path: path });
    // Whether the quiet period or the Stop hook ends the batch, the turn's prompt is attached.
    await sh(
      `mkdir -p /home/dev/.claude/projects/-workspace && printf '%s\\n' '${transcript}' > ${path}` +
        ` && printf "# Greet\\n" > /workspace/GREET.md && printf '%s' '${hookInput}' | ccr-agent flush`,
    );
    const commit = await waitFor('a commit of GREET.md', async () =>
      (await commits()).find((entry) => entry.files.includes('GREET.md')),
    );
    expect(commit.message).toMatch(
      /^docs: add GREET\.md\n\nPrompt:\n> Document the greet helper\n/,
    );
  });

  it('commits when the Stop hook says the turn ended, long before the quiet period', async () => {
    slow = await runningSession({
      name: 'autocommit-turns',
      autoCommit: { debounceMs: 600_000, maxWaitMs: 600_000 },
    });
    const transcript = JSON.stringify({
      type: 'user',
      message: { role: 'user', content: [{ type: 'text', text: 'Fix the typo in greet' }] },
    });
    // Outside Claude Code's project directory: only the hook's transcript_path leads here.
    const hookInput = JSON.stringify({ session_id: 's2', transcript_path: '/tmp/turn.jsonl' });
    await sh(`printf "const greet = 1;\\n" > /workspace/greet.ts`, slow.id);
    await sh(`printf '%s\\n' '${transcript}' > /tmp/turn.jsonl`, slow.id);
    expect(await sh('git -C /workspace log --format=%s', slow.id)).toBe('Initial commit\n');
    await sh(`printf '%s' '${hookInput}' | ccr-agent flush`, slow.id);
    // The hook returns once the commit exists.
    expect(await sh('git -C /workspace log -1 --format=%B', slow.id)).toBe(
      'fix: add greet.ts\n\nPrompt:\n> Fix the typo in greet\n\ngreet.ts | +1 -0\n1 file changed, +1 -0\n\n',
    );
    const [commit] = await waitFor('the commit.created event', async () => {
      const listed = await commits(slow.id);
      return listed.length > 0 ? listed : undefined;
    });
    expect(commit!.message).toMatch(/^fix: add greet\.ts\n\nPrompt:\n> Fix the typo in greet/);
  });

  it('commits on request with a message, and answers null when nothing changed', async () => {
    await sh('printf "one\\ntwo\\n" > /workspace/notes.txt');
    const response = await api('POST', `/api/sessions/${session.id}/commit`, {
      message: 'chore: keep my notes',
    });
    expect(response.status, response.text).toBe(200);
    const body = response.body as { commit: { sha: string; message: string } | null };
    // The watcher may have committed the file a moment earlier; either way it is committed.
    if (body.commit !== null) {
      expect(body.commit.message).toBe('chore: keep my notes');
    }
    expect(await sh('git -C /workspace status --porcelain')).toBe('?? .env\n');
    const again = await api('POST', `/api/sessions/${session.id}/commit`, {});
    expect(again.status, again.text).toBe(200);
    expect(again.body).toEqual({ commit: null });
    const bad = await api('POST', `/api/sessions/${session.id}/commit`, { message: '' });
    expect(bad.status).toBe(400);
  });

  it('serves the commits while the session is stopped', async () => {
    const listed = await commits();
    const stop = await api('POST', `/api/sessions/${session.id}/stop`);
    expect(stop.status, stop.text).toBe(200);
    const stopped = await commits();
    expect(stopped).toEqual(listed);
    expect(stopped[0]!.at >= stopped.at(-1)!.at).toBe(true);
    const refused = await api('POST', `/api/sessions/${session.id}/commit`, {});
    expect(refused.status).toBe(409);
  });

  it('commits unsaved work when the session stops, before the quiet period ends', async () => {
    await sh('printf "kept\\n" > /workspace/left.txt', slow.id);
    expect(await api('POST', `/api/sessions/${slow.id}/stop`)).toMatchObject({ status: 200 });
    // The agent commits on SIGTERM; its line may reach the server just after the stop returns.
    const stopped = await waitFor(
      'the commit of left.txt',
      async () => {
        const all = await commits(slow.id);
        return all.some((entry) => entry.files.includes('left.txt')) ? all : undefined;
      },
      30_000,
    );
    expect(stopped.map((entry) => entry.message.split('\n')[0])).toEqual([
      'docs: add left.txt',
      'fix: add greet.ts',
    ]);
    expect(await api('POST', `/api/sessions/${slow.id}/start`)).toMatchObject({ status: 200 });
    await waitFor(
      `session ${slow.id} to run again`,
      async () => {
        const response = await api('GET', `/api/sessions/${slow.id}`);
        return SessionSchema.parse(response.body).status === 'running' ? true : undefined;
      },
      READY_TIMEOUT_MS,
    );
    expect(await sh('git -C /workspace log --format=%s', slow.id)).toBe(
      'docs: add left.txt\nfix: add greet.ts\nInitial commit\n',
    );
  });

  it('commits work left by a killed container at the next start, without repeating events', async () => {
    await sh('printf "crash\\n" > /workspace/crash.txt', slow.id);
    // SIGKILL gives the agent no chance to commit: the next start must.
    execFileSync('docker', ['kill', `ccr-${t.instance}-${slow.id}`]);
    await waitFor(
      `session ${slow.id} to be marked failed`,
      async () => {
        const response = await api('GET', `/api/sessions/${slow.id}`);
        return SessionSchema.parse(response.body).status === 'failed' ? true : undefined;
      },
      READY_TIMEOUT_MS,
    );
    expect(await api('POST', `/api/sessions/${slow.id}/start`)).toMatchObject({ status: 200 });
    const listed = await waitFor(
      'the commit of crash.txt',
      async () => {
        const all = await commits(slow.id);
        return all.some((entry) => entry.files.includes('crash.txt')) ? all : undefined;
      },
      READY_TIMEOUT_MS,
    );
    expect(listed.map((entry) => entry.message.split('\n')[0])).toEqual([
      'docs: add crash.txt',
      'docs: add left.txt',
      'fix: add greet.ts',
    ]);
    expect(await sh('git -C /workspace log --format=%s', slow.id)).toBe(
      'docs: add crash.txt\ndocs: add left.txt\nfix: add greet.ts\nInitial commit\n',
    );
  });
});
