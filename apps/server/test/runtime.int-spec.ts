// The Docker adapter against the real engine and the sandbox image. Everything made here carries
// the label ccr.instance=<this file's instance> and is removed by that label afterwards.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentLineSchema } from '@ccr/protocol/agent';
import { DockerRuntime } from '../src/runtime/docker/docker.runtime';
import { RuntimeError } from '../src/runtime/runtime.errors';
import type { LogsOptions, SandboxSpec } from '../src/runtime/runtime.port';

const image = process.env.CCR_SANDBOX_IMAGE ?? 'ccr-sandbox:latest';
const instance = `test-${randomBytes(4).toString('hex')}`;
const docker = new Docker();
const runtime = new DockerRuntime({ instance, dockerHost: process.env.DOCKER_HOST });

/** Why the engine-backed tests cannot run here, or null when they can. */
function engineMissing(): string | null {
  try {
    execFileSync('docker', ['version'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    return 'no Docker engine answers';
  }
  try {
    execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    return `the sandbox image ${image} is missing (npm run image)`;
  }
  return null;
}

const missing = engineMissing();
if (missing !== null) {
  if (process.env.CI === 'true') {
    throw new Error(`runtime tests need Docker: ${missing}`);
  }
  console.warn(`\n!!! SKIPPING runtime integration tests: ${missing}\n`);
}

function spec(overrides: Partial<SandboxSpec> = {}): SandboxSpec {
  const sessionId = overrides.sessionId ?? randomUUID();
  return {
    sessionId,
    userId: overrides.userId ?? randomUUID(),
    image,
    env: {
      CCR_SESSION_ID: sessionId,
      CCR_SESSION_NAME: 'runtime-test',
      CCR_BRANCH: 'main',
      CCR_WORK_BRANCH: 'ccr/runtime-test',
      CCR_GIT_NAME: 'Runtime Test',
      CCR_GIT_EMAIL: 'runtime@test.local',
      CCR_CLAUDE_PERMISSION_MODE: 'default',
    },
    resources: { memoryMb: 512, cpus: 0.5, pids: 256 },
    ...overrides,
  };
}

async function volumeExists(name: string): Promise<boolean> {
  try {
    await docker.getVolume(name).inspect();
    return true;
  } catch {
    return false;
  }
}

async function containerExists(name: string): Promise<boolean> {
  try {
    await docker.getContainer(name).inspect();
    return true;
  } catch {
    return false;
  }
}

/** Reads the followed log until a line satisfies `match`, or fails at the deadline. */
async function waitForLogLine(
  sessionId: string,
  match: (line: string) => boolean,
  options: LogsOptions = { tail: 200 },
  timeoutMs = 150_000,
): Promise<string> {
  const stream = await runtime.followLogs(sessionId, options);
  try {
    return await new Promise<string>((resolve, reject) => {
      let rest = '';
      const timer = setTimeout(
        () => reject(new Error(`no matching log line within ${timeoutMs} ms; saw: ${rest}`)),
        timeoutMs,
      );
      stream.on('data', (chunk: Buffer) => {
        rest += chunk.toString('utf8');
        const lines = rest.split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          if (match(line)) {
            clearTimeout(timer);
            resolve(line);
            return;
          }
        }
      });
      stream.once('end', () => {
        clearTimeout(timer);
        reject(new Error('log stream ended before the line appeared'));
      });
    });
  } finally {
    stream.destroy();
  }
}

function isReadyLine(line: string): boolean {
  try {
    return AgentLineSchema.parse(JSON.parse(line)).type === 'agent.ready';
  } catch {
    return false;
  }
}

async function cleanup(): Promise<void> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`ccr.instance=${instance}`] },
  });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  const { Volumes } = await docker.listVolumes({
    filters: { label: [`ccr.instance=${instance}`] },
  });
  await Promise.all(
    (Volumes ?? []).map((v) =>
      docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined),
    ),
  );
}

