import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, eq, isNull, lt, or } from 'drizzle-orm';
import { Database } from '../db/database.provider';
import {
  type PersonalAccessTokenRow,
  personalAccessTokens,
} from '../db/schema/personal-access-tokens';

@Injectable()
export class PersonalAccessTokensRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async insert(row: typeof personalAccessTokens.$inferInsert): Promise<PersonalAccessTokenRow> {
    const rows = await this.database.db.insert(personalAccessTokens).values(row).returning();
    return rows[0]!;
  }

  async findByHash(tokenHash: string): Promise<PersonalAccessTokenRow | undefined> {
    const rows = await this.database.db
      .select()
      .from(personalAccessTokens)
      .where(eq(personalAccessTokens.tokenHash, tokenHash))
      .limit(1);
    return rows[0];
  }

  listForUser(userId: string): Promise<PersonalAccessTokenRow[]> {
    return this.database.db
      .select()
      .from(personalAccessTokens)
      .where(eq(personalAccessTokens.userId, userId))
      .orderBy(asc(personalAccessTokens.createdAt));
  }

  async countForUser(userId: string): Promise<number> {
    const rows = await this.database.db
      .select({ value: count() })
      .from(personalAccessTokens)
      .where(eq(personalAccessTokens.userId, userId));
    return rows[0]?.value ?? 0;
  }

  async deleteForUser(userId: string, id: string): Promise<PersonalAccessTokenRow | undefined> {
    const rows = await this.database.db
      .delete(personalAccessTokens)
      .where(and(eq(personalAccessTokens.id, id), eq(personalAccessTokens.userId, userId)))
      .returning();
    return rows[0];
  }

  /** Records use at most once per `granularityMs`, so authenticated requests rarely write. */
  async touch(id: string, at: Date, granularityMs: number): Promise<void> {
    await this.database.db
      .update(personalAccessTokens)
      .set({ lastUsedAt: at })
      .where(
        and(
          eq(personalAccessTokens.id, id),
          or(
            isNull(personalAccessTokens.lastUsedAt),
            lt(personalAccessTokens.lastUsedAt, new Date(at.getTime() - granularityMs)),
          ),
        ),
      );
  }
}
