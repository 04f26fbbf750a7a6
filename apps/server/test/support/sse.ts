// Reads GET /api/events (SSE) the way the web app does: fetch with a Bearer header, frames
// split on blank lines, every `data:` parsed with the shared schema and checked against its `id:`.
import { expect } from 'vitest';
import { type Event, EventSchema } from '@ccr/protocol/events';

/** Reads the SSE stream until `until` returns true for the events seen so far (or the deadline). */
export async function readEvents(
  baseUrl: string,
  token: string,
  until: (events: Event[]) => boolean,
  options: { lastEventId?: string; timeoutMs?: number; onOpen?: () => Promise<void> } = {},
): Promise<Event[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
  const events: Event[] = [];
  try {
    const response = await fetch(`${baseUrl}/api/events`, {
      headers: {
        authorization: `Bearer ${token}`,
        ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
      },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let opened = false;
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (data) {
          const event = EventSchema.parse(JSON.parse(data));
          expect(event.id).toBe(id);
          events.push(event);
        }
        end = buffer.indexOf('\n\n');
      }
      if (!opened) {
        opened = true;
        await options.onOpen?.();
      }
    }
    await reader.cancel().catch(() => undefined);
  } catch (error) {
    if (!controller.signal.aborted) {
      throw error;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}
