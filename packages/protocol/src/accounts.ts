// Accounts, personal access tokens and the audit log (DESIGN section 4, issue 5). Kept apart
// from api.ts so the account surface can grow without touching the session schemas.
import { z } from 'zod';
import { RoleSchema } from './api.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/** The password policy: length only (NIST SP 800-63B), long passphrases welcome. */
export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const EmailSchema = z.email('must be an email address').max(320);

/** A user as administrators see it. */
export const ManagedUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: RoleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type ManagedUser = z.infer<typeof ManagedUserSchema>;

export const CreateUserBodySchema = z.strictObject({
  email: EmailSchema,
  password: PasswordSchema,
  role: RoleSchema,
});
export type CreateUserBody = z.infer<typeof CreateUserBodySchema>;

export const UpdateUserBodySchema = z.strictObject({
  role: RoleSchema.optional(),
  disabled: z.boolean().optional(),
  password: PasswordSchema.optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>;

export const ChangePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: PasswordSchema,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBodySchema>;

export const PERSONAL_ACCESS_TOKEN_PREFIX = 'ccr_pat_';

export const CreateTokenBodySchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateTokenBody = z.infer<typeof CreateTokenBodySchema>;

/** Returned once, on creation: the only time the secret is ever shown. */
export const CreatedTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  token: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;

export const PersonalAccessTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type PersonalAccessToken = z.infer<typeof PersonalAccessTokenSchema>;

export const auditTypes = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_changed',
  'user.created',
  'user.updated',
  'user.deleted',
  'token.created',
  'token.deleted',
  'session.created',
  'session.stopped',
  'session.started',
  'session.deleted',
] as const;
export const AuditTypeSchema = z.enum(auditTypes);
export type AuditType = z.infer<typeof AuditTypeSchema>;

export const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  type: AuditTypeSchema,
  /** Who acted; null for a failed login by an unknown email. */
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  /** The user the action was about (the target of an admin action), when there is one. */
  subjectUserId: z.string().nullable(),
  sessionId: z.string().nullable(),
  ip: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AUDIT_PAGE_MAX = 500;

export const AuditQuerySchema = z.strictObject({
  userId: z.string().min(1).max(100).optional(),
  sessionId: z.string().min(1).max(100).optional(),
  type: AuditTypeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(100),
  /** Entries older than this id (the last id of the previous page). */
  before: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, 'must be an entry id')
    .optional(),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
