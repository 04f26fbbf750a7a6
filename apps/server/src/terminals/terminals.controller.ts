import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { TerminalTicket } from '@ccr/protocol/api';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionsService } from '../sessions/sessions.service';
import { TERMINAL_NAME_PATTERN } from './terminal-request';
import { TerminalTicketsService } from './terminal-tickets.service';
import { TerminalError } from './terminals.errors';

@Controller('sessions')
export class TerminalsController {
  constructor(
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(TerminalTicketsService) private readonly tickets: TerminalTicketsService,
  ) {}

  /** A single-use, 30-second ticket for the terminal WebSocket (browsers cannot send headers). */
  @Post(':id/terminals/:name/tickets')
  @HttpCode(200)
  async issueTicket(
    @CurrentUser() user: AuthUser,
    @Param('id') sessionId: string,
    @Param('name') terminal: string,
  ): Promise<TerminalTicket> {
    // Ownership first: another user's session is a 404 whatever the terminal name.
    const session = await this.sessions.getForUser(user, sessionId);
    if (!TERMINAL_NAME_PATTERN.test(terminal) || !session.terminals.includes(terminal)) {
      throw new TerminalError('TERMINAL_NOT_FOUND');
    }
    if (session.status !== 'running') {
      throw new TerminalError('SESSION_NOT_RUNNING', {
        message: `the session is ${session.status}, not running`,
      });
    }
    return this.tickets.issue({ user, sessionId, terminal });
  }
}
