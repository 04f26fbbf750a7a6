// Accounts over real HTTP on a real database: user administration and the last-admin rule,
// disabled users, password changes, personal access tokens, login rate limits and the audit log.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type AuditEntry,
  AuditEntrySchema,
  CreatedTokenSchema,
  ManagedUserSchema,
  PersonalAccessTokenSchema,
} from '@ccr/protocol/accounts';
import { SessionSchema } from '@ccr/protocol/api';
import { eq } from 'drizzle-orm';
import { AuditService } from '../src/audit/audit.service';
import { Database } from '../src/db/database.provider';
import { auditLog } from '../src/db/schema/audit-log';
import { personalAccessTokens } from '../src/db/schema/personal-access-tokens';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from './support/test-app';

const dockerAvailable = inject('dockerAvailable');
let t: TestApp;
let adminToken: string;
/** Every password and token this file uses: none may ever appear in the audit log. */
const secrets = new Set<string>([ADMIN_PASSWORD]);

type Json = Record<string, unknown>;

async function api(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; cookie?: string } = {},
): Promise<{ status: number; body: Json & Json[]; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) {
    headers.authorization = `Bearer ${options.token}`;
  }
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (options.cookie !== undefined) {
    headers.cookie = `ccr_refresh=${options.cookie}`;
  }
  const response = await fetch(`${t.baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : null) as Json & Json[],
    headers: response.headers,
  };
}

async function loginFull(
  email: string,
  password: string,
): Promise<{ status: number; accessToken: string; cookie: string; headers: Headers; body: Json }> {
  const response = await fetch(`${t.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as Json;
  const cookie =
    response.headers
      .getSetCookie()
      .find((c) => c.startsWith('ccr_refresh='))
      ?.split(';')[0]
      ?.slice('ccr_refresh='.length) ?? '';
  return {
    status: response.status,
    accessToken: typeof body.accessToken === 'string' ? body.accessToken : '',
    cookie,
    headers: response.headers,
    body,
  };
}

function password(label: string): string {
  const value = `pw-${label}-${Math.random().toString(36).slice(2)}-long`;
  secrets.add(value);
  return value;
}

async function createUser(
  email: string,
  pass: string,
  role: 'admin' | 'user' = 'user',
): Promise<string> {
  const created = await api('POST', '/api/users', {
    token: adminToken,
    body: { email, password: pass, role },
  });
  expect(created.status).toBe(201);
  return ManagedUserSchema.parse(created.body).id;
}

async function audit(query = ''): Promise<AuditEntry[]> {
  const response = await api('GET', `/api/audit${query}`, { token: adminToken });
  expect(response.status).toBe(200);
  return AuditEntrySchema.array().parse(response.body);
}

beforeAll(async () => {
  // A one-second first lockout so recovery can be observed without long waits.
  t = await startTestApp({ CCR_LOGIN_LOCKOUT: '1s' });
  adminToken = await t.login();
});

afterAll(async () => {
  await t?.close();
});

describe('user administration', () => {
  it('creates, lists, updates and deletes users', async () => {
    const pass = password('crud');
    const created = await api('POST', '/api/users', {
      token: adminToken,
      body: { email: 'Crud@Test.local', password: pass, role: 'user' },
    });
    expect(created.status).toBe(201);
    const user = ManagedUserSchema.parse(created.body);
    expect(user).toMatchObject({ email: 'crud@test.local', role: 'user', disabled: false });
    expect(JSON.stringify(created.body)).not.toContain('password');

    const list = await api('GET', '/api/users', { token: adminToken });
    expect(list.status).toBe(200);
    const users = ManagedUserSchema.array().parse(list.body);
    expect(users.map((u) => u.email)).toEqual(expect.arrayContaining([ADMIN_EMAIL, user.email]));

    const promoted = await api('PATCH', `/api/users/${user.id}`, {
      token: adminToken,
      body: { role: 'admin' },
    });
    expect(promoted.status).toBe(200);
    expect(ManagedUserSchema.parse(promoted.body).role).toBe('admin');

    expect((await t.login('crud@test.local', pass)).length).toBeGreaterThan(0);
    const deleted = await api('DELETE', `/api/users/${user.id}`, { token: adminToken });
    expect(deleted.status).toBe(204);
    expect((await loginFull('crud@test.local', pass)).status).toBe(401);
    expect(
      (await api('PATCH', `/api/users/${user.id}`, { token: adminToken, body: { role: 'user' } }))
        .status,
    ).toBe(404);
    expect((await api('DELETE', `/api/users/${user.id}`, { token: adminToken })).status).toBe(404);
  });

  it('refuses a duplicate email with 409', async () => {
    await createUser('dup@test.local', password('dup'));
    const again = await api('POST', '/api/users', {
      token: adminToken,
      body: { email: 'DUP@test.local', password: password('dup2'), role: 'user' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'USER_EMAIL_TAKEN' });
  });

  it('enforces the password policy and names the failing field', async () => {
    const short = await api('POST', '/api/users', {
      token: adminToken,
      body: { email: 'short@test.local', password: 'short', role: 'user' },
    });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ fields: { password: 'must be at least 12 characters' } });
    const long = await api('POST', '/api/users', {
      token: adminToken,
      body: { email: 'long@test.local', password: 'x'.repeat(1025), role: 'user' },
    });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ fields: { password: 'must be at most 1024 characters' } });
    const bad = await api('POST', '/api/users', {
      token: adminToken,
      body: { email: 'not-an-email', password: password('x'), role: 'root' },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields as Json).sort()).toEqual(['email', 'role']);
    const reset = await api(
      'PATCH',
      `/api/users/${await createUser('p@test.local', password('p'))}`,
      {
        token: adminToken,
        body: { password: 'tiny' },
      },
    );
    expect(reset.status).toBe(400);
    expect(reset.body).toMatchObject({ fields: { password: expect.any(String) } });
  });

  it('answers 403 to users on every admin route', async () => {
    const pass = password('plain');
    const id = await createUser('plain@test.local', pass);
    const token = await t.login('plain@test.local', pass);
    const attempts = [
      await api('GET', '/api/users', { token }),
      await api('POST', '/api/users', {
        token,
        body: { email: 'x@test.local', password: password('x'), role: 'admin' },
      }),
      await api('PATCH', `/api/users/${id}`, { token, body: { role: 'admin' } }),
      await api('DELETE', `/api/users/${id}`, { token }),
      await api('GET', '/api/audit', { token }),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(403);
      expect(attempt.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    }
    const me = await api('GET', '/api/auth/me', { token });
    expect(me.body).toMatchObject({ role: 'user' });
  });

  it('never leaves the deployment without an active administrator', async () => {
    const admins = ManagedUserSchema.array()
      .parse((await api('GET', '/api/users', { token: adminToken })).body)
      .filter((u) => u.role === 'admin' && !u.disabled);
    expect(admins.map((u) => u.email)).toEqual([ADMIN_EMAIL]);
    const self = admins[0]!.id;
    for (const body of [{ role: 'user' }, { disabled: true }]) {
      const response = await api('PATCH', `/api/users/${self}`, { token: adminToken, body });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'LAST_ADMIN' });
    }
    expect((await api('DELETE', `/api/users/${self}`, { token: adminToken })).status).toBe(409);

    // A second admin can be disabled while the first remains; a disabled admin does not count.
    const second = await createUser('admin2@test.local', password('admin2'), 'admin');
    expect(
      (await api('PATCH', `/api/users/${second}`, { token: adminToken, body: { disabled: true } }))
        .status,
    ).toBe(200);
    expect(
      (await api('PATCH', `/api/users/${self}`, { token: adminToken, body: { role: 'user' } }))
        .status,
    ).toBe(409);
    expect((await api('DELETE', `/api/users/${second}`, { token: adminToken })).status).toBe(204);
  });
});

