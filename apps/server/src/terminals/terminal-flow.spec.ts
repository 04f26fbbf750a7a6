import { describe, expect, it } from 'vitest';
import { TerminalFlow, type FlowMarks } from './terminal-flow';

const marks: FlowMarks = {
  socketHighBytes: 1000,
  socketLowBytes: 200,
  ackHighBytes: 500,
  ackLowBytes: 100,
};

function flow(): { flow: TerminalFlow; changes: boolean[] } {
  const changes: boolean[] = [];
  return { flow: new TerminalFlow(marks, (paused) => changes.push(paused)), changes };
}

describe('TerminalFlow', () => {
  it('pauses when the socket queue exceeds its high mark and resumes at its low mark', () => {
    const { flow: f, changes } = flow();
    f.sent(600);
    f.sent(400);
    expect(f.isPaused).toBe(false); // 1000 is not above the mark
    f.sent(1);
    expect(changes).toEqual([true]);
    f.written(600);
    expect(f.isPaused).toBe(true); // 401 queued, above the low mark
    f.written(201);
    expect(changes).toEqual([true, false]);
    expect(f.queuedBytes).toBe(200);
  });

  it('ignores acknowledgements for a client that never acks', () => {
    const { flow: f, changes } = flow();
    for (let i = 0; i < 100; i += 1) {
      f.sent(100);
      f.written(100);
    }
    expect(f.isAcking).toBe(false);
    expect(f.unackedBytes).toBe(10_000);
    expect(changes).toEqual([]);
  });

  it('pauses an acking client above the ack high mark and resumes at the low mark', () => {
    const { flow: f, changes } = flow();
    f.sent(100);
    f.written(100);
    f.ack(100); // opts in
    expect(f.isAcking).toBe(true);
    f.sent(300);
    f.written(300);
    f.sent(300);
    f.written(300);
    expect(changes).toEqual([true]); // 600 unacked > 500
    f.ack(300);
    expect(f.isPaused).toBe(true); // 300 unacked, above the low mark
    f.ack(200);
    expect(changes).toEqual([true, false]);
  });

  it('counts output from the start, so a late first ack covers everything before it', () => {
    const { flow: f, changes } = flow();
    f.sent(900);
    f.written(900);
    f.ack(100); // 800 still unacknowledged: pause at once
    expect(changes).toEqual([true]);
    f.ack(800);
    expect(changes).toEqual([true, false]);
  });

  it('stays paused while either reason holds', () => {
    const { flow: f, changes } = flow();
    f.ack(0);
    f.sent(1200); // both over
    expect(changes).toEqual([true]);
    f.ack(1200); // ack fine, socket still full
    expect(f.isPaused).toBe(true);
    f.written(1200);
    expect(changes).toEqual([true, false]);
  });

  it('clamps over-acknowledgement and records the peak', () => {
    const { flow: f } = flow();
    f.sent(300);
    f.ack(10_000);
    expect(f.unackedBytes).toBe(0);
    f.sent(50);
    expect(f.unackedBytes).toBe(50);
    expect(f.peakUnackedBytes).toBe(300);
  });

  it('refuses marks where low exceeds high', () => {
    expect(() => new TerminalFlow({ ...marks, ackLowBytes: 600 }, () => undefined)).toThrow(
      RangeError,
    );
  });
});
