// The commits of a session: read from the commit.created events the server stored (so they
// are served while the session is stopped), and made on demand through the agent.
import { Inject, Injectable } from '@nestjs/common';
import {
  AgentCommitResultSchema,
  CommitSchema,
  type AgentCommitResult,
  type SessionCommit,
} from '@ccr/protocol/agent';
import type { AuthUser } from '../auth/auth-user';
import { EventsRepository } from '../events/events.repository';
import { Runtime } from '../runtime/runtime.port';
import { SessionError } from './sessions.errors';
import { SessionsService } from './sessions.service';

const COMMITS_LISTED = 500;
const MAX_OUTPUT = 2 * 1024 * 1024;

@Injectable()
export class SessionCommitsService {
  constructor(
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(EventsRepository) private readonly events: EventsRepository,
    @Inject(Runtime) private readonly runtime: Runtime,
  ) {}

  async list(user: AuthUser, sessionId: string): Promise<SessionCommit[]> {
    const session = await this.sessions.getForUser(user, sessionId);
    const rows = await this.events.listForSession(session.id, 'commit.created', COMMITS_LISTED);
    return rows.flatMap((row) => {
      // Stored rows were validated on the way in; re-check so a bad row cannot break the list.
      const commit = CommitSchema.safeParse(row.data);
      if (!commit.success) {
        return [];
      }
      const { sha, message, author, files, insertions, deletions, pushed } = commit.data;
      return [
        { sha, message, author, at: row.at.toISOString(), files, insertions, deletions, pushed },
      ];
    });
  }

  async commitNow(
    user: AuthUser,
    sessionId: string,
    message: string | undefined,
  ): Promise<AgentCommitResult> {
    const session = await this.sessions.getForUser(user, sessionId);
    if (session.status !== 'running') {
      throw new SessionError('SESSION_INVALID_STATE', {
        message: 'the session must be running to commit',
      });
    }
    const command = ['ccr-agent', 'commit', '--json'];
    if (message !== undefined) {
      command.push('--message', message);
    }
    const result = await this.runtime.exec(session.id, command, { timeoutMs: 150_000 });
    if (result.exitCode !== 0) {
      throw new SessionError('SESSION_NOT_READY', {
        message: `the sandbox could not commit: ${result.stderr.trim().slice(0, 500)}`,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.stdout.slice(0, MAX_OUTPUT));
    } catch (error) {
      throw new SessionError('SESSION_NOT_READY', {
        cause: error,
        message: 'the sandbox answered the commit with unreadable output',
      });
    }
    const outcome = AgentCommitResultSchema.safeParse(parsed);
    if (!outcome.success) {
      throw new SessionError('SESSION_NOT_READY', {
        message: 'the sandbox answered the commit with unexpected output',
      });
    }
    return outcome.data;
  }
}
