// The engine's event stream (GET /events) as sandbox changes. The stream is newline-delimited
// JSON from the engine; anything malformed, oversized or not ours is dropped, never thrown.
import { StringDecoder } from 'node:string_decoder';
import type { SandboxChange } from '../runtime.port';

/** Engine actions that matter for a session, as the engine names them. */
export const WATCHED_ACTIONS = ['start', 'die', 'oom', 'destroy'] as const;

const KINDS: Record<(typeof WATCHED_ACTIONS)[number], SandboxChange['kind']> = {
  start: 'started',
  die: 'exited',
  oom: 'oom',
  destroy: 'removed',
};

/** One engine event is a few hundred bytes; anything far larger is not an event we understand. */
export const MAX_EVENT_LINE_BYTES = 64 * 1024;
const SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function eventTime(event: Record<string, unknown>): string {
  const { timeNano, time } = event;
  if (typeof timeNano === 'number' && Number.isFinite(timeNano) && timeNano > 0) {
    return new Date(Math.floor(timeNano / 1e6)).toISOString();
  }
  if (typeof time === 'number' && Number.isFinite(time) && time > 0) {
    return new Date(time * 1000).toISOString();
  }
  return new Date().toISOString();
}

/**
 * The engine's event as a change of one of this instance's sandboxes, or null when it is not
 * one (another kind of object or action, another installation, a malformed document).
 */
export function parseDockerEvent(value: unknown, instance: string): SandboxChange | null {
  if (!isRecord(value)) {
    return null;
  }
  const type = value.Type ?? value.type;
  if (type !== 'container') {
    return null;
  }
  const action = value.Action ?? value.status;
  if (typeof action !== 'string' || !Object.hasOwn(KINDS, action)) {
    return null;
  }
  const actor = value.Actor;
  const attributes = isRecord(actor) && isRecord(actor.Attributes) ? actor.Attributes : {};
  // The engine filters by label already; checking again keeps another installation's (or a
  // forged) container from ever being mistaken for one of ours.
  if (attributes['ccr.managed'] !== '1' || attributes['ccr.instance'] !== instance) {
    return null;
  }
  const sessionId = attributes['ccr.session-id'];
  if (typeof sessionId !== 'string' || !SESSION_ID_PATTERN.test(sessionId)) {
    return null;
  }
  const change: SandboxChange = {
    sessionId,
    kind: KINDS[action as keyof typeof KINDS],
    at: eventTime(value),
  };
  const exitCode = attributes.exitCode;
  if (change.kind === 'exited' && typeof exitCode === 'string' && /^-?\d{1,10}$/.test(exitCode)) {
    change.exitCode = Number(exitCode);
  }
  return change;
}

/** Unix seconds (millisecond precision) of an engine event, for the `since` of a reconnect. */
export function eventSeconds(event: unknown): number | undefined {
  if (isRecord(event) && typeof event.timeNano === 'number' && event.timeNano > 0) {
    return Math.floor(event.timeNano / 1e6) / 1000;
  }
  if (isRecord(event) && typeof event.time === 'number' && event.time > 0) {
    return event.time;
  }
  return undefined;
}

/**
 * Splits a byte stream into lines. A line longer than the bound is dropped up to its end
 * rather than buffered, so a misbehaving peer cannot grow memory.
 */
export class LineSplitter {
  private buffered = '';
  private discarding = false;
  // A multi-byte character may be split across chunks.
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxBytes = MAX_EVENT_LINE_BYTES,
  ) {}

  push(chunk: Buffer | string): void {
    let text = this.buffered + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    this.buffered = '';
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n')) {
      const line = text.slice(0, end);
      text = text.slice(end + 1);
      if (this.discarding) {
        this.discarding = false;
      } else if (line.trim() !== '' && line.length <= this.maxBytes) {
        this.onLine(line);
      }
    }
    if (text.length > this.maxBytes) {
      this.discarding = true;
    } else if (!this.discarding) {
      this.buffered = text;
    }
  }
}
