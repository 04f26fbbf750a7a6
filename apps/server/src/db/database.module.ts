import { join } from 'node:path';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/env';
import { Database } from './database.provider';
import { PgliteDatabase } from './pglite.database';
import { PostgresDatabase } from './postgres.database';

export async function openDatabase(config: AppConfig): Promise<Database> {
  if (config.values.databaseUrl) {
    return PostgresDatabase.open(config.values.databaseUrl);
  }
  return PgliteDatabase.open(join(config.values.dataDir, 'pglite'));
}

@Global()
@Module({
  providers: [{ provide: Database, inject: [AppConfig], useFactory: openDatabase }],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly database: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
