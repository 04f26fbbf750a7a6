import type { AuditType } from '@ccr/protocol/accounts';
import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// No foreign keys: entries outlive the users and sessions they mention (that is their point).
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    type: text('type').$type<AuditType>().notNull(),
    actorId: text('actor_id'),
    actorEmail: text('actor_email'),
    subjectUserId: text('subject_user_id'),
    sessionId: text('session_id'),
    ip: text('ip'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  },
  (table) => [
    index('audit_log_at_idx').on(table.at),
    index('audit_log_actor_idx').on(table.actorId, table.id),
    index('audit_log_subject_idx').on(table.subjectUserId, table.id),
    index('audit_log_session_idx').on(table.sessionId, table.id),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
