// The Docker adapter of the Runtime port, and the only module that talks to the engine.
// One container per session, named and labelled so every replica of the server (and the
// reconciler) finds it from the session id alone; see docs/adr/0002-runtime-port.md.
import type { Duplex, Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { OnModuleDestroy } from '@nestjs/common';
import Docker from 'dockerode';
import {
  Runtime,
  type ExecOptions,
  type ExecResult,
  type LogsOptions,
  type SandboxChange,
  type SandboxInfo,
  type SandboxSpec,
  type SandboxState,
  type TtyProcess,
  type UsageSample,
  type WatchHandlers,
} from '../runtime.port';
import { RuntimeError, type RuntimeErrorCode } from '../runtime.errors';
import { LineSplitter, WATCHED_ACTIONS, eventSeconds, parseDockerEvent } from './docker-events';
import { DockerStreamDemuxer, demuxBuffer } from './docker-stream-demux';
import { computeDockerUsage, type DockerStatsDocument } from './docker-usage';

export const Labels = {
  managed: 'ccr.managed',
  instance: 'ccr.instance',
  sessionId: 'ccr.session-id',
  userId: 'ccr.user-id',
  volume: 'ccr.volume',
} as const;

export interface DockerRuntimeOptions {
  /** Separates the resources of several installations (and test runs) on one engine. */
  instance: string;
  /** DOCKER_HOST as configured: unix:///path, tcp://host:port, http(s)://host:port. */
  dockerHost?: string;
  logMaxSize?: string;
  logMaxFiles?: number;
  /** OCI runtime for sandboxes (e.g. gVisor's `runsc`); unset: the engine's default. */
  ociRuntime?: string;
  /** Soft and hard RLIMIT_NOFILE inside a sandbox; must not exceed the engine's own hard limit. */
  nofileLimit?: number;
}

const WORKSPACE_PATH = '/workspace';
const HOME_PATH = '/home/dev';
const CLAUDE_HOME_PATH = '/home/dev/.claude';
/** The image's `dev` user, numerically, so the image cannot switch a sandbox to root. */
const SANDBOX_USER = '1000:1000';
/**
 * The only writable path outside the volumes (tmux sockets, the agent's state, mktemp).
 * `exec` stays allowed: the sandbox runs arbitrary code from /workspace anyway, and build tools
 * run helpers from /tmp. Its pages count against the container's memory limit.
 */
const TMP_MOUNT_OPTIONS = 'rw,exec,nosuid,nodev,size=512m,mode=1777';
export const DEFAULT_NOFILE_LIMIT = 16384;
/** Bound on what one non-TTY exec may return, so a chatty process cannot exhaust memory. */
const MAX_EXEC_OUTPUT_BYTES = 16 * 1024 * 1024;
const PING_TIMEOUT_MS = 5_000;
const EVENTS_RETRY_MIN_MS = 250;
const EVENTS_RETRY_MAX_MS = 15_000;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

type EngineError = Error & { statusCode?: number; code?: string; json?: unknown };

function engineStatus(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null
    ? (error as EngineError).statusCode
    : undefined;
}

function toRuntimeError(
  error: unknown,
  notFound: RuntimeErrorCode = 'SANDBOX_NOT_FOUND',
): RuntimeError {
  if (error instanceof RuntimeError) {
    return error;
  }
  const status = engineStatus(error);
  if (status === 404) {
    return new RuntimeError(notFound, { cause: error });
  }
  const code =
    typeof error === 'object' && error !== null ? (error as EngineError).code : undefined;
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) {
    return new RuntimeError('RUNTIME_UNAVAILABLE', { cause: error });
  }
  return new RuntimeError('RUNTIME_FAILED', { cause: error });
}

function dockerOptions(dockerHost: string | undefined): Docker.DockerOptions {
  if (dockerHost === undefined) {
    return { socketPath: '/var/run/docker.sock' };
  }
  const url = new URL(dockerHost);
  switch (url.protocol) {
    case 'unix:':
      return { socketPath: url.pathname };
    case 'tcp:':
    case 'http:':
      return { host: url.hostname, port: url.port || '2375', protocol: 'http' };
    case 'https:':
      return { host: url.hostname, port: url.port || '2376', protocol: 'https' };
    default:
      throw new RuntimeError('RUNTIME_UNAVAILABLE', {
        message: `DOCKER_HOST: unsupported scheme ${url.protocol} (use unix://, tcp:// or https://)`,
      });
  }
}

