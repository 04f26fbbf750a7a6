// vitest globalSetup of the integration project: builds what the suites need, checks the Docker
// engine, prepares a migrated PGlite template (copied per test app: creating a PGlite cluster
// takes ~15 s here, copying one well under a second) and, with CCR_TEST_DB=postgres, starts a
// throwaway PostgreSQL cluster.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Docker from 'dockerode';
import type { TestProject } from 'vitest/node';
import { PgliteDatabase } from '../src/db/pglite.database';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerAvailable: boolean;
    postgresUrl: string | null;
    pgliteTemplate: string | null;
  }
}

const repoRoot = resolve(__dirname, '..', '..', '..');

function npm(args: string[]): void {
  const result = spawnSync('npm', args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

function loud(message: string): void {
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n${message}\n${line}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') {
          resolvePort(address.port);
        } else {
          reject(new Error('no port'));
        }
      });
    });
  });
}

function asPostgresUser(command: string, args: string[]): void {
  // PostgreSQL refuses to run as root.
  const argv =
    process.getuid?.() === 0
      ? ['runuser', '-u', 'postgres', '--', command, ...args]
      : [command, ...args];
  execFileSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function startPostgres(): Promise<{ url: string; stop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ccr-test-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  asPostgresUser('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  try {
    asPostgresUser('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'postgres.log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ]);
  } catch (error) {
    const log = existsSync(join(dir, 'postgres.log'))
      ? readFileSync(join(dir, 'postgres.log'), 'utf8')
      : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${String(error)}\n${log}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        asPostgresUser('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function pgliteTemplate(): Promise<{ dir: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ccr-test-pglite-template-'));
  const database = await PgliteDatabase.open(join(dir, 'pglite'));
  await database.close();
  return { dir: join(dir, 'pglite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export default async function setup(project: TestProject): Promise<() => void> {
  const ci = process.env.CI === 'true';
  if (!existsSync(join(repoRoot, 'packages/protocol/dist/cjs/api.js'))) {
    npm(['run', 'build', '-w', '@ccr/protocol']);
  }

  let dockerAvailable = false;
  try {
    await new Docker().ping();
    dockerAvailable = true;
  } catch (error) {
    if (ci) {
      throw new Error(`CI=true but the Docker engine does not answer: ${String(error)}`);
    }
    loud(
      `Docker engine not reachable (${String(error)}).\nTests that need containers are SKIPPED. Start dockerd to run them.`,
    );
  }
  if (dockerAvailable) {
    const sandboxPackage = JSON.parse(
      readFileSync(join(repoRoot, 'apps/sandbox/package.json'), 'utf8'),
    ) as {
      scripts?: Record<string, string>;
    };
    if (
      sandboxPackage.scripts?.['image:ensure'] &&
      existsSync(join(repoRoot, 'apps/sandbox/image'))
    ) {
      npm(['run', 'image:ensure', '-w', '@ccr/sandbox']);
    }
  }

  const cleanups: Array<() => void> = [];
  let postgresUrl: string | null = null;
  let template: string | null = null;
  if (process.env.CCR_TEST_DB === 'postgres') {
    const postgres = await startPostgres();
    cleanups.push(postgres.stop);
    postgresUrl = postgres.url;
  } else {
    const made = await pgliteTemplate();
    cleanups.push(made.remove);
    template = made.dir;
  }

  project.provide('dockerAvailable', dockerAvailable);
  project.provide('postgresUrl', postgresUrl);
  project.provide('pgliteTemplate', template);

  return () => {
    for (const cleanup of cleanups.reverse()) {
      cleanup();
    }
  };
}
