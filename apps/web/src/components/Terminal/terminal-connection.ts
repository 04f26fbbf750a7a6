import {
  ServerControlMessageSchema,
  TerminalCloseCodes,
  type ClientControlMessage,
} from '@ccr/protocol/terminal';
import type { IDisposable, Terminal } from '@xterm/xterm';
import { ApiError } from '../../api/api-error';
import { strings } from '../../strings';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'exited';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Exit code of the terminal's process when status is 'exited'. */
  exitCode?: number;
  /** Why the connection is closed for good, or the last failure while reconnecting. */
  reason?: string;
  /** When the next attempt starts, while reconnecting. */
  retryAt?: number;
}

export interface TerminalConnectionOptions {
  sessionId: string;
  terminal: string;
  term: Terminal;
  requestTicket: () => Promise<string>;
  onState: (state: ConnectionState) => void;
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10_000;
/** A connection that stayed up this long resets the backoff. */
const STABLE_AFTER_MS = 5_000;
/** Acks are sent once this much output has been processed, or on the next animation frame. */
const ACK_BATCH_BYTES = 32 * 1024;

/**
 * Why retrying cannot help, from a ticket request's HTTP status or the socket's close code;
 * undefined when a retry may succeed (network trouble, a restarting server).
 */
function finalReason(code: number): string | undefined {
  switch (code) {
    case 403:
    case TerminalCloseCodes.forbidden:
      return strings.terminal.forbidden;
    case 404:
    case TerminalCloseCodes.notFound:
      return strings.terminal.notFound;
    case 409:
    case TerminalCloseCodes.sessionNotRunning:
      return strings.terminal.notRunning;
    default:
      return undefined;
  }
}

export function backoffDelay(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.max(0, failures - 1));
}

export function terminalSocketUrl(
  location: Pick<Location, 'protocol' | 'host'>,
  sessionId: string,
  terminal: string,
  ticket: string,
  cols: number,
  rows: number,
): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = new URLSearchParams({ ticket, cols: String(cols), rows: String(rows) });
  return `${scheme}://${location.host}/api/sessions/${encodeURIComponent(sessionId)}/terminals/${encodeURIComponent(terminal)}?${query.toString()}`;
}

/**
 * Owns the WebSocket of one terminal (DESIGN section 5): ticket, attach, output with acks from
 * xterm's write callbacks, input, resize, and reconnection with exponential backoff. The
 * terminal lives in tmux, so every (re)attach starts from a reset screen that tmux redraws.
 */
export class TerminalConnection {
  private socket: WebSocket | null = null;
  private failures = 0;
  private openedAt = 0;
  private retryTimer: number | undefined;
  private ackFrame: number | undefined;
  private unacked = 0;
  private disposed = false;
  private exited = false;
  private readonly encoder = new TextEncoder();
  private readonly subscriptions: IDisposable[];

  constructor(private readonly options: TerminalConnectionOptions) {
    const { term } = options;
    // Input is sent as soon as it is typed, never batched: keystroke latency is the product.
    this.subscriptions = [
      term.onData((data) => this.sendInput(this.encoder.encode(data))),
      term.onBinary((data) => {
        const bytes = new Uint8Array(data.length);
        for (let i = 0; i < data.length; i += 1) {
          bytes[i] = data.charCodeAt(i) & 0xff;
        }
        this.sendInput(bytes);
      }),
      term.onResize(({ cols, rows }) => this.sendControl({ type: 'resize', cols, rows })),
    ];
  }

  start(): void {
    void this.connect();
  }

  /** Connects at once, forgetting earlier failures (the user's "Reconnect"). */
  reconnectNow(): void {
    if (this.disposed) {
      return;
    }
    window.clearTimeout(this.retryTimer);
    this.failures = 0;
    this.exited = false;
    this.closeSocket();
    void this.connect();
  }

