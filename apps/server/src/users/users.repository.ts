import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, eq, ne } from 'drizzle-orm';
import { Database, type Db } from '../db/database.provider';
import { type UserRow, users } from '../db/schema/users';

export type UserChanges = Partial<Pick<UserRow, 'role' | 'disabled' | 'passwordHash'>>;

@Injectable()
export class UsersRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async findByEmail(email: string): Promise<UserRow | undefined> {
    const rows = await this.database.db.select().from(users).where(eq(users.email, email)).limit(1);
    return rows[0];
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const rows = await this.database.db.select().from(users).where(eq(users.id, id)).limit(1);
    return rows[0];
  }

  list(): Promise<UserRow[]> {
    return this.database.db.select().from(users).orderBy(asc(users.createdAt), asc(users.email));
  }

  async count(): Promise<number> {
    const rows = await this.database.db.select({ value: count() }).from(users);
    return rows[0]?.value ?? 0;
  }

  async insert(row: typeof users.$inferInsert): Promise<UserRow> {
    const rows = await this.database.db.insert(users).values(row).returning();
    return rows[0]!;
  }

  async update(id: string, changes: UserChanges): Promise<UserRow | undefined> {
    const rows = await this.database.db
      .update(users)
      .set(changes)
      .where(eq(users.id, id))
      .returning();
    return rows[0];
  }

  /**
   * Runs `change` only if, afterwards, an active administrator other than `id` remains. The
   * other active admins' rows are locked first, so two admins demoting each other at once
   * cannot both succeed.
   */
  async withAnotherActiveAdmin<T>(
    id: string,
    change: (db: Db) => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false }> {
    return this.database.db.transaction(async (tx) => {
      const others = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, 'admin'), eq(users.disabled, false), ne(users.id, id)))
        .for('update');
      if (others.length === 0) {
        return { ok: false } as const;
      }
      return { ok: true, value: await change(tx) } as const;
    });
  }

  updateIn(db: Db, id: string, changes: UserChanges): Promise<UserRow[]> {
    return db.update(users).set(changes).where(eq(users.id, id)).returning();
  }

  deleteIn(db: Db, id: string): Promise<{ id: string }[]> {
    return db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
  }

  async delete(id: string): Promise<boolean> {
    return (await this.deleteIn(this.database.db, id)).length === 1;
  }
}
