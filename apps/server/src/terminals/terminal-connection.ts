// One WebSocket attached to one terminal: a `ccr-attach` process exec'd with a TTY in the
// session's container, which attaches to the terminal's tmux session. Raw bytes flow both ways;
// output is coalesced per tick and flow-controlled (terminal-flow.ts); input goes straight in.
import { randomBytes } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import { WebSocket, type RawData } from 'ws';
import {
  ClientControlMessageSchema,
  FLOW_HIGH_WATER_BYTES,
  FLOW_LOW_WATER_BYTES,
  MAX_OUTPUT_FRAME_BYTES,
  TerminalCloseCodes,
  type ClientControlMessage,
  type ServerControlMessage,
} from '@ccr/protocol/terminal';
import type { Runtime, TtyProcess } from '../runtime/runtime.port';
import { OutputCoalescer } from './output-coalescer';
import { TerminalFlow } from './terminal-flow';

/** Bytes handed to the socket but not yet written out, above which the exec stream pauses. */
export const SOCKET_HIGH_WATER_BYTES = 1024 * 1024;
export const SOCKET_LOW_WATER_BYTES = 256 * 1024;
const DETACH_TIMEOUT_MS = 15_000;

export interface TerminalConnectionOptions {
  pingIntervalMs: number;
  /** Pings that may go unanswered before the socket is considered dead. */
  maxMissedPongs: number;
}

export interface TerminalTarget {
  sessionId: string;
  terminal: string;
}

export interface TerminalConnectionDeps {
  runtime: Runtime;
  logger: LoggerService;
  /** Called on every input frame (activity tracking, metrics; must be cheap). */
  onInput: (bytes: number) => void;
  /** Called for every output frame sent to the client (metrics; must be cheap). */
  onOutput?: (bytes: number) => void;
}

type Size = { cols: number; rows: number };

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) {
    return data;
  }
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

export class TerminalConnection {
  /** Names this attachment inside the container, so exactly its process can be detached. */
  readonly clientId = randomBytes(12).toString('base64url');
  /** Resolves once the socket is closed and the attach process has been cleaned up. */
  readonly done: Promise<void>;

  private tty: TtyProcess | undefined;
  private readonly flow: TerminalFlow;
  private readonly coalescer: OutputCoalescer;
  private keepalive: NodeJS.Timeout | undefined;
  private missedPongs = 0;
  private closed = false;
  private attaching = false;
  private resizing = false;
  private wantedSize: Size | undefined;
  private resolveDone!: () => void;

  constructor(
    private readonly ws: WebSocket,
    readonly target: TerminalTarget,
    private readonly deps: TerminalConnectionDeps,
    private readonly options: TerminalConnectionOptions,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.flow = new TerminalFlow(
      {
        socketHighBytes: SOCKET_HIGH_WATER_BYTES,
        socketLowBytes: SOCKET_LOW_WATER_BYTES,
        ackHighBytes: FLOW_HIGH_WATER_BYTES,
        ackLowBytes: FLOW_LOW_WATER_BYTES,
      },
      (paused) => {
        // Holding the coalescer too keeps what is already in flight from exceeding the mark
        // by more than the frame that crossed it.
        this.coalescer.hold(paused);
        if (paused) {
          this.tty?.stream.pause();
        } else {
          this.tty?.stream.resume();
        }
      },
    );
    this.coalescer = new OutputCoalescer((frame) => this.sendOutput(frame), MAX_OUTPUT_FRAME_BYTES);
  }