describe('disabled users', () => {
  it('lose their access tokens, refresh tokens, personal access tokens and login', async () => {
    const pass = password('disabled');
    const id = await createUser('disabled@test.local', pass);
    const session = await loginFull('disabled@test.local', pass);
    expect(session.status).toBe(200);
    const pat = await api('POST', '/api/tokens', {
      token: session.accessToken,
      body: { name: 'script' },
    });
    const patToken = CreatedTokenSchema.parse(pat.body).token;
    secrets.add(patToken);
    expect((await api('GET', '/api/auth/me', { token: patToken })).status).toBe(200);

    const disabled = await api('PATCH', `/api/users/${id}`, {
      token: adminToken,
      body: { disabled: true },
    });
    expect(disabled.status).toBe(200);
    expect(ManagedUserSchema.parse(disabled.body).disabled).toBe(true);

    expect((await api('GET', '/api/auth/me', { token: session.accessToken })).status).toBe(401);
    expect((await api('GET', '/api/sessions', { token: patToken })).status).toBe(401);
    expect((await api('POST', '/api/auth/refresh', { cookie: session.cookie })).status).toBe(401);
    const login = await loginFull('disabled@test.local', pass);
    expect(login.status).toBe(401);
    expect(login.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });

    await api('PATCH', `/api/users/${id}`, { token: adminToken, body: { disabled: false } });
    expect((await loginFull('disabled@test.local', pass)).status).toBe(200);
    // The refresh family revoked while disabled stays revoked.
    expect((await api('POST', '/api/auth/refresh', { cookie: session.cookie })).status).toBe(401);
  });
});

