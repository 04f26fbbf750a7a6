// Reads every running sandbox's resource usage at CCR_USAGE_INTERVAL, stores it, publishes it as
// a usage.sample event and prunes samples past CCR_USAGE_RETENTION. Sessions are read one after
// another with a time bound each: a round costs the engine one stats call at a time, and a hung
// call cannot stall the rest. Rounds never overlap: the next is scheduled when one ends.
//
// Only one replica samples. It holds a PostgreSQL advisory lock on a connection of its own while
// it lives; the others try to take it each round and sample once its holder is gone (the lock
// goes with the holder's connection, so a crashed replica never blocks the job). A lock per
// round would not do: replicas ticking at different moments would each get it and sample twice.
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { UsageSampleEventData } from '@ccr/protocol/usage';
import { AppConfig } from '../config/env';
import { type AdvisoryLock, Database } from '../db/database.provider';
import { EventBus } from '../events/event-bus.port';
import { type ContainerUsage, MetricsService } from '../metrics/metrics.service';
import { Runtime, type UsageSample } from '../runtime/runtime.port';
import { MemoryPressureTracker, retentionCutoff } from './usage-pressure';
import { UsageRepository } from './usage.repository';

/** Advisory lock key of the usage sampler ("ccr" + job number 1). */
export const USAGE_SAMPLER_LOCK = 0x63_63_72_01;
/** Engine stats wait for a second reading to compute CPU (about a second), so allow a few. */
export const STATS_TIMEOUT_MS = 5_000;
const PRUNE_EVERY_MS = 60_000;

export interface SamplingRound {
  /** False when another replica holds the sampler lock: nothing was read. */
  leader: boolean;
  sampled: string[];
  failed: string[];
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

@Injectable()
export class UsageSamplerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(UsageSamplerService.name);
  private readonly pressure = new MemoryPressureTracker();
  private lock: AdvisoryLock | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private lastPruneAt = 0;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Database) private readonly database: Database,
    @Inject(UsageRepository) private readonly usage: UsageRepository,
    @Inject(Runtime) private readonly runtime: Runtime,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.releaseLock();
  }

  get isLeader(): boolean {
    return this.lock !== null && !this.lock.lost;
  }

  /** One sampling round (also called by tests); rounds are serialised. */
  async sampleOnce(now: () => Date = () => new Date()): Promise<SamplingRound> {
    const previous = this.running ?? Promise.resolve();
    const round = previous.catch(() => undefined).then(() => this.round(now));
    this.running = round;
    return round;
  }

  /** Deletes samples older than the retention; returns how many. */
  async prune(now: Date = new Date()): Promise<number> {
    const deleted = await this.usage.deleteOlderThan(
      retentionCutoff(now, this.config.values.usageRetentionMs),
    );
    if (deleted > 0) {
      this.logger.log(`pruned ${deleted} usage samples past retention`);
    }
    return deleted;
  }

  private schedule(): void {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      this.sampleOnce()
        .catch((error: unknown) => {
          this.logger.warn(`usage sampling failed: ${String(error)}`);
        })
        .finally(() => this.schedule());
    }, this.config.values.usageIntervalMs);
  }

  private async round(now: () => Date): Promise<SamplingRound> {
    if (!(await this.takeLock())) {
      this.metrics.setContainerUsage(new Map());
      return { leader: false, sampled: [], failed: [] };
    }
    const sessionIds = await this.usage.runningSessionIds();
    this.pressure.retain(new Set(sessionIds));
    const latest = new Map<string, ContainerUsage>();
    const sampled: string[] = [];
    const failed: string[] = [];
    for (const sessionId of sessionIds) {
      if (this.stopped) {
        break;
      }
      let sample: UsageSample;
      try {
        sample = await withTimeout(
          this.runtime.stats(sessionId),
          STATS_TIMEOUT_MS,
          `stats of ${sessionId}`,
        );
      } catch (error) {
        // Stopped between the query and the call, or the engine is busy: the next round retries.
        failed.push(sessionId);
        this.logger.debug?.(`no usage sample for ${sessionId}: ${String(error)}`);
        continue;
      }
      await this.store(sessionId, sample);
      latest.set(sessionId, { cpuPercent: sample.cpuPercent, memoryBytes: sample.memoryBytes });
      sampled.push(sessionId);
    }
    this.metrics.setContainerUsage(latest);
    const at = now();
    if (at.getTime() - this.lastPruneAt >= PRUNE_EVERY_MS) {
      this.lastPruneAt = at.getTime();
      await this.prune(at);
    }
    return { leader: true, sampled, failed };
  }

  private async store(sessionId: string, sample: UsageSample): Promise<void> {
    const row = { sessionId, ...sample, at: new Date(sample.at) };
    try {
      await this.usage.insert(row);
    } catch (error) {
      // The session was deleted since the round began (the foreign key refuses its sample).
      this.logger.debug?.(`usage sample of ${sessionId} not stored: ${String(error)}`);
      return;
    }
    const pressure = this.pressure.observe(sessionId, sample.memoryBytes, sample.memoryLimitBytes);
    const data: UsageSampleEventData = { ...sample, ...(pressure ? { pressure } : {}) };
    if (pressure) {
      this.logger.warn(
        `session ${sessionId} memory pressure ${pressure}: ${sample.memoryBytes} of ${sample.memoryLimitBytes} bytes`,
      );
    }
    try {
      const event = await this.bus.publish({ sessionId, type: 'usage.sample', data });
      await this.usage.dropSupersededUsageEvents(sessionId, BigInt(event.id));
    } catch (error) {
      this.logger.warn(`publishing usage.sample of ${sessionId} failed: ${String(error)}`);
    }
  }

  private async takeLock(): Promise<boolean> {
    if (this.lock?.lost) {
      this.logger.warn('lost the usage sampler lock (database connection dropped)');
      await this.releaseLock();
    }
    if (this.lock === null) {
      this.lock = await this.database.tryAdvisoryLock(USAGE_SAMPLER_LOCK);
      if (this.lock !== null) {
        this.logger.log('this replica samples usage (holds the sampler lock)');
      }
    }
    return this.lock !== null;
  }

  private async releaseLock(): Promise<void> {
    const lock = this.lock;
    this.lock = null;
    await lock?.release();
  }
}
