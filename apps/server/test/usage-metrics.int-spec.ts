// Usage sampling, GET /api/sessions/:id/usage and GET /metrics over real HTTP, against the real
// Docker engine and the sandbox image (and PostgreSQL for the sampler lock, CCR_TEST_DB=postgres).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Session, SessionSchema } from '@ccr/protocol/api';
import { type UsageSample, UsageSampleSchema } from '@ccr/protocol/usage';
import { WebSocket } from 'ws';
import { AppConfig } from '../src/config/env';
import { Database } from '../src/db/database.provider';
import { PostgresDatabase } from '../src/db/postgres.database';
import { EventBus } from '../src/events/event-bus.port';
import { EventsRepository } from '../src/events/events.repository';
import { MetricsRepository } from '../src/metrics/metrics.repository';
import { MetricsService } from '../src/metrics/metrics.service';
import { Runtime } from '../src/runtime/runtime.port';
import { USAGE_SAMPLER_LOCK, UsageSamplerService } from '../src/usage/usage-sampler.service';
import { UsageRepository } from '../src/usage/usage.repository';
import { startTestApp, type TestApp } from './support/test-app';

const READY_TIMEOUT_MS = 150_000;
const MEMORY_MB = 512;
const dockerAvailable = inject('dockerAvailable');
const postgresUrl = inject('postgresUrl');

let t: TestApp;
let admin: string;
let other: string;

async function api(
  path: string,
  token: string | undefined,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; text: string; json: unknown }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) {
    headers.authorization = `Bearer ${token}`;
  }
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${t.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function usageOf(sessionId: string, query = '', token = admin): Promise<UsageSample[]> {
  const response = await api(`/api/sessions/${sessionId}/usage${query}`, token);
  expect(response.status, response.text).toBe(200);
  return UsageSampleSchema.array().parse(response.json);
}

/** One sample value of a Prometheus text exposition, or undefined when the series is absent. */
function seriesValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  t = await startTestApp({ CCR_USAGE_INTERVAL: '1s', CCR_USAGE_RETENTION: '1h' });
  admin = await t.login();
  await t.createUser('usage-other@test.local', 'other-password-123', 'user');
  other = await t.login('usage-other@test.local', 'other-password-123');
}, 60_000);

afterAll(async () => {
  await t?.close();
}, 60_000);

