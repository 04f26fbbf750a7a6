// Boots the real Nest app on 127.0.0.1 with a random port, a fresh database (PGlite copied from
// the migrated template, or a new database on the test PostgreSQL cluster), a unique
// CCR_INSTANCE and a known admin. close() also removes the instance's containers and volumes.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Docker from 'dockerode';
import { Client } from 'pg';
import { inject } from 'vitest';
import { createApp } from '../../src/common/create-app';
import { type AppConfig, loadConfig } from '../../src/config/env';
import { UsersService } from '../../src/users/users.service';

export const ADMIN_EMAIL = 'admin@test.local';
export const ADMIN_PASSWORD = 'test-password-123';

export interface TestApp {
  baseUrl: string;
  wsUrl: string;
  app: INestApplication;
  config: AppConfig;
  instance: string;
  login(email?: string, password?: string): Promise<string>;
  createUser(email: string, password: string, role?: 'admin' | 'user'): Promise<void>;
  /**
   * Stops the app and boots it again on the same database and instance (a server restart);
   * `whileDown` runs in between, for changes the server must not witness.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

async function withPostgres<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Removes every container and volume labelled with (or named after) this test instance. */
export async function removeInstanceResources(instance: string): Promise<void> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch {
    return;
  }
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`ccr.instance=${instance}`] },
  });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  const { Volumes } = await docker.listVolumes();
  const ours = (Volumes ?? []).filter(
    (v) => v.Labels?.['ccr.instance'] === instance || v.Name.startsWith(`ccr-${instance}-`),
  );
  await Promise.all(
    ours.map((v) =>
      docker
        .getVolume(v.Name)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}

export async function startTestApp(
  overrides: Partial<Record<string, string>> = {},
): Promise<TestApp> {
  const suffix = randomBytes(4).toString('hex');
  const instance = `test-${suffix}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'ccr-test-app-'));
  const postgresUrl = inject('postgresUrl');
  const template = inject('pgliteTemplate');
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (postgresUrl && overrides.DATABASE_URL === undefined) {
    const name = `t_${suffix}`;
    await withPostgres(postgresUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () =>
      withPostgres(postgresUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => undefined);
  } else if (template) {
    cpSync(template, join(dataDir, 'pglite'), { recursive: true });
  }

  const env: Record<string, string | undefined> = {
    HOST: '127.0.0.1',
    PORT: '0',
    CCR_DATA_DIR: dataDir,
    CCR_INSTANCE: instance,
    CCR_ADMIN_EMAIL: ADMIN_EMAIL,
    CCR_ADMIN_PASSWORD: ADMIN_PASSWORD,
    CCR_SECRET_KEY: randomBytes(48).toString('base64url'),
    CCR_LOG_LEVEL: process.env.CCR_TEST_LOG_LEVEL ?? 'error',
    CCR_READY_TIMEOUT: '150s',
    DOCKER_HOST: process.env.DOCKER_HOST,
    DATABASE_URL: databaseUrl,
    ...overrides,
  };
  const config = loadConfig(env);
  const cleanup = async (): Promise<void> => {
    await removeInstanceResources(instance);
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const boot = async (): Promise<NestFastifyApplication> => {
    const app = await createApp(config);
    try {
      await app.listen(0, '127.0.0.1');
    } catch (error) {
      await app.close().catch(() => undefined);
      throw error;
    }
    return app;
  };
  let current: NestFastifyApplication;
  try {
    current = await boot();
  } catch (error) {
    await cleanup();
    throw error;
  }
  const port = (): number => (current.getHttpServer().address() as AddressInfo).port;

  const testApp: TestApp = {
    get baseUrl() {
      return `http://127.0.0.1:${port()}`;
    },
    get wsUrl() {
      return `ws://127.0.0.1:${port()}`;
    },
    get app() {
      return current;
    },
    config,
    instance,
    async login(email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
      const response = await fetch(`${testApp.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (response.status !== 200) {
        throw new Error(
          `login as ${email} failed with ${response.status}: ${await response.text()}`,
        );
      }
      return ((await response.json()) as { accessToken: string }).accessToken;
    },
    async createUser(email, password, role = 'user') {
      await current.get(UsersService).create({ email, password, role });
    },
    async restart(whileDown) {
      await current.close();
      await whileDown?.();
      current = await boot();
    },
    async close() {
      try {
        await current.close();
      } finally {
        await cleanup();
      }
    },
  };
  return testApp;
}
