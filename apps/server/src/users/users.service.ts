import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@ccr/protocol/api';
import { isUniqueViolation } from '../db/database.provider';
import type { UserRow } from '../db/schema/users';
import { hashPassword } from './password-hasher';
import { UserError } from './users.errors';
import { UsersRepository } from './users.repository';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class UsersService {
  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.users.findByEmail(normalizeEmail(email));
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.users.findById(id);
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
}
