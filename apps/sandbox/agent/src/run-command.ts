// `ccr-agent run`: the container's main process (under tini). Init is idempotent, so the same
// steps run on the first start and on every restart; afterwards the agent keeps both
// terminals alive until the container is stopped.
import { AgentConfigError, loadAgentConfig, type AgentConfig } from './agent-config.js';
import { emitFailed, emitProgress, emitReady, type FailedStage } from './agent-lines.js';
import { AutoCommit } from './auto-commit.js';
import { seedClaudeConfig } from './claude-config-files.js';
import { apiKeySuffix, parseClaudeVersion } from './claude-config.js';
import { projectTranscriptDir } from './claude-transcript.js';
import { execFile } from './exec-file.js';
import { clearRuntimeState, writeInitMarker } from './init-marker.js';
import { serveControl } from './control-socket.js';
import { CONTROL_SOCKET, DEFAULT_CLAUDE_CONFIG_DIR, TERMINALS, WORKSPACE_DIR } from './paths.js';
import { ensureTerminals, killTmuxServer } from './tmux.js';
import { headCommit, InitStageError, prepareWorkspace } from './workspace.js';
import { WorkspacePlanError } from './workspace-plan.js';

const SUPERVISE_INTERVAL_MS = 1000;

class StageError extends Error {
  constructor(
    readonly stage: FailedStage,
    message: string,
  ) {
    super(message);
  }
}

async function claudeVersion(): Promise<string> {
  const pinned = process.env.CCR_CLAUDE_CODE_VERSION;
  if (pinned && parseClaudeVersion(pinned)) {
    return pinned;
  }
  const result = await execFile('claude', ['--version']);
  const version = parseClaudeVersion(result.stdout);
  if (result.code !== 0 || version === null) {
    throw new StageError('claude-config', `claude --version failed (exit ${result.code})`);
  }
  return version;
}

async function initialise(config: AgentConfig): Promise<void> {
  try {
    await prepareWorkspace(config);
  } catch (error) {
    if (error instanceof InitStageError) {
      throw new StageError(error.stage, error.message);
    }
    if (error instanceof WorkspacePlanError) {
      throw new StageError('clone', error.message);
    }
    throw error;
  }

  emitProgress('claude-config', 'seeding Claude Code settings');
  const configDir = process.env.CLAUDE_CONFIG_DIR || DEFAULT_CLAUDE_CONFIG_DIR;
  try {
    seedClaudeConfig(configDir, {
      version: await claudeVersion(),
      projectDir: WORKSPACE_DIR,
      permissionMode: config.permissionMode,
      apiKeySuffix: apiKeySuffix(process.env.ANTHROPIC_API_KEY),
    });
  } catch (error) {
    throw error instanceof StageError
      ? error
      : new StageError(
          'claude-config',
          `could not write Claude Code settings in ${configDir}: ${String(error)}`,
        );
  }

  emitProgress('tmux', 'starting the terminals');
  try {
    await ensureTerminals();
  } catch (error) {
    throw new StageError('tmux', `could not start the tmux sessions: ${String(error)}`);
  }
}

export async function runAgent(): Promise<number> {
  let stopping = false;
  let timer: NodeJS.Timeout | undefined = undefined;
  let autoCommit: AutoCommit | null = null;
  const stop = (): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    clearInterval(timer);
    // Killing the server ends both terminals at once; docker stop then finishes quickly.
    void Promise.allSettled([autoCommit?.stop(), killTmuxServer()]).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  let config: AgentConfig;
  try {
    clearRuntimeState();
    config = loadAgentConfig(process.env);
    await initialise(config);
  } catch (error) {
    if (error instanceof AgentConfigError) {
      emitFailed('internal', `invalid settings: ${error.message}`);
    } else if (error instanceof StageError) {
      emitFailed(error.stage, error.message);
    } else {
      emitFailed('internal', error instanceof Error ? error.message : String(error));
    }
    return 1;
  }
  if (stopping) {
    return 0;
  }

  autoCommit = new AutoCommit(
    WORKSPACE_DIR,
    config.workBranch,
    config.autoCommit,
    projectTranscriptDir(process.env.CLAUDE_CONFIG_DIR || DEFAULT_CLAUDE_CONFIG_DIR, WORKSPACE_DIR),
  );
  const commits = autoCommit;
  try {
    await serveControl(CONTROL_SOCKET, (request) =>
      request.op === 'flush' ? commits.flush(request.prompt) : commits.commitNow(request.message),
    );
  } catch (error) {
    emitFailed('internal', `could not open the control socket: ${String(error)}`);
    return 1;
  }

  writeInitMarker({ workBranch: config.workBranch, pid: process.pid });
  emitReady({ terminals: [...TERMINALS], workBranch: config.workBranch, head: await headCommit() });
  autoCommit.start();

  // A terminal ends when its program exits (the user typed `exit` in the shell); bring it back.
  let checking = false;
  timer = setInterval(() => {
    if (checking || stopping) {
      return;
    }
    checking = true;
    ensureTerminals()
      .then((restarted) => {
        if (restarted.length > 0) {
          emitProgress('tmux', `restarted terminal ${restarted.join(', ')}`);
        }
      })
      .catch((error: unknown) =>
        emitProgress('tmux', `could not restart a terminal: ${String(error)}`),
      )
      .finally(() => {
        checking = false;
      });
  }, SUPERVISE_INTERVAL_MS);
  return new Promise<number>(() => {
    // Runs until SIGTERM; stop() exits the process.
  });
}
