import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { Database } from '../db/database.provider';
import { auditLog, type AuditRow } from '../db/schema/audit-log';

export type AuditFilter = {
  userId?: string;
  sessionId?: string;
  type?: AuditRow['type'];
  before?: bigint;
  limit: number;
};

@Injectable()
export class AuditRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async insert(row: typeof auditLog.$inferInsert): Promise<void> {
    await this.database.db.insert(auditLog).values(row);
  }

  list(filter: AuditFilter): Promise<AuditRow[]> {
    const conditions: SQL[] = [];
    if (filter.userId !== undefined) {
      conditions.push(
        or(eq(auditLog.actorId, filter.userId), eq(auditLog.subjectUserId, filter.userId))!,
      );
    }
    if (filter.sessionId !== undefined) {
      conditions.push(eq(auditLog.sessionId, filter.sessionId));
    }
    if (filter.type !== undefined) {
      conditions.push(eq(auditLog.type, filter.type));
    }
    if (filter.before !== undefined) {
      conditions.push(lt(auditLog.id, filter.before));
    }
    return this.database.db
      .select()
      .from(auditLog)
      .where(and(...conditions))
      .orderBy(desc(auditLog.id))
      .limit(filter.limit);
  }

  async deleteBefore(at: Date): Promise<number> {
    const rows = await this.database.db
      .delete(auditLog)
      .where(lt(auditLog.at, at))
      .returning({ id: auditLog.id });
    return rows.length;
  }
}
