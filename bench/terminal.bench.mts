// Terminal benchmarks (issue 2): the built server and a real session, each figure side by side
// with a direct `docker exec -t` of the same command as the baseline (what a plain web terminal
// that streams a pty does). Run with `npm run bench`; figures go to bench/README.md.
//
//   npm run bench                     # everything
//   BENCH_ONLY=echo,ctrlc npm run bench
//   BENCH_SESSIONS=3 npm run bench    # fewer sessions for the ready-time figure
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import xterm from '@xterm/headless';
import WebSocket from 'ws';

const { Terminal } = xterm;
type XTerm = InstanceType<typeof Terminal>;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
const wants = (name: string): boolean => only.size === 0 || only.has(name);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10);
const BIG_FILE_BYTES = 50 * 1024 * 1024;
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 200);
const COLS = 120;
const ROWS = 40;
const ADMIN = { email: 'bench@bench.local', password: 'bench-password-123' };
const docker = new Docker();

// ------------------------------------------------------------------ helpers

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
const mb = (bytes: number): number => round(bytes / (1024 * 1024), 2);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 180_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The line the cursor is on, as rendered. */
function cursorLine(term: XTerm): string {
  const buffer = term.buffer.active;
  return buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true) ?? '';
}

function viewportText(term: XTerm): string {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = buffer.viewportY; y < buffer.viewportY + term.rows; y += 1) {
    lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
  }
  return lines.join('\n');
}

/**
 * A terminal client: parses every byte with xterm (headless) and records the backlog, i.e.
 * bytes received but not yet parsed, which is what delays a user's Ctrl-C.
 */
class Client {
  readonly term: XTerm = new Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  received = 0;
  processed = 0;
  peakBacklog = 0;
  private readonly listeners = new Set<() => void>();
  /** Called synchronously as bytes arrive, before parsing (for wire-level timings). */
  readonly arrivals = new Set<() => void>();
  private readonly onProcessed: ((bytes: number) => void) | undefined;

  constructor(onProcessed?: (bytes: number) => void) {
    this.onProcessed = onProcessed;
  }

  feed(data: Buffer): void {
    this.received += data.length;
    for (const arrival of [...this.arrivals]) {
      arrival();
    }
    this.peakBacklog = Math.max(this.peakBacklog, this.received - this.processed);
    this.term.write(data, () => {
      this.processed += data.length;
      this.onProcessed?.(data.length);
      this.notify();
    });
  }

  resetPeak(): void {
    this.peakBacklog = this.received - this.processed;
  }

  /** Resolves when `check` holds after some output was parsed. */
  when(check: () => boolean, what: string, timeoutMs = 300_000): Promise<void> {
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
        reject(new Error(`timed out waiting for ${what}; cursor line: ${cursorLine(this.term)}`));
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  notify(): void {
    for (const listener of [...this.listeners]) {
      listener();
    }
  }

  dispose(): void {
    this.term.dispose();
  }
}

/** The same client interface over the gateway's WebSocket, acking from parse callbacks. */
class GatewayTerminal {
  readonly client: Client;
  readonly ws: WebSocket;
  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.client = new Client((bytes) => {
      if (ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify({ type: 'ack', bytes }));
      }
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        this.client.feed(data);
      }
    });
  }

  static async open(url: string, token: string): Promise<GatewayTerminal> {
    const ws = new WebSocket(`${url}?cols=${COLS}&rows=${ROWS}`, {
      headers: { authorization: `Bearer ${token}` },
      perMessageDeflate: false,
    });
    const terminal = new GatewayTerminal(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        ws.send(JSON.stringify({ type: 'ack', bytes: 0 }));
        resolve();
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return terminal;
  }

  type(text: string): void {
    this.ws.send(Buffer.from(text), { binary: true });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
    this.client.dispose();
  }
}

