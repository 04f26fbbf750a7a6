// Prepares /workspace with real git, following the pure plan in workspace-plan.ts. A cloned
// repository is hostile: no submodules, no ext:: or file:// transports, no hooks, no prompts.
import { existsSync, readdirSync } from 'node:fs';
import type { AgentConfig } from './agent-config.js';
import { emitProgress } from './agent-lines.js';
import { execChecked, execFile } from './exec-file.js';
import { WORKSPACE_DIR } from './paths.js';
import { parseCurrentBranch, planWorkBranch, planWorkspace } from './workspace-plan.js';

/** Failure of one init stage; the stage is reported in agent.failed. */
export class InitStageError extends Error {
  override readonly name = 'InitStageError';
  constructor(
    readonly stage: 'clone' | 'branch' | 'identity',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

// Settings that make git safe to point at a repository someone else controls.
const HARDENED_GIT = [
  '-c',
  'protocol.ext.allow=never',
  '-c',
  'protocol.file.allow=never',
  '-c',
  'core.hooksPath=/dev/null',
];

const gitEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  GIT_TERMINAL_PROMPT: '0',
  GIT_SSH_COMMAND: 'ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new',
});

function git(args: readonly string[], dir = WORKSPACE_DIR): Promise<string> {
  return execChecked('git', [...HARDENED_GIT, '-C', dir, ...args], { env: gitEnv() });
}

async function gitOk(args: readonly string[]): Promise<boolean> {
  const result = await execFile('git', [...HARDENED_GIT, '-C', WORKSPACE_DIR, ...args], {
    env: gitEnv(),
  });
  return result.code === 0;
}

export async function headCommit(dir = WORKSPACE_DIR): Promise<string | null> {
  const result = await execFile('git', ['-C', dir, 'rev-parse', '--verify', '-q', 'HEAD'], {
    env: gitEnv(),
  });
  return result.code === 0 ? result.stdout.trim() || null : null;
}

export async function currentBranch(dir = WORKSPACE_DIR): Promise<string | null> {
  const result = await execFile('git', ['-C', dir, 'branch', '--show-current'], { env: gitEnv() });
  return result.code === 0 ? parseCurrentBranch(result.stdout) : null;
}

async function setIdentity(config: AgentConfig): Promise<void> {
  try {
    await git(['config', 'user.name', config.gitName]);
    await git(['config', 'user.email', config.gitEmail]);
  } catch (error) {
    throw new InitStageError('identity', `could not set the git identity: ${String(error)}`, {
      cause: error,
    });
  }
}

async function cloneRepository(config: AgentConfig, repoUrl: string): Promise<void> {
  emitProgress('clone', `cloning ${repoUrl}${config.branch ? ` at ${config.branch}` : ''}`);
  const args = ['clone', '--no-recurse-submodules', '--quiet'];
  if (config.branch) {
    args.push('--branch', config.branch);
  }
  args.push('--', repoUrl, WORKSPACE_DIR);
  const result = await execFile('git', [...HARDENED_GIT, ...args], { env: gitEnv() });
  if (result.code !== 0) {
    const reason = result.stderr.trim().split('\n').slice(-4).join(' / ');
    throw new InitStageError(
      'clone',
      `git clone of ${repoUrl} failed (exit ${result.code}): ${reason}`,
    );
  }
  emitProgress('clone', 'clone finished');
}

async function initRepository(config: AgentConfig): Promise<void> {
  const branch = config.branch ?? 'main';
  emitProgress('clone', `no repository URL: initialising an empty repository on ${branch}`);
  try {
    await execChecked('git', ['init', '--quiet', `--initial-branch=${branch}`, WORKSPACE_DIR], {
      env: gitEnv(),
    });
  } catch (error) {
    throw new InitStageError('clone', `git init failed: ${String(error)}`, { cause: error });
  }
  await setIdentity(config);
  try {
    await git(['commit', '--quiet', '--allow-empty', '-m', 'Initial commit']);
  } catch (error) {
    throw new InitStageError('clone', `the initial commit failed: ${String(error)}`, {
      cause: error,
    });
  }
}

async function checkOutWorkBranch(config: AgentConfig, resuming: boolean): Promise<void> {
  const workBranch = config.workBranch;
  const action = planWorkBranch({
    workBranch,
    currentBranch: await currentBranch(),
    workBranchExists: await gitOk(['show-ref', '--verify', '--quiet', `refs/heads/${workBranch}`]),
    headHasCommit: (await headCommit()) !== null,
  });
  try {
    switch (action) {
      case 'stay':
        return;
      case 'switch':
        try {
          await git(['checkout', '--quiet', workBranch, '--']);
        } catch (error) {
          // On a restart the user may have left changes that block the switch; keep them.
          if (!resuming) {
            throw error;
          }
          emitProgress(
            'branch',
            `staying on the current branch: could not switch to ${workBranch}`,
          );
        }
        return;
      case 'create':
        emitProgress('branch', `creating the work branch ${workBranch}`);
        await git(['checkout', '--quiet', '-b', workBranch]);
        return;
      case 'create-unborn':
        emitProgress('branch', `the repository has no commits: ${workBranch} starts empty`);
        await git(['symbolic-ref', 'HEAD', `refs/heads/${workBranch}`]);
        return;
    }
  } catch (error) {
    throw new InitStageError(
      'branch',
      `could not check out the work branch ${workBranch}: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
}

export async function prepareWorkspace(config: AgentConfig): Promise<void> {
  const action = planWorkspace({
    hasRepository: existsSync(`${WORKSPACE_DIR}/.git`),
    entries: readdirSync(WORKSPACE_DIR),
    repoUrl: config.repoUrl,
  });
  switch (action) {
    case 'resume':
      emitProgress('clone', 'resuming the existing workspace');
      break;
    case 'clone':
      // planWorkspace only answers 'clone' when there is a URL.
      await cloneRepository(config, config.repoUrl ?? '');
      break;
    case 'init':
      await initRepository(config);
      break;
  }
  await checkOutWorkBranch(config, action === 'resume');
  await setIdentity(config);
}
