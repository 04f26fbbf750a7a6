import { describe, expect, it } from 'vitest';
import { OutputCoalescer } from './output-coalescer';

function manualScheduler(): {
  schedule: (task: () => void) => void;
  run: () => void;
  pending: () => number;
} {
  const tasks: Array<() => void> = [];
  return {
    schedule: (task) => tasks.push(task),
    run: () => {
      for (const task of tasks.splice(0)) {
        task();
      }
    },
    pending: () => tasks.length,
  };
}

describe('OutputCoalescer', () => {
  it('merges chunks of one tick into one frame, sent when the tick ends', () => {
    const frames: string[] = [];
    const tick = manualScheduler();
    const coalescer = new OutputCoalescer(
      (frame) => frames.push(frame.toString()),
      64,
      tick.schedule,
    );
    coalescer.push(Buffer.from('ab'));
    coalescer.push(Buffer.from('cd'));
    coalescer.push(Buffer.from('ef'));
    expect(frames).toEqual([]);
    expect(tick.pending()).toBe(1);
    tick.run();
    expect(frames).toEqual(['abcdef']);
    expect(coalescer.pendingBytes).toBe(0);
  });

  it('never makes a frame larger than the maximum, and sends full frames without waiting', () => {
    const frames: Buffer[] = [];
    const tick = manualScheduler();
    const coalescer = new OutputCoalescer((frame) => frames.push(frame), 10, tick.schedule);
    coalescer.push(Buffer.from('0123456'));
    coalescer.push(Buffer.from('789abcdefghijklmnopqrstuvwxyz'));
    expect(frames.map((f) => f.toString())).toEqual(['0123456789', 'abcdefghij', 'klmnopqrst']);
    tick.run();
    expect(frames.map((f) => f.toString())).toEqual([
      '0123456789',
      'abcdefghij',
      'klmnopqrst',
      'uvwxyz',
    ]);
    expect(frames.every((f) => f.length <= 10)).toBe(true);
  });

  it('keeps every byte in order across many random chunk sizes', () => {
    const frames: Buffer[] = [];
    const tick = manualScheduler();
    const coalescer = new OutputCoalescer((frame) => frames.push(frame), 1000, tick.schedule);
    const input: Buffer[] = [];
    let seed = 7;
    for (let i = 0; i < 500; i += 1) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const chunk = Buffer.alloc(seed % 2500, i % 251);
      input.push(chunk);
      coalescer.push(chunk);
      if (i % 17 === 0) {
        tick.run();
      }
    }
    tick.run();
    expect(Buffer.concat(frames).equals(Buffer.concat(input))).toBe(true);
    expect(frames.every((f) => f.length > 0 && f.length <= 1000)).toBe(true);
  });

  it('schedules one flush per tick, not one per chunk', () => {
    const tick = manualScheduler();
    const coalescer = new OutputCoalescer(() => undefined, 64, tick.schedule);
    for (let i = 0; i < 20; i += 1) {
      coalescer.push(Buffer.from('x'));
    }
    expect(tick.pending()).toBe(1);
  });

  it('flushes on demand and drops pending output when disposed', () => {
    const frames: string[] = [];
    const tick = manualScheduler();
    const coalescer = new OutputCoalescer(
      (frame) => frames.push(frame.toString()),
      64,
      tick.schedule,
    );
    coalescer.push(Buffer.from('before exit'));
    coalescer.flush();
    expect(frames).toEqual(['before exit']);
    coalescer.push(Buffer.from('lost'));
    coalescer.dispose();
    tick.run();
    coalescer.push(Buffer.from('ignored'));
    tick.run();
    expect(frames).toEqual(['before exit']);
  });

  it('flushes on the real event loop without a timer', async () => {
    const frames: string[] = [];
    const coalescer = new OutputCoalescer((frame) => frames.push(frame.toString()), 64);
    coalescer.push(Buffer.from('a'));
    coalescer.push(Buffer.from('b'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(frames).toEqual(['ab']);
  });

  it('holds output while paused, even a frame already being emitted, and releases it later', () => {
    const frames: string[] = [];
    const tick = manualScheduler();
    let coalescer: OutputCoalescer | undefined = undefined;
    coalescer = new OutputCoalescer(
      (frame) => {
        frames.push(frame.toString());
        // Flow control pauses from inside the send of the frame that crossed the mark.
        coalescer?.hold(true);
      },
      4,
      tick.schedule,
    );
    coalescer.push(Buffer.from('aaaabbbbcc'));
    expect(frames).toEqual(['aaaa']);
    tick.run();
    coalescer.push(Buffer.from('dd'));
    tick.run();
    expect(frames).toEqual(['aaaa']);
    expect(coalescer.pendingBytes).toBe(8);
    coalescer.hold(false);
    expect(frames).toEqual(['aaaa']); // released on the next tick, not synchronously
    tick.run();
    expect(frames).toEqual(['aaaa', 'bbbb']); // ...which holds again at once in this test
    coalescer.hold(false);
    tick.run();
    expect(frames).toEqual(['aaaa', 'bbbb', 'ccdd']);
  });
});
