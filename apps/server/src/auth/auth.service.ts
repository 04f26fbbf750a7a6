import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { LoginResponse, RefreshResponse } from '@ccr/protocol/api';
import { AppConfig } from '../config/env';
import type { UserRow } from '../db/schema/users';
import { hashPassword, verifyPassword } from '../users/password-hasher';
import { normalizeEmail, UsersService } from '../users/users.service';
import { ACCESS_TOKEN_TTL_SECONDS, AccessTokens } from './access-tokens';
import type { AuthUser } from './auth-user';
import { AuthError } from './auth.errors';
import { AuditService } from '../audit/audit.service';
import { ValidationError } from '../common/validation.error';
import { LoginAttemptStore } from './login-attempt.store';
import { defaultThrottlePolicy, LoginThrottle } from './login-throttle';
import {
  isPersonalAccessToken,
  PersonalAccessTokensService,
} from './personal-access-tokens.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3_600_000;

export type IssuedTokens = { access: LoginResponse | RefreshResponse; refreshToken: string };

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function toAuthUser(row: UserRow): AuthUser {
  return { id: row.id, email: row.email, role: row.role };
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly accessTokens: AccessTokens;
  // Verified against when the email is unknown, so both paths cost one argon2 verification
  // and response times do not reveal which emails exist.
  private readonly dummyHash: Promise<string>;
  private readonly throttle: LoginThrottle;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(RefreshTokensRepository) private readonly refreshTokens: RefreshTokensRepository,
    @Inject(PersonalAccessTokensService)
    private readonly personalAccessTokens: PersonalAccessTokensService,
    @Inject(LoginAttemptStore) attempts: LoginAttemptStore,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    this.accessTokens = new AccessTokens(config.values.secretKey, config.values.publicUrl);
    this.dummyHash = hashPassword(randomBytes(16).toString('base64url'));
    this.throttle = new LoginThrottle(
      attempts,
      defaultThrottlePolicy(config.values.loginLockoutMs),
    );
  }

  async login(
    email: string,
    password: string,
    ip: string,
  ): Promise<{ response: LoginResponse; refreshToken: string }> {
    const account = normalizeEmail(email);
    // Checked before any hashing: a locked-out guesser costs no argon2 work.
    await this.throttle.check(account, ip);
    const row = await this.users.findByEmail(account);
    const valid = await verifyPassword(row?.passwordHash ?? (await this.dummyHash), password);
    if (!row || !valid || row.disabled) {
      await this.throttle.recordFailure(account, ip);
      await this.audit.record({
        type: 'auth.login_failed',
        actor: row ? { id: row.id, email: row.email } : null,
        ip,
        data: {
          email: account,
          reason: row?.disabled && valid ? 'disabled' : 'invalid_credentials',
        },
      });
      throw new AuthError('INVALID_CREDENTIALS');
    }
    await this.throttle.recordSuccess(account);
    const user = toAuthUser(row);
    const refreshToken = await this.issueRefreshToken(user.id, randomUUID());
    await this.audit.record({ type: 'auth.login', actor: user, ip });
    return {
      response: {
        accessToken: await this.accessTokens.sign(user),
        expiresIn: ACCESS_TOKEN_TTL_SECONDS,
        user,
      },
      refreshToken,
    };
  }

  /**
   * Rotates the refresh token. Presenting a token that was already rotated means it leaked (or
   * two clients raced): the whole family is revoked and the user logs in again.
   */
  async refresh(
    presented: string | undefined,
  ): Promise<{ response: RefreshResponse; refreshToken: string }> {
    if (!presented) {
      throw new AuthError('UNAUTHORIZED');
    }
    const now = new Date();
    const stored = await this.refreshTokens.findByHash(hashToken(presented));
    if (!stored) {
      throw new AuthError('UNAUTHORIZED');
    }
    if (stored.revokedAt) {
      if (stored.replacedBy) {
        this.logger.warn(
          { familyId: stored.familyId, userId: stored.userId },
          'refresh token reuse; family revoked',
        );
        await this.refreshTokens.revokeFamily(stored.familyId, now);
      }
      throw new AuthError('UNAUTHORIZED');
    }
    if (stored.expiresAt.getTime() <= now.getTime()) {
      throw new AuthError('UNAUTHORIZED');
    }
    const row = await this.users.findById(stored.userId);
    if (!row || row.disabled) {
      await this.refreshTokens.revokeFamily(stored.familyId, now);
      throw new AuthError('UNAUTHORIZED');
    }
    const nextId = randomUUID();
    if (!(await this.refreshTokens.markRotated(stored.id, nextId, now))) {
      // Another request rotated it between our read and write: the same reuse rule applies.
      await this.refreshTokens.revokeFamily(stored.familyId, now);
      throw new AuthError('UNAUTHORIZED');
    }
    const refreshToken = await this.issueRefreshToken(row.id, stored.familyId, nextId);
    return {
      response: {
        accessToken: await this.accessTokens.sign(toAuthUser(row)),
        expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      },
      refreshToken,
    };
  }

  async logout(presented: string | undefined, ip: string): Promise<void> {
    if (!presented) {
      return;
    }
    const stored = await this.refreshTokens.findByHash(hashToken(presented));
    if (stored) {
      await this.refreshTokens.revokeFamily(stored.familyId, new Date());
      const row = await this.users.findById(stored.userId);
      await this.audit.record({
        type: 'auth.logout',
        actor: row ? { id: row.id, email: row.email } : { id: stored.userId, email: '' },
        ip,
      });
    }
  }

  /**
   * Changes the caller's own password after checking the current one (rate limited like a
   * login, so a stolen access token cannot be used to guess it). Every other login of the user
   * is revoked; the one presenting `presentedRefresh` (this browser) stays signed in.
   */
  async changePassword(
    user: AuthUser,
    currentPassword: string,
    newPassword: string,
    presentedRefresh: string | undefined,
    ip: string,
  ): Promise<void> {
    await this.throttle.check(user.email, ip);
    const row = await this.users.findById(user.id);
    if (!row || row.disabled) {
      throw new AuthError('UNAUTHORIZED');
    }
    if (!(await verifyPassword(row.passwordHash, currentPassword))) {
      await this.throttle.recordFailure(user.email, ip);
      throw new ValidationError({ currentPassword: 'is not the current password' });
    }
    await this.throttle.recordSuccess(user.email);
    await this.users.setPassword(user.id, newPassword);
    const current = presentedRefresh
      ? await this.refreshTokens.findByHash(hashToken(presentedRefresh))
      : undefined;
    await this.refreshTokens.revokeAllForUser(
      user.id,
      new Date(),
      current?.userId === user.id ? current.familyId : undefined,
    );
    await this.audit.record({
      type: 'auth.password_changed',
      actor: user,
      subjectUserId: user.id,
      ip,
    });
  }

  /** Ends every refresh-token family of the user (disabled, password reset by an admin). */
  revokeAllRefreshTokens(userId: string): Promise<void> {
    return this.refreshTokens.revokeAllForUser(userId, new Date());
  }

  /**
   * Verifies an access token or a personal access token and returns its (still enabled) user;
   * throws AuthError('UNAUTHORIZED').
   */
  async authenticateBearer(token: string): Promise<AuthUser> {
    let userId: string;
    try {
      userId = isPersonalAccessToken(token)
        ? await this.personalAccessTokens.authenticate(token)
        : await this.accessTokens.verify(token);
    } catch (error) {
      throw new AuthError('UNAUTHORIZED', { cause: error });
    }
    const row = await this.users.findById(userId);
    if (!row || row.disabled) {
      throw new AuthError('UNAUTHORIZED');
    }
    return toAuthUser(row);
  }

  /** Signs an access token for a user without a password; used by tests and internal callers. */
  signAccessToken(user: AuthUser): Promise<string> {
    return this.accessTokens.sign(user);
  }

  private async issueRefreshToken(
    userId: string,
    familyId: string,
    id: string = randomUUID(),
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.refreshTokens.insert({
      id,
      userId,
      familyId,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
    });
    return token;
  }
}
