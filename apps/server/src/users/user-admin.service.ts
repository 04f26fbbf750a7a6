import { Inject, Injectable } from '@nestjs/common';
import type { CreateUserBody, ManagedUser, UpdateUserBody } from '@ccr/protocol/accounts';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import { SessionsService } from '../sessions/sessions.service';
import { toManagedUser, UsersService } from './users.service';

/** What administrators do to accounts, with its consequences (revocation, cleanup, audit). */
@Injectable()
export class UserAdminService {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(): Promise<ManagedUser[]> {
    return (await this.users.list()).map(toManagedUser);
  }

  async create(admin: AuthUser, body: CreateUserBody, ip: string): Promise<ManagedUser> {
    const user = toManagedUser(await this.users.create(body));
    await this.audit.record({
      type: 'user.created',
      actor: admin,
      subjectUserId: user.id,
      ip,
      data: { email: user.email, role: user.role },
    });
    return user;
  }

  async update(
    admin: AuthUser,
    id: string,
    body: UpdateUserBody,
    ip: string,
  ): Promise<ManagedUser> {
    const row = await this.users.update(id, body);
    // A disabled user or a reset password ends every login; bearer checks already refuse a
    // disabled user's access tokens and personal access tokens on their next request.
    if (body.disabled === true || body.password !== undefined) {
      await this.auth.revokeAllRefreshTokens(id);
    }
    await this.audit.record({
      type: 'user.updated',
      actor: admin,
      subjectUserId: id,
      ip,
      data: {
        email: row.email,
        ...(body.role !== undefined ? { role: body.role } : {}),
        ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
        ...(body.password !== undefined ? { passwordReset: true } : {}),
      },
    });
    return toManagedUser(row);
  }

  /** Removes the user's sessions (containers and workspaces) first, then the account. */
  async delete(admin: AuthUser, id: string, ip: string): Promise<void> {
    const row = await this.users.findById(id);
    if (row) {
      const owner: AuthUser = { id: row.id, email: row.email, role: row.role };
      for (const session of await this.sessions.list(owner, false)) {
        await this.sessions.delete(owner, session.id);
      }
    }
    await this.users.delete(id);
    await this.audit.record({
      type: 'user.deleted',
      actor: admin,
      subjectUserId: id,
      ip,
      data: { email: row?.email },
    });
  }
}
