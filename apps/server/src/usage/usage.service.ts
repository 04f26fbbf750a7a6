import { Inject, Injectable } from '@nestjs/common';
import { MAX_USAGE_SAMPLES, type UsageQuery, type UsageSample } from '@ccr/protocol/usage';
import type { AuthUser } from '../auth/auth-user';
import { SessionsService } from '../sessions/sessions.service';
import { UsageRepository } from './usage.repository';

@Injectable()
export class UsageService {
  constructor(
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(UsageRepository) private readonly usage: UsageRepository,
  ) {}

  /** The session's newest samples (at most `limit`, from `since`), oldest first. */
  async list(user: AuthUser, sessionId: string, query: UsageQuery): Promise<UsageSample[]> {
    // Throws SESSION_NOT_FOUND for another user's session, as for any session route.
    const session = await this.sessions.getForUser(user, sessionId);
    const rows = await this.usage.listForSession(
      session.id,
      query.since === undefined ? undefined : new Date(query.since),
      query.limit ?? MAX_USAGE_SAMPLES,
    );
    return rows.map((row) => ({
      at: row.at.toISOString(),
      cpuPercent: row.cpuPercent,
      memoryBytes: row.memoryBytes,
      memoryLimitBytes: row.memoryLimitBytes,
      pids: row.pids,
      netRxBytes: row.netRxBytes,
      netTxBytes: row.netTxBytes,
    }));
  }
}