  /** Attaches to the terminal; the socket is closed with a reason when that fails. */
  async open(size: Size): Promise<boolean> {
    const { ws } = this;
    // Nothing the client sends is read until the terminal is attached to receive it.
    ws.pause();
    ws.once('close', () => void this.cleanup());
    ws.on('error', (error) => {
      this.deps.logger.warn?.(`terminal socket error: ${error.message}`);
    });
    this.attaching = true;
    try {
      this.tty = await this.deps.runtime.execTty(
        this.target.sessionId,
        ['ccr-attach', this.target.terminal, this.clientId],
        size,
        // The tmux client renders for the browser's xterm.js; without this the engine's
        // default (TERM=xterm) makes tmux fall back to 8 colours.
        { env: { TERM: 'xterm-256color', COLORTERM: 'truecolor' } },
      );
    } catch (error) {
      this.deps.logger.warn?.(
        `attaching ${this.target.sessionId}/${this.target.terminal} failed: ${String(error)}`,
      );
      this.attaching = false;
      if (this.closed) {
        this.resolveDone();
      } else {
        this.close(TerminalCloseCodes.internalError, 'terminal unavailable');
      }
      return false;
    }
    this.attaching = false;
    if (this.closed) {
      // The client left while we were attaching.
      this.tty.stream.destroy();
      await this.detach();
      return false;
    }
    const { stream } = this.tty;
    stream.on('data', (chunk: Buffer) => this.coalescer.push(chunk));
    stream.on('error', (error) => {
      this.deps.logger.warn?.(`terminal stream error: ${error.message}`);
      this.close(TerminalCloseCodes.internalError, 'terminal stream failed');
    });
    void this.tty.exited().then(
      (code) => this.onExit(code),
      () => this.onExit(null),
    );
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => {
      this.missedPongs = 0;
    });
    this.keepalive = setInterval(() => this.ping(), this.options.pingIntervalMs);
    this.keepalive.unref();
    ws.resume();
    return true;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
    } else {
      void this.cleanup();
    }
  }

  /** Drops the socket without a closing handshake (a client that does not answer). */
  terminate(): void {
    this.ws.terminate();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const tty = this.tty;
    if (this.closed || tty === undefined) {
      return;
    }
    this.missedPongs = 0;
    if (isBinary) {
      const input = toBuffer(data);
      if (input.length === 0) {
        return;
      }
      // Input is written at once, never batched. If the container cannot keep up, stop
      // reading the socket until it drains rather than buffer without bound.
      if (!tty.stream.write(input)) {
        this.ws.pause();
        tty.stream.once('drain', () => this.ws.resume());
      }
      this.deps.onInput(input.length);
      return;
    }
    let message: ClientControlMessage;
    try {
      message = ClientControlMessageSchema.parse(JSON.parse(toBuffer(data).toString('utf8')));
    } catch {
      this.close(TerminalCloseCodes.policyViolation, 'invalid control message');
      return;
    }
    switch (message.type) {
      case 'resize':
        this.resize({ cols: message.cols, rows: message.rows });
        break;
      case 'ack':
        this.flow.ack(message.bytes);
        break;
    }
  }

  /** At most one resize in flight; a burst (dragging a window edge) collapses to the last size. */
  private resize(size: Size): void {
    this.wantedSize = size;
    if (this.resizing || this.tty === undefined) {
      return;
    }
    const tty = this.tty;
    this.resizing = true;
    void (async () => {
      while (this.wantedSize !== undefined && !this.closed) {
        const next = this.wantedSize;
        this.wantedSize = undefined;
        try {
          await tty.resize(next.cols, next.rows);
        } catch (error) {
          this.deps.logger.warn?.(`terminal resize failed: ${String(error)}`);
        }
      }
      this.resizing = false;
    })();
  }

  private sendOutput(frame: Buffer): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      return;
    }
    const bytes = frame.length;
    this.flow.sent(bytes);
    this.ws.send(frame, { binary: true }, () => this.flow.written(bytes));
    this.deps.onOutput?.(bytes);
  }

  private onExit(code: number | null): void {
    if (this.closed) {
      return;
    }
    // Output still waiting for the end of the tick belongs before the exit message.
    this.coalescer.flush();
    const message: ServerControlMessage = { type: 'exit', code: code ?? -1 };
    if (this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(message));
    }
    this.close(TerminalCloseCodes.normal, 'terminal exited');
  }

  private ping(): void {
    if (this.missedPongs >= this.options.maxMissedPongs) {
      this.deps.logger.log?.(`terminal socket missed ${this.missedPongs} pongs; terminating`);
      this.ws.terminate();
      return;
    }
    this.missedPongs += 1;
    this.ws.ping();
  }

  private async cleanup(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    clearInterval(this.keepalive);
    this.coalescer.dispose();
    if (this.tty !== undefined) {
      this.tty.stream.destroy();
      await this.detach();
    } else if (!this.attaching) {
      this.resolveDone();
    }
  }

  /**
   * Closing the exec's connection does not end the process in the container (the engine keeps
   * it, and tmux keeps a client for it). The agent kills exactly the process this attachment
   * started, identified by the client id.
   */
  private async detach(): Promise<void> {
    try {
      const result = await this.deps.runtime.exec(
        this.target.sessionId,
        ['ccr-agent', 'detach', this.clientId],
        { timeoutMs: DETACH_TIMEOUT_MS },
      );
      if (result.exitCode !== 0) {
        this.deps.logger.warn?.(`ccr-agent detach exited with ${result.exitCode}`);
      }
    } catch (error) {
      // A stopped or removed container has no process left to clean up.
      this.deps.logger.debug?.(`detach of ${this.clientId} skipped: ${String(error)}`);
    } finally {
      this.resolveDone();
    }
  }
}
