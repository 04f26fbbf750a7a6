// What the sandbox agent (ccr-agent) says to the control plane. The agent prints one JSON
// object per line on stdout, tagged with `ccr: 1` so other output is never mistaken for an
// event; the server treats every line as untrusted input and validates it here.
import { z } from 'zod';

/** Environment variables the server sets on a sandbox container. None of them is a secret. */
export const AgentEnv = {
  sessionId: 'CCR_SESSION_ID',
  sessionName: 'CCR_SESSION_NAME',
  repoUrl: 'CCR_REPO_URL',
  branch: 'CCR_BRANCH',
  workBranch: 'CCR_WORK_BRANCH',
  gitName: 'CCR_GIT_NAME',
  gitEmail: 'CCR_GIT_EMAIL',
  claudePermissionMode: 'CCR_CLAUDE_PERMISSION_MODE',
  claudeModel: 'CCR_CLAUDE_MODEL',
  /** `true` or `false`: whether the agent commits changes by itself. */
  autoCommit: 'CCR_AUTO_COMMIT',
  autoCommitDebounceMs: 'CCR_AUTO_COMMIT_DEBOUNCE_MS',
  autoCommitMaxWaitMs: 'CCR_AUTO_COMMIT_MAX_WAIT_MS',
  autoCommitMaxFiles: 'CCR_AUTO_COMMIT_MAX_FILES',
} as const;

/** Longest agent line the server will parse; longer lines are dropped. */
export const MAX_AGENT_LINE_BYTES = 64 * 1024;

export const AgentReadySchema = z.object({
  ccr: z.literal(1),
  type: z.literal('agent.ready'),
  at: z.string(),
  data: z.object({
    terminals: z.array(z.string().max(32)).max(16),
    workBranch: z.string().max(255),
    head: z.string().max(64).nullable(),
  }),
});

export const AgentFailedSchema = z.object({
  ccr: z.literal(1),
  type: z.literal('agent.failed'),
  at: z.string(),
  data: z.object({
    stage: z.enum(['clone', 'branch', 'identity', 'claude-config', 'tmux', 'internal']),
    message: z.string().max(4096),
  }),
});

export const AgentProgressSchema = z.object({
  ccr: z.literal(1),
  type: z.literal('agent.progress'),
  at: z.string(),
  data: z.object({ stage: z.string().max(64), message: z.string().max(4096) }),
});

/** Bounds on what one commit line may carry; the agent clips its lists to these. */
export const MAX_COMMIT_FILES_LISTED = 100;
export const MAX_COMMIT_MESSAGE = 8192;
export const MAX_CHANGED_SAMPLE = 20;
const RepoPathSchema = z.string().min(1).max(1024);

export const CommitSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/),
  branch: z.string().max(255).nullable(),
  /** "Name <email>" of the commit's author. */
  author: z.string().max(512),
  message: z.string().min(1).max(MAX_COMMIT_MESSAGE),
  /** At most MAX_COMMIT_FILES_LISTED paths; filesTotal counts them all. */
  files: z.array(RepoPathSchema).max(MAX_COMMIT_FILES_LISTED),
  filesTotal: z.number().int().min(0),
  insertions: z.number().int().min(0),
  deletions: z.number().int().min(0),
  pushed: z.boolean(),
});
export type Commit = z.infer<typeof CommitSchema>;

export const SecretKindSchema = z.enum([
  'secret-file',
  'aws-access-key-id',
  'anthropic-api-key',
  'github-token',
  'slack-token',
  'private-key',
]);

export const CommitBlockedSchema = z.object({
  file: RepoPathSchema,
  /** 1-based line of the secret; null when the file is held for its name. */
  line: z.number().int().min(1).nullable(),
  kind: SecretKindSchema,
});
export type CommitBlocked = z.infer<typeof CommitBlockedSchema>;

export const FilesChangedSchema = z.object({
  count: z.number().int().min(0),
  paths: z.array(RepoPathSchema).max(MAX_CHANGED_SAMPLE),
});
export type FilesChanged = z.infer<typeof FilesChangedSchema>;

export const AgentCommitCreatedSchema = z.object({
  ccr: z.literal(1),
  type: z.literal('commit.created'),
  at: z.string(),
  data: CommitSchema,
});

export const AgentCommitBlockedSchema = z.object({
  ccr: z.literal(1),
  type: z.literal('commit.blocked'),
  at: z.string(),
  data: CommitBlockedSchema,
});

export const AgentFilesChangedSchema = z.object({
  ccr: z.literal(1),
  type: z.literal('files.changed'),
  at: z.string(),
  data: FilesChangedSchema,
});

export const AgentLineSchema = z.discriminatedUnion('type', [
  AgentReadySchema,
  AgentFailedSchema,
  AgentProgressSchema,
  AgentCommitCreatedSchema,
  AgentCommitBlockedSchema,
  AgentFilesChangedSchema,
]);
export type AgentLine = z.infer<typeof AgentLineSchema>;

/** Output of `ccr-agent status --json`, run by the server through exec. */
export const AgentStatusSchema = z.object({
  ready: z.boolean(),
  terminals: z.array(z.string()),
  workBranch: z.string().nullable(),
  head: z.string().nullable(),
});
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

/** Output of `ccr-agent commit --json`: the commits made (oldest first) and what was held back. */
export const AgentCommitResultSchema = z.object({
  commit: CommitSchema.nullable(),
  commits: z.array(CommitSchema).max(16),
  blocked: z.array(CommitBlockedSchema).max(100),
});
export type AgentCommitResult = z.infer<typeof AgentCommitResultSchema>;

/** An entry of GET /api/sessions/:id/commits (newest first), built from commit.created events. */
export const SessionCommitSchema = z.object({
  sha: z.string(),
  message: z.string(),
  author: z.string(),
  at: z.string(),
  files: z.array(z.string()),
  insertions: z.number().int(),
  deletions: z.number().int(),
  pushed: z.boolean(),
});
export type SessionCommit = z.infer<typeof SessionCommitSchema>;

/** Body of POST /api/sessions/:id/commit. */
export const CommitNowBodySchema = z.strictObject({
  message: z.string().trim().min(1).max(8000).optional(),
  push: z.boolean().optional(),
});
export type CommitNowBody = z.infer<typeof CommitNowBodySchema>;
