// The sandbox image for real: containers from the built image on the local Docker engine,
// real git (a bare repository served over dumb HTTP from a second container), the real
// Claude Code binary in tmux. Uses the docker CLI; every resource carries `ccr.test=<id>`.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentLineSchema, AgentStatusSchema, type AgentLine } from '@ccr/protocol/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const IMAGE = process.env.CCR_SANDBOX_IMAGE || 'ccr-sandbox:latest';
const TEST_ID = `sbx-${randomBytes(4).toString('hex')}`;
const LABEL = `ccr.test=${TEST_ID}`;
const CLAUDE_VERSION = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
    ccr: { claudeCodeVersion: string };
  }
).ccr.claudeCodeVersion;

// Screens Claude Code shows on a first run; none may appear in the claude terminal.
const FIRST_RUN_PHRASES = [
  'Welcome to Claude Code',
  'Choose the text style',
  'Select login method',
  'Quick safety check',
  'Yes, I trust this folder',
  'Do you trust the files in this folder',
  'Bypass Permissions mode',
  'Detected a custom API key',
];
const RESTART_PROMPT = 'Press any key to restart Claude Code';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function docker(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('docker', args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function dockerOk(args: readonly string[]): Promise<string> {
  const result = await docker(args);
  if (result.code !== 0) {
    throw new Error(`docker ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** Polls `check` until it returns a value other than undefined, or fails at the deadline. */
async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 1000);
  }
}

async function agentLines(container: string): Promise<AgentLine[]> {
  const { stdout } = await docker(['logs', container]);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => AgentLineSchema.parse(JSON.parse(line)));
}

/** Waits until the container has printed `count` agent.ready lines; fails fast on agent.failed. */
async function waitForReady(container: string, count = 1): Promise<AgentLine> {
  return waitFor(`agent.ready #${count} from ${container}`, async () => {
    const lines = await agentLines(container);
    const failed = lines.find((line) => line.type === 'agent.failed');
    if (failed) {
      throw new Error(`agent failed: ${JSON.stringify(failed.data)}`);
    }
    const ready = lines.filter((line) => line.type === 'agent.ready');
    return ready.length >= count ? ready[count - 1] : undefined;
  });
}

function exec(container: string, command: readonly string[]): Promise<Run> {
  return docker(['exec', container, ...command]);
}

async function sh(container: string, script: string): Promise<string> {
  return (await dockerOk(['exec', container, 'sh', '-c', script])).trim();
}

function capturePane(container: string, terminal: string): Promise<string> {
  return sh(container, `tmux capture-pane -p -t ${terminal}`);
}

function waitForPane(
  container: string,
  terminal: string,
  accept: (screen: string) => boolean,
): Promise<string> {
  return waitFor(`the ${terminal} pane to show the expected screen`, async () => {
    const screen = await capturePane(container, terminal);
    return accept(screen) ? screen : undefined;
  });
}

const showsClaudePrompt = (screen: string): boolean =>
  screen.includes(`Claude Code v${CLAUDE_VERSION}`) &&
  screen.includes('❯') &&
  !screen.includes(RESTART_PROMPT);

async function startSandbox(
  name: string,
  env: Record<string, string>,
  extra: readonly string[] = [],
): Promise<string> {
  const envArgs = Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
  const volumes = ['ws', 'home'].map((kind) => `${TEST_ID}-${name}-${kind}`);
  for (const volume of volumes) {
    await dockerOk(['volume', 'create', '--label', LABEL, volume]);
  }
  const container = `${TEST_ID}-${name}`;
  await dockerOk([
    'run',
    '--detach',
    '--name',
    container,
    '--label',
    LABEL,
    '--volume',
    `${volumes[0]}:/workspace`,
    '--volume',
    `${volumes[1]}:/home/dev/.claude`,
    ...envArgs,
    ...extra,
    IMAGE,
  ]);
  return container;
}

async function removeByLabel(): Promise<void> {
  const containers = (await docker(['ps', '-aq', '--filter', `label=${LABEL}`])).stdout
    .split('\n')
    .filter(Boolean);
  if (containers.length > 0) {
    await docker(['rm', '--force', '--volumes', ...containers]);
  }
  const volumes = (await docker(['volume', 'ls', '-q', '--filter', `label=${LABEL}`])).stdout
    .split('\n')
    .filter(Boolean);
  if (volumes.length > 0) {
    await docker(['volume', 'rm', '--force', ...volumes]);
  }
  const networks = (await docker(['network', 'ls', '-q', '--filter', `label=${LABEL}`])).stdout
    .split('\n')
    .filter(Boolean);
  if (networks.length > 0) {
    await docker(['network', 'rm', ...networks]);
  }
}

beforeAll(async () => {
  const inspect = await docker(['image', 'inspect', IMAGE]);
  if (inspect.code !== 0) {
    throw new Error(`the sandbox image ${IMAGE} is missing: build it with \`npm run image\``);
  }
});

afterAll(async () => {
  await removeByLabel();
});

describe('sandbox image without a repository', () => {
  let container: string;
  const workBranch = 'ccr/int-test';

  beforeAll(async () => {
    container = await startSandbox('plain', {
      CCR_SESSION_ID: 'session-1',
      CCR_SESSION_NAME: 'int-test',
      CCR_WORK_BRANCH: workBranch,
      CCR_GIT_NAME: 'Ada Lovelace',
      CCR_GIT_EMAIL: 'ada@example.test',
      CCR_CLAUDE_PERMISSION_MODE: 'bypassPermissions',
      // These tests count commits; auto-commit has its own tests (apps/server/test/auto-commit).
      CCR_AUTO_COMMIT: 'false',
    });
    const ready = await waitForReady(container);
    expect(ready.type === 'agent.ready' && ready.data).toMatchObject({
      terminals: ['claude', 'shell'],
      workBranch,
    });
  });

  it('runs as the unprivileged user dev with Node 24 and Claude Code', async () => {
    expect(await sh(container, 'id -u')).not.toBe('0');
    expect(await sh(container, 'id -un')).toBe('dev');
    expect(await sh(container, 'claude --version')).toContain(CLAUDE_VERSION);
    expect(await sh(container, 'node --version')).toMatch(/^v24\./);
    expect((await exec(container, ['sh', '-c', 'command -v sudo'])).code).not.toBe(0);
  });

  it('prepares the workspace on the work branch with the user identity', async () => {
    expect(await sh(container, 'git -C /workspace branch --show-current')).toBe(workBranch);
    expect(await sh(container, 'git -C /workspace config user.email')).toBe('ada@example.test');
    expect(await sh(container, 'git -C /workspace config user.name')).toBe('Ada Lovelace');
    expect(await sh(container, 'git -C /workspace log --format=%s')).toBe('Initial commit');
  });

  it('starts both terminals and reports ready', async () => {
    const sessions = (await sh(container, "tmux list-sessions -F '#{session_name}'"))
      .split('\n')
      .sort();
    expect(sessions).toEqual(['claude', 'shell']);
    const status = AgentStatusSchema.parse(
      JSON.parse(await sh(container, 'ccr-agent status --json')),
    );
    expect(status).toMatchObject({ ready: true, workBranch });
    expect(status.head).toMatch(/^[0-9a-f]{40}$/);
    expect(await sh(container, "tmux display-message -p -t shell '#{pane_current_path}'")).toBe(
      '/workspace',
    );
  });

  it('opens Claude Code straight at its prompt, with no first-run questions', async () => {
    const screen = await waitForPane(container, 'claude', showsClaudePrompt);
    for (const phrase of FIRST_RUN_PHRASES) {
      expect(screen, phrase).not.toContain(phrase);
    }
    expect(screen).toContain('bypass permissions on');
    // Claude Code rewrites its global config at start (it migrates some keys elsewhere); the
    // answers it needs must survive that.
    const config = JSON.parse(await sh(container, 'cat /home/dev/.claude/.claude.json')) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      hasCompletedOnboarding: true,
      projects: { '/workspace': { hasTrustDialogAccepted: true } },
    });
    const settings = JSON.parse(
      await sh(container, 'cat /home/dev/.claude/settings.json'),
    ) as Record<string, unknown>;
    expect(settings).toMatchObject({ autoUpdates: false, env: { DISABLE_AUTOUPDATER: '1' } });
  });

  it('restarts Claude Code on a key after it exits, never leaving the pane dead', async () => {
    await waitForPane(container, 'claude', showsClaudePrompt);
    await dockerOk(['exec', container, 'pkill', '-TERM', '-x', 'claude']);
    const stopped = await waitForPane(container, 'claude', (screen) =>
      screen.includes(RESTART_PROMPT),
    );
    expect(stopped).toContain('exit code 143');
    expect(await sh(container, "tmux list-sessions -F '#{session_name}'")).toContain('claude');

    await dockerOk(['exec', container, 'tmux', 'send-keys', '-t', 'claude', 'x']);
    await waitForPane(container, 'claude', showsClaudePrompt);

    // Claude's own way out: Ctrl-C twice in quick succession.
    await dockerOk(['exec', container, 'tmux', 'send-keys', '-t', 'claude', 'C-c', 'C-c']);
    const exited = await waitForPane(container, 'claude', (screen) =>
      screen.includes(RESTART_PROMPT),
    );
    expect(exited).toContain('exit code 0');
    await dockerOk(['exec', container, 'tmux', 'send-keys', '-t', 'claude', 'Enter']);
    await waitForPane(container, 'claude', showsClaudePrompt);
  });

  it('brings the shell back when the user exits it', async () => {
    const before = await sh(container, "tmux display-message -p -t shell '#{session_created}'");
    await dockerOk(['exec', container, 'tmux', 'send-keys', '-t', 'shell', 'exit', 'Enter']);
    await waitFor('the agent to restart the shell', async () => {
      const lines = await agentLines(container);
      return lines.some(
        (line) =>
          line.type === 'agent.progress' && line.data.message === 'restarted terminal shell',
      )
        ? true
        : undefined;
    });
    const after = await exec(container, [
      'tmux',
      'display-message',
      '-p',
      '-t',
      'shell',
      '#{session_created}',
    ]);
    expect(after.code).toBe(0);
    expect(after.stdout.trim()).not.toBe(before);
  });

  it('ccr-attach refuses unknown or malformed terminals with exit code 2', async () => {
    expect((await exec(container, ['ccr-attach', 'nope', 'client-1'])).code).toBe(2);
    expect((await exec(container, ['ccr-attach', 'BAD;name', 'client-1'])).code).toBe(2);
    expect((await exec(container, ['ccr-attach', 'shell', 'bad/id'])).code).not.toBe(0);
    expect((await exec(container, ['ccr-agent', 'detach', '../etc'])).code).not.toBe(0);
  });

  it('ccr-agent detach ends the tmux client that ccr-attach started', async () => {
    const clientId = 'web-client_1';
    const attach = spawn('docker', ['exec', '-t', container, 'ccr-attach', 'shell', clientId], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      attach.on('close', (code) => resolve(code)),
    );
    attach.stdout.resume();
    attach.stderr.resume();

    const pid = await waitFor('the attach pid file', async () => {
      const result = await exec(container, ['cat', `/tmp/ccr-clients/${clientId}.pid`]);
      return result.code === 0 && result.stdout.trim() !== '' ? result.stdout.trim() : undefined;
    });
    await waitFor('the tmux client', async () =>
      (await sh(container, "tmux list-clients -F '#{client_pid}'")).split('\n').includes(pid)
        ? true
        : undefined,
    );

    expect((await exec(container, ['ccr-agent', 'detach', clientId])).code).toBe(0);
    await exited;
    await waitFor('the tmux client to go', async () =>
      (await sh(container, "tmux list-clients -F '#{client_pid}'")).split('\n').includes(pid)
        ? undefined
        : true,
    );
    expect(
      (await exec(container, ['test', '-e', `/tmp/ccr-clients/${clientId}.pid`])).code,
    ).not.toBe(0);
    expect((await exec(container, ['ps', '-p', pid])).code).not.toBe(0);
    // A second detach of the same client is not an error.
    expect((await exec(container, ['ccr-agent', 'detach', clientId])).code).toBe(0);
  });

  it('stop and start resumes the workspace', async () => {
    await sh(container, 'echo kept > /workspace/notes.txt');
    const head = await sh(container, 'git -C /workspace rev-parse HEAD');
    await dockerOk(['stop', '--time', '10', container]);
    await dockerOk(['start', container]);
    const ready = await waitForReady(container, 2);
    expect(ready.type === 'agent.ready' && ready.data).toMatchObject({ workBranch, head });
    expect(await sh(container, 'cat /workspace/notes.txt')).toBe('kept');
    expect(await sh(container, 'git -C /workspace branch --show-current')).toBe(workBranch);
    expect(await sh(container, 'git -C /workspace rev-list --count HEAD')).toBe('1');
    const lines = await agentLines(container);
    expect(
      lines.some(
        (line) => line.type === 'agent.progress' && line.data.message.includes('resuming'),
      ),
    ).toBe(true);
    await waitForPane(container, 'claude', showsClaudePrompt);
  });
});