function assertId(value: string, field: string): void {
  if (!ID_PATTERN.test(value)) {
    throw new RuntimeError('RUNTIME_FAILED', { message: `Invalid ${field} for a container name` });
  }
}

function toEnvList(env: Record<string, string> | undefined): string[] | undefined {
  if (env === undefined) {
    return undefined;
  }
  return Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME_PATTERN.test(name) || value.includes('\0')) {
      throw new RuntimeError('RUNTIME_FAILED', {
        message: `Invalid environment variable ${name}`,
      });
    }
    return `${name}=${value}`;
  });
}

/** The engine reports "never" as the zero time. */
function engineTime(value: string | undefined): string | null {
  if (value === undefined || value === '' || value.startsWith('0001-01-01')) {
    return null;
  }
  return value;
}

const SANDBOX_STATES: readonly SandboxState[] = [
  'created',
  'running',
  'paused',
  'restarting',
  'exited',
  'dead',
  'removing',
];

function toSandboxState(status: string): SandboxState {
  return (SANDBOX_STATES as readonly string[]).includes(status) ? (status as SandboxState) : 'dead';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

type Watcher = { listener: (change: SandboxChange) => void; handlers: WatchHandlers };
type EventStream = NodeJS.ReadableStream & { destroy?: (error?: Error) => void };

export class DockerRuntime extends Runtime implements OnModuleDestroy {
  private readonly docker: Docker;
  private readonly instance: string;
  private readonly logMaxSize: string;
  private readonly logMaxFiles: number;
  private readonly ociRuntime: string | undefined;
  private readonly nofileLimit: number;
  /** One engine event stream shared by every watcher, open while there is at least one. */
  private readonly watchers = new Set<Watcher>();
  private readonly events: {
    stream: EventStream | undefined;
    retry: NodeJS.Timeout | undefined;
    failures: number;
    /** Unix seconds of the last event seen (or of the last connection): where a reconnect resumes. */
    since: number | undefined;
    interrupted: boolean;
    /** Bumped on every stop, so a connection that completes late knows it is unwanted. */
    generation: number;
  } = {
    stream: undefined,
    retry: undefined,
    failures: 0,
    since: undefined,
    interrupted: false,
    generation: 0,
  };

  constructor(options: DockerRuntimeOptions) {
    super();
    this.docker = new Docker(dockerOptions(options.dockerHost));
    this.instance = options.instance;
    this.logMaxSize = options.logMaxSize ?? '10m';
    this.logMaxFiles = options.logMaxFiles ?? 3;
    this.ociRuntime = options.ociRuntime;
    this.nofileLimit = options.nofileLimit ?? DEFAULT_NOFILE_LIMIT;
  }

  containerName(sessionId: string): string {
    return `ccr-${this.instance}-${sessionId}`;
  }

  workspaceVolumeName(sessionId: string): string {
    return `ccr-${this.instance}-ws-${sessionId}`;
  }

  /** Per user, at ~/.claude: Claude Code's login and settings outlive sessions. */
  homeVolumeName(userId: string): string {
    return `ccr-${this.instance}-home-${userId}`;
  }

  /** Per session, at /home/dev: the root is read-only, and dotfiles and caches live here. */
  sessionHomeVolumeName(sessionId: string): string {
    return `ccr-${this.instance}-dev-${sessionId}`;
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.docker.ping(),
        new Promise((_resolve, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new RuntimeError('RUNTIME_TIMEOUT', { message: 'Docker did not answer a ping' }),
              ),
            PING_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      const wrapped = toRuntimeError(error);
      throw wrapped.code === 'RUNTIME_FAILED' || wrapped.code === 'RUNTIME_TIMEOUT'
        ? new RuntimeError('RUNTIME_UNAVAILABLE', { cause: error })
        : wrapped;
    } finally {
      clearTimeout(timer);
    }
  }

  async hasImage(image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect();
      return true;
    } catch (error) {
      if (engineStatus(error) === 404) {
        return false;
      }
      throw toRuntimeError(error);
    }
  }

  async create(spec: SandboxSpec): Promise<SandboxInfo> {
    assertId(spec.sessionId, 'session id');
    assertId(spec.userId, 'user id');
    const env = toEnvList(spec.env);
    const labels = {
      [Labels.managed]: '1',
      [Labels.instance]: this.instance,
      [Labels.sessionId]: spec.sessionId,
      [Labels.userId]: spec.userId,
    };
    const workspaceVolume = this.workspaceVolumeName(spec.sessionId);
    const homeVolume = this.homeVolumeName(spec.userId);
    const sessionHomeVolume = this.sessionHomeVolumeName(spec.sessionId);
    // Everything this call made, removed again if a later step fails: a failed creation leaves
    // nothing behind. Pre-existing resources (a user's home volume) are never touched.
    const made: { volumes: string[]; container: Docker.Container | undefined } = {
      volumes: [],
      container: undefined,
    };
    try {
      if (await this.ensureVolume(workspaceVolume, { ...labels, [Labels.volume]: 'workspace' })) {
        made.volumes.push(workspaceVolume);
      }
      if (
        await this.ensureVolume(sessionHomeVolume, { ...labels, [Labels.volume]: 'session-home' })
      ) {
        made.volumes.push(sessionHomeVolume);
      }
      const homeLabels = {
        [Labels.managed]: '1',
        [Labels.instance]: this.instance,
        [Labels.userId]: spec.userId,
        [Labels.volume]: 'home',
      };
      if (await this.ensureVolume(homeVolume, homeLabels)) {
        made.volumes.push(homeVolume);
      }
      const memoryBytes = Math.round(spec.resources.memoryMb * 1024 * 1024);
      made.container = await this.docker
        .createContainer({
          name: this.containerName(spec.sessionId),
          Image: spec.image,
          Env: env,
          Labels: labels,
          User: SANDBOX_USER,
          // The agent prints one JSON object per line; a TTY would mangle line endings.
          Tty: false,
          OpenStdin: false,
          AttachStdin: false,
          // The sandbox runs whatever the agent writes: every option below assumes it is hostile
          // (docs/security.md, "Container hardening").
          HostConfig: {
            ...(this.ociRuntime === undefined ? {} : { Runtime: this.ociRuntime }),
            Memory: memoryBytes,
            MemorySwap: memoryBytes,
            NanoCpus: Math.round(spec.resources.cpus * 1e9),
            PidsLimit: spec.resources.pids,
            Ulimits: [{ Name: 'nofile', Soft: this.nofileLimit, Hard: this.nofileLimit }],
            // Nothing is added back: the agent, tmux, git and Claude Code all run as an
            // unprivileged user and need no capability (proven by the sandbox-hardening tests).
            CapDrop: ['ALL'],
            // Docker's default seccomp profile applies because SecurityOpt names no other one.
            SecurityOpt: ['no-new-privileges'],
            Privileged: false,
            ReadonlyRootfs: true,
            Tmpfs: { '/tmp': TMP_MOUNT_OPTIONS },
            LogConfig: {
              Type: 'json-file',
              Config: { 'max-size': this.logMaxSize, 'max-file': String(this.logMaxFiles) },
            },
            // Named volumes only: never a host path, never the Docker socket. A new volume is
            // filled from the image, so the session home starts with the image's dotfiles.
            Mounts: [
              { Type: 'volume', Source: workspaceVolume, Target: WORKSPACE_PATH },
              { Type: 'volume', Source: sessionHomeVolume, Target: HOME_PATH },
              { Type: 'volume', Source: homeVolume, Target: CLAUDE_HOME_PATH },
            ],
            RestartPolicy: { Name: 'no' },
            PublishAllPorts: false,
            PortBindings: {},
          },
        })
        .catch((error: unknown) => {
          throw toRuntimeError(error, 'IMAGE_NOT_FOUND');
        });
      const info = await this.inspect(spec.sessionId);
      if (info === null) {
        throw new RuntimeError('RUNTIME_FAILED', {
          message: 'The container vanished right after it was created',
        });
      }
      return info;
    } catch (error) {
      await this.undoCreate(made);
      throw toRuntimeError(error);
    }
  }

  async start(sessionId: string): Promise<void> {
    try {
      await this.container(sessionId).start();
    } catch (error) {
      // 304: already running.
      if (engineStatus(error) !== 304) {
        throw toRuntimeError(error);
      }
    }
  }

  async stop(sessionId: string, timeoutSeconds = 10): Promise<void> {
    try {
      await this.container(sessionId).stop({ t: timeoutSeconds });
    } catch (error) {
      // 304: not running.
      if (engineStatus(error) !== 304) {
        throw toRuntimeError(error);
      }
    }
  }

  async remove(sessionId: string): Promise<void> {
    try {
      await this.container(sessionId).remove({ force: true, v: false });
    } catch (error) {
      const status = engineStatus(error);
      // 404: already gone; 409: a removal is already in progress, wait for it below.
      if (status !== 404 && status !== 409) {
        throw toRuntimeError(error);
      }
    }
    await this.removeVolume(this.workspaceVolumeName(sessionId));
    await this.removeVolume(this.sessionHomeVolumeName(sessionId));
  }

  async inspect(sessionId: string): Promise<SandboxInfo | null> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.container(sessionId).inspect();
    } catch (error) {
      if (engineStatus(error) === 404) {
        return null;
      }
      throw toRuntimeError(error);
    }
    return this.toSandboxInfo(info);
  }

  async list(): Promise<SandboxInfo[]> {
    let containers: Docker.ContainerInfo[];
    try {
      containers = await this.docker.listContainers({
        all: true,
        filters: { label: [`${Labels.managed}=1`, `${Labels.instance}=${this.instance}`] },
      });
    } catch (error) {
      throw toRuntimeError(error);
    }
    const infos = await Promise.all(
      containers.map(async (summary) => {
        try {
          return this.toSandboxInfo(await this.docker.getContainer(summary.Id).inspect());
        } catch (error) {
          // Removed between the list and the inspect.
          if (engineStatus(error) === 404) {
            return null;
          }
          throw toRuntimeError(error);
        }
      }),
    );
    return infos.filter((info): info is SandboxInfo => info !== null);
  }

  async exec(sessionId: string, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const hasStdin = options.stdin !== undefined;
    let exec: Docker.Exec;
    let stream: Duplex;
    try {
      exec = await this.container(sessionId).exec({
        Cmd: cmd,
        AttachStdin: hasStdin,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        User: options.user,
        Env: toEnvList(options.env),
        WorkingDir: options.workingDir,
      });
      stream = await exec.start({ hijack: true, stdin: hasStdin });
    } catch (error) {
      throw this.execError(error);
    }

    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (error?: RuntimeError): void => {
        clearTimeout(timer);
        if (error) {
          stream.destroy();
          reject(error);
        } else {
          resolve();
        }
      };
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(
          () =>
            finish(
              new RuntimeError('RUNTIME_TIMEOUT', {
                message: `Command did not finish within ${options.timeoutMs} ms`,
              }),
            ),
          options.timeoutMs,
        );
      }
      const demuxer = new DockerStreamDemuxer((which, payload) => {
        total += payload.length;
        if (total > MAX_EXEC_OUTPUT_BYTES) {
          finish(new RuntimeError('RUNTIME_FAILED', { message: 'Command output is too large' }));
          return;
        }
        (which === 'stderr' ? stderr : stdout).push(payload);
      });
      stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
      stream.once('end', () => finish());
      stream.once('close', () => finish());
      stream.once('error', (error) => finish(toRuntimeError(error)));
      if (hasStdin) {
        // Ending our half of the hijacked connection closes the process's stdin.
        stream.end(options.stdin);
      }
    });
    const exitCode = await this.waitForExit(exec, 10_000);
    if (exitCode === null) {
      throw new RuntimeError('RUNTIME_FAILED', { message: 'The exec exit code is unknown' });
    }
    return {
      exitCode,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
  }

  async execTty(
    sessionId: string,
    cmd: string[],
    size: { cols: number; rows: number },
    options: ExecOptions = {},
  ): Promise<TtyProcess> {
    let exec: Docker.Exec;
    let stream: Duplex;
    try {
      exec = await this.container(sessionId).exec({
        Cmd: cmd,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: true,
        // Honoured by engines with API >= 1.42; older ones get the resize below.
        ConsoleSize: [size.rows, size.cols],
        User: options.user,
        Env: toEnvList(options.env),
        WorkingDir: options.workingDir,
      });
      stream = await exec.start({ hijack: true, stdin: true, Tty: true });
    } catch (error) {
      throw this.execError(error);
    }
    const resize = async (cols: number, rows: number): Promise<void> => {
      try {
        await exec.resize({ w: cols, h: rows });
      } catch (error) {
        throw toRuntimeError(error);
      }
    };
    try {
      await this.resizeWhenStarted(exec, size);
    } catch (error) {
      stream.destroy();
      throw toRuntimeError(error);
    }
    const ended = new Promise<void>((resolve) => {
      if (stream.readableEnded || stream.destroyed) {
        resolve();
        return;
      }
      stream.once('end', resolve);
      stream.once('close', resolve);
    });
    let exitCode: Promise<number | null> | undefined;
    return {
      stream,
      resize,
      exited: () => {
        exitCode ??= ended.then(() => this.waitForExit(exec, 10_000));
        return exitCode;
      },
    };
  }

  async logs(sessionId: string, options: LogsOptions = {}): Promise<string> {
    try {
      const buffer = await this.container(sessionId).logs({
        stdout: true,
        stderr: true,
        follow: false,
        tail: options.tail,
        since: options.since,
      });
      return demuxBuffer(buffer).combined.toString('utf8');
    } catch (error) {
      throw toRuntimeError(error);
    }
  }

  async followLogs(sessionId: string, options: LogsOptions = {}): Promise<Readable> {
    let source: NodeJS.ReadableStream & { destroy?: (error?: Error) => void };
    try {
      source = await this.container(sessionId).logs({
        stdout: true,
        stderr: false,
        follow: true,
        tail: options.tail,
        since: options.since,
      });
    } catch (error) {
      throw toRuntimeError(error);
    }
    const output = new PassThrough();
    const demuxer = new DockerStreamDemuxer((which, payload) => {
      if (which === 'stdout' && !output.destroyed) {
        // Respect the consumer's pace: the engine connection pauses while our buffer is full.
        if (!output.write(payload)) {
          source.pause();
        }
      }
    });
    output.on('drain', () => source.resume());
    source.on('data', (chunk: Buffer) => demuxer.push(chunk));
    source.once('end', () => output.end());
    source.once('error', (error: Error) => output.destroy(toRuntimeError(error)));
    // Destroying our end must stop the engine's stream, or the connection stays open forever.
    output.once('close', () => source.destroy?.());
    return output;
  }

  async stats(sessionId: string): Promise<UsageSample> {
    let stats: DockerStatsDocument;
    try {
      stats = await this.container(sessionId).stats({ stream: false });
    } catch (error) {
      throw toRuntimeError(error);
    }
    const usage = computeDockerUsage(stats);
    const read = engineTime(stats.read);
    return { at: read ?? new Date().toISOString(), ...usage };
  }

  watch(listener: (change: SandboxChange) => void, handlers: WatchHandlers = {}): () => void {
    const watcher: Watcher = { listener, handlers };
    const first = this.watchers.size === 0;
    this.watchers.add(watcher);
    if (first) {
      void this.connectEvents(this.events.generation);
    }
    return () => {
      if (this.watchers.delete(watcher) && this.watchers.size === 0) {
        this.stopEvents();
      }
    };
  }

  onModuleDestroy(): void {
    this.watchers.clear();
    this.stopEvents();
  }

  private stopEvents(): void {
    this.events.generation++;
    clearTimeout(this.events.retry);
    this.events.retry = undefined;
    const stream = this.events.stream;
    this.events.stream = undefined;
    stream?.destroy?.();
    this.events.failures = 0;
    this.events.since = undefined;
    this.events.interrupted = false;
  }

  private async connectEvents(generation: number): Promise<void> {
    let stream: EventStream;
    try {
      stream = await this.docker.getEvents({
        ...(this.events.since === undefined ? {} : { since: this.events.since }),
        filters: {
          type: ['container'],
          event: [...WATCHED_ACTIONS],
          label: [`${Labels.managed}=1`, `${Labels.instance}=${this.instance}`],
        },
      });
    } catch {
      this.retryEvents(generation);
      return;
    }
    if (generation !== this.events.generation) {
      stream.destroy?.();
      return;
    }
    this.events.stream = stream;
    this.events.failures = 0;
    this.events.since ??= Date.now() / 1000;
    const splitter = new LineSplitter((line) => this.onEventLine(line));
    stream.on('data', (chunk: Buffer) => splitter.push(chunk));
    const ended = (): void => {
      if (this.events.stream !== stream) {
        return;
      }
      this.events.stream = undefined;
      stream.destroy?.();
      this.retryEvents(generation);
    };
    stream.once('end', ended);
    stream.once('close', ended);
    stream.once('error', ended);
    if (this.events.interrupted) {
      this.events.interrupted = false;
      for (const watcher of [...this.watchers]) {
        this.notify(() => watcher.handlers.onResync?.());
      }
    }
  }

  /** Reconnects with capped exponential backoff; the engine may be restarting. */
  private retryEvents(generation: number): void {
    if (generation !== this.events.generation) {
      return;
    }
    this.events.interrupted = true;
    const wait = Math.min(EVENTS_RETRY_MIN_MS * 2 ** this.events.failures, EVENTS_RETRY_MAX_MS);
    this.events.failures = Math.min(this.events.failures + 1, 16);
    clearTimeout(this.events.retry);
    this.events.retry = setTimeout(() => {
      this.events.retry = undefined;
      void this.connectEvents(generation);
    }, wait);
    this.events.retry.unref();
  }

  private onEventLine(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return;
    }
    this.events.since = eventSeconds(value) ?? this.events.since;
    const change = parseDockerEvent(value, this.instance);
    if (change === null) {
      return;
    }
    for (const watcher of [...this.watchers]) {
      this.notify(() => watcher.listener(change));
    }
  }

  /** A listener that throws must not stop the stream for the others. */
  private notify(call: () => void): void {
    try {
      call();
    } catch {
      // The listener owns its errors; the stream has nobody to report them to.
    }
  }

  private container(sessionId: string): Docker.Container {
    assertId(sessionId, 'session id');
    return this.docker.getContainer(this.containerName(sessionId));
  }

  private execError(error: unknown): RuntimeError {
    const status = engineStatus(error);
    // 409: the container is stopped or paused — there is no sandbox to run in right now.
    if (status === 409) {
      return new RuntimeError('SANDBOX_NOT_FOUND', {
        cause: error,
        message: 'The session container is not running',
      });
    }
    return toRuntimeError(error);
  }

  /** Creates the volume unless it exists; true when this call created it. */
  private async ensureVolume(name: string, labels: Record<string, string>): Promise<boolean> {
    try {
      await this.docker.getVolume(name).inspect();
      return false;
    } catch (error) {
      if (engineStatus(error) !== 404) {
        throw toRuntimeError(error);
      }
    }
    await this.docker.createVolume({ Name: name, Labels: labels });
    return true;
  }

  private async undoCreate(made: {
    volumes: string[];
    container: Docker.Container | undefined;
  }): Promise<void> {
    if (made.container) {
      await made.container.remove({ force: true }).catch(() => undefined);
    }
    for (const volume of made.volumes) {
      // A volume another new container of the same user started using in the meantime is
      // refused with 409; it is then legitimately in use and stays.
      await this.removeVolume(volume).catch(() => undefined);
    }
  }

  private async removeVolume(name: string): Promise<void> {
    // A container removal finishes asynchronously in the engine; its volumes stay "in use"
    // for a moment after the remove call returns.
    const deadline = Date.now() + 15_000;
    for (let wait = 25; ; wait = Math.min(wait * 2, 500)) {
      try {
        await this.docker.getVolume(name).remove();
        return;
      } catch (error) {
        const status = engineStatus(error);
        if (status === 404) {
          return;
        }
        if (status !== 409 || Date.now() > deadline) {
          throw toRuntimeError(error);
        }
      }
      await delay(wait);
    }
  }

  /**
   * The exit code is known only once the engine has reaped the process, which can lag behind
   * the end of its output stream.
   */
  private async waitForExit(exec: Docker.Exec, timeoutMs: number): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    for (let wait = 5; ; wait = Math.min(wait * 2, 250)) {
      let info: Docker.ExecInspectInfo;
      try {
        info = await exec.inspect();
      } catch (error) {
        if (engineStatus(error) === 404) {
          return null;
        }
        throw toRuntimeError(error);
      }
      if (!info.Running) {
        return info.ExitCode;
      }
      if (Date.now() > deadline) {
        return null;
      }
      await delay(wait);
    }
  }

  /** An exec can be resized only once its process runs; the start call may return earlier. */
  private async resizeWhenStarted(
    exec: Docker.Exec,
    size: { cols: number; rows: number },
  ): Promise<void> {
    const deadline = Date.now() + 5_000;
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      try {
        await exec.resize({ w: size.cols, h: size.rows });
        return;
      } catch (error) {
        const status = engineStatus(error);
        if (status === 404 || Date.now() > deadline) {
          throw error;
        }
        // The process may already have exited (e.g. an unknown terminal): nothing to resize.
        const info = await exec.inspect();
        if (!info.Running && info.Pid === 0 && info.ExitCode !== null) {
          return;
        }
      }
      await delay(wait);
    }
  }

  private toSandboxInfo(info: Docker.ContainerInspectInfo): SandboxInfo {
    const labels = info.Config.Labels ?? {};
    const state = toSandboxState(info.State.Status);
    return {
      id: info.Id,
      sessionId: labels[Labels.sessionId] ?? '',
      userId: labels[Labels.userId] ?? '',
      state,
      startedAt: engineTime(info.State.StartedAt),
      finishedAt: engineTime(info.State.FinishedAt),
      exitCode: state === 'exited' || state === 'dead' ? info.State.ExitCode : null,
      oomKilled: info.State.OOMKilled,
    };
  }
}
