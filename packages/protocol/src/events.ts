// Events of DESIGN section 7, as served by GET /api/events (SSE).
import { z } from 'zod';

export const eventTypes = [
  'session.status',
  'files.changed',
  'commit.created',
  'commit.blocked',
  'push.succeeded',
  'push.failed',
  'push.conflict',
  'usage.sample',
  'terminal.attached',
  'terminal.detached',
] as const;
export const EventTypeSchema = z.enum(eventTypes);
export type EventType = z.infer<typeof EventTypeSchema>;

export const EventSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  type: EventTypeSchema,
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type Event = z.infer<typeof EventSchema>;
