// Decisions about /workspace, kept pure: the agent runs on every container start, so each step
// must look at what is already there and do only what is missing (a restart resumes, never
// re-clones or resets anything).

export type WorkspaceAction = 'resume' | 'clone' | 'init';

export interface WorkspaceState {
  /** /workspace already holds a git repository (.git exists). */
  hasRepository: boolean;
  /** Names in /workspace (without . and ..). */
  entries: readonly string[];
  repoUrl: string | null;
}

export class WorkspacePlanError extends Error {
  override readonly name = 'WorkspacePlanError';
}

export function planWorkspace(state: WorkspaceState): WorkspaceAction {
  if (state.hasRepository) {
    return 'resume';
  }
  if (state.repoUrl === null) {
    // git init keeps whatever files are there; they simply start out untracked.
    return 'init';
  }
  if (state.entries.length > 0) {
    throw new WorkspacePlanError(
      `/workspace is not empty (${state.entries.length} entries) and holds no git repository, so the repository cannot be cloned into it`,
    );
  }
  return 'clone';
}

export type WorkBranchAction = 'stay' | 'switch' | 'create' | 'create-unborn';

export interface BranchState {
  workBranch: string;
  /** Branch HEAD points at, or null when HEAD is detached. */
  currentBranch: string | null;
  workBranchExists: boolean;
  /** HEAD resolves to a commit (false in a repository without commits). */
  headHasCommit: boolean;
}

export function planWorkBranch(state: BranchState): WorkBranchAction {
  if (state.currentBranch === state.workBranch) {
    return 'stay';
  }
  if (state.workBranchExists) {
    return 'switch';
  }
  return state.headHasCommit ? 'create' : 'create-unborn';
}

/** Turns `git branch --show-current` output into a branch name (null when detached). */
export function parseCurrentBranch(output: string): string | null {
  const name = output.trim();
  return name === '' ? null : name;
}
