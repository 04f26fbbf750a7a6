import { afterEach, describe, expect, it } from 'vitest';
import type { AuthUser } from '../auth/auth-user';
import { TerminalTicketClock, TerminalTicketsService } from './terminal-tickets.service';
import { TerminalError } from './terminals.errors';

class ManualClock extends TerminalTicketClock {
  time = 1_000_000;
  override now(): number {
    return this.time;
  }
}

const user: AuthUser = { id: 'u1', email: 'u1@test.local', role: 'user' };
const services: TerminalTicketsService[] = [];

function setup(): { clock: ManualClock; tickets: TerminalTicketsService } {
  const clock = new ManualClock();
  const tickets = new TerminalTicketsService(clock);
  services.push(tickets);
  return { clock, tickets };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof TerminalError ? error.code : 'other';
  }
  return undefined;
}

afterEach(() => {
  for (const service of services.splice(0)) {
    service.onModuleDestroy();
  }
});

describe('TerminalTicketsService', () => {
  it('issues an opaque 32-byte ticket valid for 30 s, redeemable once', () => {
    const { tickets } = setup();
    const issued = tickets.issue({ user, sessionId: 's1', terminal: 'shell' });
    expect(issued.expiresIn).toBe(30);
    expect(Buffer.from(issued.ticket, 'base64url')).toHaveLength(32);
    expect(tickets.redeem(issued.ticket, 's1', 'shell')).toEqual(user);
    expect(codeOf(() => tickets.redeem(issued.ticket, 's1', 'shell'))).toBe('TICKET_INVALID');
  });

  it('refuses an expired ticket', () => {
    const { clock, tickets } = setup();
    const { ticket } = tickets.issue({ user, sessionId: 's1', terminal: 'shell' });
    clock.time += 30_000;
    expect(codeOf(() => tickets.redeem(ticket, 's1', 'shell'))).toBe('TICKET_INVALID');
  });

  it('refuses, and consumes, a ticket presented for another session or terminal', () => {
    const { tickets } = setup();
    const a = tickets.issue({ user, sessionId: 's1', terminal: 'shell' });
    expect(codeOf(() => tickets.redeem(a.ticket, 's1', 'claude'))).toBe('TICKET_MISMATCH');
    expect(codeOf(() => tickets.redeem(a.ticket, 's1', 'shell'))).toBe('TICKET_INVALID');
    const b = tickets.issue({ user, sessionId: 's1', terminal: 'shell' });
    expect(codeOf(() => tickets.redeem(b.ticket, 's2', 'shell'))).toBe('TICKET_MISMATCH');
  });

  it('refuses an unknown ticket and stores only hashes', () => {
    const { tickets } = setup();
    const { ticket } = tickets.issue({ user, sessionId: 's1', terminal: 'shell' });
    expect(codeOf(() => tickets.redeem('not-a-ticket', 's1', 'shell'))).toBe('TICKET_INVALID');
    const stored = JSON.stringify([
      ...(tickets as unknown as { tickets: Map<string, unknown> }).tickets,
    ]);
    expect(stored).not.toContain(ticket);
  });

  it('sweeps expired tickets', () => {
    const { clock, tickets } = setup();
    tickets.issue({ user, sessionId: 's1', terminal: 'shell' });
    clock.time += 10_000;
    tickets.issue({ user, sessionId: 's1', terminal: 'shell' });
    clock.time += 25_000;
    tickets.sweep();
    expect(tickets.outstanding).toBe(1);
  });
});