describe('password changes', () => {
  it('checks the current password, applies the policy and revokes the other logins', async () => {
    const old = password('old');
    await createUser('changer@test.local', old);
    const here = await loginFull('changer@test.local', old);
    const elsewhere = await loginFull('changer@test.local', old);

    const wrong = await api('POST', '/api/auth/password', {
      token: here.accessToken,
      body: { currentPassword: 'not-the-password', newPassword: password('n1') },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ fields: { currentPassword: expect.any(String) } });
    const weak = await api('POST', '/api/auth/password', {
      token: here.accessToken,
      body: { currentPassword: old, newPassword: 'weak' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ fields: { newPassword: expect.any(String) } });
    expect(
      (
        await api('POST', '/api/auth/password', {
          body: { currentPassword: old, newPassword: password('anon') },
        })
      ).status,
    ).toBe(401);

    const next = password('new');
    const changed = await api('POST', '/api/auth/password', {
      token: here.accessToken,
      cookie: here.cookie,
      body: { currentPassword: old, newPassword: next },
    });
    expect(changed.status).toBe(204);
    expect((await api('POST', '/api/auth/refresh', { cookie: here.cookie })).status).toBe(200);
    expect((await api('POST', '/api/auth/refresh', { cookie: elsewhere.cookie })).status).toBe(401);
    expect((await loginFull('changer@test.local', old)).status).toBe(401);
    expect((await loginFull('changer@test.local', next)).status).toBe(200);
  });

  it('an admin reset ends every login of the user', async () => {
    const old = password('reset-old');
    const id = await createUser('reset@test.local', old);
    const session = await loginFull('reset@test.local', old);
    const next = password('reset-new');
    expect(
      (await api('PATCH', `/api/users/${id}`, { token: adminToken, body: { password: next } }))
        .status,
    ).toBe(200);
    expect((await api('POST', '/api/auth/refresh', { cookie: session.cookie })).status).toBe(401);
    expect((await loginFull('reset@test.local', old)).status).toBe(401);
    expect((await loginFull('reset@test.local', next)).status).toBe(200);
  });
});

describe('personal access tokens', () => {
  let owner: string;
  let other: string;

  beforeAll(async () => {
    const pass = password('pat-owner');
    await createUser('pat-owner@test.local', pass);
    owner = await t.login('pat-owner@test.local', pass);
    const otherPass = password('pat-other');
    await createUser('pat-other@test.local', otherPass);
    other = await t.login('pat-other@test.local', otherPass);
  });

  it('are shown once, work as bearer tokens, are listed without secrets and revocable', async () => {
    const created = await api('POST', '/api/tokens', {
      token: owner,
      body: { name: 'ci script', expiresInDays: 30 },
    });
    expect(created.status).toBe(201);
    const token = CreatedTokenSchema.parse(created.body);
    secrets.add(token.token);
    expect(token.token).toMatch(/^ccr_pat_[A-Za-z0-9_-]{43}$/);
    expect(token.name).toBe('ci script');
    const days = (Date.parse(token.expiresAt!) - Date.parse(token.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(30, 5);

    const me = await api('GET', '/api/auth/me', { token: token.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'pat-owner@test.local' });
    expect((await api('GET', '/api/sessions', { token: token.token })).status).toBe(200);

    const list = await api('GET', '/api/tokens', { token: owner });
    expect(list.status).toBe(200);
    const listed = PersonalAccessTokenSchema.array().parse(list.body);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: token.id, name: 'ci script' });
    expect(listed[0]!.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(token.token);
    expect(Object.keys(listed[0]!)).not.toContain('token');
    // Another user sees none of them and cannot delete them.
    expect((await api('GET', '/api/tokens', { token: other })).body).toEqual([]);
    expect((await api('DELETE', `/api/tokens/${token.id}`, { token: other })).status).toBe(404);

    expect((await api('DELETE', `/api/tokens/${token.id}`, { token: owner })).status).toBe(204);
    expect((await api('GET', '/api/auth/me', { token: token.token })).status).toBe(401);
    expect((await api('DELETE', `/api/tokens/${token.id}`, { token: owner })).status).toBe(404);
  });

  it('stop working once expired', async () => {
    const created = CreatedTokenSchema.parse(
      (
        await api('POST', '/api/tokens', {
          token: owner,
          body: { name: 'short', expiresInDays: 1 },
        })
      ).body,
    );
    secrets.add(created.token);
    expect((await api('GET', '/api/auth/me', { token: created.token })).status).toBe(200);
    await t.app
      .get(Database)
      .db.update(personalAccessTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(personalAccessTokens.id, created.id));
    expect((await api('GET', '/api/auth/me', { token: created.token })).status).toBe(401);
  });

  it('refuses made-up and malformed tokens', async () => {
    const fake = `ccr_pat_${'A'.repeat(43)}`;
    expect((await api('GET', '/api/auth/me', { token: fake })).status).toBe(401);
    expect((await api('GET', '/api/auth/me', { token: 'ccr_pat_short' })).status).toBe(401);
  });

  it('validates the body', async () => {
    const empty = await api('POST', '/api/tokens', { token: owner, body: { name: '  ' } });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ fields: { name: expect.any(String) } });
    const zero = await api('POST', '/api/tokens', {
      token: owner,
      body: { name: 'x', expiresInDays: 0 },
    });
    expect(zero.body).toMatchObject({ fields: { expiresInDays: expect.any(String) } });
    const extra = await api('POST', '/api/tokens', {
      token: owner,
      body: { name: 'x', scopes: ['all'] },
    });
    expect(extra.body).toMatchObject({ fields: { scopes: 'is not a known field' } });
  });
});

