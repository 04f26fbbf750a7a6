import { Inject, Injectable } from '@nestjs/common';
import type { SessionStatus } from '@ccr/protocol/api';
import { sql } from 'drizzle-orm';
import { Database } from '../db/database.provider';
import { sessions } from '../db/schema/sessions';

@Injectable()
export class MetricsRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  countSessionsByStatus(): Promise<{ status: SessionStatus; count: number }[]> {
    return this.database.db
      .select({ status: sessions.status, count: sql<number>`count(*)::int` })
      .from(sessions)
      .groupBy(sessions.status);
  }
}
