import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { Database, type Db, dbSchema, migrationsFolder } from './database.provider';

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

  async close(): Promise<void> {
    if (!this.client.closed) {
      await this.client.close();
    }
  }
}
