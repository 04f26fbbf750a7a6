// The container runtime port. Docker is the adapter that runs out of the box; Kubernetes is the
// second real implementation (see docs/adr/0002-runtime-port.md). Services depend on this class
// (it is both the type and the injection token), never on an engine's client library.
import type { Duplex, Readable } from 'node:stream';

export type SandboxState =
  'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead' | 'removing';

export interface SandboxSpec {
  sessionId: string;
  userId: string;
  image: string;
  /** Non-secret configuration for the agent (see AgentEnv in @ccr/protocol/agent). */
  env: Record<string, string>;
  resources: { memoryMb: number; cpus: number; pids: number };
}

export interface SandboxInfo {
  /** Engine id of the container (or pod uid). */
  id: string;
  sessionId: string;
  userId: string;
  state: SandboxState;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  oomKilled: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  user?: string;
  env?: Record<string, string>;
  workingDir?: string;
  /** Kill the wait (not necessarily the process) after this long; rejects with RUNTIME_TIMEOUT. */
  timeoutMs?: number;
  /** Bytes written to the process's stdin, then closed. */
  stdin?: string;
}

/** A process started with a TTY inside a sandbox; the stream carries raw pty bytes both ways. */
export interface TtyProcess {
  stream: Duplex;
  resize(cols: number, rows: number): Promise<void>;
  /** Resolves with the exit code once the process has ended (null when unknown). */
  exited(): Promise<number | null>;
}

export interface UsageSample {
  at: string;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  pids: number;
  netRxBytes: number;
  netTxBytes: number;
}

/**
 * A lifecycle change of a sandbox seen by the engine, whoever caused it (the server, an
 * operator, the kernel). `exited`: the main process ended (exitCode when the engine said);
 * `oom`: the kernel's OOM killer fired inside the sandbox (it may have killed only a child).
 */
export interface SandboxChange {
  sessionId: string;
  kind: 'started' | 'exited' | 'oom' | 'removed';
  exitCode?: number;
  /** ISO time at which the engine saw the change. */
  at: string;
}

export interface WatchHandlers {
  /**
   * Called after the watch was interrupted (engine restart, lost connection) and is back:
   * changes during the gap may be missing, so callers should re-check what they rely on.
   */
  onResync?: () => void;
}

export interface LogsOptions {
  tail?: number;
  /** Unix seconds; only lines at or after this time. */
  since?: number;
}

export abstract class Runtime {
  /** Throws RuntimeError('RUNTIME_UNAVAILABLE') when the engine does not answer. */
  abstract ping(): Promise<void>;
  /** True when the image exists on the engine. */
  abstract hasImage(image: string): Promise<boolean>;
  /** Creates the session's workspace volume, the user's home volume (if new) and the container, not started. */
  abstract create(spec: SandboxSpec): Promise<SandboxInfo>;
  abstract start(sessionId: string): Promise<void>;
  /** Stops gracefully (SIGTERM, then SIGKILL after timeoutSeconds). No-op when not running. */
  abstract stop(sessionId: string, timeoutSeconds?: number): Promise<void>;
  /** Removes the container and the session's volumes (workspace and home). Idempotent. */
  abstract remove(sessionId: string): Promise<void>;
  /** Null when the session has no container. */
  abstract inspect(sessionId: string): Promise<SandboxInfo | null>;
  /** Every sandbox this service created (by label), whatever its state. */
  abstract list(): Promise<SandboxInfo[]>;
  abstract exec(sessionId: string, cmd: string[], options?: ExecOptions): Promise<ExecResult>;
  abstract execTty(
    sessionId: string,
    cmd: string[],
    size: { cols: number; rows: number },
    options?: ExecOptions,
  ): Promise<TtyProcess>;
  /** The container's log as text (stdout and stderr interleaved). */
  abstract logs(sessionId: string, options?: LogsOptions): Promise<string>;
  /** Follows the container's stdout line by line until the returned stream is destroyed. */
  abstract followLogs(sessionId: string, options?: LogsOptions): Promise<Readable>;
  abstract stats(sessionId: string): Promise<UsageSample>;
  /**
   * Delivers lifecycle changes of this service's sandboxes until the returned function is
   * called. Never throws: a lost connection to the engine is retried in the background.
   */
  abstract watch(listener: (change: SandboxChange) => void, handlers?: WatchHandlers): () => void;
}
