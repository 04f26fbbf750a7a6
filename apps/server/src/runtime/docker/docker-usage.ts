// Turns one engine stats document into a usage sample, the way `docker stats` does: CPU from
// the deltas between this and the previous reading, memory without the page cache.

export interface DockerStatsDocument {
  read?: string;
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats?: {
    cpu_usage?: { total_usage?: number };
    system_cpu_usage?: number;
  };
  memory_stats?: {
    usage?: number;
    limit?: number;
    stats?: Record<string, number | undefined>;
  };
  pids_stats?: { current?: number };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
}

export interface DockerUsage {
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  pids: number;
  netRxBytes: number;
  netTxBytes: number;
}

export function computeDockerUsage(stats: DockerStatsDocument): DockerUsage {
  const cpuDelta =
    (stats.cpu_stats?.cpu_usage?.total_usage ?? 0) -
    (stats.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta =
    (stats.cpu_stats?.system_cpu_usage ?? 0) - (stats.precpu_stats?.system_cpu_usage ?? 0);
  const cpus =
    stats.cpu_stats?.online_cpus ?? stats.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 1;
  const cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;

  // cgroup v1 reports `cache`; cgroup v2 has no `cache` and the page cache that can be
  // reclaimed is `inactive_file`.
  const memoryStats = stats.memory_stats?.stats ?? {};
  const cache = memoryStats.cache ?? memoryStats.inactive_file ?? 0;
  const usage = stats.memory_stats?.usage ?? 0;
  const memoryBytes = Math.max(0, usage - cache);

  let netRxBytes = 0;
  let netTxBytes = 0;
  for (const network of Object.values(stats.networks ?? {})) {
    netRxBytes += network.rx_bytes ?? 0;
    netTxBytes += network.tx_bytes ?? 0;
  }
  return {
    cpuPercent: Math.round(cpuPercent * 100) / 100,
    memoryBytes,
    memoryLimitBytes: stats.memory_stats?.limit ?? 0,
    pids: stats.pids_stats?.current ?? 0,
    netRxBytes,
    netTxBytes,
  };
}
