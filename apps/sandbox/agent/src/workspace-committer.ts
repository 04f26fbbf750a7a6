// Commits the workspace: git status is the source of truth (it honours .gitignore), the secret
// gate decides what is held back, commit-message.ts plans the commits. Each planned commit is
// built in a private index from exactly the content that was scanned, so a file written
// between the scan and the commit can never slip a secret in, and files the user staged by
// hand but the gate holds are never committed.
import type { Commit, CommitBlocked } from '@ccr/protocol/agent';
import { MAX_COMMIT_FILES_LISTED, MAX_COMMIT_MESSAGE } from '@ccr/protocol/agent';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type FileChange, planCommits, type PlannedCommit } from './commit-message.js';
import { CommandError, execFile, type ExecResult } from './exec-file.js';
import {
  indexInfoRecord,
  parseNumstatZ,
  parseRawZ,
  parseStatusZ,
  type RawEntry,
} from './git-output.js';
import { AGENT_STATE_DIR, WORKSPACE_DIR } from './paths.js';
import { configFileHasAuth, isSecretPath, scanDiff } from './secret-gate.js';

export interface CommitRequest {
  /** The prompt behind the change (a finished Claude turn). */
  prompt?: string | null;
  /** A message given by the user: everything goes into one commit with it. */
  message?: string | null;
}

export interface CommitOutcome {
  /** Paths git reports as changed (after .gitignore), and a few of them. */
  changedCount: number;
  changedSample: string[];
  commits: Commit[];
  blocked: CommitBlocked[];
  /** Set when nothing was committed because HEAD is not on the work branch. */
  offBranch: string | null;
}

const HARDENED = [
  '--literal-pathspecs',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.quotePath=false',
];
const MAX_DIFF_BYTES = 32 * 1024 * 1024;
const SAMPLE = 20;

export class WorkspaceCommitter {
  private readonly tempIndex: string;

  constructor(
    private readonly workBranch: string,
    private readonly dir = WORKSPACE_DIR,
    stateDir = AGENT_STATE_DIR,
  ) {
    this.tempIndex = join(stateDir, 'commit-index');
  }

  async commit(request: CommitRequest = {}): Promise<CommitOutcome> {
    const status = parseStatusZ(
      await this.git([
        'status',
        '--porcelain=v1',
        '-z',
        '--untracked-files=all',
        '--no-renames',
        '--ignore-submodules=all',
      ]),
    );
    const outcome: CommitOutcome = {
      changedCount: status.length,
      changedSample: status.slice(0, SAMPLE).map((entry) => entry.path),
      commits: [],
      blocked: [],
      offBranch: null,
    };
    if (status.length === 0) {
      return outcome;
    }
    const branch = (await this.git(['branch', '--show-current'])).trim();
    if (branch !== this.workBranch) {
      outcome.offBranch = branch || '(detached HEAD)';
      return outcome;
    }

    // Held for their names: new files only; a file the user already tracks is theirs to commit.
    const held = new Set<string>();
    const toStage: string[] = [];
    for (const entry of status) {
      const isNew = entry.code === '??' || entry.code[0] === 'A';
      if (isNew && (isSecretPath(entry.path) || this.hasAuthConfig(entry.path))) {
        held.add(entry.path);
        outcome.blocked.push({ file: entry.path, line: null, kind: 'secret-file' });
      } else {
        toStage.push(entry.path);
      }
    }
    if (toStage.length > 0) {
      await this.git(
        ['add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'],
        `${toStage.join('\0')}\0`,
      );
    }

    const unborn = (await this.gitResult(['rev-parse', '--verify', '-q', 'HEAD'])).code !== 0;
    const base = unborn ? await this.emptyTree() : 'HEAD';
    const diffArgs = ['diff', '--cached', '--no-renames', '--no-ext-diff', '--no-color', base];
    const raw = parseRawZ(await this.git([...diffArgs, '--raw', '-z', '--no-abbrev'])).filter(
      (entry) => !held.has(entry.path),
    );
    if (raw.length === 0) {
      return outcome;
    }
    const patch = await this.git([...diffArgs, '-U0']);
    for (const hit of scanDiff(patch.slice(0, MAX_DIFF_BYTES))) {
      if (!held.has(hit.file) || hit.line !== null) {
        held.add(hit.file);
        outcome.blocked.push(hit);
      }
    }
    const numstat = new Map(
      parseNumstatZ(await this.git([...diffArgs, '--numstat', '-z'])).map((entry) => [
        entry.path,
        entry,
      ]),
    );
    const changedIgnoringSpace = new Set(
      parseNumstatZ(await this.git([...diffArgs, '--numstat', '-z', '-w']))
        .filter((entry) => entry.insertions !== 0 || entry.deletions !== 0)
        .map((entry) => entry.path),
    );

    const entries = new Map<string, RawEntry>();
    const changes: FileChange[] = [];
    for (const entry of raw) {
      if (held.has(entry.path)) {
        continue;
      }
      entries.set(entry.path, entry);
      const stats = numstat.get(entry.path);
      const insertions = stats ? stats.insertions : 0;
      const deletions = stats ? stats.deletions : 0;
      changes.push({
        path: entry.path,
        status: entry.status === 'A' ? 'added' : entry.status === 'D' ? 'deleted' : 'modified',
        insertions,
        deletions,
        whitespaceOnly:
          entry.status === 'M' &&
          insertions !== null &&
          insertions + (deletions ?? 0) > 0 &&
          !changedIgnoringSpace.has(entry.path),
      });
    }
    if (changes.length === 0) {
      return outcome;
    }

    const message = request.message?.trim();
    const plan: PlannedCommit[] = message
      ? [{ files: changes, message: `${message.slice(0, MAX_COMMIT_MESSAGE - 1)}\n` }]
      : planCommits(changes, { prompt: request.prompt ?? null });
    for (const planned of plan) {
      outcome.commits.push(
        await this.commitGroup(
          planned,
          planned.files.map((file) => entries.get(file.path)!),
          branch,
        ),
      );
    }
    return outcome;
  }

