import { describe, expect, it } from 'vitest';
import { LineSplitter, eventSeconds, parseDockerEvent } from './docker-events';

const INSTANCE = 'prod';
const SESSION = '3f0c2a7e-1b2c-4d5e-8f90-123456789abc';

function event(action: string, attributes: Record<string, string> = {}, extra = {}): unknown {
  return {
    status: action,
    id: 'c0ffee',
    Type: 'container',
    Action: action,
    Actor: {
      ID: 'c0ffee',
      Attributes: {
        'ccr.managed': '1',
        'ccr.instance': INSTANCE,
        'ccr.session-id': SESSION,
        name: `ccr-${INSTANCE}-${SESSION}`,
        ...attributes,
      },
    },
    scope: 'local',
    time: 1_700_000_000,
    // As JSON.parse reads it: beyond 2^53 the engine's nanoseconds are approximate anyway.
    timeNano: 1_700_000_000_123 * 1e6,
    ...extra,
  };
}

describe('parseDockerEvent', () => {
  it('maps start, die (with its exit code), oom and destroy', () => {
    expect(parseDockerEvent(event('start'), INSTANCE)).toEqual({
      sessionId: SESSION,
      kind: 'started',
      at: '2023-11-14T22:13:20.123Z',
    });
    expect(parseDockerEvent(event('die', { exitCode: '137' }), INSTANCE)).toMatchObject({
      kind: 'exited',
      exitCode: 137,
    });
    expect(parseDockerEvent(event('oom'), INSTANCE)).toMatchObject({ kind: 'oom' });
    expect(parseDockerEvent(event('destroy'), INSTANCE)).toMatchObject({ kind: 'removed' });
  });

  it('ignores other actions, other object types and exec events', () => {
    for (const action of ['kill', 'stop', 'create', 'exec_die', 'attach', 'toString']) {
      expect(parseDockerEvent(event(action), INSTANCE)).toBeNull();
    }
    expect(parseDockerEvent({ ...(event('die') as object), Type: 'network' }, INSTANCE)).toBeNull();
  });

  it('ignores containers of another installation, unmanaged ones and bad session ids', () => {
    expect(parseDockerEvent(event('die'), 'other')).toBeNull();
    expect(parseDockerEvent(event('die', { 'ccr.managed': '0' }), INSTANCE)).toBeNull();
    expect(parseDockerEvent(event('die', { 'ccr.session-id': '../../x' }), INSTANCE)).toBeNull();
    expect(parseDockerEvent(event('die', { 'ccr.session-id': '' }), INSTANCE)).toBeNull();
  });

  it('survives malformed documents', () => {
    for (const value of [
      null,
      42,
      'die',
      [],
      {},
      { Type: 'container' },
      { Type: 'container', Action: 'die' },
    ]) {
      expect(parseDockerEvent(value, INSTANCE)).toBeNull();
    }
    expect(
      parseDockerEvent({ Type: 'container', Action: 'die', Actor: { Attributes: 'x' } }, INSTANCE),
    ).toBeNull();
  });

  it('drops an exit code that is not a number and falls back for a missing time', () => {
    const change = parseDockerEvent(
      event('die', { exitCode: '1e9' }, { time: undefined, timeNano: undefined }),
      INSTANCE,
    );
    expect(change).not.toBeNull();
    expect(change).not.toHaveProperty('exitCode');
    expect(Number.isNaN(Date.parse(change!.at))).toBe(false);
  });
});

describe('eventSeconds', () => {
  it('reads the nanosecond time, then the second time', () => {
    expect(eventSeconds(event('die'))).toBe(1_700_000_000.123);
    expect(eventSeconds({ time: 1_700_000_001 })).toBe(1_700_000_001);
    expect(eventSeconds({})).toBeUndefined();
    expect(eventSeconds('x')).toBeUndefined();
  });
});

describe('LineSplitter', () => {
  it('joins lines split across chunks, several per chunk, and skips blanks', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('{"a":1}\n{"b"');
    splitter.push(':2}\n\n{"c":3}\n');
    splitter.push('{"d":');
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('keeps a multi-byte character split between chunks', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    const bytes = Buffer.from('é\n');
    splitter.push(bytes.subarray(0, 1));
    splitter.push(bytes.subarray(1));
    expect(lines).toEqual(['é']);
  });

  it('drops an oversized line up to its end and carries on', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), 10);
    splitter.push('x'.repeat(8));
    splitter.push('y'.repeat(8));
    splitter.push('zz\nok\n');
    splitter.push(`${'w'.repeat(11)}\nfine\n`);
    expect(lines).toEqual(['ok', 'fine']);
  });
});