describe.skipIf(missing !== null)('DockerRuntime against the real engine', () => {
  afterAll(cleanup);

  describe('a session container through its life', () => {
    const session = spec();

    beforeAll(async () => {
      await runtime.create(session);
    });

    it('creates the container with the limits, labels and volumes, not started', async () => {
      const info = await runtime.inspect(session.sessionId);
      expect(info).toMatchObject({
        sessionId: session.sessionId,
        userId: session.userId,
        state: 'created',
        startedAt: null,
        exitCode: null,
        oomKilled: false,
      });
      const raw = await docker.getContainer(runtime.containerName(session.sessionId)).inspect();
      expect(raw.Config.Labels).toMatchObject({
        'ccr.managed': '1',
        'ccr.instance': instance,
        'ccr.session-id': session.sessionId,
        'ccr.user-id': session.userId,
      });
      expect(raw.Config.Tty).toBe(false);
      expect(raw.Config.Env).toContain(`CCR_SESSION_ID=${session.sessionId}`);
      expect(raw.HostConfig).toMatchObject({
        Memory: 512 * 1024 * 1024,
        MemorySwap: 512 * 1024 * 1024,
        NanoCpus: 500_000_000,
        PidsLimit: 256,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
      });
      expect(raw.HostConfig.Binds ?? []).toEqual([]);
      expect(Object.keys((raw.HostConfig.PortBindings ?? {}) as object)).toEqual([]);
      const mounts = raw.Mounts.map((m) => [m.Type, m.Name, m.Destination]);
      expect(mounts).toEqual(
        expect.arrayContaining([
          ['volume', runtime.workspaceVolumeName(session.sessionId), '/workspace'],
          ['volume', runtime.homeVolumeName(session.userId), '/home/dev/.claude'],
        ]),
      );
      expect(raw.Mounts.every((m) => m.Type === 'volume')).toBe(true);
      const volume = await docker
        .getVolume(runtime.workspaceVolumeName(session.sessionId))
        .inspect();
      expect(volume.Labels).toMatchObject({
        'ccr.instance': instance,
        'ccr.session-id': session.sessionId,
      });
    });

    it('starts, and the agent reports ready on stdout', async () => {
      await runtime.start(session.sessionId);
      await runtime.start(session.sessionId); // already running: no-op
      const line = await waitForLogLine(session.sessionId, isReadyLine);
      expect(JSON.parse(line)).toMatchObject({ ccr: 1, type: 'agent.ready' });
      const info = await runtime.inspect(session.sessionId);
      expect(info?.state).toBe('running');
      expect(info?.startedAt).not.toBeNull();
    });

    it('runs commands with separate stdout, stderr, exit code and stdin', async () => {
      const result = await runtime.exec(session.sessionId, [
        'sh',
        '-c',
        'echo out; echo err >&2; exit 3',
      ]);
      expect(result).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });

      const piped = await runtime.exec(session.sessionId, ['cat'], { stdin: 'through stdin' });
      expect(piped).toEqual({ exitCode: 0, stdout: 'through stdin', stderr: '' });

      const env = await runtime.exec(
        session.sessionId,
        ['sh', '-c', 'echo "$GREETING"; pwd; id -u'],
        {
          env: { GREETING: 'hi' },
          workingDir: '/tmp',
        },
      );
      expect(env.stdout).toBe('hi\n/tmp\n1000\n');
    });

    it('times out a command that runs too long', async () => {
      const error = await runtime
        .exec(session.sessionId, ['sleep', '30'], { timeoutMs: 300 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error as RuntimeError).code).toBe('RUNTIME_TIMEOUT');
    });

    it('runs a process with a TTY, resizes it and reports its exit code', async () => {
      const tty = await runtime.execTty(
        session.sessionId,
        ['bash', '-c', 'read -r line; echo "got:$line"; stty size; read -r _; stty size; exit 7'],
        { cols: 101, rows: 33 },
      );
      let output = '';
      tty.stream.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      const waitFor = async (text: string): Promise<void> => {
        const deadline = Date.now() + 10_000;
        while (!output.includes(text)) {
          if (Date.now() > deadline) {
            throw new Error(`"${text}" not seen in ${JSON.stringify(output)}`);
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      tty.stream.write('hello\r');
      await waitFor('got:hello');
      await waitFor('33 101');
      await tty.resize(120, 40);
      tty.stream.write('\r');
      await waitFor('40 120');
      expect(await tty.exited()).toBe(7);
    });

    it('returns the log as text and follows it', async () => {
      const text = await runtime.logs(session.sessionId);
      expect(text.split('\n').some(isReadyLine)).toBe(true);
      const tail = await runtime.logs(session.sessionId, { tail: 1 });
      expect(tail.trim().split('\n')).toHaveLength(1);
      const followed = await runtime.followLogs(session.sessionId, { tail: 0 });
      const closed = new Promise((resolve) => followed.once('close', resolve));
      followed.destroy();
      await closed;
    });

    it('samples usage', async () => {
      const usage = await runtime.stats(session.sessionId);
      expect(usage.memoryLimitBytes).toBe(512 * 1024 * 1024);
      expect(usage.memoryBytes).toBeGreaterThan(0);
      expect(usage.memoryBytes).toBeLessThan(usage.memoryLimitBytes);
      expect(usage.pids).toBeGreaterThan(0);
      expect(usage.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(Number.isNaN(Date.parse(usage.at))).toBe(false);
    });

    it('lists the container by its labels', async () => {
      const other = new DockerRuntime({ instance: `${instance}-other` });
      const mine = await runtime.list();
      expect(mine.map((s) => s.sessionId)).toContain(session.sessionId);
      expect((await other.list()).map((s) => s.sessionId)).not.toContain(session.sessionId);
    });

    it('stops and starts again keeping the workspace', async () => {
      await runtime.exec(session.sessionId, ['sh', '-c', 'echo kept > /workspace/kept.txt']);
      await runtime.stop(session.sessionId, 5);
      await runtime.stop(session.sessionId, 5); // not running: no-op
      const stopped = await runtime.inspect(session.sessionId);
      expect(stopped?.state).toBe('exited');
      expect(stopped?.finishedAt).not.toBeNull();
      expect(stopped?.exitCode).not.toBeNull();
      const notRunning = await runtime.exec(session.sessionId, ['true']).catch((e: unknown) => e);
      expect(notRunning).toBeInstanceOf(RuntimeError);

      const restartedAt = Math.floor(Date.now() / 1000);
      await runtime.start(session.sessionId);
      // The agent reports ready again after each start.
      await waitForLogLine(session.sessionId, isReadyLine, { since: restartedAt });
      const kept = await runtime.exec(session.sessionId, ['cat', '/workspace/kept.txt']);
      expect(kept.stdout).toBe('kept\n');
    });

    it('removes the container and the workspace volume, keeping the home volume', async () => {
      await runtime.remove(session.sessionId);
      expect(await runtime.inspect(session.sessionId)).toBeNull();
      expect(await containerExists(runtime.containerName(session.sessionId))).toBe(false);
      expect(await volumeExists(runtime.workspaceVolumeName(session.sessionId))).toBe(false);
      expect(await volumeExists(runtime.homeVolumeName(session.userId))).toBe(true);
      await runtime.remove(session.sessionId); // idempotent
      const error = await runtime.start(session.sessionId).catch((e: unknown) => e);
      expect((error as RuntimeError).code).toBe('SANDBOX_NOT_FOUND');
    });
  });

  describe('a failure inside the engine during create leaves nothing behind', () => {
    it('an option the engine refuses (memory below its minimum)', async () => {
      const bad = spec({ resources: { memoryMb: 1, cpus: 0.5, pids: 256 } });
      const error = await runtime.create(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RuntimeError);
      expect(await containerExists(runtime.containerName(bad.sessionId))).toBe(false);
      expect(await volumeExists(runtime.workspaceVolumeName(bad.sessionId))).toBe(false);
      expect(await volumeExists(runtime.homeVolumeName(bad.userId))).toBe(false);
    });

    it('a conflicting container name, without touching the container that holds it', async () => {
      const bad = spec();
      const squatter = await docker.createContainer({
        name: runtime.containerName(bad.sessionId),
        Image: image,
        Labels: { 'ccr.instance': instance },
      });
      const error = await runtime.create(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RuntimeError);
      expect((await squatter.inspect()).Id).toBe(squatter.id);
      expect(await volumeExists(runtime.workspaceVolumeName(bad.sessionId))).toBe(false);
      expect(await volumeExists(runtime.homeVolumeName(bad.userId))).toBe(false);
    });

    it('a missing image is IMAGE_NOT_FOUND, and an existing home volume survives', async () => {
      const first = spec();
      await runtime.create(first);
      const bad = spec({ userId: first.userId, image: `ccr-missing-${instance}:none` });
      const error = await runtime.create(bad).catch((e: unknown) => e);
      expect((error as RuntimeError).code).toBe('IMAGE_NOT_FOUND');
      expect(await containerExists(runtime.containerName(bad.sessionId))).toBe(false);
      expect(await volumeExists(runtime.workspaceVolumeName(bad.sessionId))).toBe(false);
      expect(await volumeExists(runtime.homeVolumeName(first.userId))).toBe(true);
      await runtime.remove(first.sessionId);
    });
  });

  describe('engine reachability', () => {
    it('pings, knows images, and reports an unreachable engine as unavailable', async () => {
      await runtime.ping();
      expect(await runtime.hasImage(image)).toBe(true);
      expect(await runtime.hasImage(`ccr-missing-${instance}:none`)).toBe(false);
      const nowhere = new DockerRuntime({
        instance,
        dockerHost: 'unix:///nonexistent/docker.sock',
      });
      const error = await nowhere.ping().catch((e: unknown) => e);
      expect((error as RuntimeError).code).toBe('RUNTIME_UNAVAILABLE');
    });
  });
});
