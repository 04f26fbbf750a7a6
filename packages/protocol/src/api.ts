// REST bodies and resources of DESIGN section 4 (binding). The server validates requests with
// these schemas and the web app parses responses with them, so both sides agree by construction.
import { z } from 'zod';
import { branchNameProblem, repoUrlProblem, SESSION_NAME_PATTERN } from './git-refs.js';

export const sessionStatuses = ['pending', 'starting', 'running', 'stopped', 'failed'] as const;
export const SessionStatusSchema = z.enum(sessionStatuses);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

export const permissionModes = ['default', 'acceptEdits', 'bypassPermissions'] as const;
export const PermissionModeSchema = z.enum(permissionModes);
export type PermissionMode = z.infer<typeof PermissionModeSchema>;

export const RoleSchema = z.enum(['admin', 'user']);
export type Role = z.infer<typeof RoleSchema>;

/** Terminal names: the two built-ins and any created later; safe as a tmux session name. */
export const TerminalNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a terminal name like "shell"');
export const BUILTIN_TERMINALS = ['claude', 'shell'] as const;

export const RepoUrlSchema = z.string().superRefine((value, ctx) => {
  const problem = repoUrlProblem(value);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
  }
});

export const BranchNameSchema = z.string().superRefine((value, ctx) => {
  const problem = branchNameProblem(value);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
  }
});

export const SessionNameSchema = z
  .string()
  .regex(
    SESSION_NAME_PATTERN,
    'must be 1-40 lowercase letters, digits or dashes, starting and ending with a letter or digit',
  );

export const ResourcesSchema = z.object({
  memoryMb: z.number().int().positive(),
  cpus: z.number().positive(),
});
export type Resources = z.infer<typeof ResourcesSchema>;

export const AutoCommitSchema = z.object({
  enabled: z.boolean(),
  push: z.boolean(),
  debounceMs: z.number().int().min(0).max(600_000),
  maxWaitMs: z.number().int().min(1_000).max(86_400_000),
  maxFiles: z.number().int().min(1).max(10_000),
});
export type AutoCommit = z.infer<typeof AutoCommitSchema>;

export const ClaudeSettingsSchema = z.object({
  permissionMode: PermissionModeSchema,
  model: z
    .string()
    .regex(/^[A-Za-z0-9._:[\]-]{1,100}$/, 'must be a model name')
    .optional(),
});
export type ClaudeSettings = z.infer<typeof ClaudeSettingsSchema>;

export const SessionSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: SessionStatusSchema,
  repoUrl: z.string().nullable(),
  branch: z.string(),
  workBranch: z.string(),
  createdAt: z.string(),
  lastActivityAt: z.string(),
  resources: ResourcesSchema,
  autoCommit: AutoCommitSchema,
  claude: ClaudeSettingsSchema,
  terminals: z.array(z.string()),
  error: z.string().optional(),
});
export type Session = z.infer<typeof SessionSchema>;

export const CreateSessionBodySchema = z.strictObject({
  repoUrl: RepoUrlSchema.optional(),
  branch: BranchNameSchema.optional(),
  name: SessionNameSchema.optional(),
  resources: ResourcesSchema.partial().strict().optional(),
  autoCommit: AutoCommitSchema.partial().strict().optional(),
  claude: ClaudeSettingsSchema.partial().strict().optional(),
});
export type CreateSessionBody = z.infer<typeof CreateSessionBodySchema>;

export const UpdateSessionBodySchema = z.strictObject({
  name: SessionNameSchema.optional(),
  autoCommit: AutoCommitSchema.partial().strict().optional(),
  claude: ClaudeSettingsSchema.partial().strict().optional(),
});
export type UpdateSessionBody = z.infer<typeof UpdateSessionBodySchema>;

export const LoginBodySchema = z.strictObject({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: RoleSchema,
});
export type User = z.infer<typeof UserSchema>;

export const LoginResponseSchema = z.object({
  accessToken: z.string(),
  expiresIn: z.number(),
  user: UserSchema,
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const RefreshResponseSchema = z.object({
  accessToken: z.string(),
  expiresIn: z.number(),
});
export type RefreshResponse = z.infer<typeof RefreshResponseSchema>;

export const TerminalTicketSchema = z.object({
  ticket: z.string(),
  expiresIn: z.number(),
});
export type TerminalTicket = z.infer<typeof TerminalTicketSchema>;

export const LogsQuerySchema = z.strictObject({
  tail: z.coerce.number().int().min(1).max(10_000).optional(),
});

/**
 * Error body of every failed request. `fields` is an addition to the binding shape: it maps a
 * field path (such as `resources.memoryMb`) to its problem so forms can show errors in place.
 */
export const ApiErrorSchema = z.object({
  statusCode: z.number(),
  error: z.string(),
  message: z.string(),
  code: z.string().optional(),
  fields: z.record(z.string(), z.string()).optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.record(
    z.string(),
    z.object({ status: z.enum(['ok', 'fail']), message: z.string().optional() }),
  ),
});
export type Health = z.infer<typeof HealthSchema>;
