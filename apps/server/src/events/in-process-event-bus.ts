import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Event } from '@ccr/protocol/events';
import { EventBus, type EventListener } from './event-bus.port';
import { EventsRepository, toEvent } from './events.repository';

/** Stored events kept per session; older ones are pruned as new ones arrive. */
export const EVENTS_KEPT_PER_SESSION = 500;

@Injectable()
export class InProcessEventBus extends EventBus {
  private readonly logger = new Logger(InProcessEventBus.name);
  private readonly listeners = new Set<EventListener>();

  constructor(@Inject(EventsRepository) private readonly repository: EventsRepository) {
    super();
  }

  async publish(input: Omit<Event, 'id' | 'at'>): Promise<Event> {
    const userId = await this.repository.ownerOf(input.sessionId);
    if (userId === undefined) {
      throw new Error(`event ${input.type} for unknown session ${input.sessionId}`);
    }
    const row = await this.repository.insert({
      sessionId: input.sessionId,
      userId,
      type: input.type,
      data: input.data,
    });
    await this.repository.prune(input.sessionId, EVENTS_KEPT_PER_SESSION);
    const event = toEvent(row);
    for (const listener of this.listeners) {
      try {
        listener(event, { userId });
      } catch (error) {
        this.logger.error({ err: error, eventId: event.id }, 'event listener failed');
      }
    }
    return event;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
