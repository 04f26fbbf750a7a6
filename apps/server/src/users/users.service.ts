import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ManagedUser } from '@ccr/protocol/accounts';
import type { Role } from '@ccr/protocol/api';
import { isUniqueViolation } from '../db/database.provider';
import type { UserRow } from '../db/schema/users';
import { hashPassword } from './password-hasher';
import { UserError } from './users.errors';
import { type UserChanges, UsersRepository } from './users.repository';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toManagedUser(row: UserRow): ManagedUser {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    disabled: row.disabled,
    createdAt: row.createdAt.toISOString(),
  };
}

export type UserUpdate = { role?: Role; disabled?: boolean; password?: string };

@Injectable()
export class UsersService {
  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.users.findByEmail(normalizeEmail(email));
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.users.findById(id);
  }

  list(): Promise<UserRow[]> {
    return this.users.list();
  }

  count(): Promise<number> {
    return this.users.count();
  }

  async create(input: { email: string; password: string; role: Role }): Promise<UserRow> {
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.users.insert({
        id: randomUUID(),
        email: normalizeEmail(input.email),
        passwordHash,
        role: input.role,
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new UserError('USER_EMAIL_TAKEN', { cause: error });
      }
      throw error;
    }
  }

  /** Applies an admin's changes; refuses to leave the deployment without an active admin. */
  async update(id: string, update: UserUpdate): Promise<UserRow> {
    const existing = await this.users.findById(id);
    if (!existing) {
      throw new UserError('USER_NOT_FOUND');
    }
    const changes: UserChanges = {};
    if (update.role !== undefined) {
      changes.role = update.role;
    }
    if (update.disabled !== undefined) {
      changes.disabled = update.disabled;
    }
    if (update.password !== undefined) {
      changes.passwordHash = await hashPassword(update.password);
    }
    const losesAdmin =
      existing.role === 'admin' &&
      !existing.disabled &&
      (changes.role === 'user' || changes.disabled === true);
    if (!losesAdmin) {
      const row = await this.users.update(id, changes);
      if (!row) {
        throw new UserError('USER_NOT_FOUND');
      }
      return row;
    }
    const result = await this.users.withAnotherActiveAdmin(id, (db) =>
      this.users.updateIn(db, id, changes),
    );
    if (!result.ok) {
      throw new UserError('LAST_ADMIN');
    }
    const row = result.value[0];
    if (!row) {
      throw new UserError('USER_NOT_FOUND');
    }
    return row;
  }

  async setPassword(id: string, password: string): Promise<void> {
    if (!(await this.users.update(id, { passwordHash: await hashPassword(password) }))) {
      throw new UserError('USER_NOT_FOUND');
    }
  }

  async delete(id: string): Promise<void> {
    const existing = await this.users.findById(id);
    if (!existing) {
      throw new UserError('USER_NOT_FOUND');
    }
    if (existing.role !== 'admin' || existing.disabled) {
      if (!(await this.users.delete(id))) {
        throw new UserError('USER_NOT_FOUND');
      }
      return;
    }
    const result = await this.users.withAnotherActiveAdmin(id, (db) => this.users.deleteIn(db, id));
    if (!result.ok) {
      throw new UserError('LAST_ADMIN');
    }
    if (result.value.length === 0) {
      throw new UserError('USER_NOT_FOUND');
    }
  }
}
