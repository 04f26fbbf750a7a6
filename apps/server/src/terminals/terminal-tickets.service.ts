// Browsers cannot set headers on a WebSocket, and a token in the URL ends up in logs and
// history. So the SPA trades its access token for a ticket: opaque, single use, short-lived and
// bound to one user, session and terminal. Only its hash is kept, in this process's memory: a
// ticket is redeemed within seconds of being issued, and a restart merely makes the client ask
// again. Several replicas need the ticket redeemed where it was issued (sticky routing) or a
// shared store; see docs/adr/0003-terminal-protocol.md.
import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { TerminalError } from './terminals.errors';

export const TICKET_TTL_SECONDS = 30;
const MAX_OUTSTANDING_TICKETS = 10_000;
const SWEEP_INTERVAL_MS = 30_000;

/** The time source of ticket expiry; a class so tests can move time by injecting their own. */
@Injectable()
export class TerminalTicketClock {
  now(): number {
    return Date.now();
  }
}

export interface TicketGrant {
  user: AuthUser;
  sessionId: string;
  terminal: string;
}

interface StoredTicket extends TicketGrant {
  expiresAt: number;
}

function hashTicket(ticket: string): string {
  return createHash('sha256').update(ticket).digest('base64url');
}

@Injectable()
export class TerminalTicketsService implements OnModuleDestroy {
  private readonly tickets = new Map<string, StoredTicket>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(@Inject(TerminalTicketClock) private readonly clock: TerminalTicketClock) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  issue(grant: TicketGrant): { ticket: string; expiresIn: number } {
    if (this.tickets.size >= MAX_OUTSTANDING_TICKETS) {
      this.sweep();
      if (this.tickets.size >= MAX_OUTSTANDING_TICKETS) {
        throw new TerminalError('TOO_MANY_TICKETS');
      }
    }
    const ticket = randomBytes(32).toString('base64url');
    this.tickets.set(hashTicket(ticket), {
      user: { ...grant.user },
      sessionId: grant.sessionId,
      terminal: grant.terminal,
      expiresAt: this.clock.now() + TICKET_TTL_SECONDS * 1000,
    });
    return { ticket, expiresIn: TICKET_TTL_SECONDS };
  }

  /**
   * Consumes the ticket (even when it turns out to be for another terminal: a ticket presented
   * in the wrong place may have leaked) and returns the user it was issued to.
   */
  redeem(ticket: string, sessionId: string, terminal: string): AuthUser {
    const key = hashTicket(ticket);
    const stored = this.tickets.get(key);
    this.tickets.delete(key);
    if (stored === undefined || stored.expiresAt <= this.clock.now()) {
      throw new TerminalError('TICKET_INVALID');
    }
    if (stored.sessionId !== sessionId || stored.terminal !== terminal) {
      throw new TerminalError('TICKET_MISMATCH');
    }
    return stored.user;
  }

  get outstanding(): number {
    return this.tickets.size;
  }

  sweep(): void {
    const now = this.clock.now();
    for (const [key, stored] of this.tickets) {
      if (stored.expiresAt <= now) {
        this.tickets.delete(key);
      }
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
