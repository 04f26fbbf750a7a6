import { Inject, Injectable } from '@nestjs/common';
import type { Event, EventType } from '@ccr/protocol/events';
import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { Database } from '../db/database.provider';
import { type EventRow, events } from '../db/schema/events';
import { sessions } from '../db/schema/sessions';

export function toEvent(row: EventRow): Event {
  return {
    id: row.id.toString(),
    sessionId: row.sessionId,
    type: row.type,
    at: row.at.toISOString(),
    data: row.data,
  };
}

@Injectable()
export class EventsRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async ownerOf(sessionId: string): Promise<string | undefined> {
    const rows = await this.database.db
      .select({ userId: sessions.userId })
      .from(sessions)
      .where(eq(sessions.id, sessionId))
      .limit(1);
    return rows[0]?.userId;
  }

  async insert(row: typeof events.$inferInsert): Promise<EventRow> {
    const rows = await this.database.db.insert(events).values(row).returning();
    return rows[0]!;
  }

  /** Keeps only the newest `keep` events of a session. */
  async prune(sessionId: string, keep: number): Promise<void> {
    const cutoff = sql`(select ${events.id} from ${events} where ${events.sessionId} = ${sessionId} order by ${events.id} desc offset ${keep - 1} limit 1)`;
    await this.database.db
      .delete(events)
      .where(and(eq(events.sessionId, sessionId), lt(events.id, cutoff)));
  }

  async listAfter(userId: string, afterId: bigint, limit: number): Promise<EventRow[]> {
    return this.database.db
      .select()
      .from(events)
      .where(and(eq(events.userId, userId), gt(events.id, afterId)))
      .orderBy(asc(events.id))
      .limit(limit);
  }

  /** When the newest event of these types was stored for the session (null: none). */
  async latestAt(sessionId: string, types: readonly EventType[]): Promise<Date | null> {
    const rows = await this.database.db
      .select({ at: events.at })
      .from(events)
      .where(and(eq(events.sessionId, sessionId), inArray(events.type, [...types])))
      .orderBy(desc(events.id))
      .limit(1);
    return rows[0]?.at ?? null;
  }

  /** A session's events of one type, newest first. */
  async listForSession(sessionId: string, type: EventType, limit: number): Promise<EventRow[]> {
    return this.database.db
      .select()
      .from(events)
      .where(and(eq(events.sessionId, sessionId), eq(events.type, type)))
      .orderBy(desc(events.id))
      .limit(limit);
  }

  /** Deletes a session's events older than `beforeId` (its last event stays for resuming clients). */
  async deleteBefore(sessionId: string, beforeId: bigint): Promise<void> {
    await this.database.db
      .delete(events)
      .where(and(eq(events.sessionId, sessionId), lt(events.id, beforeId)));
  }
}
