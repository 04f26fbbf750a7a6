import { randomUUID } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AgentEnv, AgentStatusSchema } from '@ccr/protocol/agent';
import {
  type AutoCommit,
  BUILTIN_TERMINALS,
  type CreateSessionBody,
  type Session,
  type SessionStatus,
  type UpdateSessionBody,
} from '@ccr/protocol/api';
import type { AuthUser } from '../auth/auth-user';
import { AppConfig } from '../config/env';
import { isUniqueViolation } from '../db/database.provider';
import type { SessionRow } from '../db/schema/sessions';
import { EventBus } from '../events/event-bus.port';
import { EventsRepository } from '../events/events.repository';
import { RuntimeError } from '../runtime/runtime.errors';
import { Runtime, type SandboxChange, type SandboxInfo } from '../runtime/runtime.port';
import { waitForAgentReady } from './agent-readiness';
import { unexpectedExitReason } from './sandbox-exit';
import { generateSessionName, workBranchFor } from './session-names';
import { assertCanPerform, sourcesOf } from './session-state';
import { SessionError } from './sessions.errors';
import { SessionsRepository } from './sessions.repository';

export const DEFAULT_AUTO_COMMIT: AutoCommit = {
  enabled: true,
  push: true,
  debounceMs: 3000,
  maxWaitMs: 300_000,
  maxFiles: 10,
};
export const MIN_MEMORY_MB = 256;
export const MIN_CPUS = 0.1;
const DEFAULT_LOG_TAIL = 1000;
const TOUCH_INTERVAL_MS = 30_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    repoUrl: row.repoUrl,
    branch: row.branch,
    workBranch: row.workBranch,
    createdAt: row.createdAt.toISOString(),
    lastActivityAt: row.lastActivityAt.toISOString(),
    resources: row.resources,
    autoCommit: row.autoCommit,
    claude: row.claude,
    terminals: row.terminals,
    ...(row.error ? { error: row.error } : {}),
  };
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 1000 ? `${message.slice(0, 1000)}…` : message;
}

/** A background task on one session (provisioning or waiting for readiness) that stop/delete can cancel. */
type SessionTask = { controller: AbortController; done: Promise<void> };

