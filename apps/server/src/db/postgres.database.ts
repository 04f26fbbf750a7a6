import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Pool } from 'pg';
import {
  type AdvisoryLock,
  Database,
  type Db,
  dbSchema,
  migrationsFolder,
} from './database.provider';

export class PostgresDatabase extends Database {
  readonly driver = 'postgres';

  private constructor(
    private readonly pool: Pool,
    readonly db: Db,
  ) {
    super();
  }

  static async open(url: string): Promise<PostgresDatabase> {
    const pool = new Pool({ connectionString: url, max: 10 });
    // An idle client losing its connection must not crash the process.
    pool.on('error', () => undefined);
    const db = drizzle({ client: pool, schema: dbSchema });
    try {
      await migrate(db, { migrationsFolder: migrationsFolder() });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresDatabase(pool, db);
  }

  private ended = false;

  async tryAdvisoryLock(key: number): Promise<AdvisoryLock | null> {
    // Session-level locks belong to a connection, so the lock keeps one out of the pool.
    const client = await this.pool.connect();
    let locked: boolean;
    try {
      const result = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock($1) as locked',
        [key],
      );
      locked = result.rows[0]?.locked === true;
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      throw error;
    }
    if (!locked) {
      client.release();
      return null;
    }
    const lock = { lost: false, released: false };
    client.on('error', () => {
      lock.lost = true;
    });
    return {
      get lost() {
        return lock.lost;
      },
      release: async () => {
        if (lock.released) {
          return;
        }
        lock.released = true;
        try {
          if (!lock.lost) {
            await client.query('select pg_advisory_unlock($1)', [key]);
          }
          client.release();
        } catch (error) {
          // Destroying the connection releases the lock too.
          client.release(error instanceof Error ? error : true);
        }
      },
    };
  }

  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.pool.end();
    }
  }
}
