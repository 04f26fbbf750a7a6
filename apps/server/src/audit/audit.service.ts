import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AuditEntry, AuditQuery, AuditType } from '@ccr/protocol/accounts';
import type { AuthUser } from '../auth/auth-user';
import { AppConfig } from '../config/env';
import type { AuditRow } from '../db/schema/audit-log';
import { redactSecrets } from './audit-redaction';
import { AuditRepository } from './audit.repository';

export type AuditRecord = {
  type: AuditType;
  actor: Pick<AuthUser, 'id' | 'email'> | null;
  subjectUserId?: string;
  sessionId?: string;
  ip?: string;
  data?: Record<string, unknown>;
};

const PRUNE_INTERVAL_MS = 3_600_000;

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id.toString(),
    at: row.at.toISOString(),
    type: row.type,
    actorId: row.actorId,
    actorEmail: row.actorEmail,
    subjectUserId: row.subjectUserId,
    sessionId: row.sessionId,
    ip: row.ip,
    data: row.data,
  };
}

@Injectable()
export class AuditService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Writes one entry. Never throws: it is called after the action has happened, and failing
   * the request then would tell the caller the action failed when it did not. A lost entry is
   * logged as an error instead.
   */
  async record(record: AuditRecord): Promise<void> {
    try {
      await this.audit.insert({
        type: record.type,
        actorId: record.actor?.id ?? null,
        actorEmail: record.actor?.email ?? null,
        subjectUserId: record.subjectUserId ?? null,
        sessionId: record.sessionId ?? null,
        ip: record.ip ?? null,
        data: redactSecrets(record.data ?? {}) as Record<string, unknown>,
      });
    } catch (error) {
      this.logger.error({ err: error, type: record.type }, 'audit entry lost');
    }
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const rows = await this.audit.list({
      userId: query.userId,
      sessionId: query.sessionId,
      type: query.type,
      before: query.before === undefined ? undefined : BigInt(query.before),
      limit: query.limit,
    });
    return rows.map(toEntry);
  }

  /** Deletes entries older than CCR_AUDIT_RETENTION; returns how many went. */
  prune(now = Date.now()): Promise<number> {
    return this.audit.deleteBefore(new Date(now - this.config.values.auditRetentionMs));
  }

  onApplicationBootstrap(): void {
    const run = (): void => {
      this.prune().then(
        (removed) => {
          if (removed > 0) {
            this.logger.log({ removed }, 'old audit entries pruned');
          }
        },
        (error: unknown) => this.logger.warn({ err: error }, 'audit prune failed'),
      );
    };
    run();
    this.pruneTimer = setInterval(run, PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruneTimer);
  }
}
