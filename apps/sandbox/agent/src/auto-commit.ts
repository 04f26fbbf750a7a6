// Auto-commit inside `ccr-agent run`: a watcher on /workspace feeds the batcher; each batch
// (and each flush or manual commit) runs the committer, one run at a time, and reports
// files.changed, commit.created and commit.blocked lines for the server.
import type { AgentCommitResult, CommitBlocked } from '@ccr/protocol/agent';
import { MAX_CHANGED_SAMPLE } from '@ccr/protocol/agent';
import { watch, type FSWatcher } from 'chokidar';
import { relative, sep } from 'node:path';
import type { AutoCommitSettings } from './agent-config.js';
import {
  emitCommitBlocked,
  emitCommitCreated,
  emitFilesChanged,
  emitProgress,
} from './agent-lines.js';
import { type Batch, CommitBatcher } from './commit-batcher.js';
import { recentPrompt } from './transcript-files.js';
import { type CommitRequest, WorkspaceCommitter } from './workspace-committer.js';

/** How long before a batch's first change Claude Code's transcript may have been written. */
const PROMPT_WINDOW_MS = 15_000;

/** Directories never worth watching: git's own, dependencies and build output. */
export const IGNORED_DIRECTORIES = new Set([
  '.git',
  'node_modules',
  'dist',
  'build',
  'out',
  'target',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.cache',
  '.parcel-cache',
  'coverage',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.venv',
  'venv',
  '.gradle',
  '.idea',
]);

export function isIgnoredPath(relativePath: string): boolean {
  return relativePath.split(sep).some((part) => IGNORED_DIRECTORIES.has(part));
}

const MAX_REPORTED_BLOCKS = 1000;
const MAX_PATH = 1024;

export class AutoCommit {
  private readonly committer: WorkspaceCommitter;
  private readonly batcher: CommitBatcher;
  private watcher: FSWatcher | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private lastBatchRun: Promise<AgentCommitResult> | null = null;
  /** Blocks already reported, so a held file is named once, not at every batch. */
  private readonly reported = new Set<string>();
  private offBranchReported: string | null = null;
  private lastChangedKey = '';

  constructor(
    private readonly dir: string,
    workBranch: string,
    private readonly settings: AutoCommitSettings,
    /** Where Claude Code keeps this workspace's transcripts. */
    private readonly transcriptDir: string | null = null,
  ) {
    this.committer = new WorkspaceCommitter(workBranch, dir);
    this.batcher = new CommitBatcher(settings, (batch) => this.onBatch(batch));
  }

  start(): void {
    if (!this.settings.enabled) {
      emitProgress('auto-commit', 'auto-commit is off');
      return;
    }
    this.watcher = watch(this.dir, {
      ignoreInitial: true,
      usePolling: false,
      followSymlinks: false,
      ignorePermissionErrors: true,
      ignored: (path) => isIgnoredPath(relative(this.dir, path)),
    });
    this.watcher.on('all', (event, path) => {
      if (event === 'addDir') {
        return;
      }
      this.batcher.add(relative(this.dir, path));
    });
    this.watcher.on('error', (error) => {
      emitProgress('auto-commit', `watcher error: ${String(error)}`);
    });
    // Work left from before a restart is committed at once.
    this.batcher.flush();
  }

  /** A Claude turn ended: commit now, with its prompt. */
  async flush(prompt: string | null): Promise<AgentCommitResult> {
    if (!this.settings.enabled) {
      return { commit: null, commits: [], blocked: [] };
    }
    this.batcher.flush(prompt);
    return this.lastBatchRun ?? { commit: null, commits: [], blocked: [] };
  }

  /** `ccr-agent commit`: everything now, auto-commit on or off. */
  commitNow(message: string | null): Promise<AgentCommitResult> {
    return this.enqueue({ message });
  }

  /**
   * The container is stopping (SIGTERM from a stop, an idle stop or a delete): what the watcher
   * saw but has not committed yet is committed now, so nothing waits in the quiet period.
   */
  async stop(): Promise<void> {
    this.batcher.dispose();
    await this.watcher?.close();
    if (this.settings.enabled) {
      await this.enqueue({ prompt: null }).catch(() => undefined);
    }
  }

  private onBatch(batch: Batch): void {
    let prompt = batch.prompt;
    if (prompt === null && batch.firstChangeAt !== null && this.transcriptDir !== null) {
      // A batch that ends before the turn does still belongs to the prompt being worked on.
      prompt = recentPrompt(this.transcriptDir, batch.firstChangeAt - PROMPT_WINDOW_MS);
    }
    this.lastBatchRun = this.enqueue({ prompt });
    this.lastBatchRun.catch(() => undefined);
  }

  private enqueue(request: CommitRequest): Promise<AgentCommitResult> {
    const run = this.queue.then(() => this.run(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(request: CommitRequest): Promise<AgentCommitResult> {
    let outcome;
    try {
      outcome = await this.committer.commit(request);
    } catch (error) {
      emitProgress('auto-commit', `commit failed: ${String(error)}`);
      throw error;
    }
    if (outcome.offBranch !== null) {
      if (this.offBranchReported !== outcome.offBranch) {
        this.offBranchReported = outcome.offBranch;
        emitProgress(
          'auto-commit',
          `not committing: the workspace is on ${outcome.offBranch}, not the work branch`,
        );
      }
      return { commit: null, commits: [], blocked: [] };
    }
    this.offBranchReported = null;
    const changedKey = `${outcome.changedCount}\0${outcome.changedSample.join('\0')}`;
    // The same picture twice (a held file alone, batch after batch) is not news.
    if (outcome.changedCount > 0 && changedKey !== this.lastChangedKey) {
      this.lastChangedKey = changedKey;
      emitFilesChanged({
        count: outcome.changedCount,
        paths: outcome.changedSample.slice(0, MAX_CHANGED_SAMPLE).map(clipPath),
      });
    }
    const blocked: CommitBlocked[] = outcome.blocked.map((hit) => ({
      ...hit,
      file: clipPath(hit.file),
    }));
    for (const hit of blocked) {
      const key = `${hit.file}\0${hit.line ?? ''}\0${hit.kind}`;
      if (this.reported.has(key)) {
        continue;
      }
      if (this.reported.size >= MAX_REPORTED_BLOCKS) {
        this.reported.clear();
      }
      this.reported.add(key);
      emitCommitBlocked(hit);
    }
    const commits = outcome.commits.map((commit) => ({
      ...commit,
      files: commit.files.map(clipPath),
    }));
    for (const commit of commits) {
      emitCommitCreated(commit);
    }
    return {
      commit: commits[commits.length - 1] ?? null,
      commits: commits.slice(-16),
      blocked: blocked.slice(0, 100),
    };
  }
}

function clipPath(path: string): string {
  return path.length <= MAX_PATH ? path : `${path.slice(0, MAX_PATH - 1)}…`;
}
