// The terminal WebSocket endpoint of DESIGN section 5, on the server's own HTTP port. Every check
// (origin, authentication, ownership, terminal, session state) happens on the raw upgrade
// request, and a refusal is a plain HTTP response, so clients see a real status code instead of
// a socket that opens and closes at once.
import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerToken } from '../auth/auth.guard';
import type { AuthUser } from '../auth/auth-user';
import { AuthError } from '../auth/auth.errors';
import { AuthService } from '../auth/auth.service';
import { AppError } from '../common/app-error';
import { statusForKind } from '../common/http-error';
import { AppConfig } from '../config/env';
import { EventBus } from '../events/event-bus.port';
import { MetricsService } from '../metrics/metrics.service';
import { Runtime } from '../runtime/runtime.port';
import { SessionsService } from '../sessions/sessions.service';
import { TerminalConnection } from './terminal-connection';
import { matchTerminalPath, parseTerminalRequest, type TerminalRequest } from './terminal-request';
import { TerminalTicketsService } from './terminal-tickets.service';
import { TerminalError } from './terminals.errors';

/** Largest message a client may send (input is keystrokes and pastes; control is tiny). */
export const MAX_CLIENT_MESSAGE_BYTES = 1024 * 1024;
const SHUTDOWN_GRACE_MS = 2_000;

/** Keepalive tunables; an injectable class so tests can shorten them. */
@Injectable()
export class TerminalKeepalive {
  pingIntervalMs = 30_000;
  /** Tolerant: a client may miss a few pings (a busy tab, a sleeping laptop waking up). */
  maxMissedPongs = 3;
}

interface Attachment {
  user: AuthUser;
  request: TerminalRequest;
}

@Injectable()
export class TerminalsGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TerminalsGateway.name);
  private readonly wss = new WebSocketServer({
    noServer: true,
    // Terminal output is already dense; deflate costs latency and memory per socket.
    perMessageDeflate: false,
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
    clientTracking: false,
  });
  private readonly connections = new Set<TerminalConnection>();
  private server: Server | undefined;
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    void this.handleUpgrade(request, socket, head);
  };

  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(TerminalTicketsService) private readonly tickets: TerminalTicketsService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(Runtime) private readonly runtime: Runtime,
    @Inject(TerminalKeepalive) private readonly keepalive: TerminalKeepalive,
    @Optional() @Inject(EventBus) private readonly bus?: EventBus,
    @Optional() @Inject(MetricsService) private readonly metrics?: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    this.server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.server.on('upgrade', this.onUpgrade);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.server?.off('upgrade', this.onUpgrade);
    const open = [...this.connections];
    for (const connection of open) {
      connection.close(1001, 'server shutting down');
    }
    // A client that does not answer the close handshake is not waited for.
    const grace = setTimeout(() => {
      for (const connection of open) {
        connection.terminate();
      }
    }, SHUTDOWN_GRACE_MS);
    // Detach every attachment before the runtime goes away, or its process lingers in tmux.
    await Promise.all(open.map((connection) => connection.done));
    clearTimeout(grace);
    this.wss.close();
  }

  get openConnections(): number {
    return this.connections.size;
  }

  private async handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<void> {
    socket.on('error', () => undefined);
    const url = matchTerminalPath(request.url);
    if (url === null) {
      // Not ours. Another upgrade listener (if any) answers it; otherwise nobody will.
      if (this.server !== undefined && this.server.listenerCount('upgrade') <= 1) {
        reject(socket, 404, 'NOT_FOUND', 'not found');
      }
      return;
    }
    let attachment: Attachment;
    try {
      attachment = await this.authorize(request, url);
    } catch (error) {
      this.refuse(socket, error);
      return;
    }
    if (socket.destroyed) {
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      void this.attach(ws, attachment);
    });
  }

  private async authorize(request: IncomingMessage, url: URL): Promise<Attachment> {
    const origin = request.headers.origin;
    if (origin !== undefined && !this.config.values.allowedOrigins.includes(origin)) {
      throw new TerminalError('ORIGIN_NOT_ALLOWED');
    }
    const parsed = parseTerminalRequest(url);
    let user: AuthUser;
    if (parsed.ticket !== undefined) {
      user = this.tickets.redeem(parsed.ticket, parsed.sessionId, parsed.terminal);
    } else {
      const token = bearerToken(request.headers.authorization);
      if (token === undefined) {
        throw new AuthError('UNAUTHORIZED');
      }
      user = await this.auth.authenticateBearer(token);
    }
    const session = await this.sessions.getForUser(user, parsed.sessionId);
    if (!session.terminals.includes(parsed.terminal)) {
      throw new TerminalError('TERMINAL_NOT_FOUND');
    }
    if (session.status !== 'running') {
      throw new TerminalError('SESSION_NOT_RUNNING', {
        message: `the session is ${session.status}, not running`,
      });
    }
    return { user, request: parsed };
  }

  private refuse(socket: Duplex, error: unknown): void {
    if (error instanceof AppError) {
      const status = statusForKind(error.kind);
      if (status >= 500) {
        this.logger.error(error);
      }
      reject(socket, status, String(error.code), status >= 500 ? 'internal error' : error.message);
      return;
    }
    this.logger.error(error instanceof Error ? error : String(error));
    reject(socket, 500, 'INTERNAL', 'internal error');
  }

  private async attach(ws: WebSocket, { user, request }: Attachment): Promise<void> {
    const { sessionId, terminal } = request;
    const connection = new TerminalConnection(
      ws,
      { sessionId, terminal },
      {
        runtime: this.runtime,
        logger: this.logger,
        onInput: (bytes) => {
          this.metrics?.terminalBytesRelayed('in', bytes);
          this.sessions.touch(sessionId).catch((error: unknown) => {
            this.logger.warn(`touch of ${sessionId} failed: ${String(error)}`);
          });
        },
        onOutput: (bytes) => this.metrics?.terminalBytesRelayed('out', bytes),
      },
      {
        pingIntervalMs: this.keepalive.pingIntervalMs,
        maxMissedPongs: this.keepalive.maxMissedPongs,
      },
    );
    this.connections.add(connection);
    this.metrics?.terminalOpened();
    const attached = await connection.open(request.size);
    const data = { terminal, clientId: connection.clientId, userId: user.id };
    if (attached) {
      this.publish(sessionId, 'terminal.attached', data);
    }
    await connection.done;
    this.connections.delete(connection);
    this.metrics?.terminalClosed();
    if (attached) {
      this.publish(sessionId, 'terminal.detached', data);
    }
  }

  private publish(
    sessionId: string,
    type: 'terminal.attached' | 'terminal.detached',
    data: Record<string, unknown>,
  ): void {
    this.bus?.publish({ sessionId, type, data }).catch((error: unknown) => {
      this.logger.warn(`publishing ${type} failed: ${String(error)}`);
    });
  }
}

/** Answers an upgrade request with an HTTP error and closes the connection. */
function reject(socket: Duplex, status: number, code: string, message: string): void {
  if (socket.destroyed) {
    return;
  }
  const body = JSON.stringify({
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    code,
  });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      'Cache-Control: no-store\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}