describe('login rate limits', () => {
  it('locks an account after five failures with 429 and Retry-After, then recovers', async () => {
    const pass = password('limited');
    await createUser('limited@test.local', pass);
    for (let i = 0; i < 5; i++) {
      expect((await loginFull('limited@test.local', `wrong-password-${i}`)).status).toBe(401);
    }
    const locked = await loginFull('limited@test.local', pass);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
    });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Other accounts are not locked by one account's failures.
    expect((await loginFull(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);

    // Locked attempts are not counted; the first one after the window is, and a further
    // failure doubles the lockout (Retry-After 2).
    const deadline = Date.now() + 10_000;
    let status = locked.status;
    while (status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await loginFull('limited@test.local', 'wrong-after-lockout')).status;
    }
    expect(status).toBe(401);
    const longer = await loginFull('limited@test.local', pass);
    expect(longer.status).toBe(429);
    expect(Number(longer.headers.get('retry-after'))).toBe(2);

    const recovery = Date.now() + 10_000;
    let result = await loginFull('limited@test.local', pass);
    while (result.status === 429 && Date.now() < recovery) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      result = await loginFull('limited@test.local', pass);
    }
    expect(result.status).toBe(200);
  });
});

describe('audit log', () => {
  it('records the account actions with actor and IP and never a secret', async () => {
    const entries = await audit('?limit=500');
    const types = new Set(entries.map((e) => e.type));
    for (const type of [
      'auth.login',
      'auth.login_failed',
      'auth.password_changed',
      'user.created',
      'user.updated',
      'user.deleted',
      'token.created',
      'token.deleted',
    ]) {
      expect(types, type).toContain(type);
    }
    const login = entries.find((e) => e.type === 'auth.login' && e.actorEmail === ADMIN_EMAIL)!;
    expect(login.ip).toBe('127.0.0.1');
    const failed = entries.find(
      (e) => e.type === 'auth.login_failed' && e.data.email === 'limited@test.local',
    )!;
    expect(failed).toMatchObject({ ip: '127.0.0.1', data: { reason: 'invalid_credentials' } });
    const created = entries.find(
      (e) => e.type === 'user.created' && e.data.email === 'plain@test.local',
    )!;
    expect(created.actorEmail).toBe(ADMIN_EMAIL);
    expect(created.subjectUserId).not.toBeNull();
    const reset = entries.find((e) => e.type === 'user.updated' && e.data.passwordReset === true);
    expect(reset).toBeDefined();

    const dump = JSON.stringify(entries);
    for (const secret of secrets) {
      expect(dump).not.toContain(secret);
    }
    // Newest first.
    const ids = entries.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(ids);
  });

  it('records logout', async () => {
    const session = await loginFull(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await api('POST', '/api/auth/logout', { cookie: session.cookie })).status).toBe(204);
    const [latest] = await audit('?type=auth.logout&limit=1');
    expect(latest).toMatchObject({ type: 'auth.logout', actorEmail: ADMIN_EMAIL });
  });

  it('filters by type and user and pages with limit and before', async () => {
    const users = ManagedUserSchema.array().parse(
      (await api('GET', '/api/users', { token: adminToken })).body,
    );
    const changer = users.find((u) => u.email === 'changer@test.local')!;
    const forUser = await audit(`?userId=${changer.id}`);
    expect(forUser.length).toBeGreaterThan(0);
    for (const entry of forUser) {
      expect([entry.actorId, entry.subjectUserId]).toContain(changer.id);
    }
    expect(forUser.map((e) => e.type)).toEqual(
      expect.arrayContaining(['user.created', 'auth.password_changed']),
    );
    const tokens = await audit('?type=token.created');
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((e) => e.type === 'token.created')).toBe(true);

    const first = await audit('?limit=2');
    expect(first).toHaveLength(2);
    const next = await audit(`?limit=2&before=${first[1]!.id}`);
    expect(next).toHaveLength(2);
    expect(BigInt(next[0]!.id)).toBeLessThan(BigInt(first[1]!.id));
  });

  it('validates the query', async () => {
    for (const query of ['?type=bogus', '?limit=0', '?limit=501', '?before=abc', '?extra=1']) {
      const response = await api('GET', `/api/audit${query}`, { token: adminToken });
      expect(response.status, query).toBe(400);
      expect(response.body.fields).toBeDefined();
    }
  });

  it('prunes entries older than the retention', async () => {
    const db = t.app.get(Database).db;
    const [old] = await db
      .insert(auditLog)
      .values({
        type: 'auth.login',
        at: new Date(Date.now() - 91 * 86_400_000),
        actorId: 'old',
        data: {},
      })
      .returning();
    expect(await t.app.get(AuditService).prune()).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(auditLog).where(eq(auditLog.id, old!.id))).toEqual([]);
    expect((await audit('?limit=5')).length).toBe(5);
  });

  describe.skipIf(!dockerAvailable)('session actions', () => {
    it('records create, stop, start and delete with the session id', async () => {
      const created = await api('POST', '/api/sessions', { token: adminToken, body: {} });
      expect(created.status).toBe(201);
      const session = SessionSchema.parse(created.body);
      const waitFor = async (statuses: string[]): Promise<string> => {
        const deadline = Date.now() + 150_000;
        for (;;) {
          const current = SessionSchema.parse(
            (await api('GET', `/api/sessions/${session.id}`, { token: adminToken })).body,
          );
          if (statuses.includes(current.status) || Date.now() > deadline) {
            return current.status;
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      };
      expect(await waitFor(['running', 'failed'])).toBe('running');
      expect(
        (await api('POST', `/api/sessions/${session.id}/stop`, { token: adminToken })).status,
      ).toBe(200);
      expect(await waitFor(['stopped'])).toBe('stopped');
      expect(
        (await api('POST', `/api/sessions/${session.id}/start`, { token: adminToken })).status,
      ).toBe(200);
      expect(
        (await api('DELETE', `/api/sessions/${session.id}`, { token: adminToken })).status,
      ).toBe(204);
      const entries = await audit(`?sessionId=${session.id}`);
      expect(entries.map((e) => e.type)).toEqual([
        'session.deleted',
        'session.started',
        'session.stopped',
        'session.created',
      ]);
      expect(entries.every((e) => e.actorEmail === ADMIN_EMAIL && e.ip === '127.0.0.1')).toBe(true);
    });
  });
});
