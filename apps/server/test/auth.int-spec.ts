// Login, access tokens, refresh-token rotation and reuse detection over real HTTP.
import { createHmac, hkdfSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponseSchema, RefreshResponseSchema, UserSchema } from '@ccr/protocol/api';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from './support/test-app';

let t: TestApp;

function refreshCookie(response: Response): string | undefined {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('ccr_refresh='));
  return header?.split(';')[0]?.slice('ccr_refresh='.length);
}

async function login(email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<Response> {
  return fetch(`${t.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

function refresh(token: string | undefined): Promise<Response> {
  return fetch(`${t.baseUrl}/api/auth/refresh`, {
    method: 'POST',
    headers: token === undefined ? {} : { cookie: `ccr_refresh=${token}` },
  });
}

function me(token: string): Promise<Response> {
  return fetch(`${t.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
}

function b64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString(
    'base64url',
  );
}

/** Signs a JWT the way the server does, with the server's derived key, so claims can be varied. */
function forge(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const key = Buffer.from(
    hkdfSync('sha256', t.config.values.secretKey, 'ccr', 'access-token-v1', 32),
  );
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('login', () => {
  it('returns an access token, the user and an httpOnly strict refresh cookie scoped to /api/auth', async () => {
    const response = await login();
    expect(response.status).toBe(200);
    const body = LoginResponseSchema.parse(await response.json());
    expect(body.user).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
    expect(body.expiresIn).toBe(900);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('ccr_refresh='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/auth/);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('accepts the email in any case', async () => {
    expect((await login(ADMIN_EMAIL.toUpperCase())).status).toBe(200);
  });

  it('refuses a wrong password with 401 and no cookie', async () => {
    const response = await login(ADMIN_EMAIL, 'wrong-password-123');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'INVALID_CREDENTIALS',
    });
    expect(refreshCookie(response)).toBeUndefined();
  });

  it('refuses an unknown user with the same 401', async () => {
    const response = await login('nobody@test.local', ADMIN_PASSWORD);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: 'invalid email or password',
    });
  });

  it('validates the body', async () => {
    const response = await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ fields: { password: expect.any(String) } });
  });

  it('lets a second user log in and see only itself', async () => {
    await t.createUser('second@test.local', 'second-password-1', 'user');
    const token = await t.login('second@test.local', 'second-password-1');
    const response = await me(token);
    expect(UserSchema.parse(await response.json())).toMatchObject({
      email: 'second@test.local',
      role: 'user',
    });
  });
});

describe('me and bearer tokens', () => {
  it('returns the caller', async () => {
    const token = await t.login();
    const response = await me(token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
  });

  it('refuses a missing token', async () => {
    const response = await fetch(`${t.baseUrl}/api/auth/me`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('refuses garbage', async () => {
    expect((await me('not-a-token')).status).toBe(401);
    const response = await fetch(`${t.baseUrl}/api/auth/me`, {
      headers: { authorization: 'Basic YWRtaW46cGFzcw==' },
    });
    expect(response.status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const token = await t.login();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const now = Math.floor(Date.now() / 1000);
    expect((await me(forge({ ...claims, iat: now - 3600, exp: now - 60 }))).status).toBe(401);
    // The same forging with a valid expiry is accepted, so the 401 above is about the expiry.
    expect((await me(forge({ ...claims, iat: now, exp: now + 60 }))).status).toBe(200);
  });

  it('refuses alg:none', async () => {
    const token = await t.login();
    const [, payload] = token.split('.');
    expect((await me(`${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`)).status).toBe(401);
  });

  it('refuses a token with a tampered payload or signature', async () => {
    const token = await t.login();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(
      (
        await me(
          `${header}.${b64url({ ...claims, role: 'admin', sub: 'someone-else' })}.${signature}`,
        )
      ).status,
    ).toBe(401);
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
    expect((await me(`${header}.${payload}.${flipped}`)).status).toBe(401);
  });

  it('refuses a token for another audience or issuer', async () => {
    const token = await t.login();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect((await me(forge({ ...claims, aud: 'something-else' }))).status).toBe(401);
    expect((await me(forge({ ...claims, iss: 'https://evil.example' }))).status).toBe(401);
  });

  it('refuses a token signed with another algorithm', async () => {
    const token = await t.login();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect((await me(forge(claims, { alg: 'HS512', typ: 'JWT' }))).status).toBe(401);
  });
});

describe('refresh tokens', () => {
  it('rotates the refresh token on every refresh', async () => {
    const first = refreshCookie(await login())!;
    const response = await refresh(first);
    expect(response.status).toBe(200);
    const body = RefreshResponseSchema.parse(await response.json());
    expect((await me(body.accessToken)).status).toBe(200);
    const second = refreshCookie(response)!;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect((await refresh(second)).status).toBe(200);
  });

  it('revokes the whole family when a rotated token is reused', async () => {
    const first = refreshCookie(await login())!;
    const rotated = await refresh(first);
    const second = refreshCookie(rotated)!;
    // The old token comes back (stolen, replayed): refused, and the family is revoked.
    expect((await refresh(first)).status).toBe(401);
    expect((await refresh(second)).status).toBe(401);
  });

  it('refuses a missing or unknown refresh token', async () => {
    expect((await refresh(undefined)).status).toBe(401);
    expect((await refresh('made-up-token')).status).toBe(401);
  });

  it('logout answers 204 and revokes the refresh token', async () => {
    const token = refreshCookie(await login())!;
    const response = await fetch(`${t.baseUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `ccr_refresh=${token}` },
    });
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie().some((c) => /^ccr_refresh=;/.test(c))).toBe(true);
    expect((await refresh(token)).status).toBe(401);
  });
});

describe('public routes', () => {
  it('serves health without authentication', async () => {
    const response = await fetch(`${t.baseUrl}/api/health`);
    const body = (await response.json()) as {
      status: string;
      checks: Record<string, { status: string }>;
    };
    expect(body.checks.database?.status).toBe('ok');
    expect(['ok', 'degraded']).toContain(body.status);
    expect(response.status).toBe(body.status === 'ok' ? 200 : 503);
  });

  it('serves the OpenAPI document', async () => {
    const response = await fetch(`${t.baseUrl}/api/docs`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/sessions']),
    );
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await fetch(`${t.baseUrl}/api/does-not-exist`, {
      headers: { accept: 'text/html' },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('requires authentication on every other API route', async () => {
    expect((await fetch(`${t.baseUrl}/api/sessions`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/api/events`)).status).toBe(401);
  });
});