describe('GET /metrics access', () => {
  it('refuses a scrape without a token, and a non-admin token', async () => {
    const anonymous = await api('/metrics', undefined);
    expect(anonymous.status).toBe(401);
    expect((await api('/metrics', 'not-a-token')).status).toBe(401);
    expect((await api('/metrics', other)).status).toBe(403);
  });

  it('serves Prometheus text to an admin, outside the /api prefix', async () => {
    const response = await fetch(`${t.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE ccr_http_request_duration_seconds histogram');
    expect((await api('/api/metrics', admin)).status).toBe(404);
  });

  it('with CCR_METRICS_TOKEN, wants exactly that token', async () => {
    const token = 'scrape-token-0123456789abcdef';
    const second = await startTestApp({ CCR_METRICS_TOKEN: token });
    try {
      const scrape = (bearer: string | undefined) =>
        fetch(`${second.baseUrl}/metrics`, {
          headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
        }).then((response) => response.status);
      expect(await scrape(token)).toBe(200);
      expect(await scrape(`${token}x`)).toBe(401);
      expect(await scrape(undefined)).toBe(401);
      // The static token replaces user tokens, even an admin's.
      expect(await scrape(await second.login())).toBe(401);
    } finally {
      await second.close();
    }
  }, 60_000);
});

describe('GET /api/sessions/:id/usage validation', () => {
  it('is 404 for a session that does not exist and 401 without a token', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await api(`/api/sessions/${missing}/usage`, admin)).status).toBe(404);
    expect((await api(`/api/sessions/${missing}/usage`, undefined)).status).toBe(401);
  });
});

describe.skipIf(!dockerAvailable)('memory pressure', () => {
  const LIMIT_MB = 256;

  it(
    'sends a usage.sample with pressure once memory crosses 85 % of the limit',
    async () => {
      const created = await api('/api/sessions', admin, {
        method: 'POST',
        body: { resources: { memoryMb: LIMIT_MB, cpus: 1 } },
      });
      expect(created.status, created.text).toBe(201);
      const id = SessionSchema.parse(created.json).id;
      const running = await poll(
        async () => SessionSchema.parse((await api(`/api/sessions/${id}`, admin)).json),
        (current) => current.status === 'running' || current.status === 'failed',
        'the small session to run',
        READY_TIMEOUT_MS,
      );
      expect(running.status, running.error).toBe('running');
      const limit = LIMIT_MB * 1024 * 1024;
      // The sandbox settles after its start (Claude Code loading); fill from a steady baseline,
      // or the sum overshoots the limit and the kernel swaps or kills instead.
      const recent = await poll(
        () => usageOf(id, '?limit=4'),
        (list) =>
          list.length === 4 &&
          Math.max(...list.map((sample) => sample.memoryBytes)) -
            Math.min(...list.map((sample) => sample.memoryBytes)) <
            0.02 * limit,
        'memory use to settle',
        90_000,
      );
      const baseline = recent[recent.length - 1];
      expect(baseline!.memoryBytes / limit).toBeLessThan(0.8);

      const pressures: unknown[] = [];
      const shares: string[] = [];
      const unsubscribe = t.app.get(EventBus).subscribe((event) => {
        if (event.sessionId === id && event.type === 'usage.sample') {
          pressures.push(event.data.pressure);
          shares.push((Number(event.data.memoryBytes) / limit).toFixed(3));
        }
      });
      try {
        // GNU tail keeps a line without a newline whole in memory (anonymous memory, unlike the
        // page cache that usage leaves out) until its input ends, which the sleep holds off.
        const fill = Math.round(0.89 * limit - baseline!.memoryBytes);
        const started = await t.app
          .get(Runtime)
          .exec(id, [
            'sh',
            '-c',
            `((head -c ${fill} /dev/zero; exec sleep 600) | tail) >/dev/null 2>&1 &`,
          ]);
        expect(started.exitCode, started.stderr).toBe(0);
        await poll(
          () => Promise.resolve(pressures),
          (seen) => seen.includes('high') || seen.includes('critical'),
          'a pressure warning',
          60_000,
        ).catch((error: unknown) => {
          throw new Error(`${String(error)}; memory shares seen: ${shares.join(' ')}`);
        });
        const samplesAfterWarning = pressures.length;
        await poll(
          () => Promise.resolve(pressures.length),
          (count) => count >= samplesAfterWarning + 3,
          'three more samples',
          60_000,
        );
        // Once per crossing: the samples after the warning carry no pressure while it holds.
        const warnings = pressures.filter((pressure) => pressure !== undefined);
        expect(warnings.length).toBeLessThanOrEqual(2);
        expect(pressures.slice(-2)).toEqual([undefined, undefined]);
      } finally {
        unsubscribe();
        // The next tests count running sessions.
        expect((await api(`/api/sessions/${id}`, admin, { method: 'DELETE' })).status).toBe(204);
      }
    },
    READY_TIMEOUT_MS + 150_000,
  );
});

describe.skipIf(!dockerAvailable)('a running session', () => {
  let session: Session;

  beforeAll(async () => {
    const created = await api('/api/sessions', admin, {
      method: 'POST',
      body: { resources: { memoryMb: MEMORY_MB, cpus: 1 } },
    });
    expect(created.status, created.text).toBe(201);
    session = SessionSchema.parse(created.json);
    session = await poll(
      async () => SessionSchema.parse((await api(`/api/sessions/${session.id}`, admin)).json),
      (current) => current.status === 'running' || current.status === 'failed',
      'the session to run',
      READY_TIMEOUT_MS,
    );
    expect(session.status, session.error).toBe('running');
  }, READY_TIMEOUT_MS + 10_000);

  it('gets usage samples with sane values, oldest first', async () => {
    const samples = await poll(
      () => usageOf(session.id),
      (list) => list.length >= 3,
      'three usage samples',
    );
    for (const sample of samples) {
      expect(sample.memoryLimitBytes).toBe(MEMORY_MB * 1024 * 1024);
      expect(sample.memoryBytes).toBeGreaterThan(0);
      expect(sample.memoryBytes).toBeLessThan(sample.memoryLimitBytes);
      expect(sample.pids).toBeGreaterThan(0);
      expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(sample.netRxBytes).toBeGreaterThanOrEqual(0);
      expect(sample.netTxBytes).toBeGreaterThanOrEqual(0);
    }
    const times = samples.map((sample) => Date.parse(sample.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const newest = await usageOf(session.id, '?limit=1');
    expect(newest).toHaveLength(1);
    expect(Date.parse(newest[0]!.at)).toBeGreaterThanOrEqual(times[times.length - 1]!);
    const since = samples[1]!.at;
    const fromSince = await usageOf(session.id, `?since=${encodeURIComponent(since)}`);
    expect(fromSince.length).toBeGreaterThanOrEqual(samples.length - 1);
    expect(fromSince.every((sample) => Date.parse(sample.at) >= Date.parse(since))).toBe(true);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await usageOf(session.id, `?since=${encodeURIComponent(future)}`)).toEqual([]);
  }, 90_000);

  it('publishes usage.sample events and keeps only the newest stored', async () => {
    const events = t.app.get(EventsRepository);
    const stored = await poll(
      () => events.listForSession(session.id, 'usage.sample', 10),
      (rows) => rows.length > 0,
      'a usage.sample event',
    );
    expect(stored).toHaveLength(1);
    const data = UsageSampleSchema.parse(stored[0]!.data);
    expect(data.memoryLimitBytes).toBe(MEMORY_MB * 1024 * 1024);
    expect(stored[0]!.data).not.toHaveProperty('pressure');
  });

  it("is 404 for another user's session", async () => {
    const response = await api(`/api/sessions/${session.id}/usage`, other);
    expect(response.status).toBe(404);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['since=yesterday', 'since'],
    ['since=2026-11-24', 'since'],
    ['color=blue', ''],
  ])('refuses ?%s with 400', async (query, field) => {
    const response = await api(`/api/sessions/${session.id}/usage?${query}`, admin);
    expect(response.status, response.text).toBe(400);
    expect(response.text).toContain(field);
  });

  it('exposes sessions, terminals, HTTP latency and container usage on /metrics', async () => {
    const url = `${t.baseUrl.replace(/^http/, 'ws')}/api/sessions/${session.id}/terminals/shell?cols=80&rows=24`;
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${admin}` } });
    let output = '';
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        output += data.toString('utf8');
      }
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const scrape = async (): Promise<string> => {
      const response = await api('/metrics', admin);
      expect(response.status).toBe(200);
      return response.text;
    };
    try {
      ws.send(Buffer.from('echo metrics-$((6*7))\r'), { binary: true });
      await poll(
        () => Promise.resolve(output),
        (text) => text.includes('metrics-42'),
        'the shell to answer',
        30_000,
      );
      const open = await scrape();
      expect(seriesValue(open, 'ccr_terminal_connections')).toBe(1);
      expect(seriesValue(open, 'ccr_terminal_bytes_total{direction="in"}')).toBeGreaterThanOrEqual(
        'echo metrics-$((6*7))\r'.length,
      );
      expect(seriesValue(open, 'ccr_terminal_bytes_total{direction="out"}')).toBeGreaterThan(0);
    } finally {
      ws.close();
    }

    const text = await poll(
      scrape,
      (body) =>
        seriesValue(body, 'ccr_terminal_connections') === 0 &&
        seriesValue(body, `ccr_container_memory_bytes{session_id="${session.id}"}`) !== undefined,
      'the terminal to close and container series to appear',
    );
    expect(seriesValue(text, 'ccr_sessions{status="running"}')).toBe(1);
    expect(seriesValue(text, 'ccr_sessions{status="stopped"}')).toBe(0);
    expect(
      seriesValue(text, `ccr_container_memory_bytes{session_id="${session.id}"}`),
    ).toBeGreaterThan(0);
    expect(
      seriesValue(text, `ccr_container_cpu_percent{session_id="${session.id}"}`),
    ).toBeGreaterThanOrEqual(0);
    // Route patterns, never raw URLs (no session id in any route label).
    expect(text).toMatch(
      /ccr_http_request_duration_seconds_count\{method="GET",route="\/api\/sessions\/:id\/usage",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /ccr_http_request_duration_seconds_count\{method="GET",route="\/api\/sessions\/:id\/usage",status="400"\} [1-9]/,
    );
    expect(text).toMatch(/route="unmatched",status="404"/);
    const routes = [...text.matchAll(/route="([^"]*)"/g)].map((match) => match[1]!);
    expect(routes.some((route) => route.includes(session.id))).toBe(false);
  }, 90_000);

  it('prunes samples past the retention', async () => {
    const repository = t.app.get(UsageRepository);
    const sampler = t.app.get(UsageSamplerService);
    const now = new Date();
    const old = new Date(now.getTime() - 2 * 3_600_000);
    const base = {
      sessionId: session.id,
      cpuPercent: 1,
      memoryBytes: 1,
      memoryLimitBytes: 1,
      pids: 1,
      netRxBytes: 0,
      netTxBytes: 0,
    };
    await repository.insert({ ...base, at: old });
    await repository.insert({ ...base, at: new Date(now.getTime() - 59 * 60_000) });
    const before = await repository.listForSession(session.id, undefined, 1000);
    expect(before.some((row) => row.at.getTime() === old.getTime())).toBe(true);

    expect(await sampler.prune(now)).toBeGreaterThanOrEqual(1);
    const after = await repository.listForSession(session.id, undefined, 1000);
    expect(after.some((row) => row.at.getTime() === old.getTime())).toBe(false);
    expect(after.every((row) => row.at.getTime() >= now.getTime() - 3_600_000)).toBe(true);
    expect(after.length).toBeGreaterThan(0);
  });

  it('takes the sampler lock so a second sampler in the process stays idle', async () => {
    const database = t.app.get(Database);
    const sampler = t.app.get(UsageSamplerService);
    await poll(
      () => Promise.resolve(sampler.isLeader),
      (leader) => leader,
      'the app sampler to hold the lock',
    );
    expect(await database.tryAdvisoryLock(USAGE_SAMPLER_LOCK)).toBeNull();
  });

  describe.skipIf(!postgresUrl)('on PostgreSQL, with a second replica', () => {
    it('samples on one replica only, and on the other once the first is gone', async () => {
      const appSampler = t.app.get(UsageSamplerService);
      const url = t.config.values.databaseUrl;
      expect(url).toBeDefined();
      const replicaDb = await PostgresDatabase.open(url!);
      const replica = new UsageSamplerService(
        t.app.get(AppConfig),
        replicaDb,
        new UsageRepository(replicaDb),
        t.app.get(Runtime),
        t.app.get(EventBus),
        new MetricsService(new MetricsRepository(replicaDb)),
      );
      try {
        expect(appSampler.isLeader).toBe(true);
        const refused = await replica.sampleOnce();
        expect(refused).toEqual({ leader: false, sampled: [], failed: [] });

        // The first replica goes away: its lock is released and the other one takes over.
        await appSampler.beforeApplicationShutdown();
        const taken = await replica.sampleOnce();
        expect(taken.leader).toBe(true);
        expect(taken.sampled).toContain(session.id);
        expect(replica.isLeader).toBe(true);
      } finally {
        await replica.beforeApplicationShutdown();
        await replicaDb.close();
      }
    }, 60_000);
  });
});
