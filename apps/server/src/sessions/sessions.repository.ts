import { Inject, Injectable } from '@nestjs/common';
import type { SessionStatus } from '@ccr/protocol/api';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { Database } from '../db/database.provider';
import { type NewSessionRow, type SessionRow, sessions } from '../db/schema/sessions';

@Injectable()
export class SessionsRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async insert(row: NewSessionRow): Promise<SessionRow> {
    const rows = await this.database.db.insert(sessions).values(row).returning();
    return rows[0]!;
  }

  async findForUser(userId: string, id: string): Promise<SessionRow | undefined> {
    const rows = await this.database.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.id, id), eq(sessions.userId, userId)))
      .limit(1);
    return rows[0];
  }

  async findById(id: string): Promise<SessionRow | undefined> {
    const rows = await this.database.db.select().from(sessions).where(eq(sessions.id, id)).limit(1);
    return rows[0];
  }

  listForUser(userId: string): Promise<SessionRow[]> {
    return this.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt), asc(sessions.id));
  }

  listAll(): Promise<SessionRow[]> {
    return this.database.db
      .select()
      .from(sessions)
      .orderBy(desc(sessions.createdAt), asc(sessions.id));
  }

  /**
   * Moves a session to `to` only if it is still in one of `from`; undefined when another
   * actor changed it first. This is what keeps concurrent stop/start/readiness writes sane.
   */
  async transition(
    id: string,
    from: readonly SessionStatus[],
    to: SessionStatus,
    error: string | null,
  ): Promise<SessionRow | undefined> {
    const rows = await this.database.db
      .update(sessions)
      .set({ status: to, error })
      .where(and(eq(sessions.id, id), inArray(sessions.status, [...from])))
      .returning();
    return rows[0];
  }

  async update(
    id: string,
    values: Partial<
      Pick<SessionRow, 'name' | 'autoCommit' | 'claude' | 'terminals' | 'lastActivityAt'>
    >,
  ): Promise<SessionRow | undefined> {
    const rows = await this.database.db
      .update(sessions)
      .set(values)
      .where(eq(sessions.id, id))
      .returning();
    return rows[0];
  }

  async delete(id: string): Promise<void> {
    await this.database.db.delete(sessions).where(eq(sessions.id, id));
  }
}
