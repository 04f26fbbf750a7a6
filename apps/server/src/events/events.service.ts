import type { ServerResponse } from 'node:http';
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { Event } from '@ccr/protocol/events';
import type { AuthUser } from '../auth/auth-user';
import { EventBus } from './event-bus.port';
import { EventsRepository, toEvent } from './events.repository';

export const SSE_HEARTBEAT_MS = 15_000;
const REPLAY_PAGE = 500;
// A client this far behind is dropped; it reconnects and resumes from the table.
const MAX_BUFFERED_BYTES = 1024 * 1024;

export function parseLastEventId(value: string | string[] | undefined): bigint {
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && /^\d{1,19}$/.test(text) ? BigInt(text) : 0n;
}

export function formatSseEvent(event: Event): string {
  return `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
}

@Injectable()
export class EventsService implements BeforeApplicationShutdown {
  private readonly streams = new Set<ServerResponse>();

  constructor(
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(EventsRepository) private readonly repository: EventsRepository,
  ) {}

  /**
   * Serves the caller's events on a raw response as Server-Sent Events. Live events are
   * buffered while stored ones after `lastEventId` are replayed, so none is lost or repeated.
   */
  async stream(user: AuthUser, lastEventId: bigint, res: ServerResponse): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.streams.add(res);
    let lastSent = lastEventId;
    let live = false;
    const pending: Event[] = [];
    const send = (event: Event): void => {
      const id = BigInt(event.id);
      if (id <= lastSent || res.destroyed) {
        return;
      }
      lastSent = id;
      res.write(formatSseEvent(event));
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.destroy();
      }
    };
    const unsubscribe = this.bus.subscribe((event, audience) => {
      if (audience.userId !== user.id) {
        return;
      }
      if (live) {
        send(event);
      } else {
        pending.push(event);
      }
    });
    const heartbeat = setInterval(() => {
      res.write(': heartbeat\n\n');
    }, SSE_HEARTBEAT_MS);
    const cleanup = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      this.streams.delete(res);
    };
    res.on('close', cleanup);
    res.write('retry: 3000\n: connected\n\n');

    try {
      if (lastEventId > 0n) {
        for (;;) {
          const rows = await this.repository.listAfter(user.id, lastSent, REPLAY_PAGE);
          rows.map(toEvent).forEach(send);
          if (rows.length < REPLAY_PAGE || res.destroyed) {
            break;
          }
        }
      }
      live = true;
      pending.splice(0).forEach(send);
    } catch (error) {
      res.destroy(error instanceof Error ? error : undefined);
    }
  }

  // Before the HTTP server closes: it waits for open responses, and these never end by themselves.
  beforeApplicationShutdown(): void {
    for (const res of this.streams) {
      res.end();
    }
    this.streams.clear();
  }
}
