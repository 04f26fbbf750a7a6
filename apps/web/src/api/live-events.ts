import { SessionStatusSchema, type Session } from '@ccr/protocol/api';
import { EventSchema, type Event } from '@ccr/protocol/events';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, type ApiClient } from './api-client';
import { sessionQueryKey, sessionsQueryKey } from './query-keys';
import { applyCommitEvent } from './commits.queries';
import { applySessionStatus } from './sessions.queries';
import { SseParser } from './sse-parser';

export type LiveEventsState = 'connecting' | 'open' | 'reconnecting';

interface EventStreamOptions {
  client: ApiClient;
  onEvent: (event: Event) => void;
  /** Called on every (re)connection: events may have been missed while the stream was down. */
  onOpen: () => void;
  onState: (state: LiveEventsState) => void;
  signal: AbortSignal;
}

const MIN_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/**
 * Reads GET /api/events with fetch and a stream parser rather than EventSource, which cannot
 * send the Authorization header. Reconnects with backoff and resumes with Last-Event-ID.
 */
export async function runEventStream(options: EventStreamOptions): Promise<void> {
  const { client, signal } = options;
  let lastEventId: string | undefined;
  let failures = 0;
  let retryMs: number | undefined;

  while (!signal.aborted) {
    options.onState(failures === 0 && lastEventId === undefined ? 'connecting' : 'reconnecting');
    let opened = false;
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (lastEventId !== undefined) {
        headers['Last-Event-ID'] = lastEventId;
      }
      const response = await client.authorizedFetch('/api/events', { headers, signal });
      if (response.status === 401) {
        // The refresh cookie is gone too: the auth layer signs the user out.
        return;
      }
      if (!response.ok || !response.body) {
        throw new Error(`events stream answered ${response.status}`);
      }
      opened = true;
      failures = 0;
      options.onState('open');
      options.onOpen();
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        for (const message of parser.push(value)) {
          const event = parseEvent(message.data);
          if (event) {
            options.onEvent(event);
          }
        }
        lastEventId = parser.lastEventId ?? lastEventId;
        retryMs = parser.retryMs ?? retryMs;
      }
    } catch {
      if (signal.aborted) {
        return;
      }
    }
    if (!opened) {
      failures += 1;
    }
    const delay = retryMs ?? Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** Math.max(0, failures - 1));
    options.onState('reconnecting');
    await abortableDelay(delay, signal);
  }
}

function parseEvent(data: string): Event | undefined {
  try {
    const parsed = EventSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = window.setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      window.clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Keeps the query cache in step with the server's events while signed in; no polling. */
export function useLiveEvents(enabled: boolean): LiveEventsState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveEventsState>('connecting');

  useEffect(() => {
    if (!enabled) {
      return;
    }
    const controller = new AbortController();
    let connections = 0;
    void runEventStream({
      client: api,
      signal: controller.signal,
      onState: setState,
      onOpen: () => {
        connections += 1;
        if (connections > 1) {
          void queryClient.invalidateQueries({ queryKey: sessionsQueryKey });
        }
      },
      onEvent: (event) => {
        if (applyCommitEvent(queryClient, event)) {
          return;
        }
        if (event.type !== 'session.status') {
          return;
        }
        // The server announces a deletion as a last status event with `deleted: true`.
        if (event.data.deleted === true) {
          queryClient.setQueryData<Session[]>(sessionsQueryKey, (list) =>
            list?.filter((s) => s.id !== event.sessionId),
          );
          // A page still showing it refetches and shows that it is gone.
          void queryClient.invalidateQueries({ queryKey: sessionQueryKey(event.sessionId) });
          return;
        }
        const status = SessionStatusSchema.safeParse(event.data.status);
        const error = typeof event.data.error === 'string' ? event.data.error : undefined;
        if (
          !status.success ||
          !applySessionStatus(queryClient, event.sessionId, status.data, error)
        ) {
          void queryClient.invalidateQueries({ queryKey: sessionsQueryKey });
        }
      },
    });
    return () => controller.abort();
  }, [enabled, queryClient]);

  return state;
}