/** The baseline: a direct TTY exec with no gateway, no tmux and no flow control. */
class DirectTerminal {
  readonly client = new Client();
  readonly stream: Duplex;
  private exitedFlag = false;
  private constructor(stream: Duplex) {
    this.stream = stream;
    stream.on('data', (data: Buffer) => this.client.feed(data));
    stream.on('end', () => {
      this.exitedFlag = true;
      this.client.notify();
    });
  }

  get exited(): boolean {
    return this.exitedFlag;
  }

  static async open(container: string, cmd: string[], env: string[] = []): Promise<DirectTerminal> {
    const exec = await docker.getContainer(container).exec({
      Cmd: cmd,
      Env: ['TERM=xterm-256color', ...env],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
    });
    const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
    await until(
      async () =>
        exec.resize({ w: COLS, h: ROWS }).then(
          () => true,
          () => undefined,
        ),
      'exec resize',
      5_000,
      10,
    );
    return new DirectTerminal(stream);
  }

  type(text: string): void {
    this.stream.write(text);
  }

  close(): void {
    this.stream.destroy();
    this.client.dispose();
  }
}

// ------------------------------------------------------------------ server and sessions

class Bench {
  server: ChildProcess | undefined;
  baseUrl = '';
  token = '';
  instance = `bench-${randomBytes(3).toString('hex')}`;
  dataDir = mkdtempSync(join(tmpdir(), 'ccr-bench-'));
  serverLog: string[] = [];

