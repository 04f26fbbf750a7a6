import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNull, lt, ne } from 'drizzle-orm';
import { Database } from '../db/database.provider';
import { type RefreshTokenRow, refreshTokens } from '../db/schema/refresh-tokens';

@Injectable()
export class RefreshTokensRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async insert(row: typeof refreshTokens.$inferInsert): Promise<void> {
    await this.database.db.insert(refreshTokens).values(row);
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRow | undefined> {
    const rows = await this.database.db
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash))
      .limit(1);
    return rows[0];
  }

  /** Marks the token used; false when another request rotated or revoked it first. */
  async markRotated(id: string, replacedBy: string, at: Date): Promise<boolean> {
    const rows = await this.database.db
      .update(refreshTokens)
      .set({ revokedAt: at, replacedBy })
      .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.revokedAt)))
      .returning({ id: refreshTokens.id });
    return rows.length === 1;
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    await this.database.db
      .update(refreshTokens)
      .set({ revokedAt: at })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  }

  /** Revokes every family of the user, except `keepFamilyId` (the caller's own login). */
  async revokeAllForUser(userId: string, at: Date, keepFamilyId?: string): Promise<void> {
    await this.database.db
      .update(refreshTokens)
      .set({ revokedAt: at })
      .where(
        and(
          eq(refreshTokens.userId, userId),
          isNull(refreshTokens.revokedAt),
          keepFamilyId === undefined ? undefined : ne(refreshTokens.familyId, keepFamilyId),
        ),
      );
  }

  async deleteExpired(before: Date): Promise<void> {
    await this.database.db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, before));
  }
}
