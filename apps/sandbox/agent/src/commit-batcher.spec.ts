import { describe, expect, it } from 'vitest';
import { type Batch, type BatchClock, CommitBatcher } from './commit-batcher.js';

/** A manual clock: timers fire only when the test advances time. */
class FakeClock implements BatchClock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, timer]) => timer.at <= end)
        .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) {
        break;
      }
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }

  get active(): number {
    return this.timers.size;
  }
}

function setup(settings = { debounceMs: 1000, maxWaitMs: 10_000, maxFiles: 3 }) {
  const clock = new FakeClock();
  const batches: Array<Batch & { at: number }> = [];
  const batcher = new CommitBatcher(
    settings,
    (batch) => batches.push({ ...batch, at: clock.now() }),
    clock,
  );
  return { clock, batches, batcher };
}

describe('CommitBatcher', () => {
  it('commits after a quiet period, restarted by each change', () => {
    const { clock, batches, batcher } = setup();
    batcher.add('a.ts');
    clock.advance(900);
    batcher.add('b.ts');
    clock.advance(999);
    expect(batches).toEqual([]);
    clock.advance(1);
    expect(batches).toEqual([
      { paths: ['a.ts', 'b.ts'], reason: 'quiet', prompt: null, firstChangeAt: 0, at: 1900 },
    ]);
    expect(clock.active).toBe(0);
  });

  it('counts distinct paths and commits at maxFiles at once', () => {
    const { clock, batches, batcher } = setup();
    batcher.add('a.ts');
    batcher.add('a.ts');
    batcher.add('b.ts');
    expect(batches).toEqual([]);
    batcher.add('c.ts');
    expect(batches).toEqual([
      {
        paths: ['a.ts', 'b.ts', 'c.ts'],
        reason: 'max-files',
        prompt: null,
        firstChangeAt: 0,
        at: 0,
      },
    ]);
    expect(clock.active).toBe(0);
  });

  it('commits at maxWait since the first change even while changes keep coming', () => {
    const { clock, batches, batcher } = setup({ debounceMs: 1000, maxWaitMs: 5000, maxFiles: 100 });
    for (let t = 0; t < 6000; t += 500) {
      batcher.add(`f${t % 1500}.ts`);
      clock.advance(500);
    }
    expect(batches[0]).toMatchObject({ reason: 'max-wait', at: 5000 });
    expect(batches[0]!.paths).toEqual(['f0.ts', 'f500.ts', 'f1000.ts']);
    // The change after the flush starts a new batch with its own timers.
    expect(batcher.pending).toBe(2);
  });

  it('flushes on a finished turn with its prompt, even with nothing pending', () => {
    const { clock, batches, batcher } = setup();
    batcher.add('a.ts');
    clock.advance(10);
    batcher.flush('add a greeting');
    expect(batches).toEqual([
      { paths: ['a.ts'], reason: 'flush', prompt: 'add a greeting', firstChangeAt: 0, at: 10 },
    ]);
    batcher.flush();
    expect(batches[1]).toEqual({
      paths: [],
      reason: 'flush',
      prompt: null,
      firstChangeAt: null,
      at: 10,
    });
    clock.advance(20_000);
    expect(batches).toHaveLength(2);
  });

  it('commits at once with a zero debounce', () => {
    const { clock, batches, batcher } = setup({ debounceMs: 0, maxWaitMs: 5000, maxFiles: 10 });
    batcher.add('a.ts');
    clock.advance(0);
    expect(batches).toMatchObject([{ reason: 'quiet', at: 0 }]);
  });

  it('applies new settings to the batch in progress', () => {
    const { clock, batches, batcher } = setup({
      debounceMs: 60_000,
      maxWaitMs: 120_000,
      maxFiles: 10,
    });
    batcher.add('a.ts');
    clock.advance(3000);
    batcher.update({ debounceMs: 60_000, maxWaitMs: 4000, maxFiles: 10 });
    clock.advance(999);
    expect(batches).toEqual([]);
    clock.advance(1);
    expect(batches).toMatchObject([{ reason: 'max-wait', at: 4000 }]);

    batcher.add('a.ts');
    batcher.add('b.ts');
    batcher.update({ debounceMs: 1000, maxWaitMs: 4000, maxFiles: 2 });
    expect(batches[1]).toMatchObject({ reason: 'max-files', paths: ['a.ts', 'b.ts'] });
  });

  it('leaves no timers behind after dispose', () => {
    const { clock, batches, batcher } = setup();
    batcher.add('a.ts');
    batcher.dispose();
    expect(clock.active).toBe(0);
    clock.advance(60_000);
    expect(batches).toEqual([]);
  });
});
