import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import {
  type AdvisoryLock,
  Database,
  type Db,
  dbSchema,
  migrationsFolder,
} from './database.provider';

export class PgliteDatabase extends Database {
  readonly driver = 'pglite';

  private constructor(
    private readonly client: PGlite,
    readonly db: Db,
  ) {
    super();
  }

  static async open(dataDir: string): Promise<PgliteDatabase> {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const client = await PGlite.create(dataDir);
    const db = drizzle({ client, schema: dbSchema });
    try {
      await migrate(db, { migrationsFolder: migrationsFolder() });
    } catch (error) {
      await client.close();
      throw error;
    }
    return new PgliteDatabase(client, db);
  }

  private readonly heldLocks = new Set<number>();

  async tryAdvisoryLock(key: number): Promise<AdvisoryLock | null> {
    // PGlite is one connection, and advisory locks are re-entrant within a connection: the
    // holder is tracked here so a second taker in this process is refused, as on PostgreSQL.
    if (this.heldLocks.has(key)) {
      return null;
    }
    const result = await this.client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1) as locked',
      [key],
    );
    if (result.rows[0]?.locked !== true) {
      return null;
    }
    this.heldLocks.add(key);
    let released = false;
    return {
      lost: false,
      release: async () => {
        if (released) {
          return;
        }
        released = true;
        this.heldLocks.delete(key);
        if (!this.client.closed) {
          await this.client.query('select pg_advisory_unlock($1)', [key]);
        }
      },
    };
  }

  async close(): Promise<void> {
    if (!this.client.closed) {
      await this.client.close();
    }
  }
}
