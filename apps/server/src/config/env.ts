// The only reader of process.env. One zod schema parses the environment at start, reports every
// bad variable at once (name and reason) and the process exits non-zero.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as 500ms, 30s, 30m, 12h or 7d')
  .transform(parseDuration);

export function parseDuration(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!match) {
    throw new Error(`not a duration: ${value}`);
  }
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    match[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return Number(match[1]) * unit;
}

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : value));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  CCR_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
  ),
  CCR_RUNTIME: z.enum(['docker', 'kubernetes']).default('docker'),
  DOCKER_HOST: optionalString,
  // Unset: the engine's default OCI runtime (runc); e.g. runsc for gVisor.
  CCR_DOCKER_RUNTIME: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be an OCI runtime name such as runsc')
      .optional(),
  ),
  CCR_SANDBOX_IMAGE: z.string().min(1).default('ccr-sandbox:latest'),
  CCR_SECRET_KEY: optionalString.pipe(
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  CCR_ADMIN_EMAIL: optionalString.pipe(z.email('must be an email address').optional()),
  CCR_ADMIN_PASSWORD: optionalString.pipe(
    z.string().min(12, 'must be at least 12 characters').optional(),
  ),
  // Unset: http://localhost:<PORT>.
  CCR_PUBLIC_URL: optionalString.pipe(z.url('must be a URL').optional()),
  CCR_ALLOWED_ORIGINS: optionalString.pipe(list.optional()),
  CCR_EGRESS_ALLOW: optionalString.pipe(list.optional()),
  CCR_GIT_HOSTS: list.default(['github.com', 'gitlab.com', 'bitbucket.org']),
  CCR_ANTHROPIC_UPSTREAM: z.url('must be a URL').default('https://api.anthropic.com'),
  CCR_IDLE_TIMEOUT: duration.default(parseDuration('30m')),
  CCR_STOPPED_TTL: duration.default(parseDuration('7d')),
  CCR_DEFAULT_MEMORY_MB: z.coerce.number().int().min(256).default(2048),
  CCR_DEFAULT_CPUS: z.coerce.number().positive().default(1),
  CCR_MAX_MEMORY_MB: z.coerce.number().int().min(256).default(8192),
  CCR_MAX_CPUS: z.coerce.number().positive().default(4),
  CCR_PIDS_LIMIT: z.coerce.number().int().min(64).default(1024),
  // Above the engine's own hard limit, containers fail to start.
  CCR_NOFILE_LIMIT: z.coerce.number().int().min(1024).max(1048576).default(16384),
  CCR_READY_TIMEOUT: duration.default(parseDuration('180s')),
  CCR_INSTANCE: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'must be lowercase letters, digits or dashes')
    .default('default'),
  CCR_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  CCR_WEB_DIST: optionalString,
  CCR_AUDIT_RETENTION: duration.default(parseDuration('90d')),
  CCR_LOGIN_LOCKOUT: duration.default(parseDuration('30s')),
  CCR_USAGE_INTERVAL: duration
    .default(parseDuration('15s'))
    .refine((ms) => ms >= 1000, 'must be at least 1s'),
  CCR_USAGE_RETENTION: duration.default(parseDuration('7d')),
  CCR_METRICS_TOKEN: optionalString.pipe(
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
});

export type AppConfigValues = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  runtime: 'docker' | 'kubernetes';
  dockerHost: string | undefined;
  /** OCI runtime for sandboxes; undefined: the engine's default. */
  dockerRuntime: string | undefined;
  sandboxImage: string;
  secretKey: string;
  admin: { email: string; password: string | undefined };
  publicUrl: string;
  allowedOrigins: string[];
  egressAllow: string[];
  gitHosts: string[];
  anthropicUpstream: string;
  idleTimeoutMs: number;
  stoppedTtlMs: number;
  resources: {
    defaultMemoryMb: number;
    defaultCpus: number;
    maxMemoryMb: number;
    maxCpus: number;
    pidsLimit: number;
    /** Open files per sandbox process (soft and hard). */
    nofileLimit: number;
  };
  readyTimeoutMs: number;
  instance: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  webDist: string | undefined;
  auditRetentionMs: number;
  /** First lockout after repeated failed logins; each further failure doubles it. */
  loginLockoutMs: number;
  /** How often the usage sampler reads every running sandbox's stats. */
  usageIntervalMs: number;
  usageRetentionMs: number;
  /** Unset: /metrics requires an admin's bearer token instead. */
  metricsToken: string | undefined;
};

/** Typed configuration; the class is also the injection token. */
export class AppConfig {
  constructor(readonly values: AppConfigValues) {}
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const DEFAULT_EGRESS = [
  'api.anthropic.com:443',
  'registry.npmjs.org:443',
  'pypi.org:443',
  'files.pythonhosted.org:443',
];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.CCR_DEFAULT_MEMORY_MB > e.CCR_MAX_MEMORY_MB) {
    problems.push('CCR_DEFAULT_MEMORY_MB: must not exceed CCR_MAX_MEMORY_MB');
  }
  if (e.CCR_DEFAULT_CPUS > e.CCR_MAX_CPUS) {
    problems.push('CCR_DEFAULT_CPUS: must not exceed CCR_MAX_CPUS');
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  const dataDir = resolve(e.CCR_DATA_DIR);
  const publicUrl = (e.CCR_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return new AppConfig({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    runtime: e.CCR_RUNTIME,
    dockerHost: e.DOCKER_HOST,
    dockerRuntime: e.CCR_DOCKER_RUNTIME,
    sandboxImage: e.CCR_SANDBOX_IMAGE,
    secretKey: e.CCR_SECRET_KEY ?? loadOrCreateSecretKey(dataDir),
    admin: { email: e.CCR_ADMIN_EMAIL ?? 'admin@localhost', password: e.CCR_ADMIN_PASSWORD },
    publicUrl,
    allowedOrigins: e.CCR_ALLOWED_ORIGINS ?? [new URL(publicUrl).origin],
    egressAllow: e.CCR_EGRESS_ALLOW ?? [
      ...DEFAULT_EGRESS,
      ...e.CCR_GIT_HOSTS.map((host) => `${host}:443`),
    ],
    gitHosts: e.CCR_GIT_HOSTS,
    anthropicUpstream: e.CCR_ANTHROPIC_UPSTREAM,
    idleTimeoutMs: e.CCR_IDLE_TIMEOUT,
    stoppedTtlMs: e.CCR_STOPPED_TTL,
    resources: {
      defaultMemoryMb: e.CCR_DEFAULT_MEMORY_MB,
      defaultCpus: e.CCR_DEFAULT_CPUS,
      maxMemoryMb: e.CCR_MAX_MEMORY_MB,
      maxCpus: e.CCR_MAX_CPUS,
      pidsLimit: e.CCR_PIDS_LIMIT,
      nofileLimit: e.CCR_NOFILE_LIMIT,
    },
    readyTimeoutMs: e.CCR_READY_TIMEOUT,
    instance: e.CCR_INSTANCE,
    logLevel: e.CCR_LOG_LEVEL,
    webDist: e.CCR_WEB_DIST,
    auditRetentionMs: e.CCR_AUDIT_RETENTION,
    loginLockoutMs: e.CCR_LOGIN_LOCKOUT,
    usageIntervalMs: e.CCR_USAGE_INTERVAL,
    usageRetentionMs: e.CCR_USAGE_RETENTION,
    metricsToken: e.CCR_METRICS_TOKEN,
  });
}

/** The secret key is generated once into the data directory (mode 0600) unless configured. */
function loadOrCreateSecretKey(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(48).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