describe('sandbox image with bad settings', () => {
  it('reports agent.failed naming the bad variable and exits non-zero', async () => {
    const container = await startSandbox('bad', {
      CCR_WORK_BRANCH: 'ccr/bad..branch',
      CCR_CLAUDE_PERMISSION_MODE: 'yolo',
    });
    const exitCode = await waitFor('the container to exit', async () => {
      const state = (
        await dockerOk(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', container])
      )
        .trim()
        .split(' ');
      return state[0] === 'exited' ? Number(state[1]) : undefined;
    });
    expect(exitCode).toBe(1);
    const lines = await agentLines(container);
    expect(lines.some((line) => line.type === 'agent.ready')).toBe(false);
    const failed = lines.find((line) => line.type === 'agent.failed');
    expect(failed?.type === 'agent.failed' && failed.data.message).toMatch(
      /CCR_WORK_BRANCH.*CCR_CLAUDE_PERMISSION_MODE/,
    );
  });
});

describe('sandbox image with a repository', () => {
  const network = `${TEST_ID}-net`;
  const gitServer = `${TEST_ID}-git`;

  beforeAll(async () => {
    await dockerOk(['network', 'create', '--label', LABEL, network]);
    // A bare repository with two commits on `develop`, served over git's dumb HTTP protocol.
    const serve = [
      'set -e',
      'mkdir -p /tmp/src /tmp/srv && cd /tmp/src',
      'git init -q -b main',
      'git -c user.name=t -c user.email=t@t.test commit -q --allow-empty -m first',
      'git checkout -q -b develop',
      'echo "from the remote" > README.md && git add README.md',
      'git -c user.name=t -c user.email=t@t.test commit -q -m second',
      'git clone -q --bare /tmp/src /tmp/srv/repo.git',
      'git -C /tmp/srv/repo.git update-server-info',
      'cd /tmp/srv && exec python3 -m http.server 8000',
    ].join(' && ');
    await dockerOk([
      'run',
      '--detach',
      '--name',
      gitServer,
      '--label',
      LABEL,
      '--network',
      network,
      '--network-alias',
      'gitsrv',
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      serve,
    ]);
    await waitFor('the git HTTP server', async () => {
      const result = await exec(gitServer, [
        'curl',
        '-sf',
        'http://localhost:8000/repo.git/info/refs',
      ]);
      return result.code === 0 && result.stdout.includes('refs/heads/develop') ? true : undefined;
    });
  });

  it('clones the repository at the branch and creates the work branch', async () => {
    const container = await startSandbox(
      'clone',
      {
        CCR_SESSION_NAME: 'clone-test',
        CCR_REPO_URL: 'http://gitsrv:8000/repo.git',
        CCR_BRANCH: 'develop',
        CCR_WORK_BRANCH: 'ccr/clone-test',
        CCR_GIT_NAME: 'Grace Hopper',
        CCR_GIT_EMAIL: 'grace@example.test',
      },
      ['--network', network],
    );
    await waitForReady(container);
    expect(await sh(container, 'cat /workspace/README.md')).toBe('from the remote');
    expect(await sh(container, 'git -C /workspace branch --show-current')).toBe('ccr/clone-test');
    expect(await sh(container, 'git -C /workspace log --format=%s')).toBe('second\nfirst');
    expect(await sh(container, 'git -C /workspace remote get-url origin')).toBe(
      'http://gitsrv:8000/repo.git',
    );
    expect(await sh(container, 'git -C /workspace config user.email')).toBe('grace@example.test');
    const lines = await agentLines(container);
    expect(
      lines.some((line) => line.type === 'agent.progress' && line.data.stage === 'clone'),
    ).toBe(true);

    // A restart resumes the clone instead of cloning again.
    await dockerOk(['restart', '--time', '10', container]);
    await waitForReady(container, 2);
    const after = await agentLines(container);
    expect(
      after.filter(
        (line) => line.type === 'agent.progress' && line.data.message.startsWith('cloning'),
      ),
    ).toHaveLength(1);
  });

  it('reports agent.failed at the clone stage for a repository that does not exist', async () => {
    const container = await startSandbox(
      'missing',
      {
        CCR_SESSION_NAME: 'missing',
        CCR_REPO_URL: 'http://gitsrv:8000/missing.git',
        CCR_WORK_BRANCH: 'ccr/missing',
      },
      ['--network', network],
    );
    const exitCode = await waitFor('the container to exit', async () => {
      const state = (
        await dockerOk(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', container])
      )
        .trim()
        .split(' ');
      return state[0] === 'exited' ? Number(state[1]) : undefined;
    });
    expect(exitCode).not.toBe(0);
    const failed = (await agentLines(container)).find((line) => line.type === 'agent.failed');
    expect(failed?.data).toMatchObject({ stage: 'clone' });
    expect(failed?.type === 'agent.failed' && failed.data.message).toContain('missing.git');
  });
});
