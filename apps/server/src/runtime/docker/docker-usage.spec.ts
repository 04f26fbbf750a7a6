import { describe, expect, it } from 'vitest';
import { computeDockerUsage } from './docker-usage';

describe('computeDockerUsage', () => {
  it('computes CPU percent from deltas scaled by online CPUs', () => {
    const usage = computeDockerUsage({
      cpu_stats: { cpu_usage: { total_usage: 2_000 }, system_cpu_usage: 20_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 10_000 },
    });
    expect(usage.cpuPercent).toBe(20);
  });

  it('reports 0% when there is no previous reading', () => {
    const usage = computeDockerUsage({
      cpu_stats: { cpu_usage: { total_usage: 2_000 }, system_cpu_usage: 20_000, online_cpus: 2 },
      precpu_stats: {},
    });
    // Without a previous reading the system delta equals the whole counter; the result must
    // still be a finite percentage, and zero deltas give zero.
    expect(Number.isFinite(usage.cpuPercent)).toBe(true);
    expect(computeDockerUsage({}).cpuPercent).toBe(0);
  });

  it('subtracts the page cache (cgroup v1) or inactive files (cgroup v2) from memory', () => {
    expect(
      computeDockerUsage({ memory_stats: { usage: 1000, limit: 4096, stats: { cache: 300 } } }),
    ).toMatchObject({ memoryBytes: 700, memoryLimitBytes: 4096 });
    expect(
      computeDockerUsage({
        memory_stats: { usage: 1000, limit: 4096, stats: { inactive_file: 100 } },
      }).memoryBytes,
    ).toBe(900);
  });

  it('sums network counters over all interfaces and reads pids', () => {
    const usage = computeDockerUsage({
      pids_stats: { current: 7 },
      networks: { eth0: { rx_bytes: 10, tx_bytes: 20 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
    });
    expect(usage).toMatchObject({ pids: 7, netRxBytes: 11, netTxBytes: 22 });
  });
});