  async start(): Promise<void> {
    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.server = spawn(process.execPath, [join(root, 'apps/server/dist/main.js')], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        CCR_DATA_DIR: this.dataDir,
        CCR_INSTANCE: this.instance,
        CCR_ADMIN_EMAIL: ADMIN.email,
        CCR_ADMIN_PASSWORD: ADMIN.password,
        CCR_SECRET_KEY: randomBytes(48).toString('base64url'),
        CCR_LOG_LEVEL: 'warn',
        CCR_PUBLIC_URL: this.baseUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      this.serverLog.push(chunk.toString());
      this.serverLog.splice(0, Math.max(0, this.serverLog.length - 200));
    };
    this.server.stdout?.on('data', keep);
    this.server.stderr?.on('data', keep);
    await until(
      async () =>
        fetch(`${this.baseUrl}/api/health`).then(
          (r) => (r.status < 500 ? true : undefined),
          () => undefined,
        ),
      'the server to answer',
      60_000,
      100,
    );
    const login = await fetch(`${this.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    if (login.status !== 200) {
      throw new Error(`login failed: ${login.status} ${await login.text()}`);
    }
    this.token = ((await login.json()) as { accessToken: string }).accessToken;
  }

  async api(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async createSession(name: string): Promise<string> {
    const response = await this.api('POST', '/api/sessions', { name });
    if (response.status !== 201) {
      throw new Error(`create failed: ${response.status} ${await response.text()}`);
    }
    return ((await response.json()) as { id: string }).id;
  }

  async waitRunning(id: string): Promise<void> {
    await until(
      async () => {
        const session = (await (await this.api('GET', `/api/sessions/${id}`)).json()) as {
          status: string;
        };
        if (session.status === 'failed') {
          throw new Error(`session ${id} failed`);
        }
        return session.status === 'running' ? true : undefined;
      },
      'the session to run',
      300_000,
      20,
    );
  }

  terminalUrl(id: string, name: string): string {
    return `${this.baseUrl.replace(/^http/, 'ws')}/api/sessions/${id}/terminals/${name}`;
  }

  container(id: string): string {
    return `ccr-${this.instance}-${id}`;
  }

  async stop(): Promise<void> {
    if (this.server && this.server.exitCode === null) {
      const exited = new Promise((resolve) => this.server?.once('exit', resolve));
      this.server.kill('SIGTERM');
      await exited;
    }
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`ccr.instance=${this.instance}`] },
    });
    await Promise.all(
      containers.map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
    const { Volumes } = await docker.listVolumes({
      filters: { label: [`ccr.instance=${this.instance}`] },
    });
    await Promise.all(
      (Volumes ?? []).map((v) =>
        docker
          .getVolume(v.Name)
          .remove()
          .catch(() => undefined),
      ),
    );
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

async function shellExec(container: string, script: string): Promise<void> {
  const exec = await docker.getContainer(container).exec({
    Cmd: ['sh', '-c', script],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({});
  stream.resume();
  await new Promise((resolve) => stream.on('end', resolve));
  const info = await exec.inspect();
  if (info.ExitCode !== 0) {
    throw new Error(`${script} exited with ${info.ExitCode}`);
  }
}

// ------------------------------------------------------------------ measurements

type Row = Record<string, number | string>;
const results: Record<string, Row> = {};

async function measureReady(bench: Bench): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < SESSIONS; i += 1) {
    const started = performance.now();
    const id = await bench.createSession(`ready-${i}`);
    await bench.waitRunning(id);
    const terminal = await GatewayTerminal.open(bench.terminalUrl(id, 'shell'), bench.token);
    await terminal.client.when(() => /\$\s*$/.test(cursorLine(terminal.client.term)), 'a prompt');
    times.push(performance.now() - started);
    await terminal.close();
    await bench.api('DELETE', `/api/sessions/${id}`);
    process.stdout.write(`  ready ${i + 1}/${SESSIONS}: ${Math.round(times.at(-1) ?? 0)} ms\n`);
  }
  results.ready = {
    sessions: SESSIONS,
    p50Ms: Math.round(percentile(times, 50)),
    p95Ms: Math.round(percentile(times, 95)),
    minMs: Math.round(Math.min(...times)),
    maxMs: Math.round(Math.max(...times)),
  };
}

const END_MARK = 'BENCH-END-';

async function measureThroughput(bench: Bench, id: string): Promise<void> {
  const container = bench.container(id);
  // 50 MB of base64 text, 76 characters a line, made inside the sandbox.
  await shellExec(
    container,
    `head -c ${Math.floor((BIG_FILE_BYTES / 77) * 57)} /dev/urandom | base64 > /tmp/big.b64`,
  );
  // Gateway: the shell terminal (tmux) through the WebSocket, acking as it parses.
  const gateway = await GatewayTerminal.open(bench.terminalUrl(id, 'shell'), bench.token);
  await gateway.client.when(() => /\$\s*$/.test(cursorLine(gateway.client.term)), 'a prompt');
  gateway.type('clear\r');
  await gateway.client.when(() => /\$\s*$/.test(cursorLine(gateway.client.term)), 'a prompt');
  gateway.client.resetPeak();
  const receivedBefore = gateway.client.received;
  let started = performance.now();
  gateway.type(`cat /tmp/big.b64; echo ${END_MARK}$((40 + 2))\r`);
  // Scanning the screen is costly, so only once the cursor sits on a prompt again.
  await gateway.client.when(
    () =>
      /\$\s*$/.test(cursorLine(gateway.client.term)) &&
      viewportText(gateway.client.term).includes(`${END_MARK}42`),
    'the end of the file',
  );
  const gatewaySeconds = (performance.now() - started) / 1000;
  const gatewayBytes = gateway.client.received - receivedBefore;
  const gatewayPeak = gateway.client.peakBacklog;
  await gateway.close();

  // Baseline: `docker exec -t cat` of the same file, parsed by the same client.
  const direct = await DirectTerminal.open(container, [
    'sh',
    '-c',
    `cat /tmp/big.b64; echo ${END_MARK}$((40 + 2))`,
  ]);
  started = performance.now();
  await direct.client.when(
    () => direct.exited && direct.client.processed === direct.client.received,
    'the direct cat to finish',
  );
  const directSeconds = (performance.now() - started) / 1000;
  const directPeak = direct.client.peakBacklog;
  const directBytes = direct.client.received;
  direct.close();

  // The floor set by tmux itself: how long tmux takes to consume the file with no client.
  started = performance.now();
  await shellExec(
    container,
    "tmux new-session -d -s bench-floor 'cat /tmp/big.b64; tmux wait-for -S bench-floor-done' && tmux wait-for bench-floor-done",
  );
  const tmuxSeconds = (performance.now() - started) / 1000;

  results.throughput = {
    tmuxAloneMBps: round(BIG_FILE_BYTES / (1024 * 1024) / tmuxSeconds),
    fileMB: mb(BIG_FILE_BYTES),
    gatewayMBps: round(BIG_FILE_BYTES / (1024 * 1024) / gatewaySeconds),
    gatewaySeconds: round(gatewaySeconds),
    gatewayWireMB: mb(gatewayBytes),
    gatewayPeakBacklogMB: mb(gatewayPeak),
    directMBps: round(BIG_FILE_BYTES / (1024 * 1024) / directSeconds),
    directSeconds: round(directSeconds),
    directWireMB: mb(directBytes),
    directPeakBacklogMB: mb(directPeak),
  };
}

/** Sends one byte at a time and waits for it to come back, measuring each round trip. */
async function echoTimes(
  type: (text: string) => void,
  client: Client,
  count: number,
  warmup = 10,
): Promise<number[]> {
  const times: number[] = [];
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < count + warmup; i += 1) {
    const char = alphabet[i % alphabet.length] ?? 'a';
    const before = client.received;
    let started = 0;
    // Resolved on arrival, not on parse: echo latency is a wire figure.
    const arrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no echo within 10 s')), 10_000);
      const arrival = (): void => {
        if (client.received > before) {
          clearTimeout(timer);
          client.arrivals.delete(arrival);
          resolve();
        }
      };
      client.arrivals.add(arrival);
    });
    started = performance.now();
    type(char);
    await arrived;
    // The first keystrokes may race the `stty` that switches echo off; they only warm up.
    if (i >= warmup) {
      times.push(performance.now() - started);
    }
  }
  return times;
}

async function measureEcho(bench: Bench, id: string): Promise<void> {
  const setup = 'stty raw -echo isig; cat\r';
  const gateway = await GatewayTerminal.open(bench.terminalUrl(id, 'shell'), bench.token);
  await gateway.client.when(() => /\$\s*$/.test(cursorLine(gateway.client.term)), 'a prompt');
  gateway.type(setup);
  await gateway.client.when(() => cursorLine(gateway.client.term) === '', 'cat to run');
  const gatewayTimes = await echoTimes((t) => gateway.type(t), gateway.client, KEYSTROKES);
  gateway.type('\x03');
  gateway.type('stty sane; clear\r');
  await gateway.client.when(() => /\$\s*$/.test(cursorLine(gateway.client.term)), 'a prompt');
  await gateway.close();

  const direct = await DirectTerminal.open(bench.container(id), [
    'sh',
    '-c',
    'stty raw -echo; cat',
  ]);
  const directTimes = await echoTimes((t) => direct.type(t), direct.client, KEYSTROKES);
  direct.close();

  // A second baseline isolates the gateway: the same tmux attach, exec'd directly.
  const clientId = `bench-${randomBytes(4).toString('hex')}`;
  const tmux = await DirectTerminal.open(bench.container(id), ['ccr-attach', 'shell', clientId]);
  await tmux.client.when(() => /\$\s*$/.test(cursorLine(tmux.client.term)), 'a tmux prompt');
  tmux.type(setup);
  await tmux.client.when(() => cursorLine(tmux.client.term) === '', 'cat to run in tmux');
  const tmuxTimes = await echoTimes((t) => tmux.type(t), tmux.client, KEYSTROKES);
  tmux.type('\x03');
  tmux.type('stty sane; clear\r');
  await tmux.client.when(() => /\$\s*$/.test(cursorLine(tmux.client.term)), 'a tmux prompt');
  tmux.close();
  await shellExec(bench.container(id), `ccr-agent detach ${clientId}`);

  results.echo = {
    keystrokes: KEYSTROKES,
    gatewayP50Ms: round(percentile(gatewayTimes, 50)),
    gatewayP99Ms: round(percentile(gatewayTimes, 99)),
    directP50Ms: round(percentile(directTimes, 50)),
    directP99Ms: round(percentile(directTimes, 99)),
    directTmuxP50Ms: round(percentile(tmuxTimes, 50)),
    directTmuxP99Ms: round(percentile(tmuxTimes, 99)),
  };
}

async function measureCtrlC(bench: Bench, id: string, floodMs = 3000): Promise<void> {
  const prompt = /\$\s*$/;
  const gateway = await GatewayTerminal.open(bench.terminalUrl(id, 'shell'), bench.token);
  await gateway.client.when(() => prompt.test(cursorLine(gateway.client.term)), 'a prompt');
  gateway.type('clear\r');
  await gateway.client.when(() => prompt.test(cursorLine(gateway.client.term)), 'a prompt');
  gateway.type('yes\r');
  await gateway.client.when(() => cursorLine(gateway.client.term) === '', 'the flood');
  gateway.client.resetPeak();
  await new Promise((resolve) => setTimeout(resolve, floodMs));
  let started = performance.now();
  gateway.type('\x03');
  await gateway.client.when(
    () => prompt.test(cursorLine(gateway.client.term)),
    'the prompt after Ctrl-C',
    120_000,
  );
  const gatewayMs = performance.now() - started;
  const gatewayPeak = gateway.client.peakBacklog;
  await gateway.close();

  const direct = await DirectTerminal.open(
    bench.container(id),
    ['bash', '--norc', '--noprofile', '-i'],
    ['PS1=BENCH$ '],
  );
  await direct.client.when(() => prompt.test(cursorLine(direct.client.term)), 'a direct prompt');
  direct.type('yes\r');
  await direct.client.when(() => cursorLine(direct.client.term) === '', 'the direct flood');
  direct.client.resetPeak();
  await new Promise((resolve) => setTimeout(resolve, floodMs));
  started = performance.now();
  direct.type('\x03');
  await direct.client.when(
    () =>
      prompt.test(cursorLine(direct.client.term)) &&
      direct.client.processed === direct.client.received,
    'the direct prompt after Ctrl-C',
    300_000,
  );
  const directMs = performance.now() - started;
  const directPeak = direct.client.peakBacklog;
  direct.type('exit\r');
  direct.close();

  results.ctrlC = {
    floodSeconds: floodMs / 1000,
    gatewayMs: Math.round(gatewayMs),
    gatewayPeakBacklogMB: mb(gatewayPeak),
    directMs: Math.round(directMs),
    directPeakBacklogMB: mb(directPeak),
  };
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const bench = new Bench();
  const started = new Date();
  // An interrupted run still stops its server and removes its containers.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`${signal}: cleaning up`);
      void bench.stop().finally(() => process.exit(130));
    });
  }
  try {
    await bench.start();
    console.log(`server up at ${bench.baseUrl} (instance ${bench.instance})`);
    if (wants('ready')) {
      console.log(`session ready time over ${SESSIONS} sessions…`);
      await measureReady(bench);
    }
    const id = await bench.createSession('bench');
    await bench.waitRunning(id);
    if (wants('echo')) {
      console.log('keystroke echo…');
      await measureEcho(bench, id);
    }
    if (wants('ctrlc')) {
      console.log('Ctrl-C during a yes flood…');
      await measureCtrlC(bench, id);
    }
    if (wants('throughput')) {
      console.log('throughput of a 50 MB base64 file…');
      await measureThroughput(bench, id);
    }
  } catch (error) {
    console.error(error);
    console.error(bench.serverLog.join('').slice(-4000));
    process.exitCode = 1;
  } finally {
    await bench.stop();
  }
  const report = {
    at: started.toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    results,
  };
  mkdirSync(join(root, 'bench/.out'), { recursive: true });
  writeFileSync(
    join(root, 'bench/.out/terminal-bench.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  console.log(JSON.stringify(report, null, 2));
}

await main();
