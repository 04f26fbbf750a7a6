import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gte, lt } from 'drizzle-orm';
import { Database } from '../db/database.provider';
import { events } from '../db/schema/events';
import { sessions } from '../db/schema/sessions';
import {
  type NewUsageSampleRow,
  type UsageSampleRow,
  usageSamples,
} from '../db/schema/usage-samples';

@Injectable()
export class UsageRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async runningSessionIds(): Promise<string[]> {
    const rows = await this.database.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.status, 'running'))
      .orderBy(asc(sessions.id));
    return rows.map((row) => row.id);
  }

  async insert(row: NewUsageSampleRow): Promise<void> {
    await this.database.db.insert(usageSamples).values(row);
  }

  /** The newest `limit` samples (at or after `since`), returned oldest first. */
  async listForSession(
    sessionId: string,
    since: Date | undefined,
    limit: number,
  ): Promise<UsageSampleRow[]> {
    const rows = await this.database.db
      .select()
      .from(usageSamples)
      .where(
        and(eq(usageSamples.sessionId, sessionId), since ? gte(usageSamples.at, since) : undefined),
      )
      .orderBy(desc(usageSamples.at), desc(usageSamples.id))
      .limit(limit);
    return rows.reverse();
  }

  /** Returns how many samples were deleted. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const rows = await this.database.db
      .delete(usageSamples)
      .where(lt(usageSamples.at, cutoff))
      .returning({ id: usageSamples.id });
    return rows.length;
  }

  /**
   * Keeps only a session's newest usage.sample event: the history lives in usage_samples, and
   * a sample every few seconds would otherwise push the activity out of the kept events.
   */
  async dropSupersededUsageEvents(sessionId: string, newestId: bigint): Promise<void> {
    await this.database.db
      .delete(events)
      .where(
        and(
          eq(events.sessionId, sessionId),
          eq(events.type, 'usage.sample'),
          lt(events.id, newestId),
        ),
      );
  }
}
