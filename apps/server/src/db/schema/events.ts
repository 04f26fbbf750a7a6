import type { EventType } from '@ccr/protocol/events';
import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// No foreign key to sessions: the last event of a deleted session (its deletion) must stay
// readable for clients resuming with Last-Event-ID.
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    sessionId: text('session_id').notNull(),
    userId: text('user_id').notNull(),
    type: text('type').$type<EventType>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  },
  (table) => [
    index('events_session_idx').on(table.sessionId, table.id),
    index('events_user_idx').on(table.userId, table.id),
  ],
);

export type EventRow = typeof events.$inferSelect;
