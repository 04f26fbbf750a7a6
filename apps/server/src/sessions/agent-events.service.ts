// Follows each running sandbox's agent lines and turns its commit and file events into stored,
// published session events. Lines are untrusted: bounded, parsed with the shared schema, and
// attributed only to the session whose container printed them. Following starts when a
// session becomes running (and at boot for sessions already running) and ends with the stream.
import type { Readable } from 'node:stream';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { MAX_AGENT_LINE_BYTES, type AgentLine } from '@ccr/protocol/agent';
import { EventBus } from '../events/event-bus.port';
import { EventsRepository } from '../events/events.repository';
import { Runtime } from '../runtime/runtime.port';
import { parseAgentLine } from './agent-readiness';
import { SessionsRepository } from './sessions.repository';

/** Agent line types that become session events, under the same name. */
export const INGESTED_TYPES = ['files.changed', 'commit.created', 'commit.blocked'] as const;
type IngestedLine = Extract<AgentLine, { type: (typeof INGESTED_TYPES)[number] }>;

export function isIngested(line: AgentLine): line is IngestedLine {
  return (INGESTED_TYPES as readonly string[]).includes(line.type);
}

/** Splits a byte stream into lines, dropping any line longer than the limit. */
export class AgentLineSplitter {
  private buffered = '';
  private discarding = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    this.buffered += chunk.toString();
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      if (!this.discarding) {
        this.onLine(line);
      }
      this.discarding = false;
      newline = this.buffered.indexOf('\n');
    }
    if (this.buffered.length > MAX_AGENT_LINE_BYTES) {
      this.buffered = '';
      this.discarding = true;
    }
  }
}

@Injectable()
export class AgentEventsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AgentEventsService.name);
  private readonly followers = new Map<string, Readable>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(Runtime) private readonly runtime: Runtime,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(EventsRepository) private readonly events: EventsRepository,
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = this.bus.subscribe((event) => {
      if (event.type !== 'session.status') {
        return;
      }
      if (event.data.status === 'running' && event.data.deleted !== true) {
        void this.follow(event.sessionId);
      } else {
        this.unfollow(event.sessionId);
      }
    });
    for (const row of await this.sessions.listAll()) {
      if (row.status === 'running') {
        void this.follow(row.id);
      }
    }
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    for (const sessionId of [...this.followers.keys()]) {
      this.unfollow(sessionId);
    }
  }

  /** Sessions whose agent lines are being followed now. */
  get following(): string[] {
    return [...this.followers.keys()];
  }

  private async follow(sessionId: string): Promise<void> {
    if (this.followers.has(sessionId)) {
      return;
    }
    try {
      // Lines up to the last stored agent event were ingested before (a server restart).
      const stored = await this.events.latestAt(sessionId, INGESTED_TYPES);
      const info = await this.runtime.inspect(sessionId);
      const startedAt = info?.startedAt ? Date.parse(info.startedAt) : Number.NaN;
      const from = Math.max(stored?.getTime() ?? 0, Number.isNaN(startedAt) ? 0 : startedAt);
      if (this.followers.has(sessionId)) {
        return;
      }
      const stream = await this.runtime.followLogs(
        sessionId,
        from > 0 ? { since: Math.floor(from / 1000) } : {},
      );
      if (this.followers.has(sessionId)) {
        stream.destroy();
        return;
      }
      this.followers.set(sessionId, stream);
      const cutoff = stored?.getTime() ?? Number.NEGATIVE_INFINITY;
      let chain: Promise<void> = Promise.resolve();
      const splitter = new AgentLineSplitter((text) => {
        const line = parseAgentLine(text);
        if (!line || !isIngested(line)) {
          return;
        }
        const at = Date.parse(line.at);
        if (Number.isNaN(at) || at <= cutoff) {
          return;
        }
        // One at a time, so events keep the agent's order.
        chain = chain.then(() => this.ingest(sessionId, line));
      });
      stream.on('data', (chunk: Buffer) => splitter.push(chunk));
      const done = (): void => {
        if (this.followers.get(sessionId) === stream) {
          this.followers.delete(sessionId);
        }
      };
      stream.once('end', done);
      stream.once('close', done);
      stream.once('error', (error) => {
        this.logger.warn({ err: error, sessionId }, 'lost the agent lines of a session');
        done();
      });
    } catch (error) {
      this.logger.warn({ err: error, sessionId }, 'could not follow the agent lines of a session');
    }
  }

  private unfollow(sessionId: string): void {
    const stream = this.followers.get(sessionId);
    if (stream) {
      this.followers.delete(sessionId);
      stream.destroy();
    }
  }

  private async ingest(sessionId: string, line: IngestedLine): Promise<void> {
    try {
      await this.bus.publish({ sessionId, type: line.type, data: { ...line.data } });
    } catch (error) {
      // The session may have been deleted meanwhile; nothing else to do with its events.
      this.logger.warn({ err: error, sessionId, type: line.type }, 'dropped an agent event');
    }
  }
}
