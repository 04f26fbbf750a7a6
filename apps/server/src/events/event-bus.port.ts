import type { Event } from '@ccr/protocol/events';

/** Who may see an event: the owner of the session it is about. */
export type EventAudience = { userId: string };
export type EventListener = (event: Event, audience: EventAudience) => void;

/**
 * Publishes session events to every subscriber (SSE streams, later other replicas). The
 * in-process adapter is the default; a Redis adapter fans out across replicas.
 */
export abstract class EventBus {
  /** Stores the event (assigning its id and time) and delivers it to subscribers. */
  abstract publish(event: Omit<Event, 'id' | 'at'>): Promise<Event>;
  /** Returns the unsubscribe function. */
  abstract subscribe(listener: EventListener): () => void;
}
