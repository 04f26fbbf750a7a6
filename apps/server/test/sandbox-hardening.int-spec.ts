// The container settings of a sandbox, checked from inside (what the code in it can do) and
// from the engine (what was asked for), against the real engine and the real image. Every
// resource carries ccr.instance=<this file's instance> and is removed by that label.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentStatusSchema } from '@ccr/protocol/agent';
import { DockerRuntime } from '../src/runtime/docker/docker.runtime';
import { RuntimeError } from '../src/runtime/runtime.errors';
import type { SandboxSpec } from '../src/runtime/runtime.port';
import { removeInstanceResources } from './support/test-app';

const image = process.env.CCR_SANDBOX_IMAGE ?? 'ccr-sandbox:latest';
const instance = `test-${randomBytes(4).toString('hex')}`;
const docker = new Docker();
const NOFILE = 8192;
const BOMB_PIDS = 128;
const runtime = new DockerRuntime({
  instance,
  dockerHost: process.env.DOCKER_HOST,
  nofileLimit: NOFILE,
});

function engineMissing(): string | null {
  try {
    execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore', timeout: 10_000 });
    return null;
  } catch {
    return `no Docker engine answers, or the sandbox image ${image} is missing (npm run image)`;
  }
}

const missing = engineMissing();
if (missing !== null) {
  if (process.env.CI === 'true') {
    throw new Error(`sandbox hardening tests need Docker: ${missing}`);
  }
  console.warn(`\n!!! SKIPPING sandbox hardening tests: ${missing}\n`);
}

