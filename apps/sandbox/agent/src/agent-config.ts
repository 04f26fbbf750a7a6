// The agent's settings, read once from the environment the server sets on the container
// (names in AgentEnv). Every value is checked here, so a bad value fails init with a reason
// instead of reaching git or the shell.
import { AgentEnv } from '@ccr/protocol/agent';
import { permissionModes, type PermissionMode } from '@ccr/protocol/api';
import { branchNameProblem, repoUrlProblem } from '@ccr/protocol/git-refs';

export interface AgentConfig {
  sessionId: string | null;
  sessionName: string | null;
  repoUrl: string | null;
  /** Branch to clone (or the initial branch of a fresh repository); null: the remote's default. */
  branch: string | null;
  workBranch: string;
  gitName: string;
  gitEmail: string;
  permissionMode: PermissionMode | null;
  model: string | null;
  autoCommit: AutoCommitSettings;
}

export interface AutoCommitSettings {
  enabled: boolean;
  debounceMs: number;
  maxWaitMs: number;
  maxFiles: number;
}

/** The server's defaults (DEFAULT_AUTO_COMMIT), for a container started without the variables. */
export const DEFAULT_AUTO_COMMIT_SETTINGS: AutoCommitSettings = {
  enabled: true,
  debounceMs: 3000,
  maxWaitMs: 300_000,
  maxFiles: 10,
};

export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
}

export const DEFAULT_GIT_NAME = 'Claude Code Remote';
export const DEFAULT_GIT_EMAIL = 'ccr@localhost';
const MODEL_PATTERN = /^[A-Za-z0-9._:[\]-]{1,100}$/;
const EMAIL_PATTERN = /^[^\s<>@]+@[^\s<>@]+$/;

type Env = Readonly<Record<string, string | undefined>>;

export function loadAgentConfig(env: Env): AgentConfig {
  const problems: string[] = [];
  const read = (name: string): string | null => {
    const value = env[name]?.trim();
    return value ? value : null;
  };

  const repoUrl = read(AgentEnv.repoUrl);
  if (repoUrl !== null) {
    const problem = repoUrlProblem(repoUrl);
    if (problem) {
      problems.push(`${AgentEnv.repoUrl} ${problem}`);
    }
  }

  const branch = read(AgentEnv.branch);
  if (branch !== null) {
    const problem = branchNameProblem(branch);
    if (problem) {
      problems.push(`${AgentEnv.branch} ${problem}`);
    }
  }

  const sessionName = read(AgentEnv.sessionName);
  const workBranch = read(AgentEnv.workBranch) ?? (sessionName ? `ccr/${sessionName}` : 'ccr/work');
  const workProblem = branchNameProblem(workBranch);
  if (workProblem) {
    problems.push(`${AgentEnv.workBranch} ${workProblem}`);
  }

  const gitName = read(AgentEnv.gitName) ?? DEFAULT_GIT_NAME;
  if (gitName.length > 200 || hasControlCharacter(gitName) || /[<>]/.test(gitName)) {
    problems.push(
      `${AgentEnv.gitName} must be at most 200 characters without control characters or <>`,
    );
  }
  const gitEmail = read(AgentEnv.gitEmail) ?? DEFAULT_GIT_EMAIL;
  if (gitEmail.length > 254 || !EMAIL_PATTERN.test(gitEmail)) {
    problems.push(`${AgentEnv.gitEmail} must be an e-mail address`);
  }

  const mode = read(AgentEnv.claudePermissionMode);
  let permissionMode: PermissionMode | null = null;
  if (mode !== null) {
    if (isPermissionMode(mode)) {
      permissionMode = mode;
    } else {
      problems.push(
        `${AgentEnv.claudePermissionMode} must be one of ${permissionModes.join(', ')}`,
      );
    }
  }

  const model = read(AgentEnv.claudeModel);
  if (model !== null && !MODEL_PATTERN.test(model)) {
    problems.push(`${AgentEnv.claudeModel} must be a model name`);
  }

  const autoCommit = readAutoCommit(read, problems);

  if (problems.length > 0) {
    throw new AgentConfigError(problems.join('; '));
  }
  return {
    sessionId: read(AgentEnv.sessionId),
    sessionName,
    repoUrl,
    branch,
    workBranch,
    gitName,
    gitEmail,
    permissionMode,
    model,
    autoCommit,
  };
}

function readAutoCommit(
  read: (name: string) => string | null,
  problems: string[],
): AutoCommitSettings {
  const settings = { ...DEFAULT_AUTO_COMMIT_SETTINGS };
  const enabled = read(AgentEnv.autoCommit);
  if (enabled !== null) {
    if (enabled === 'true' || enabled === 'false') {
      settings.enabled = enabled === 'true';
    } else {
      problems.push(`${AgentEnv.autoCommit} must be true or false`);
    }
  }
  // Same bounds as AutoCommitSchema in @ccr/protocol/api.
  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const value = read(name);
    if (value === null) {
      return fallback;
    }
    const parsed = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
    if (!(parsed >= min && parsed <= max)) {
      problems.push(`${name} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return parsed;
  };
  settings.debounceMs = integer(AgentEnv.autoCommitDebounceMs, 0, 600_000, settings.debounceMs);
  settings.maxWaitMs = integer(AgentEnv.autoCommitMaxWaitMs, 1000, 86_400_000, settings.maxWaitMs);
  settings.maxFiles = integer(AgentEnv.autoCommitMaxFiles, 1, 10_000, settings.maxFiles);
  return settings;
}

function isPermissionMode(value: string): value is PermissionMode {
  return (permissionModes as readonly string[]).includes(value);
}

function hasControlCharacter(value: string): boolean {
  return [...value].some((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });
}
