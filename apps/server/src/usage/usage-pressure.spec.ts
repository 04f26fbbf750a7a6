import { describe, expect, it } from 'vitest';
import { MemoryPressureTracker, pressureLevel, retentionCutoff } from './usage-pressure';

const GiB = 1024 ** 3;

describe('pressureLevel', () => {
  it('maps the share of the limit to a level', () => {
    expect(pressureLevel(0.5 * GiB, GiB, 'normal')).toBe('normal');
    expect(pressureLevel(0.85 * GiB, GiB, 'normal')).toBe('high');
    expect(pressureLevel(0.94 * GiB, GiB, 'normal')).toBe('high');
    expect(pressureLevel(0.95 * GiB, GiB, 'normal')).toBe('critical');
    expect(pressureLevel(1.2 * GiB, GiB, 'normal')).toBe('critical');
  });

  it('keeps a level until usage falls the hysteresis margin below its threshold', () => {
    expect(pressureLevel(0.82 * GiB, GiB, 'high')).toBe('high');
    expect(pressureLevel(0.79 * GiB, GiB, 'high')).toBe('normal');
    expect(pressureLevel(0.91 * GiB, GiB, 'critical')).toBe('critical');
    expect(pressureLevel(0.89 * GiB, GiB, 'critical')).toBe('high');
    expect(pressureLevel(0.5 * GiB, GiB, 'critical')).toBe('normal');
  });

  it('reports nothing without a known limit', () => {
    expect(pressureLevel(GiB, 0, 'normal')).toBe('normal');
    expect(pressureLevel(GiB, Number.NaN, 'high')).toBe('normal');
  });
});

describe('MemoryPressureTracker', () => {
  it('reports each upward crossing once, and again after a recovery', () => {
    const tracker = new MemoryPressureTracker();
    const seen = [0.5, 0.86, 0.9, 0.87, 0.96, 0.97, 0.92, 0.96, 0.5, 0.86].map((share) =>
      tracker.observe('s1', share * GiB, GiB),
    );
    expect(seen).toEqual([
      undefined,
      'high',
      undefined,
      undefined,
      'critical',
      undefined,
      undefined,
      undefined,
      undefined,
      'high',
    ]);
  });

  it('reports critical straight away when usage jumps past both thresholds', () => {
    const tracker = new MemoryPressureTracker();
    expect(tracker.observe('s1', 0.99 * GiB, GiB)).toBe('critical');
    expect(tracker.observe('s2', 0.5 * GiB, GiB)).toBeUndefined();
  });

  it('forgets sessions that are no longer sampled', () => {
    const tracker = new MemoryPressureTracker();
    expect(tracker.observe('s1', 0.9 * GiB, GiB)).toBe('high');
    tracker.retain(new Set(['other']));
    expect(tracker.observe('s1', 0.9 * GiB, GiB)).toBe('high');
  });
});

describe('retentionCutoff', () => {
  it('is the retention before now', () => {
    const now = new Date('2026-11-24T12:00:00.000Z');
    expect(retentionCutoff(now, 7 * 86_400_000).toISOString()).toBe('2026-11-17T12:00:00.000Z');
    expect(retentionCutoff(now, 0).toISOString()).toBe(now.toISOString());
  });
});
