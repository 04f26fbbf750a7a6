import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration } from './env';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccr-env-spec-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ CCR_DATA_DIR: dataDir(), ...env });
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const dir = dataDir();
    const { values } = loadConfig({ CCR_DATA_DIR: dir });
    expect(values).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: dir,
      databaseUrl: undefined,
      runtime: 'docker',
      sandboxImage: 'ccr-sandbox:latest',
      admin: { email: 'admin@localhost', password: undefined },
      publicUrl: 'http://localhost:8080',
      allowedOrigins: ['http://localhost:8080'],
      idleTimeoutMs: 30 * 60_000,
      stoppedTtlMs: 7 * 86_400_000,
      readyTimeoutMs: 180_000,
      instance: 'default',
      logLevel: 'info',
      resources: {
        defaultMemoryMb: 2048,
        defaultCpus: 1,
        maxMemoryMb: 8192,
        maxCpus: 4,
        pidsLimit: 1024,
      },
    });
  });

  it('generates the secret key once into the data directory, private to the owner', () => {
    const dir = dataDir();
    const first = loadConfig({ CCR_DATA_DIR: dir }).values.secretKey;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ CCR_DATA_DIR: dir }).values.secretKey).toBe(first);
    expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'secret.key')).mode & 0o077).toBe(0);
  });

  it('treats empty strings as unset', () => {
    expect(
      loadConfig({ CCR_DATA_DIR: dataDir(), DATABASE_URL: '', CCR_ADMIN_PASSWORD: '' }).values,
    ).toMatchObject({
      databaseUrl: undefined,
      admin: { password: undefined },
    });
  });

  it('reports every bad variable at once, by name', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      CCR_RUNTIME: 'podman',
      CCR_SECRET_KEY: 'short',
      CCR_IDLE_TIMEOUT: 'soon',
      CCR_INSTANCE: 'Has Spaces',
      CCR_PUBLIC_URL: 'not a url',
    });
    const names = problems.map((p) => p.split(':')[0]);
    expect(names.sort()).toEqual(
      [
        'CCR_IDLE_TIMEOUT',
        'CCR_INSTANCE',
        'CCR_PUBLIC_URL',
        'CCR_RUNTIME',
        'CCR_SECRET_KEY',
        'DATABASE_URL',
        'PORT',
      ].sort(),
    );
    for (const problem of problems) {
      expect(problem).toMatch(/^[A-Z_]+: .+/);
    }
  });

  it('refuses defaults above the maximums', () => {
    expect(problemsOf({ CCR_DEFAULT_MEMORY_MB: '4096', CCR_MAX_MEMORY_MB: '1024' })).toEqual([
      'CCR_DEFAULT_MEMORY_MB: must not exceed CCR_MAX_MEMORY_MB',
    ]);
  });

  it('derives allowed origins from the public URL unless given', () => {
    expect(
      loadConfig({ CCR_DATA_DIR: dataDir(), CCR_PUBLIC_URL: 'https://ccr.example.com/' }).values,
    ).toMatchObject({
      publicUrl: 'https://ccr.example.com',
      allowedOrigins: ['https://ccr.example.com'],
    });
    expect(
      loadConfig({ CCR_DATA_DIR: dataDir(), CCR_ALLOWED_ORIGINS: 'https://a.test, https://b.test' })
        .values.allowedOrigins,
    ).toEqual(['https://a.test', 'https://b.test']);
  });

  it('defaults the public URL to localhost on the configured port', () => {
    expect(loadConfig({ CCR_DATA_DIR: dataDir(), PORT: '9090' }).values).toMatchObject({
      publicUrl: 'http://localhost:9090',
      allowedOrigins: ['http://localhost:9090'],
    });
  });
});

describe('usage and metrics settings', () => {
  it('defaults to sampling every 15s, keeping 7 days, and no metrics token', () => {
    const { values } = loadConfig({ CCR_DATA_DIR: dataDir() });
    expect(values.usageIntervalMs).toBe(15_000);
    expect(values.usageRetentionMs).toBe(7 * 86_400_000);
    expect(values.metricsToken).toBeUndefined();
  });

  it('refuses an interval under a second and a short metrics token', () => {
    const problems = problemsOf({
      CCR_USAGE_INTERVAL: '500ms',
      CCR_USAGE_RETENTION: 'forever',
      CCR_METRICS_TOKEN: 'short',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CCR_METRICS_TOKEN',
      'CCR_USAGE_INTERVAL',
      'CCR_USAGE_RETENTION',
    ]);
  });

  it('uses the engine default OCI runtime and 16384 open files unless configured', () => {
    const defaults = loadConfig({ CCR_DATA_DIR: dataDir() }).values;
    expect(defaults.dockerRuntime).toBeUndefined();
    expect(defaults.resources.nofileLimit).toBe(16384);
    const set = loadConfig({
      CCR_DATA_DIR: dataDir(),
      CCR_DOCKER_RUNTIME: 'runsc',
      CCR_NOFILE_LIMIT: '65536',
    }).values;
    expect(set.dockerRuntime).toBe('runsc');
    expect(set.resources.nofileLimit).toBe(65536);
  });

  it('refuses an OCI runtime name with odd characters and a tiny nofile limit', () => {
    const problems = problemsOf({ CCR_DOCKER_RUNTIME: 'runsc --debug', CCR_NOFILE_LIMIT: '64' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CCR_DOCKER_RUNTIME',
      'CCR_NOFILE_LIMIT',
    ]);
  });
});

describe('parseDuration', () => {
  it('parses each unit', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('12h')).toBe(43_200_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(() => parseDuration('7 days')).toThrow();
  });
});
