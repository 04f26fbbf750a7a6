// The Prometheus registry of this replica. Session counts come from the database at scrape
// time (every replica reports the same, take max() not sum()); container usage comes from the
// usage sampler, so only the replica holding the sampler lock reports it.
import { Inject, Injectable } from '@nestjs/common';
import { sessionStatuses } from '@ccr/protocol/api';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { MetricsRepository } from './metrics.repository';

export type TerminalDirection = 'in' | 'out';

export interface ContainerUsage {
  cpuPercent: number;
  memoryBytes: number;
}

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly terminalConnections: Gauge;
  private readonly terminalBytes: Counter<'direction'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private containerUsage = new Map<string, ContainerUsage>();

  constructor(@Inject(MetricsRepository) repository: MetricsRepository) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    new Gauge({
      name: 'ccr_sessions',
      help: 'Sessions by status (from the database, the same on every replica).',
      labelNames: ['status'],
      registers,
      async collect() {
        const counts = new Map<string, number>(sessionStatuses.map((status) => [status, 0]));
        for (const row of await repository.countSessionsByStatus()) {
          counts.set(row.status, row.count);
        }
        this.reset();
        for (const [status, count] of counts) {
          this.set({ status }, count);
        }
      },
    });
    this.terminalConnections = new Gauge({
      name: 'ccr_terminal_connections',
      help: 'Terminal WebSocket connections open on this replica.',
      registers,
    });
    this.terminalBytes = new Counter({
      name: 'ccr_terminal_bytes_total',
      help: 'Terminal bytes relayed: in = typed by clients, out = sent to clients.',
      labelNames: ['direction'],
      registers,
    });
    // Both series exist from the start, so rate() works before the first terminal opens.
    this.terminalBytes.inc({ direction: 'in' }, 0);
    this.terminalBytes.inc({ direction: 'out' }, 0);
    this.httpDuration = new Histogram({
      name: 'ccr_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const usage = (): Map<string, ContainerUsage> => this.containerUsage;
    new Gauge({
      name: 'ccr_container_cpu_percent',
      help: "CPU use of a session's sandbox at the last sample (100 = one core).",
      labelNames: ['session_id'],
      registers,
      collect() {
        this.reset();
        for (const [sessionId, sample] of usage()) {
          this.set({ session_id: sessionId }, sample.cpuPercent);
        }
      },
    });
    new Gauge({
      name: 'ccr_container_memory_bytes',
      help: "Memory use of a session's sandbox at the last sample, without the page cache.",
      labelNames: ['session_id'],
      registers,
      collect() {
        this.reset();
        for (const [sessionId, sample] of usage()) {
          this.set({ session_id: sessionId }, sample.memoryBytes);
        }
      },
    });
  }

  terminalOpened(): void {
    this.terminalConnections.inc();
  }

  terminalClosed(): void {
    this.terminalConnections.dec();
  }

  terminalBytesRelayed(direction: TerminalDirection, bytes: number): void {
    this.terminalBytes.inc({ direction }, bytes);
  }

  /** `route` is the pattern the request matched (never the raw URL: label values stay few). */
  observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** Replaces the container series with the sampler's latest round. */
  setContainerUsage(usage: ReadonlyMap<string, ContainerUsage>): void {
    this.containerUsage = new Map(usage);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
