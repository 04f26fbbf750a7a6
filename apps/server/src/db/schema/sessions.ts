import type { AutoCommit, ClaudeSettings, Resources, SessionStatus } from '@ccr/protocol/api';
import { jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { users } from './users';

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    status: text('status').$type<SessionStatus>().notNull(),
    repoUrl: text('repo_url'),
    branch: text('branch').notNull(),
    workBranch: text('work_branch').notNull(),
    resources: jsonb('resources').$type<Resources>().notNull(),
    autoCommit: jsonb('auto_commit').$type<AutoCommit>().notNull(),
    claude: jsonb('claude').$type<ClaudeSettings>().notNull(),
    terminals: jsonb('terminals').$type<string[]>().notNull(),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The unique (user_id, name) index also serves listing a user's sessions.
  (table) => [unique('sessions_user_name_unique').on(table.userId, table.name)],
);

export type SessionRow = typeof sessions.$inferSelect;
export type NewSessionRow = typeof sessions.$inferInsert;
