import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type CreatedToken,
  type CreateTokenBody,
  PERSONAL_ACCESS_TOKEN_PREFIX,
  type PersonalAccessToken,
} from '@ccr/protocol/accounts';
import type { PersonalAccessTokenRow } from '../db/schema/personal-access-tokens';
import type { AuthUser } from './auth-user';
import { AuthError } from './auth.errors';
import { PersonalAccessTokensRepository } from './personal-access-tokens.repository';

const MAX_TOKENS_PER_USER = 50;
const LAST_USED_GRANULARITY_MS = 60_000;
const DAY_MS = 86_400_000;
// 32 random bytes in base64url: 43 characters.
const TOKEN_PATTERN = new RegExp(`^${PERSONAL_ACCESS_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

export function isPersonalAccessToken(token: string): boolean {
  return token.startsWith(PERSONAL_ACCESS_TOKEN_PREFIX);
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function toPersonalAccessToken(row: PersonalAccessTokenRow): PersonalAccessToken {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class PersonalAccessTokensService {
  constructor(
    @Inject(PersonalAccessTokensRepository)
    private readonly tokens: PersonalAccessTokensRepository,
  ) {}

  async create(user: AuthUser, body: CreateTokenBody, now = new Date()): Promise<CreatedToken> {
    if ((await this.tokens.countForUser(user.id)) >= MAX_TOKENS_PER_USER) {
      throw new AuthError('TOO_MANY_TOKENS');
    }
    // The prefix lets secret scanners recognise a leaked token.
    const token = `${PERSONAL_ACCESS_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await this.tokens.insert({
      id: randomUUID(),
      userId: user.id,
      name: body.name,
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt:
        body.expiresInDays === undefined
          ? null
          : new Date(now.getTime() + body.expiresInDays * DAY_MS),
    });
    return { ...toPersonalAccessToken(row), token };
  }

  async list(user: AuthUser): Promise<PersonalAccessToken[]> {
    return (await this.tokens.listForUser(user.id)).map(toPersonalAccessToken);
  }

  /** Deletes one of the caller's tokens; another user's token is "not found" like a missing one. */
  async delete(user: AuthUser, id: string): Promise<PersonalAccessToken> {
    const row = await this.tokens.deleteForUser(user.id, id);
    if (!row) {
      throw new AuthError('TOKEN_NOT_FOUND');
    }
    return toPersonalAccessToken(row);
  }

  /** The id of the user the token belongs to; throws AuthError('UNAUTHORIZED') otherwise. */
  async authenticate(token: string, now = new Date()): Promise<string> {
    if (!TOKEN_PATTERN.test(token)) {
      throw new AuthError('UNAUTHORIZED');
    }
    const row = await this.tokens.findByHash(hashToken(token));
    if (!row || (row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime())) {
      throw new AuthError('UNAUTHORIZED');
    }
    await this.tokens.touch(row.id, now, LAST_USED_GRANULARITY_MS);
    return row.userId;
  }
}