function spec(name: string, pids = 256): SandboxSpec {
  const sessionId = randomUUID();
  return {
    sessionId,
    userId: randomUUID(),
    image,
    env: {
      CCR_SESSION_ID: sessionId,
      CCR_SESSION_NAME: name,
      CCR_BRANCH: 'main',
      CCR_WORK_BRANCH: `ccr/${name}`,
      CCR_GIT_NAME: 'Hardening Test',
      CCR_GIT_EMAIL: 'hardening@test.local',
      CCR_CLAUDE_PERMISSION_MODE: 'default',
      CCR_AUTO_COMMIT: 'false',
    },
    resources: { memoryMb: 512, cpus: 0.5, pids },
  };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms (last error: ${String(last)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

async function startReady(session: SandboxSpec): Promise<void> {
  await runtime.create(session);
  await runtime.start(session.sessionId);
  await until(
    `agent of ${session.env.CCR_SESSION_NAME} ready`,
    async () => {
      const result = await runtime.exec(session.sessionId, ['ccr-agent', 'status', '--json'], {
        timeoutMs: 10_000,
      });
      return AgentStatusSchema.parse(JSON.parse(result.stdout)).ready ? true : undefined;
    },
    120_000,
  );
}

/** Runs a shell snippet as the sandbox's default user. */
function sh(sessionId: string, script: string, timeoutMs = 30_000) {
  return runtime.exec(sessionId, ['sh', '-c', script], { timeoutMs });
}

function statusField(status: string, field: string): string {
  const match = new RegExp(`^${field}:\\s*(\\S+)`, 'm').exec(status);
  if (match?.[1] === undefined) {
    throw new Error(`${field} missing from /proc/self/status`);
  }
  return match[1];
}

describe.skipIf(missing !== null)('sandbox hardening (real engine and image)', () => {
  const main = spec('hardened');
  const other = spec('bystander');

  beforeAll(async () => {
    await Promise.all([startReady(main), startReady(other)]);
  }, 240_000);

  afterAll(async () => {
    await removeInstanceResources(instance);
  }, 60_000);

  describe('privileges', () => {
    it('runs with no capability, no new privileges, the default seccomp filter and not as root', async () => {
      const { stdout: status } = await sh(main.sessionId, 'cat /proc/self/status');
      expect(statusField(status, 'CapEff')).toBe('0000000000000000');
      expect(statusField(status, 'CapPrm')).toBe('0000000000000000');
      expect(statusField(status, 'CapBnd')).toBe('0000000000000000');
      expect(statusField(status, 'NoNewPrivs')).toBe('1');
      // 2: a seccomp filter is installed (Docker's default profile); 0 would be unconfined.
      expect(statusField(status, 'Seccomp')).toBe('2');
      const id = await sh(main.sessionId, 'id -u; id -g');
      expect(id.stdout).toBe('1000\n1000\n');
      // The agent itself (pid 1's child) runs as dev too, not just our exec.
      const agent = await sh(main.sessionId, 'ps -o user= -p 1; ps -eo user= | sort -u');
      expect(agent.stdout.split('\n').filter(Boolean)).toEqual(['dev', 'dev']);
    });

    it('has no sudo and no setuid or setgid program, and su cannot become root', async () => {
      const sudo = await sh(main.sessionId, 'command -v sudo');
      expect(sudo.exitCode).not.toBe(0);
      expect(sudo.stdout).toBe('');
      const setuid = await sh(main.sessionId, 'find / -xdev -type f -perm /6000 2>/dev/null');
      expect(setuid.stdout).toBe('');
      const su = await runtime.exec(main.sessionId, ['su', '-c', 'id -u'], {
        stdin: 'guess\n',
        timeoutMs: 15_000,
      });
      expect(su.exitCode).not.toBe(0);
      expect(su.stdout.trim()).not.toBe('0');
    });

    // Defence in depth: as uid 1000 these fail even with capabilities left in the bounding set;
    // switching CapDrop off alone is caught by the CapEff/CapBnd test and the inspect test.
    it('cannot use what capabilities guard (chown, raw sockets, mknod)', async () => {
      const chown = await sh(main.sessionId, 'touch /tmp/owned && chown 0:0 /tmp/owned');
      expect(chown.exitCode).not.toBe(0);
      const mknod = await sh(main.sessionId, 'mknod /tmp/null c 1 3');
      expect(mknod.exitCode).not.toBe(0);
      const raw = await sh(
        main.sessionId,
        `python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)'`,
      );
      expect(raw.exitCode).not.toBe(0);
      expect(raw.stderr).toContain('PermissionError');
    });
  });

  describe('filesystem', () => {
    it('has a read-only root: /usr, /etc, /var and / cannot be written', async () => {
      for (const path of ['/usr/local/bin/x', '/usr/x', '/etc/x', '/var/x', '/x']) {
        const result = await sh(main.sessionId, `echo x >> ${path}`);
        expect(result.exitCode, path).not.toBe(0);
        expect(result.stderr, path).toMatch(/Read-only file system/);
      }
    });

    it('keeps /workspace, /home/dev (with ~/.claude) and a size-limited /tmp writable', async () => {
      const result = await sh(
        main.sessionId,
        [
          'set -e',
          'for dir in /workspace /home/dev /home/dev/.claude /tmp; do',
          '  echo ok > "$dir/.probe" && cat "$dir/.probe" && rm "$dir/.probe"',
          'done',
          "stat -c '%a %U' /tmp",
          "df -k /tmp | awk 'NR==2 {print $2}'",
          "grep ' /tmp ' /proc/mounts",
        ].join('\n'),
      );
      expect(result.stderr).toBe('');
      const lines = result.stdout.trim().split('\n');
      expect(lines.slice(0, 4)).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(lines[4]).toBe('1777 root');
      expect(Number(lines[5])).toBe(512 * 1024);
      expect(lines[6]).toMatch(/^tmpfs \/tmp tmpfs rw,nosuid,nodev/);
    });

    it('keeps the image dotfiles in the session home, and every tool works on the read-only root', async () => {
      const result = await sh(
        main.sessionId,
        [
          'set -e',
          'test -f ~/.bashrc && test -f ~/.profile',
          'mkdir -p ~/.cache/probe ~/.npm ~/.local/share && touch ~/.cache/probe/x',
          // Bash history, as an interactive shell writes it on exit.
          `echo 'echo hardened-history' | HISTFILE=~/.bash_history bash -i >/dev/null 2>&1`,
          'grep -q hardened-history ~/.bash_history',
          // git: commit in the workspace, and global config in the home.
          'git config --global core.pager cat',
          'cd /workspace && echo x > probe.txt && git add probe.txt',
          'git -c user.name=t -c user.email=t@t commit -qm probe && git log -1 --format=%s',
          'git rm -q probe.txt && git -c user.name=t -c user.email=t@t commit -qm unprobe',
          // Temp files of node and python land in /tmp.
          `node -e "const f=require('fs'),p=require('path'),d=f.mkdtempSync(p.join(require('os').tmpdir(),'n-'));f.writeFileSync(p.join(d,'x'),'1');console.log('node-tmp')"`,
          `python3 -c "import tempfile; tempfile.NamedTemporaryFile().write(b'x'); print('py-tmp')"`,
          'claude --version >/dev/null && echo claude-ok',
          'tmux ls -F "#{session_name}" | sort | tr "\\n" " "',
        ].join('\n'),
      );
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('probe\nnode-tmp\npy-tmp\nclaude-ok\nclaude shell ');
      // Claude Code itself started in its terminal despite the read-only root.
      const screen = await until(
        'Claude Code on the claude terminal',
        async () => {
          const pane = await runtime.exec(main.sessionId, [
            'tmux',
            'capture-pane',
            '-p',
            '-t',
            'claude',
          ]);
          return pane.stdout.includes('Claude Code') ? pane.stdout : undefined;
        },
        60_000,
      );
      expect(screen).not.toMatch(/EROFS|read-only file system/i);
    });

    it('mounts only named volumes: the workspace and home of the session, ~/.claude of the user', async () => {
      const raw = await docker.getContainer(runtime.containerName(main.sessionId)).inspect();
      const mounts = raw.Mounts.map((m) => [m.Type, m.Name, m.Destination]).sort((a, b) =>
        String(a[2]).localeCompare(String(b[2])),
      );
      expect(mounts).toEqual([
        ['volume', runtime.sessionHomeVolumeName(main.sessionId), '/home/dev'],
        ['volume', runtime.homeVolumeName(main.userId), '/home/dev/.claude'],
        ['volume', runtime.workspaceVolumeName(main.sessionId), '/workspace'],
      ]);
      const homeVolume = await docker
        .getVolume(runtime.sessionHomeVolumeName(main.sessionId))
        .inspect();
      expect(homeVolume.Labels).toMatchObject({
        'ccr.instance': instance,
        'ccr.session-id': main.sessionId,
        'ccr.volume': 'session-home',
      });
    });
  });

  describe('what the engine was asked for', () => {
    it('a read-only, capability-free, unprivileged container with limits and rotating logs', async () => {
      const raw = await docker.getContainer(runtime.containerName(main.sessionId)).inspect();
      const host = raw.HostConfig as Docker.HostConfig & {
        Tmpfs?: Record<string, string>;
        Runtime?: string;
      };
      expect(raw.Config.User).toBe('1000:1000');
      expect(host.ReadonlyRootfs).toBe(true);
      expect(host.Privileged).toBe(false);
      expect(host.CapDrop).toEqual(['ALL']);
      expect(host.CapAdd ?? []).toEqual([]);
      expect(host.SecurityOpt).toEqual(['no-new-privileges']);
      expect(JSON.stringify(host.SecurityOpt)).not.toMatch(/unconfined|seccomp|apparmor/);
      expect(host.Tmpfs).toEqual({ '/tmp': 'rw,exec,nosuid,nodev,size=512m,mode=1777' });
      expect(host.Ulimits).toEqual([{ Name: 'nofile', Soft: NOFILE, Hard: NOFILE }]);
      expect(host.PidsLimit).toBe(256);
      expect(host.Memory).toBe(512 * 1024 * 1024);
      expect(host.MemorySwap).toBe(512 * 1024 * 1024);
      expect(host.NanoCpus).toBe(500_000_000);
      expect(host.LogConfig).toEqual({
        Type: 'json-file',
        Config: { 'max-size': '10m', 'max-file': '3' },
      });
      // The engine's default OCI runtime when CCR_DOCKER_RUNTIME is unset.
      expect(host.Runtime).toBe('runc');
      // Exposure: no host path (so no Docker socket), no port published.
      expect(host.Binds ?? []).toEqual([]);
      expect(raw.Mounts.filter((m) => m.Type !== 'volume')).toEqual([]);
      expect(JSON.stringify(raw.Mounts)).not.toContain('docker.sock');
      expect(host.PublishAllPorts).toBe(false);
      expect(Object.keys((host.PortBindings ?? {}) as object)).toEqual([]);
      expect(Object.keys(raw.NetworkSettings.Ports ?? {})).toEqual([]);
      expect(host.PidMode ?? '').toBe('');
      expect(host.IpcMode).not.toBe('host');
      expect(host.NetworkMode).not.toBe('host');
      expect(host.Devices ?? []).toEqual([]);
    });

    it('the nofile limit holds inside', async () => {
      const result = await sh(main.sessionId, 'ulimit -Sn; ulimit -Hn');
      expect(result.stdout).toBe(`${NOFILE}\n${NOFILE}\n`);
      const raise = await sh(main.sessionId, `ulimit -n ${NOFILE * 2}`);
      expect(raise.exitCode).not.toBe(0);
    });
  });

  describe('OCI runtime (CCR_DOCKER_RUNTIME)', () => {
    it('runs the sandbox under the configured runtime, and an unknown one fails cleanly', async () => {
      // Registered by every Docker engine besides runc, so the option is exercised for real.
      const alternative = new DockerRuntime({ instance, ociRuntime: 'io.containerd.runc.v2' });
      const session = spec('oci-runtime');
      await alternative.create(session);
      const raw = await docker.getContainer(alternative.containerName(session.sessionId)).inspect();
      expect((raw.HostConfig as { Runtime?: string }).Runtime).toBe('io.containerd.runc.v2');
      await alternative.remove(session.sessionId);

      const unknown = new DockerRuntime({ instance, ociRuntime: `ccr-none-${instance}` });
      const bad = spec('bad-runtime');
      const error = await unknown.create(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RuntimeError);
      const leftovers = await docker.listVolumes({
        filters: { label: [`ccr.session-id=${bad.sessionId}`] },
      });
      expect(leftovers.Volumes ?? []).toEqual([]);
    });
  });

  describe('limits', () => {
    it('holds a fork bomb at the pids limit while another session stays responsive', async () => {
      const bombed = spec('bombed', BOMB_PIDS);
      await startReady(bombed);
      // The bomb's first call returns at once, so a sleeper keeps its shell alive; timeout (without
      // --foreground) then kills the whole process group, bomb included, when time is up.
      const bomb = sh(
        bombed.sessionId,
        `timeout -s KILL 20 bash -c 'sleep 600 & s=$!; :(){ :|:& };:; wait $s' 2>/dev/null; echo "bomb ended $?"`,
        60_000,
      );
      const peak = await until(
        'the bomb reaching the pids limit',
        async () => {
          const { pids } = await runtime.stats(bombed.sessionId);
          return pids >= BOMB_PIDS - 2 ? pids : undefined;
        },
        20_000,
      );
      expect(peak).toBeLessThanOrEqual(BOMB_PIDS);
      // The bystander answers promptly while the bomb is at its limit.
      const started = Date.now();
      const answer = await runtime.exec(
        other.sessionId,
        ['sh', '-c', 'echo alive; ls /workspace >/dev/null'],
        {
          timeoutMs: 5_000,
        },
      );
      const elapsed = Date.now() - started;
      expect(answer.stdout).toBe('alive\n');
      expect(elapsed).toBeLessThan(5_000);
      expect((await runtime.stats(bombed.sessionId)).pids).toBeGreaterThanOrEqual(BOMB_PIDS - 8);

      // 137: the bomb ran until timeout killed it, held at the limit rather than finishing.
      expect((await bomb).stdout).toBe('bomb ended 137\n');
      // Once the bomb is gone the bombed session itself recovers: the agent still runs.
      await until(
        'the bombed session recovering',
        async () => {
          const status = await runtime.exec(bombed.sessionId, ['ccr-agent', 'status', '--json'], {
            timeoutMs: 10_000,
          });
          return AgentStatusSchema.parse(JSON.parse(status.stdout)).ready ? true : undefined;
        },
        30_000,
      );
      expect((await runtime.inspect(bombed.sessionId))?.state).toBe('running');
    }, 120_000);
  });

  describe('removal', () => {
    it('removes the session home volume with the session, keeping the user volume', async () => {
      const session = spec('removed');
      await runtime.create(session);
      const names = [
        runtime.workspaceVolumeName(session.sessionId),
        runtime.sessionHomeVolumeName(session.sessionId),
      ];
      for (const name of names) {
        expect((await docker.getVolume(name).inspect()).Name).toBe(name);
      }
      await runtime.remove(session.sessionId);
      for (const name of names) {
        const gone = await docker
          .getVolume(name)
          .inspect()
          .catch((e: unknown) => e);
        expect((gone as { statusCode?: number }).statusCode, name).toBe(404);
      }
      const user = await docker.getVolume(runtime.homeVolumeName(session.userId)).inspect();
      expect(user.Name).toBe(runtime.homeVolumeName(session.userId));
    });
  });
});
