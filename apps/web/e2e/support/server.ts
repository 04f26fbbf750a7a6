import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = resolve(import.meta.dirname, '../../../..');
/** The built server; CCR_E2E_SERVER_MAIN points elsewhere when debugging another build. */
const serverMain = process.env.CCR_E2E_SERVER_MAIN ?? join(repoRoot, 'apps/server/dist/main.js');

export interface RunningServer {
  baseUrl: string;
  instance: string;
  adminEmail: string;
  adminPassword: string;
  logs: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts the built server (apps/server/dist/main.js) on Node 24 with its own data and instance. */
export async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'ccr-e2e-'));
  const instance = `e2e-${Math.random().toString(36).slice(2, 10)}`;
  const baseUrl = `http://127.0.0.1:${port}`;
  const adminEmail = 'admin@e2e.local';
  const adminPassword = `e2e-password-${Math.random().toString(36).slice(2)}`;
  const output: string[] = [];

  const child: ChildProcess = spawn(join(repoRoot, 'node_modules/.bin/node'), [serverMain], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CCR_DATA_DIR: dataDir,
      CCR_ADMIN_EMAIL: adminEmail,
      CCR_ADMIN_PASSWORD: adminPassword,
      CCR_INSTANCE: instance,
      CCR_PUBLIC_URL: baseUrl,
      CCR_WEB_DIST: join(repoRoot, 'apps/web/dist'),
      CCR_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await removeInstanceResources(instance);
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`server exited with ${child.exitCode}:\n${output.join('')}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status < 500) {
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server did not answer /api/health within 60 s:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return { baseUrl, instance, adminEmail, adminPassword, logs: () => output.join(''), stop };
}

/** Removes the containers and volumes of one test instance, and nothing else. */
export async function removeInstanceResources(instance: string): Promise<void> {
  const containers = await docker(['ps', '-aq', '--filter', `label=ccr.instance=${instance}`]);
  if (containers.length > 0) {
    await docker(['rm', '-f', '-v', ...containers]);
  }
  const volumes = await docker(['volume', 'ls', '-q', '--filter', `name=ccr-${instance}-`]);
  if (volumes.length > 0) {
    await docker(['volume', 'rm', '-f', ...volumes]);
  }
}

export async function containersOfSession(instance: string, sessionId: string): Promise<string[]> {
  return docker([
    'ps',
    '-aq',
    '--filter',
    `label=ccr.instance=${instance}`,
    '--filter',
    `label=ccr.session-id=${sessionId}`,
  ]);
}

async function docker(args: string[]): Promise<string[]> {
  const { stdout } = await run('docker', args);
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** What this machine lacks for the e2e, if anything (Docker engine, sandbox image, built server). */
export async function missingPrerequisites(image: string): Promise<string[]> {
  const missing: string[] = [];
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}']);
    try {
      await run('docker', ['image', 'inspect', image]);
    } catch {
      missing.push(`the sandbox image ${image} (npm run image)`);
    }
  } catch {
    missing.push('a Docker engine');
  }
  if (!existsSync(serverMain)) {
    missing.push('the built server (npm run build)');
  }
  if (!existsSync(join(repoRoot, 'apps/web/dist/index.html'))) {
    missing.push('the built web app (npm run build -w @ccr/web)');
  }
  return missing;
}

/**
 * The prerequisites an e2e file needs, checked once at load: under CI a missing one is a
 * failure; locally the file is skipped with a loud message. Returns true when all are there.
 */
export async function e2ePrerequisitesMet(image: string): Promise<boolean> {
  const missing = await missingPrerequisites(image);
  if (missing.length === 0) {
    return true;
  }
  const message = `browser e2e needs ${missing.join(', ')}`;
  if (process.env.CI === 'true') {
    throw new Error(message);
  }
  console.warn(`\n*** SKIPPING: ${message} ***\n`);
  return false;
}