  dispose(): void {
    this.disposed = true;
    window.clearTimeout(this.retryTimer);
    if (this.ackFrame !== undefined) {
      window.cancelAnimationFrame(this.ackFrame);
    }
    this.subscriptions.forEach((s) => s.dispose());
    this.closeSocket();
  }

  private async connect(): Promise<void> {
    const { term } = this.options;
    this.options.onState({ status: this.failures === 0 ? 'connecting' : 'reconnecting' });
    let ticket: string;
    try {
      ticket = await this.options.requestTicket();
    } catch (error) {
      if (this.disposed) {
        return;
      }
      const final = error instanceof ApiError ? finalReason(error.status) : undefined;
      if (final) {
        this.options.onState({ status: 'closed', reason: final });
        return;
      }
      this.scheduleRetry(error instanceof Error ? error.message : String(error));
      return;
    }
    if (this.disposed) {
      return;
    }
    const url = terminalSocketUrl(
      window.location,
      this.options.sessionId,
      this.options.terminal,
      ticket,
      term.cols,
      term.rows,
    );
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.unacked = 0;

    socket.onopen = () => {
      if (socket !== this.socket) {
        return;
      }
      this.openedAt = Date.now();
      // tmux redraws the whole screen on attach; stale content would be drawn over otherwise.
      term.reset();
      // The first ack opts this client into ack flow control (DESIGN section 5).
      this.sendControl({ type: 'ack', bytes: 0 });
      this.options.onState({ status: 'open' });
    };

    socket.onmessage = (message: MessageEvent<ArrayBuffer | string>) => {
      if (socket !== this.socket) {
        return;
      }
      if (typeof message.data === 'string') {
        this.handleControl(message.data);
        return;
      }
      const bytes = new Uint8Array(message.data);
      term.write(bytes, () => {
        // Output of a replaced socket must not be acknowledged on the new one.
        if (socket === this.socket) {
          this.unacked += bytes.byteLength;
          this.scheduleAck();
        }
      });
    };

    socket.onclose = (event) => {
      if (socket !== this.socket) {
        return;
      }
      this.socket = null;
      if (this.disposed || this.exited) {
        return;
      }
      const final = finalReason(event.code);
      if (final) {
        this.options.onState({ status: 'closed', reason: final });
        return;
      }
      if (this.openedAt > 0 && Date.now() - this.openedAt >= STABLE_AFTER_MS) {
        this.failures = 0;
      }
      this.openedAt = 0;
      this.scheduleRetry(event.reason || `connection closed (${event.code})`);
    };
  }

  private handleControl(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const parsed = ServerControlMessageSchema.safeParse(json);
    if (!parsed.success) {
      return;
    }
    switch (parsed.data.type) {
      case 'exit':
        this.exited = true;
        this.options.onState({ status: 'exited', exitCode: parsed.data.code });
        this.closeSocket();
        break;
    }
  }

  private scheduleRetry(reason: string): void {
    this.failures += 1;
    const delay = backoffDelay(this.failures);
    this.options.onState({ status: 'reconnecting', reason, retryAt: Date.now() + delay });
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => void this.connect(), delay);
  }

  private scheduleAck(): void {
    if (this.unacked >= ACK_BATCH_BYTES) {
      this.flushAck();
      return;
    }
    this.ackFrame ??= window.requestAnimationFrame(() => this.flushAck());
  }

  private flushAck(): void {
    if (this.ackFrame !== undefined) {
      window.cancelAnimationFrame(this.ackFrame);
      this.ackFrame = undefined;
    }
    if (this.unacked > 0) {
      const bytes = this.unacked;
      this.unacked = 0;
      this.sendControl({ type: 'ack', bytes });
    }
  }

  private sendInput(bytes: Uint8Array): void {
    if (this.socket?.readyState === WebSocket.OPEN && bytes.byteLength > 0) {
      this.socket.send(bytes);
    }
  }

  private sendControl(message: ClientControlMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) {
      socket.close(1000);
    }
  }
}
