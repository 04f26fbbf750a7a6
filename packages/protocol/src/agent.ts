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

export const AgentLineSchema = z.discriminatedUnion('type', [
  AgentReadySchema,
  AgentFailedSchema,
  AgentProgressSchema,
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
