import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users';

export const personalAccessTokens = pgTable(
  'personal_access_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // SHA-256 of the token: it carries 256 random bits, so a fast hash is enough and lookups
    // stay one indexed read per request. The token itself is never stored.
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (table) => [index('personal_access_tokens_user_idx').on(table.userId)],
);

export type PersonalAccessTokenRow = typeof personalAccessTokens.$inferSelect;