@Injectable()
export class SessionsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionsService.name);
  private readonly tasks = new Map<string, SessionTask>();
  private readonly touchedAt = new Map<string, number>();
  /** Sessions inside one of our own stop/start/delete/reconcile steps: their exits are ours. */
  private readonly operations = new Map<string, number>();
  /** Per session, the handling of engine changes, one at a time and in order. */
  private readonly changes = new Map<string, Promise<void>>();
  /** When the engine last reported an OOM kill inside a session's sandbox (epoch ms). */
  private readonly oomSeenAt = new Map<string, number>();
  /** Sessions whose engine change arrived while they were busy: checked once they are not. */
  private readonly deferredChecks = new Set<string>();
  private unwatch: (() => void) | undefined;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
    @Inject(Runtime) private readonly runtime: Runtime,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(EventsRepository) private readonly events: EventsRepository,
  ) {}

  // ---------------------------------------------------------------- queries

  async getForUser(user: AuthUser, sessionId: string): Promise<Session> {
    return toSession(await this.rowForUser(user, sessionId));
  }

  async list(user: AuthUser, all: boolean): Promise<Session[]> {
    const rows =
      all && user.role === 'admin'
        ? await this.sessions.listAll()
        : await this.sessions.listForUser(user.id);
    return rows.map(toSession);
  }

  async logs(user: AuthUser, sessionId: string, tail: number | undefined): Promise<string> {
    const row = await this.rowForUser(user, sessionId);
    assertCanPerform('logs', row.status);
    // Before creation finishes there is no container.
    if (row.status === 'pending') {
      return '';
    }
    try {
      return await this.runtime.logs(row.id, { tail: tail ?? DEFAULT_LOG_TAIL });
    } catch (error) {
      // A failed creation removes its container; a crashed session keeps it (and its log).
      if (
        row.status === 'failed' &&
        error instanceof RuntimeError &&
        error.code === 'SANDBOX_NOT_FOUND'
      ) {
        return '';
      }
      throw error;
    }
  }

  /** Records activity (terminal input, API use); writes at most every 30 s per session. */
  async touch(sessionId: string): Promise<void> {
    const now = Date.now();
    const last = this.touchedAt.get(sessionId);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) {
      return;
    }
    this.touchedAt.set(sessionId, now);
    await this.sessions.update(sessionId, { lastActivityAt: new Date(now) });
  }

  // ---------------------------------------------------------------- commands

  async create(user: AuthUser, body: CreateSessionBody): Promise<Session> {
    const { values } = this.config;
    const resources = {
      memoryMb: body.resources?.memoryMb ?? values.resources.defaultMemoryMb,
      cpus: body.resources?.cpus ?? values.resources.defaultCpus,
    };
    this.checkResources(resources);
    const base = {
      userId: user.id,
      status: 'pending' as const,
      repoUrl: body.repoUrl ?? null,
      branch: body.branch ?? 'main',
      resources,
      autoCommit: { ...DEFAULT_AUTO_COMMIT, ...body.autoCommit },
      claude: {
        permissionMode: body.claude?.permissionMode ?? 'default',
        ...(body.claude?.model ? { model: body.claude.model } : {}),
      },
      terminals: [...BUILTIN_TERMINALS],
    };
    let row: SessionRow | undefined;
    // A generated name can collide with one the user already has; try a few.
    for (let attempt = 0; row === undefined; attempt++) {
      const name = body.name ?? generateSessionName();
      try {
        row = await this.sessions.insert({
          ...base,
          id: randomUUID(),
          name,
          workBranch: workBranchFor(name),
        });
      } catch (error) {
        if (!isUniqueViolation(error)) {
          throw error;
        }
        if (body.name !== undefined || attempt >= 8) {
          throw new SessionError('SESSION_NAME_TAKEN', {
            cause: error,
            fields: { name: 'is already taken' },
          });
        }
      }
    }
    await this.publishStatus(row, null);
    const created = row;
    this.runTask(created.id, (signal) => this.provision(created, user, signal));
    return toSession(created);
  }

  async update(user: AuthUser, sessionId: string, body: UpdateSessionBody): Promise<Session> {
    const row = await this.rowForUser(user, sessionId);
    assertCanPerform('update', row.status);
    try {
      const updated = await this.sessions.update(row.id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.autoCommit ? { autoCommit: { ...row.autoCommit, ...body.autoCommit } } : {}),
        ...(body.claude ? { claude: { ...row.claude, ...body.claude } } : {}),
      });
      if (!updated) {
        throw new SessionError('SESSION_NOT_FOUND');
      }
      return toSession(updated);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new SessionError('SESSION_NAME_TAKEN', {
          cause: error,
          fields: { name: 'is already taken' },
        });
      }
      throw error;
    }
  }

  async stop(user: AuthUser, sessionId: string): Promise<Session> {
    const row = await this.rowForUser(user, sessionId);
    assertCanPerform('stop', row.status);
    return this.withOperation(row.id, async () => {
      await this.cancelTask(row.id);
      await this.runtime.stop(row.id);
      const stopped = await this.setStatus(row.id, 'stopped', null);
      return toSession(stopped ?? (await this.rowForUser(user, sessionId)));
    });
  }

  async start(user: AuthUser, sessionId: string): Promise<Session> {
    const row = await this.rowForUser(user, sessionId);
    assertCanPerform('start', row.status);
    return this.withOperation(row.id, async () => {
      // A crashed (failed) session restarts in its own container and workspace; a failed
      // creation, or a container removed behind our back, left nothing to start.
      if ((await this.runtime.inspect(row.id)) === null) {
        if (row.status === 'stopped') {
          await this.setStatus(row.id, 'failed', 'container disappeared', ['stopped']);
        }
        throw new SessionError('SESSION_INVALID_STATE', {
          message:
            'the session has no container any more, so it cannot be started; delete it and create a new one',
        });
      }
      // The conditional write makes a concurrent second start lose cleanly.
      const starting = await this.setStatus(row.id, 'starting', null, ['stopped', 'failed']);
      if (!starting) {
        throw new SessionError('SESSION_INVALID_STATE', {
          message: 'the session is already being started',
        });
      }
      this.oomSeenAt.delete(row.id);
      try {
        await this.runtime.start(row.id);
      } catch (error) {
        await this.afterFailedStart(row.id, error);
        throw error;
      }
      const info = await this.runtime.inspect(row.id);
      this.runTask(row.id, async (signal) => {
        try {
          await this.awaitReady(row.id, info, signal);
          await this.setStatus(row.id, 'running', null, ['starting']);
        } catch (error) {
          if (!signal.aborted) {
            await this.afterFailedStart(row.id, error);
          }
        }
      });
      return toSession(starting);
    });
  }

  async delete(user: AuthUser, sessionId: string): Promise<void> {
    const row = await this.rowForUser(user, sessionId);
    assertCanPerform('delete', row.status);
    await this.withOperation(row.id, async () => {
      await this.cancelTask(row.id);
      // Remove first: if the engine fails, the row stays so the user can retry the delete.
      await this.runtime.remove(row.id);
      const last = await this.bus.publish({
        sessionId: row.id,
        type: 'session.status',
        data: { status: row.status, previous: row.status, deleted: true },
      });
      await this.sessions.delete(row.id);
      await this.events.deleteBefore(row.id, BigInt(last.id));
    });
    this.touchedAt.delete(row.id);
    this.oomSeenAt.delete(row.id);
    this.deferredChecks.delete(row.id);
  }

  // ---------------------------------------------------------------- lifecycle

  async onApplicationBootstrap(): Promise<void> {
    // Watch first: a container that dies while we reconcile is not missed.
    this.unwatch = this.runtime.watch((change) => this.onSandboxChange(change), {
      onResync: () => void this.recheckAll(),
    });
    await this.reconcile();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unwatch?.();
    this.unwatch = undefined;
    // Statuses are left as they are: the next start reconciles them with the engine.
    const tasks = [...this.tasks.values()];
    for (const task of tasks) {
      task.controller.abort();
    }
    await Promise.allSettled([...tasks.map((task) => task.done), this.changesSettled()]);
  }

  /** Resolves once every engine change received so far has been handled. */
  async changesSettled(): Promise<void> {
    await Promise.allSettled([...this.changes.values()]);
  }

  /** Follows the engine: a sandbox that ends on its own takes its session down with a reason. */
  private onSandboxChange(change: SandboxChange): void {
    switch (change.kind) {
      case 'oom': {
        const at = Date.parse(change.at);
        this.oomSeenAt.set(change.sessionId, Number.isNaN(at) ? Date.now() : at);
        return;
      }
      case 'started':
        return;
      case 'exited':
      case 'removed':
        this.enqueueCheck(change.sessionId);
        return;
    }
  }

  /** After a gap in the engine's change stream: checks every live session against the engine. */
  private async recheckAll(): Promise<void> {
    try {
      for (const row of await this.sessions.listAll()) {
        if (row.status === 'running' || row.status === 'starting' || row.status === 'stopped') {
          this.enqueueCheck(row.id);
        }
      }
    } catch (error) {
      this.logger.error({ err: error }, 'checking sessions after an engine reconnect failed');
    }
  }

  private enqueueCheck(sessionId: string): void {
    const next = (this.changes.get(sessionId) ?? Promise.resolve())
      .then(() => this.checkSandbox(sessionId))
      .catch((error: unknown) => {
        this.logger.error({ err: error, sessionId }, 'following a container change failed');
      });
    this.changes.set(sessionId, next);
    void next.finally(() => {
      if (this.changes.get(sessionId) === next) {
        this.changes.delete(sessionId);
      }
    });
  }

  /**
   * Marks the session failed when its sandbox is gone or has ended although nothing of ours
   * stopped it. The engine's event only says "look": the sandbox's current state decides, so
   * late, repeated or replayed events are harmless.
   */
  private async checkSandbox(sessionId: string): Promise<void> {
    if (this.deferIfBusy(sessionId)) {
      return;
    }
    const row = await this.sessions.findById(sessionId);
    if (
      !row ||
      !(row.status === 'running' || row.status === 'starting' || row.status === 'stopped')
    ) {
      return;
    }
    const sandbox = await this.runtime.inspect(sessionId);
    // Our own step may have begun while we asked the engine; it decides the status then.
    if (this.deferIfBusy(sessionId)) {
      return;
    }
    if (sandbox === null) {
      await this.setStatus(sessionId, 'failed', 'container disappeared', [row.status]);
      return;
    }
    if (row.status === 'stopped' || (sandbox.state !== 'exited' && sandbox.state !== 'dead')) {
      return;
    }
    const oomAt = this.oomSeenAt.get(sessionId);
    const startedAt = sandbox.startedAt ? Date.parse(sandbox.startedAt) : Number.NaN;
    const oomThisRun = oomAt !== undefined && (Number.isNaN(startedAt) || oomAt >= startedAt);
    const reason = unexpectedExitReason({
      exitCode: sandbox.exitCode,
      oomKilled: sandbox.oomKilled || oomThisRun,
      memoryMb: row.resources.memoryMb,
    });
    const failed = await this.setStatus(sessionId, 'failed', reason, ['running', 'starting']);
    if (failed) {
      this.logger.warn({ sessionId, reason }, 'session container ended unexpectedly');
    }
  }

  /**
   * While our own step runs, it owns the session's status; a change seen meanwhile is looked
   * at again afterwards (say the agent became ready just before the container died).
   */
  private deferIfBusy(sessionId: string): boolean {
    if (this.operations.has(sessionId) || this.tasks.has(sessionId)) {
      this.deferredChecks.add(sessionId);
      return true;
    }
    return false;
  }

  private runDeferredCheck(sessionId: string): void {
    if (
      !this.operations.has(sessionId) &&
      !this.tasks.has(sessionId) &&
      this.deferredChecks.delete(sessionId) &&
      this.unwatch !== undefined
    ) {
      this.enqueueCheck(sessionId);
    }
  }

  private async withOperation<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    this.operations.set(sessionId, (this.operations.get(sessionId) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = (this.operations.get(sessionId) ?? 1) - 1;
      if (left > 0) {
        this.operations.set(sessionId, left);
      } else {
        this.operations.delete(sessionId);
        this.runDeferredCheck(sessionId);
      }
    }
  }

  /**
   * Brings the table in line with the engine after a (re)start: adopts running containers,
   * marks sessions whose container vanished as failed, and removes containers no session owns.
   */
  async reconcile(): Promise<void> {
    let sandboxes: SandboxInfo[];
    try {
      sandboxes = await this.runtime.list();
    } catch (error) {
      this.logger.warn({ err: error }, 'container engine unavailable; sessions not reconciled');
      return;
    }
    const bySession = new Map(sandboxes.map((sandbox) => [sandbox.sessionId, sandbox]));
    for (const row of await this.sessions.listAll()) {
      const sandbox = bySession.get(row.id);
      bySession.delete(row.id);
      try {
        await this.withOperation(row.id, () => this.reconcileOne(row, sandbox));
      } catch (error) {
        this.logger.error({ err: error, sessionId: row.id }, 'reconciling a session failed');
      }
    }
    for (const orphan of bySession.values()) {
      this.logger.warn({ sessionId: orphan.sessionId }, 'removing a sandbox that no session owns');
      await this.runtime.remove(orphan.sessionId).catch((error: unknown) => {
        this.logger.error(
          { err: error, sessionId: orphan.sessionId },
          'removing an orphan sandbox failed',
        );
      });
    }
  }

  private async reconcileOne(row: SessionRow, sandbox: SandboxInfo | undefined): Promise<void> {
    switch (row.status) {
      case 'failed':
        // A session that crashed keeps its container and workspace so the user can start it again.
        return;
      case 'pending':
        // The server stopped in the middle of creating it; nothing says how far it got.
        if (sandbox) {
          await this.runtime.remove(row.id);
        }
        await this.setStatus(
          row.id,
          'failed',
          'the server restarted while the session was being created',
        );
        return;
      case 'starting':
      case 'running':
      case 'stopped':
        break;
    }
    if (!sandbox) {
      await this.setStatus(row.id, 'failed', 'container disappeared');
      return;
    }
    if (sandbox.state !== 'running') {
      if (row.status !== 'stopped') {
        await this.setStatus(row.id, 'stopped', null);
      }
      return;
    }
    if (row.status === 'running') {
      return;
    }
    if (row.status === 'stopped') {
      await this.setStatus(row.id, 'starting', null, ['stopped']);
    }
    if (await this.agentIsReady(row.id)) {
      await this.setStatus(row.id, 'running', null, ['starting']);
      return;
    }
    this.runTask(row.id, async (signal) => {
      try {
        await this.awaitReady(row.id, sandbox, signal);
        await this.setStatus(row.id, 'running', null, ['starting']);
      } catch (error) {
        if (!signal.aborted) {
          await this.afterFailedStart(row.id, error);
        }
      }
    });
  }

  private async agentIsReady(sessionId: string): Promise<boolean> {
    try {
      const result = await this.runtime.exec(sessionId, ['ccr-agent', 'status', '--json'], {
        timeoutMs: 10_000,
      });
      if (result.exitCode !== 0) {
        return false;
      }
      const status = AgentStatusSchema.safeParse(JSON.parse(result.stdout.slice(0, 64 * 1024)));
      return status.success && status.data.ready;
    } catch {
      return false;
    }
  }

  /** Creates and starts the sandbox; any failure removes what was made and marks the session failed. */
  private async provision(row: SessionRow, user: AuthUser, signal: AbortSignal): Promise<void> {
    const { values } = this.config;
    try {
      if (!(await this.runtime.hasImage(values.sandboxImage))) {
        throw new SessionError('SANDBOX_IMAGE_MISSING', {
          message: `the sandbox image ${values.sandboxImage} is not available on the container engine`,
        });
      }
      const env: Record<string, string> = {
        [AgentEnv.sessionId]: row.id,
        [AgentEnv.sessionName]: row.name,
        [AgentEnv.branch]: row.branch,
        [AgentEnv.workBranch]: row.workBranch,
        [AgentEnv.gitName]: user.email.split('@')[0] ?? user.email,
        [AgentEnv.gitEmail]: user.email,
        [AgentEnv.claudePermissionMode]: row.claude.permissionMode,
        // Read by the agent at container start; a PATCH takes effect at the next start.
        [AgentEnv.autoCommit]: String(row.autoCommit.enabled),
        [AgentEnv.autoCommitDebounceMs]: String(row.autoCommit.debounceMs),
        [AgentEnv.autoCommitMaxWaitMs]: String(row.autoCommit.maxWaitMs),
        [AgentEnv.autoCommitMaxFiles]: String(row.autoCommit.maxFiles),
      };
      if (row.repoUrl) {
        env[AgentEnv.repoUrl] = row.repoUrl;
      }
      if (row.claude.model) {
        env[AgentEnv.claudeModel] = row.claude.model;
      }
      await this.runtime.create({
        sessionId: row.id,
        userId: row.userId,
        image: values.sandboxImage,
        env,
        resources: { ...row.resources, pids: values.resources.pidsLimit },
      });
      signal.throwIfAborted();
      await this.runtime.start(row.id);
      const info = await this.runtime.inspect(row.id);
      signal.throwIfAborted();
      await this.setStatus(row.id, 'starting', null, ['pending']);
      await this.awaitReady(row.id, info, signal);
      await this.setStatus(row.id, 'running', null, ['starting']);
    } catch (error) {
      if (signal.aborted) {
        // A stop or delete took over (or the server is shutting down); it owns the cleanup.
        return;
      }
      this.logger.warn({ err: error, sessionId: row.id }, 'session creation failed');
      await this.runtime.remove(row.id).catch((removeError: unknown) => {
        this.logger.error(
          { err: removeError, sessionId: row.id },
          'cleanup after a failed creation failed',
        );
      });
      await this.setStatus(row.id, 'failed', describe(error), ['pending', 'starting']);
    }
  }

  private async awaitReady(
    sessionId: string,
    info: SandboxInfo | null,
    signal: AbortSignal,
  ): Promise<void> {
    const startedAt = info?.startedAt ? Date.parse(info.startedAt) : Number.NaN;
    const since = Number.isNaN(startedAt) ? undefined : Math.floor(startedAt / 1000);
    const stream = await this.runtime.followLogs(sessionId, since === undefined ? {} : { since });
    try {
      const ready = await waitForAgentReady(stream, {
        timeoutMs: this.config.values.readyTimeoutMs,
        signal,
        ...(Number.isNaN(startedAt) ? {} : { notBefore: startedAt }),
      });
      const terminals =
        ready.data.terminals.length > 0 ? ready.data.terminals : [...BUILTIN_TERMINALS];
      await this.sessions.update(sessionId, { terminals });
    } finally {
      stream.destroy();
    }
  }

  /**
   * A start that did not come up keeps its workspace: the session goes back to stopped with
   * the reason, or to failed when its container ended by itself.
   */
  private async afterFailedStart(sessionId: string, error: unknown): Promise<void> {
    this.logger.warn({ err: error, sessionId }, 'session start failed');
    const sandbox = await this.runtime.inspect(sessionId).catch(() => undefined);
    if (sandbox === null) {
      await this.setStatus(sessionId, 'failed', 'container disappeared', ['starting']);
      return;
    }
    if (sandbox !== undefined && (sandbox.state === 'exited' || sandbox.state === 'dead')) {
      // The container ended on its own: that is a crash, not a slow start. It stays, so a
      // later start can try again in the same workspace.
      const row = await this.sessions.findById(sessionId);
      const exit = unexpectedExitReason({
        exitCode: sandbox.exitCode,
        oomKilled: sandbox.oomKilled,
        memoryMb: row?.resources.memoryMb ?? 0,
      });
      await this.setStatus(sessionId, 'failed', `${exit}: ${describe(error)}`, ['starting']);
      return;
    }
    await this.runtime.stop(sessionId).catch(() => undefined);
    await this.setStatus(sessionId, 'stopped', describe(error), ['starting']);
  }

  private runTask(sessionId: string, work: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    const done = work(controller.signal)
      .catch((error: unknown) => {
        this.logger.error({ err: error, sessionId }, 'session task failed');
      })
      .finally(() => {
        if (this.tasks.get(sessionId)?.controller === controller) {
          this.tasks.delete(sessionId);
          this.runDeferredCheck(sessionId);
        }
      });
    this.tasks.set(sessionId, { controller, done });
  }

  private async cancelTask(sessionId: string): Promise<void> {
    const task = this.tasks.get(sessionId);
    if (task) {
      task.controller.abort();
      await task.done;
    }
  }

  private async setStatus(
    sessionId: string,
    to: SessionStatus,
    error: string | null,
    from: readonly SessionStatus[] = sourcesOf(to),
  ): Promise<SessionRow | undefined> {
    const before = await this.sessions.findById(sessionId);
    const updated = await this.sessions.transition(sessionId, from, to, error);
    if (updated) {
      await this.publishStatus(updated, before?.status ?? null);
    }
    return updated;
  }

  private async publishStatus(row: SessionRow, previous: SessionStatus | null): Promise<void> {
    await this.bus.publish({
      sessionId: row.id,
      type: 'session.status',
      data: { status: row.status, previous, ...(row.error ? { error: row.error } : {}) },
    });
  }

  private async rowForUser(user: AuthUser, sessionId: string): Promise<SessionRow> {
    const row = UUID.test(sessionId)
      ? await this.sessions.findForUser(user.id, sessionId)
      : undefined;
    if (!row) {
      throw new SessionError('SESSION_NOT_FOUND');
    }
    return row;
  }

  private checkResources(resources: { memoryMb: number; cpus: number }): void {
    const { maxMemoryMb, maxCpus } = this.config.values.resources;
    const fields: Record<string, string> = {};
    if (resources.memoryMb < MIN_MEMORY_MB || resources.memoryMb > maxMemoryMb) {
      fields['resources.memoryMb'] = `must be between ${MIN_MEMORY_MB} and ${maxMemoryMb}`;
    }
    if (resources.cpus < MIN_CPUS || resources.cpus > maxCpus) {
      fields['resources.cpus'] = `must be between ${MIN_CPUS} and ${maxCpus}`;
    }
    if (Object.keys(fields).length > 0) {
      throw new SessionError('VALIDATION', {
        message: Object.entries(fields)
          .map(([field, reason]) => `${field}: ${reason}`)
          .join('; '),
        fields,
      });
    }
  }
}
