import {
  bigint,
  bigserial,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { sessions } from './sessions';

// Byte counters are bigint in mode 'number': exact up to 2^53, far beyond any container's memory
// or traffic. Samples go with their session.
export const usageSamples = pgTable(
  'usage_samples',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    cpuPercent: doublePrecision('cpu_percent').notNull(),
    memoryBytes: bigint('memory_bytes', { mode: 'number' }).notNull(),
    memoryLimitBytes: bigint('memory_limit_bytes', { mode: 'number' }).notNull(),
    pids: integer('pids').notNull(),
    netRxBytes: bigint('net_rx_bytes', { mode: 'number' }).notNull(),
    netTxBytes: bigint('net_tx_bytes', { mode: 'number' }).notNull(),
  },
  (table) => [
    index('usage_samples_session_at_idx').on(table.sessionId, table.at),
    // Serves the retention sweep, which deletes by age across all sessions.
    index('usage_samples_at_idx').on(table.at),
  ],
);

export type UsageSampleRow = typeof usageSamples.$inferSelect;
export type NewUsageSampleRow = typeof usageSamples.$inferInsert;
