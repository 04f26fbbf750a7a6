// Authorization everywhere and HTTP hardening, over the real server. The route walk reads the
// server's own route table, so a route added without a check makes this file fail.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SessionSchema } from '@ccr/protocol/api';
import { BODY_LIMIT_BYTES, type RouteEntry, routeTable } from '../src/common/create-app';
import { Database } from '../src/db/database.provider';
import { sessions } from '../src/db/schema/sessions';
import { UsersService } from '../src/users/users.service';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from './support/test-app';

const dockerAvailable = inject('dockerAvailable');

/** Routes that answer without a token, on purpose. Anything else must answer 401. */
const PUBLIC_ROUTES = new Set([
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  // Revokes the refresh cookie it is sent; must work with an expired access token.
  'POST /api/auth/logout',
  'GET /api/health',
  'HEAD /api/health',
  // The web app's files and index.html for client routes (no data; /api paths are a 404 there).
  'GET /*',
  'HEAD /*',
]);
/** The OpenAPI document and its UI (JSON, YAML and the UI's static files). */
const PUBLIC_PREFIX = '/api/docs';

let t: TestApp;

/** Every route the server registered, outside /api too (such as /metrics). */
function apiRoutes(): RouteEntry[] {
  const seen = new Set<string>();
  return routeTable(t.app as NestFastifyApplication).filter((route) => {
    const key = `${route.method} ${route.url}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function concrete(url: string, params: Record<string, string>): string {
  return url.replace(/:([A-Za-z_]+)/g, (_, name: string) => params[name] ?? 'x');
}

async function call(
  route: RouteEntry,
  params: Record<string, string>,
  authorization?: string,
): Promise<number> {
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
  const response = await fetch(`${t.baseUrl}${concrete(route.url, params)}`, {
    method: route.method,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    },
    body: hasBody ? '{}' : undefined,
  });
  await response.arrayBuffer();
  return response.status;
}

/** Routes outside `allowlist` that do not answer 401 to `authorization` (absent: no header). */
async function unguarded(
  routes: RouteEntry[],
  allowlist: Set<string>,
  authorization?: string,
): Promise<string[]> {
  const problems: string[] = [];
  const params = { id: randomUUID(), name: 'shell', host: 'example.org' };
  for (const route of routes) {
    const key = `${route.method} ${route.url}`;
    if (allowlist.has(key) || route.url.startsWith(PUBLIC_PREFIX)) {
      continue;
    }
    const status = await call(route, params, authorization);
    if (status !== 401) {
      problems.push(`${key} answered ${status}`);
    }
  }
  return problems;
}

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('route table walk', () => {
  it('finds the whole API surface', () => {
    const keys = apiRoutes().map((route) => `${route.method} ${route.url}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'GET /api/auth/me',
        'POST /api/auth/password',
        'GET /api/users',
        'PATCH /api/users/:id',
        'POST /api/tokens',
        'DELETE /api/tokens/:id',
        'GET /api/audit',
        'GET /api/events',
        'POST /api/sessions',
        'GET /api/sessions/:id',
        'DELETE /api/sessions/:id',
        'POST /api/sessions/:id/stop',
        'GET /api/sessions/:id/logs',
        'POST /api/sessions/:id/terminals/:name/tickets',
      ]),
    );
  });

  it('answers 401 on every route but the public allowlist, without or with a bad token', async () => {
    const routes = apiRoutes();
    expect(await unguarded(routes, PUBLIC_ROUTES)).toEqual([]);
    expect(await unguarded(routes, PUBLIC_ROUTES, 'Bearer not-a-token')).toEqual([]);
    expect(await unguarded(routes, PUBLIC_ROUTES, 'Bearer ccr_pat_made-up')).toEqual([]);
  });

  it('would fail on a route that answers without a token', async () => {
    // Health is public; dropped from the allowlist it is exactly what the walk must report.
    const withoutHealth = new Set([...PUBLIC_ROUTES].filter((key) => !key.includes('health')));
    const problems = await unguarded(apiRoutes(), withoutHealth);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^GET \/api\/health answered (200|503)$/)]),
    );
  });

  it("answers 404 on every session route for another user's session, admins included", async () => {
    const owner = await t.app
      .get(UsersService)
      .create({ email: 'owner@test.local', password: 'owner-password-1', role: 'user' });
    await t.createUser('intruder@test.local', 'intruder-password-1', 'user');
    const sessionId = randomUUID();
    // A stored session (no container needed): ownership is decided before any engine call.
    await t.app
      .get(Database)
      .db.insert(sessions)
      .values({
        id: sessionId,
        userId: owner.id,
        name: 'private',
        status: 'stopped',
        repoUrl: null,
        branch: 'main',
        workBranch: 'ccr/private',
        resources: { memoryMb: 1024, cpus: 1 },
        autoCommit: {
          enabled: true,
          push: false,
          debounceMs: 1000,
          maxWaitMs: 60_000,
          maxFiles: 100,
        },
        claude: { permissionMode: 'default' },
        terminals: ['claude', 'shell'],
      });
    const ownerToken = await t.login('owner@test.local', 'owner-password-1');
    const seen = await fetch(`${t.baseUrl}/api/sessions/${sessionId}`, {
      headers: { authorization: `Bearer ${ownerToken}` },
    });
    expect(SessionSchema.parse(await seen.json()).id).toBe(sessionId);

    const sessionRoutes = apiRoutes().filter((route) => route.url.startsWith('/api/sessions/:id'));
    expect(sessionRoutes.length).toBeGreaterThanOrEqual(7);
    for (const token of [
      await t.login('intruder@test.local', 'intruder-password-1'),
      await t.login(),
    ]) {
      const problems: string[] = [];
      for (const route of sessionRoutes) {
        const status = await call(route, { id: sessionId, name: 'shell' }, `Bearer ${token}`);
        if (status !== 404) {
          problems.push(`${route.method} ${route.url} answered ${status}`);
        }
      }
      expect(problems).toEqual([]);
    }
    // Nothing the intruders sent changed the session.
    const after = await fetch(`${t.baseUrl}/api/sessions/${sessionId}`, {
      headers: { authorization: `Bearer ${ownerToken}` },
    });
    expect(SessionSchema.parse(await after.json())).toMatchObject({
      name: 'private',
      status: 'stopped',
    });
  });
});