  private async commitGroup(
    planned: PlannedCommit,
    entries: RawEntry[],
    branch: string,
  ): Promise<Commit> {
    const env = { ...process.env, GIT_INDEX_FILE: this.tempIndex };
    rmSync(this.tempIndex, { force: true });
    const unborn = (await this.gitResult(['rev-parse', '--verify', '-q', 'HEAD'])).code !== 0;
    await this.git(unborn ? ['read-tree', '--empty'] : ['read-tree', 'HEAD'], undefined, env);
    await this.git(
      ['update-index', '-z', '--index-info'],
      entries.map(indexInfoRecord).join(''),
      env,
    );
    await this.git(
      ['commit', '--quiet', '--no-verify', '--allow-empty-message', '-F', '-'],
      planned.message,
      env,
    );
    rmSync(this.tempIndex, { force: true });
    const [sha = '', author = ''] = (await this.git(['log', '-1', '--format=%H%n%an <%ae>']))
      .trim()
      .split('\n');
    const files = planned.files.map((file) => file.path);
    return {
      sha,
      branch,
      author: author.slice(0, 512),
      message: planned.message.trimEnd().slice(0, MAX_COMMIT_MESSAGE),
      files: files.slice(0, MAX_COMMIT_FILES_LISTED),
      filesTotal: files.length,
      insertions: planned.files.reduce((total, file) => total + (file.insertions ?? 0), 0),
      deletions: planned.files.reduce((total, file) => total + (file.deletions ?? 0), 0),
      pushed: false,
    };
  }

  private hasAuthConfig(path: string): boolean {
    if (!/(^|\/)\.(npmrc|yarnrc|yarnrc\.yml)$/.test(path)) {
      return false;
    }
    try {
      return configFileHasAuth(path, readFileSync(join(this.dir, path), 'utf8').slice(0, 65536));
    } catch {
      return false;
    }
  }

  private async emptyTree(): Promise<string> {
    return (await this.git(['hash-object', '-t', 'tree', '--stdin'], '')).trim();
  }

  private gitResult(
    args: readonly string[],
    input?: string,
    env: NodeJS.ProcessEnv = process.env,
  ): Promise<ExecResult> {
    return execFile('git', [...HARDENED, '-C', this.dir, ...args], {
      env: { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
      ...(input === undefined ? {} : { input }),
    });
  }

  private async git(args: readonly string[], input?: string, env?: NodeJS.ProcessEnv) {
    const result = await this.gitResult(args, input, env);
    if (result.code !== 0) {
      throw new CommandError('git', args, result);
    }
    return result.stdout;
  }
}
