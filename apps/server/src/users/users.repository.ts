import { Inject, Injectable } from '@nestjs/common';
import { count, eq } from 'drizzle-orm';
import { Database } from '../db/database.provider';
import { type UserRow, users } from '../db/schema/users';

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

  async count(): Promise<number> {
    const rows = await this.database.db.select({ value: count() }).from(users);
    return rows[0]?.value ?? 0;
  }

  async insert(row: typeof users.$inferInsert): Promise<UserRow> {
    const rows = await this.database.db.insert(users).values(row).returning();
    return rows[0]!;
  }
}
