// The terminal protocol (DESIGN section 5) through the real server, the real engine and the
// sandbox image: one session, several sockets, tmux inside the container.
import { randomBytes } from 'node:crypto';
import { Terminal } from '@xterm/headless';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Session } from '@ccr/protocol/api';
import {
  FLOW_HIGH_WATER_BYTES,
  MAX_OUTPUT_FRAME_BYTES,
  ServerControlMessageSchema,
  TerminalCloseCodes,
  type ServerControlMessage,
} from '@ccr/protocol/terminal';
import { Runtime } from '../src/runtime/runtime.port';
import { TerminalTicketClock } from '../src/terminals/terminal-tickets.service';
import { TerminalKeepalive } from '../src/terminals/terminals.gateway';
import { startTestApp, type TestApp } from './support/test-app';

const READY_TIMEOUT_MS = 150_000;

interface ConnectOptions {
  ticket?: string;
  bearer?: string;
  origin?: string;
  cols?: number;
  rows?: number;
  /** Ack every frame once xterm has parsed it, like the browser does. */
  ack?: boolean;
  /** False makes a client that ignores pings. */
  autoPong?: boolean;
}

async function pollUntil(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** A terminal client like the browser's: parses output with xterm and (optionally) acks it. */
class TermClient {
  readonly term: Terminal;
  readonly controls: ServerControlMessage[] = [];
  received = 0;
  processed = 0;
  acked = 0;
  autoAck: boolean;
  raw = '';
  closeInfo: { code: number; reason: string } | undefined;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly ws: WebSocket,
    size: { cols: number; rows: number },
    ack: boolean,
  ) {
    this.autoAck = ack;
    this.term = new Terminal({ cols: size.cols, rows: size.rows, allowProposedApi: true });
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) {
        this.controls.push(ServerControlMessageSchema.parse(JSON.parse(data.toString('utf8'))));
        this.notify();
        return;
      }
      this.received += data.length;
      this.raw += data.toString('latin1');
      this.term.write(data, () => {
        this.processed += data.length;
        if (this.autoAck) {
          this.ackProcessed();
        }
        this.notify();
      });
      this.notify();
    });
    ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.notify();
    });
  }

  static connect(url: string, options: ConnectOptions = {}): Promise<TermClient> {
    const cols = options.cols ?? 100;
    const rows = options.rows ?? 30;
    const query = new URLSearchParams({ cols: String(cols), rows: String(rows) });
    if (options.ticket !== undefined) {
      query.set('ticket', options.ticket);
    }
    const headers: Record<string, string> = {};
    if (options.bearer !== undefined) {
      headers.authorization = `Bearer ${options.bearer}`;
    }
    const ws = new WebSocket(`${url}?${query.toString()}`, {
      headers,
      origin: options.origin,
      perMessageDeflate: false,
      autoPong: options.autoPong ?? true,
    });
    const client = new TermClient(ws, { cols, rows }, options.ack ?? false);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_request, response) => {
        reject(new UpgradeRefused(response.statusCode ?? 0));
        response.resume();
        ws.terminate();
      });
      ws.once('error', (error) => reject(error));
    });
  }

  type(text: string): void {
    this.ws.send(Buffer.from(text, 'utf8'), { binary: true });
  }

  control(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  ackProcessed(): void {
    const bytes = this.processed - this.acked;
    if (bytes > 0 && this.ws.readyState === WebSocket.OPEN) {
      this.acked = this.processed;
      this.control({ type: 'ack', bytes });
    }
  }

  screen(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buffer.length; y += 1) {
      lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
    }
    return lines.join('\n');
  }

  /** Resolves when `check` holds, re-checked on every frame, parse and close; fails at the deadline. */
  waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (check()) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const listener = (): void => {
        if (check()) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`timed out waiting for ${what}; screen:\n${this.screen()}`));
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  waitForScreen(text: string | RegExp, timeoutMs?: number): Promise<void> {
    const matches = (): boolean =>
      typeof text === 'string' ? this.screen().includes(text) : text.test(this.screen());
    return this.waitFor(matches, `screen to show ${String(text)}`, timeoutMs);
  }

  async close(): Promise<void> {
    if (this.closeInfo === undefined) {
      this.ws.close();
      await this.waitFor(() => this.closeInfo !== undefined, 'the socket to close');
    }
    this.term.dispose();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      listener();
    }
  }
}

