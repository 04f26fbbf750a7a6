// Where failed-login counters live. A port because a second implementation is real: with
// several server replicas the counters must be shared (a Redis adapter keyed the same way,
// recordFailure being one atomic HINCRBY/HSET/PEXPIRE), while one process keeps them in memory.
export type LoginAttemptState = { failures: number; lastFailureAt: number };

export abstract class LoginAttemptStore {
  abstract get(key: string, now: number): Promise<LoginAttemptState | undefined>;
  /** Counts one more failure atomically; the state is forgotten `ttlMs` after the last one. */
  abstract recordFailure(key: string, now: number, ttlMs: number): Promise<LoginAttemptState>;
  abstract clear(key: string): Promise<void>;
}

const MAX_KEYS = 100_000;

export class InMemoryLoginAttemptStore extends LoginAttemptStore {
  private readonly states = new Map<string, LoginAttemptState & { expiresAt: number }>();

  get(key: string, now: number): Promise<LoginAttemptState | undefined> {
    const state = this.states.get(key);
    if (state && state.expiresAt <= now) {
      this.states.delete(key);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(
      state && { failures: state.failures, lastFailureAt: state.lastFailureAt },
    );
  }

  recordFailure(key: string, now: number, ttlMs: number): Promise<LoginAttemptState> {
    const previous = this.states.get(key);
    const failures = previous && previous.expiresAt > now ? previous.failures + 1 : 1;
    // Re-inserting keeps the map in last-failure order, so eviction drops the stalest key.
    this.states.delete(key);
    this.states.set(key, { failures, lastFailureAt: now, expiresAt: now + ttlMs });
    if (this.states.size > MAX_KEYS) {
      // Bounded memory under a spray of made-up emails; the IP counter still holds the sprayer.
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) {
        this.states.delete(oldest);
      }
    }
    return Promise.resolve({ failures, lastFailureAt: now });
  }

  clear(key: string): Promise<void> {
    this.states.delete(key);
    return Promise.resolve();
  }
}
