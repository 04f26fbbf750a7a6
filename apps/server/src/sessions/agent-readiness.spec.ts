import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_AGENT_LINE_BYTES } from '@ccr/protocol/agent';
import { AgentNotReadyError, parseAgentLine, waitForAgentReady } from './agent-readiness';

const ready = (at = new Date().toISOString()): string =>
  `${JSON.stringify({ ccr: 1, type: 'agent.ready', at, data: { terminals: ['claude', 'shell'], workBranch: 'ccr/x', head: null } })}\n`;
const failed = (message: string): string =>
  `${JSON.stringify({ ccr: 1, type: 'agent.failed', at: new Date().toISOString(), data: { stage: 'clone', message } })}\n`;

describe('parseAgentLine', () => {
  it('accepts a valid agent line and ignores everything else', () => {
    expect(parseAgentLine(ready().trim())?.type).toBe('agent.ready');
    expect(parseAgentLine('Cloning into workspace...')).toBeNull();
    expect(parseAgentLine('{"ccr":1,"type":"agent.ready"}')).toBeNull();
    expect(
      parseAgentLine(
        '{"ccr":2,"type":"agent.progress","at":"x","data":{"stage":"a","message":"b"}}',
      ),
    ).toBeNull();
    expect(parseAgentLine('{not json')).toBeNull();
    expect(parseAgentLine(`{"pad":"${'x'.repeat(MAX_AGENT_LINE_BYTES)}"}`)).toBeNull();
  });
});

describe('waitForAgentReady', () => {
  it('resolves on agent.ready split across chunks, after noise', async () => {
    const stream = new PassThrough();
    const wait = waitForAgentReady(stream, { timeoutMs: 5_000 });
    const line = ready();
    stream.write('some shell noise\n');
    stream.write(line.slice(0, 10));
    stream.write(line.slice(10));
    await expect(wait).resolves.toMatchObject({
      type: 'agent.ready',
      data: { workBranch: 'ccr/x' },
    });
  });

  it('rejects with the agent message on agent.failed', async () => {
    const stream = new PassThrough();
    const wait = waitForAgentReady(stream, { timeoutMs: 5_000 });
    stream.write(failed('repository not found'));
    await expect(wait).rejects.toThrow(new AgentNotReadyError('clone: repository not found'));
  });

  it('ignores an agent.ready from before the container started', async () => {
    const stream = new PassThrough();
    const now = Date.now();
    const wait = waitForAgentReady(stream, { timeoutMs: 5_000, notBefore: now });
    stream.write(ready(new Date(now - 60_000).toISOString()));
    stream.write(failed('second run failed'));
    await expect(wait).rejects.toThrow('second run failed');
  });

  it('rejects when the stream ends first, and on timeout', async () => {
    const ended = new PassThrough();
    const waitEnded = waitForAgentReady(ended, { timeoutMs: 5_000 });
    ended.end('bye\n');
    await expect(waitEnded).rejects.toThrow('exited before it was ready');

    const silent = new PassThrough();
    await expect(waitForAgentReady(silent, { timeoutMs: 50 })).rejects.toThrow('not ready within');
  });

  it('drops an overlong line without losing the next one', async () => {
    const stream = new PassThrough();
    const wait = waitForAgentReady(stream, { timeoutMs: 5_000 });
    stream.write('x'.repeat(MAX_AGENT_LINE_BYTES + 10));
    stream.write(`${'y'.repeat(100)}${ready().slice(0, 5)}`);
    stream.write('\n');
    stream.write(ready());
    await expect(wait).resolves.toMatchObject({ type: 'agent.ready' });
  });

  it('rejects when aborted', async () => {
    const controller = new AbortController();
    const wait = waitForAgentReady(new PassThrough(), {
      timeoutMs: 5_000,
      signal: controller.signal,
    });
    controller.abort();
    await expect(wait).rejects.toThrow('aborted');
  });
});
