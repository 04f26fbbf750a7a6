import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Pool } from 'pg';
import { Database, type Db, dbSchema, migrationsFolder } from './database.provider';

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

  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.pool.end();
    }
  }
}