describe('HTTP hardening', () => {
  it('sends security headers on API answers, errors included', async () => {
    for (const response of [
      await fetch(`${t.baseUrl}/api/health`),
      await fetch(`${t.baseUrl}/api/sessions`),
    ]) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      // Plain HTTP deployment: no HSTS (browsers ignore it there and it would pin a test host).
      expect(response.headers.get('strict-transport-security')).toBeNull();
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('answers an oversized body with 413 and the standard error body', async () => {
    const token = await t.login();
    const big = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT_BYTES) });
    for (const headers of [
      { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      { 'content-type': 'application/json' },
    ]) {
      const response = await fetch(`${t.baseUrl}/api/sessions`, {
        method: 'POST',
        headers,
        body: big,
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({
        statusCode: 413,
        error: 'Payload Too Large',
        message: expect.any(String),
      });
    }
  });
});

// The test app serves the web app from its default place (no CCR_WEB_DIST).
const webBuilt = existsSync(join(__dirname, '..', '..', 'web', 'dist', 'index.html'));
const chromiumPath = process.env.CCR_E2E_CHROMIUM ?? '/usr/bin/chromium';
const browserReady = webBuilt && existsSync(chromiumPath);
if (!browserReady) {
  console.warn(
    `\n*** SKIPPING the CSP browser check: needs the built web app (npm run build -w @ccr/web) and ${chromiumPath} ***\n`,
  );
}

describe.skipIf(!browserReady)('content security policy in the browser', () => {
  it('lets the SPA, its styles and a live terminal run without a violation', async () => {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const violations: string[] = [];
    try {
      const page = await browser.newPage();
      page.on('console', (message) => {
        if (/content security policy/i.test(message.text())) {
          violations.push(message.text());
        }
      });
      page.on('pageerror', (error) => violations.push(`pageerror: ${error.message}`));
      // Runs in the page: reports every violation, including ones Chromium does not log.
      await page.addInitScript({
        content: `document.addEventListener('securitypolicyviolation', (event) => {
          console.error('Content Security Policy violation: ' + event.violatedDirective + ' ' + event.blockedURI + ' at ' + location.pathname + ' ' + event.sourceFile + ':' + event.lineNumber + ':' + event.columnNumber);
        });`,
      });
      await page.goto(`${t.baseUrl}/`);
      await page.waitForURL(/\/login$/);
      await page.locator('input[name="email"]').fill(ADMIN_EMAIL);
      await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
      await page.locator('input[name="password"]').press('Enter');
      await page.waitForURL((url) => !url.pathname.endsWith('/login'));
      await page.locator('[data-testid="user-email"]').waitFor();

      if (dockerAvailable) {
        // The terminal WebSocket checks Origin against CCR_ALLOWED_ORIGINS; the test server's
        // origin (its port) is only known once it listens, so it is allowed here.
        t.config.values.allowedOrigins.push(new URL(t.baseUrl).origin);
        // A live terminal: xterm.js with its WebGL renderer (or its fallback) over the WebSocket.
        const token = await t.login();
        const created = await fetch(`${t.baseUrl}/api/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: '{}',
        });
        const session = SessionSchema.parse(await created.json());
        await page.goto(`${t.baseUrl}/sessions/${session.id}`);
        await page
          .locator('[data-terminal="shell"][data-connection-status="open"]')
          .waitFor({ timeout: 150_000 })
          .catch((error: unknown) => {
            throw new Error(`terminal did not open; violations: ${violations.join(' | ')}`, {
              cause: error,
            });
          });
        await page.locator('[data-terminal="shell"]').click();
        await page.keyboard.type('echo csp-ok');
        await page.keyboard.press('Enter');
      }
      // The API docs UI is served with the same policy.
      await page.goto(`${t.baseUrl}/api/docs/ui`);
      await page.locator('.opblock').first().waitFor();
    } finally {
      await browser.close();
    }
    expect(violations).toEqual([]);
  });
});
