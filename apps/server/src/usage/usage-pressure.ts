// Memory pressure of a sandbox, reported once per upward crossing of a threshold. A level is
// left only when usage falls a margin below its threshold, so a session hovering around 85 %
// does not warn on every other sample.
import type { MemoryPressure } from '@ccr/protocol/usage';

export const PRESSURE_THRESHOLDS: Record<MemoryPressure, number> = { high: 0.85, critical: 0.95 };
export const PRESSURE_HYSTERESIS = 0.05;

type Level = MemoryPressure | 'normal';
const RANK: Record<Level, number> = { normal: 0, high: 1, critical: 2 };

/** The level of a reading, given the level the session was at before (for the hysteresis). */
export function pressureLevel(memoryBytes: number, limitBytes: number, previous: Level): Level {
  if (!(limitBytes > 0)) {
    return 'normal';
  }
  const ratio = memoryBytes / limitBytes;
  const stays = (level: MemoryPressure): boolean =>
    RANK[previous] >= RANK[level] && ratio >= PRESSURE_THRESHOLDS[level] - PRESSURE_HYSTERESIS;
  if (ratio >= PRESSURE_THRESHOLDS.critical || stays('critical')) {
    return 'critical';
  }
  if (ratio >= PRESSURE_THRESHOLDS.high || stays('high')) {
    return 'high';
  }
  return 'normal';
}

export class MemoryPressureTracker {
  private readonly levels = new Map<string, Level>();

  /** The level to report for this reading: only when it is higher than the session's last one. */
  observe(sessionId: string, memoryBytes: number, limitBytes: number): MemoryPressure | undefined {
    const previous = this.levels.get(sessionId) ?? 'normal';
    const level = pressureLevel(memoryBytes, limitBytes, previous);
    this.levels.set(sessionId, level);
    return level !== 'normal' && RANK[level] > RANK[previous] ? level : undefined;
  }

  /** Drops sessions that are no longer sampled (stopped, deleted). */
  retain(sessionIds: ReadonlySet<string>): void {
    for (const sessionId of this.levels.keys()) {
      if (!sessionIds.has(sessionId)) {
        this.levels.delete(sessionId);
      }
    }
  }
}

/** Samples taken before this instant are past retention. */
export function retentionCutoff(now: Date, retentionMs: number): Date {
  return new Date(now.getTime() - retentionMs);
}
