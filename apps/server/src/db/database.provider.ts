// The database port: one typed Drizzle instance whatever the driver, so repositories never know
// whether PGlite (the embedded default) or PostgreSQL (DATABASE_URL) is behind it.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { auditLog } from './schema/audit-log';
import { events } from './schema/events';
import { personalAccessTokens } from './schema/personal-access-tokens';
import { refreshTokens } from './schema/refresh-tokens';
import { sessions } from './schema/sessions';
import { users } from './schema/users';

export const dbSchema = { users, refreshTokens, sessions, events, personalAccessTokens, auditLog };
export type DbSchema = typeof dbSchema;
export type Db = PgDatabase<PgQueryResultHKT, DbSchema>;

/**
 * A session-level advisory lock (pg_try_advisory_lock) held on its own connection until
 * released. `lost` turns true when that connection drops: the server released the lock.
 */
export interface AdvisoryLock {
  readonly lost: boolean;
  release(): Promise<void>;
}

export abstract class Database {
  abstract readonly db: Db;
  abstract readonly driver: 'pglite' | 'postgres';
  /**
   * Takes the advisory lock `key` for this process, or null when someone holds it. It is how
   * one replica out of several runs a background job (a lock held, not a row written: a
   * replica that dies loses it with its connection, so no lease has to expire).
   */
  abstract tryAdvisoryLock(key: number): Promise<AdvisoryLock | null>;
  /** Rejects when the database does not answer. */
  async ping(): Promise<void> {
    await this.db.execute(sql`select 1`);
  }
  abstract close(): Promise<void>;
}

/** Migrations ship next to the compiled code; from the source tree (tests, tsx) they sit here. */
export function migrationsFolder(): string {
  const candidates = [join(__dirname, 'migrations'), resolve(__dirname, '../../src/db/migrations')];
  const found = candidates.find((dir) => existsSync(join(dir, 'meta', '_journal.json')));
  if (!found) {
    throw new Error(`database migrations not found (looked in ${candidates.join(', ')})`);
  }
  return found;
}

/** True when the error (or one it wraps) is a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    if ((current as { code?: unknown }).code === '23505') {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