describe('terminal WebSocket', () => {
  let app: TestApp;
  let token: string;
  let otherToken: string;
  let session: Session;
  let origin: string;
  const clients: TermClient[] = [];

  async function api(
    method: string,
    path: string,
    bearer: string | undefined,
    body?: unknown,
  ): Promise<Response> {
    return fetch(`${app.baseUrl}${path}`, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function ticketFor(name: string, sessionId = session.id, bearer = token): Promise<string> {
    const response = await api(
      'POST',
      `/api/sessions/${sessionId}/terminals/${name}/tickets`,
      bearer,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ticket: string; expiresIn: number };
    expect(body.expiresIn).toBe(30);
    return body.ticket;
  }

  function urlFor(name: string, sessionId = session.id): string {
    return `${app.baseUrl.replace(/^http/, 'ws')}/api/sessions/${sessionId}/terminals/${name}`;
  }

  async function open(name: string, options: ConnectOptions = {}): Promise<TermClient> {
    const client = await TermClient.connect(urlFor(name), {
      ticket: await ticketFor(name),
      origin,
      ...options,
    });
    clients.push(client);
    return client;
  }

  async function refusal(
    name: string,
    options: ConnectOptions,
    sessionId?: string,
  ): Promise<number> {
    const error = await TermClient.connect(urlFor(name, sessionId), options).then(
      async (client) => {
        await client.close();
        return new Error('the upgrade was accepted');
      },
      (e: unknown) => e,
    );
    if (!(error instanceof UpgradeRefused)) {
      throw error;
    }
    return error.status;
  }

  async function attachProcesses(): Promise<number> {
    const result = await app.app
      .get(Runtime)
      .exec(session.id, ['ps', '-eo', 'args'], { timeoutMs: 10_000 });
    return result.stdout.split('\n').filter((line) => line.startsWith('tmux attach')).length;
  }

  async function waitForAttachProcesses(count: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    let seen = await attachProcesses();
    while (seen !== count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} tmux attach processes, still ${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await attachProcesses();
    }
  }

  beforeAll(async () => {
    app = await startTestApp();
    origin = app.config.values.allowedOrigins[0] ?? app.config.values.publicUrl;
    token = await app.login();
    await app.createUser('other@test.local', 'other-password-123', 'user');
    otherToken = await app.login('other@test.local', 'other-password-123');
    const created = await api('POST', '/api/sessions', token, { name: 'terminals' });
    expect(created.status).toBe(201);
    session = (await created.json()) as Session;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (session.status !== 'running') {
      if (session.status === 'failed' || Date.now() > deadline) {
        throw new Error(`session did not become running: ${JSON.stringify(session)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
      session = (await (await api('GET', `/api/sessions/${session.id}`, token)).json()) as Session;
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await app?.close();
  });

  it('echoes through the shell', async () => {
    const shell = await open('shell');
    await shell.waitForScreen('$');
    shell.type('echo "echo-$((6 * 7))"\r');
    await shell.waitForScreen('echo-42');
    // tmux renders for an xterm-256color client (the browser's xterm.js), with true colour.
    shell.type('tmux display-message -p "client=#{client_termname}"\r');
    await shell.waitForScreen('client=xterm-256color');
    await shell.close();
  });

  it("shows Claude Code's prompt in the claude terminal, without first-run questions", async () => {
    const claude = await open('claude', { cols: 120, rows: 40 });
    await claude.waitForScreen('Claude Code', 60_000);
    await claude.waitForScreen('❯', 60_000);
    const screen = claude.screen();
    expect(screen).not.toMatch(/trust the files|Choose the text style|Select login method/i);
    await claude.close();
  });

  it('redraws the earlier screen when a socket reattaches', async () => {
    const marker = `redraw-${randomBytes(4).toString('hex')}`;
    const first = await open('shell');
    first.type(`clear; echo ${marker}\r`);
    await first.waitFor(
      () =>
        first
          .screen()
          .split('\n')
          .some((l) => l.trim() === marker),
      marker,
    );
    await first.close();

    const second = await open('shell');
    // Nothing is typed: the screen comes from tmux redrawing on attach.
    await second.waitFor(
      () =>
        second
          .screen()
          .split('\n')
          .some((line) => line.trim() === marker),
      `redrawn ${marker}`,
    );
    await second.close();
  });

  it('shares one terminal between two sockets', async () => {
    const a = await open('shell');
    const b = await open('shell');
    const marker = `shared-${randomBytes(4).toString('hex')}`;
    a.type(`echo ${marker}-$((1 + 1))\r`);
    await b.waitForScreen(`${marker}-2`);
    await a.waitForScreen(`${marker}-2`);
    await Promise.all([a.close(), b.close()]);
  });

  it('passes a resize through to the pty', async () => {
    const shell = await open('shell', { cols: 100, rows: 30 });
    shell.type('clear; stty size\r');
    await shell.waitForScreen(/^30 100\s*$/m);
    shell.control({ type: 'resize', cols: 120, rows: 40 });
    shell.term.resize(120, 40);
    shell.type('clear; stty size\r');
    await shell.waitForScreen(/^40 120\s*$/m);
    await shell.close();
  });

  it('pauses output for an acking client that stops acking, and Ctrl-C returns at once', async () => {
    // Long lines on a large screen: tmux forwards a flood as whole-screen redraws, so this is
    // what makes it produce output fast enough to reach the marks within seconds.
    const shell = await open('shell', { ack: true, cols: 250, rows: 100 });
    shell.control({ type: 'ack', bytes: 0 }); // opt into ack flow control
    shell.type('clear\r');
    await shell.waitForScreen('$');
    shell.type('yes "$(printf %0240d 0)"\r');
    await shell.waitFor(() => shell.received > FLOW_HIGH_WATER_BYTES / 2, 'the flood', 60_000);

    // Stop acking: output must stop growing within the high mark plus one frame.
    shell.autoAck = false;
    shell.ackProcessed();
    const ackedAtStop = shell.acked;
    // A paused stream sends nothing, so there is no event to wait on: poll for a quiet second.
    let last = -1;
    let quietSince = Date.now();
    await pollUntil(
      () => {
        if (shell.received !== last) {
          last = shell.received;
          quietSince = Date.now();
        }
        return Date.now() - quietSince > 1000;
      },
      'output to pause',
      30_000,
    );
    // It paused because of the mark (not because the flood ended), and no later than one
    // frame beyond it.
    expect(shell.received - ackedAtStop).toBeGreaterThan(FLOW_HIGH_WATER_BYTES);
    expect(shell.received - ackedAtStop).toBeLessThanOrEqual(
      FLOW_HIGH_WATER_BYTES + MAX_OUTPUT_FRAME_BYTES,
    );

    // Ctrl-C, then ack again: the prompt comes back quickly, not after megabytes of backlog.
    const interruptedAt = Date.now();
    shell.type('\x03');
    shell.autoAck = true;
    shell.ackProcessed();
    shell.type('echo "done-$((2 + 3))"\r');
    await shell.waitFor(
      () => /^done-5\s*$/m.test(shell.screen()),
      'the prompt after Ctrl-C',
      15_000,
    );
    const backlogAfterCtrlC = shell.received - ackedAtStop;
    expect(Date.now() - interruptedAt).toBeLessThan(5_000);
    expect(backlogAfterCtrlC).toBeLessThan(16 * 1024 * 1024);
    await shell.close();
  });

  it('sends an exit message and closes normally when the attached process ends', async () => {
    await waitForAttachProcesses(0);
    const shell = await open('shell');
    await shell.waitForScreen('$');
    shell.type('tmux detach-client\r');
    await shell.waitFor(() => shell.closeInfo !== undefined, 'the socket to close');
    expect(shell.controls).toContainEqual({ type: 'exit', code: 0 });
    expect(shell.closeInfo?.code).toBe(TerminalCloseCodes.normal);
  });

  it('cleans up the tmux attach process when the socket closes', async () => {
    await waitForAttachProcesses(0);
    const a = await open('shell');
    const b = await open('claude');
    await a.waitForScreen('$');
    await waitForAttachProcesses(2);
    await a.close();
    await waitForAttachProcesses(1);
    b.ws.terminate(); // an abrupt drop, no close handshake
    await waitForAttachProcesses(0);
  });

  it('keeps answering clients alive and drops a client that stops answering pings', async () => {
    const keepalive = app.app.get(TerminalKeepalive);
    const saved = { ...keepalive };
    keepalive.pingIntervalMs = 100;
    try {
      const alive = await open('shell');
      const ticket = await ticketFor('shell');
      const deaf = await TermClient.connect(urlFor('shell'), { ticket, origin, autoPong: false });
      clients.push(deaf);
      let pings = 0;
      deaf.ws.on('ping', () => {
        pings += 1;
      });
      // Three unanswered pings are tolerated; the fourth interval terminates (1006 here).
      await deaf.waitFor(() => deaf.closeInfo !== undefined, 'the deaf client to be dropped');
      expect(pings).toBeGreaterThanOrEqual(3);
      expect(deaf.closeInfo?.code).toBe(1006);
      // Meanwhile the answering client has been pinged as often and is still attached.
      expect(alive.closeInfo).toBeUndefined();
      alive.type('echo "alive-$((3 * 3))"\r');
      await alive.waitForScreen('alive-9');
      await alive.close();
    } finally {
      Object.assign(keepalive, saved);
    }
  });

  describe('refuses bad requests before upgrading', () => {
    it('an unknown terminal name', async () => {
      const response = await api(
        'POST',
        `/api/sessions/${session.id}/terminals/nope/tickets`,
        token,
      );
      expect(response.status).toBe(404);
      expect(await refusal('nope', { bearer: token })).toBe(404);
    });

    it('a reused ticket', async () => {
      const ticket = await ticketFor('shell');
      const first = await TermClient.connect(urlFor('shell'), { ticket, origin });
      clients.push(first);
      expect(await refusal('shell', { ticket, origin })).toBe(401);
      await first.close();
    });

    it('an expired ticket', async () => {
      const ticket = await ticketFor('shell');
      const clock = app.app.get(TerminalTicketClock);
      const later = Date.now() + 31_000;
      const spy = vi.spyOn(clock, 'now').mockReturnValue(later);
      try {
        expect(await refusal('shell', { ticket, origin })).toBe(401);
      } finally {
        spy.mockRestore();
      }
    });

    it('a ticket for another terminal or another session', async () => {
      expect(await refusal('shell', { ticket: await ticketFor('claude'), origin })).toBe(403);
      const elsewhere = randomBytes(8).toString('hex');
      expect(await refusal('shell', { ticket: await ticketFor('shell'), origin }, elsewhere)).toBe(
        403,
      );
    });

    it('a foreign Origin, even with a valid ticket', async () => {
      const ticket = await ticketFor('shell');
      expect(await refusal('shell', { ticket, origin: 'http://evil.test' })).toBe(403);
    });

    it('no authentication, or a bad token', async () => {
      expect(await refusal('shell', { origin })).toBe(401);
      expect(await refusal('shell', { bearer: 'not-a-token' })).toBe(401);
      expect(await refusal('shell', { ticket: 'made-up', origin })).toBe(401);
    });

    it("another user's session", async () => {
      expect(await refusal('shell', { bearer: otherToken })).toBe(404);
      const response = await api(
        'POST',
        `/api/sessions/${session.id}/terminals/shell/tickets`,
        otherToken,
      );
      expect(response.status).toBe(404);
    });

    it('a size out of bounds', async () => {
      expect(await refusal('shell', { bearer: token, cols: 0 })).toBe(400);
    });

    it('upgrades on other paths', async () => {
      const status = await TermClient.connect(`${app.baseUrl.replace(/^http/, 'ws')}/api/health`, {
        bearer: token,
      }).then(
        () => 0,
        (e: unknown) => (e instanceof UpgradeRefused ? e.status : -1),
      );
      expect(status).toBe(404);
    });
  });

  it('closes with 1008 on a malformed control message', async () => {
    const shell = await open('shell');
    shell.ws.send('{"type":"resize","cols":"wide"}');
    await shell.waitFor(() => shell.closeInfo !== undefined, 'the socket to close');
    expect(shell.closeInfo?.code).toBe(TerminalCloseCodes.policyViolation);

    const other = await open('shell');
    other.ws.send('not json at all');
    await other.waitFor(() => other.closeInfo !== undefined, 'the socket to close');
    expect(other.closeInfo?.code).toBe(TerminalCloseCodes.policyViolation);
  });

  it('refuses terminals of a session that is not running', async () => {
    const stopped = await api('POST', `/api/sessions/${session.id}/stop`, token);
    expect(stopped.status).toBe(200);
    const deadline = Date.now() + 60_000;
    let status = ((await stopped.json()) as Session).status;
    while (status !== 'stopped' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = ((await (await api('GET', `/api/sessions/${session.id}`, token)).json()) as Session)
        .status;
    }
    expect(status).toBe('stopped');
    const response = await api(
      'POST',
      `/api/sessions/${session.id}/terminals/shell/tickets`,
      token,
    );
    expect(response.status).toBe(409);
    expect(await refusal('shell', { bearer: token })).toBe(409);
  });
});
