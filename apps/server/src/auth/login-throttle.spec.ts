import { describe, expect, it } from 'vitest';
import { RateLimitError } from '../common/rate-limit.error';
import { InMemoryLoginAttemptStore } from './login-attempt.store';
import { defaultThrottlePolicy, lockoutMs, LoginThrottle } from './login-throttle';

const policy = defaultThrottlePolicy(30_000);

describe('lockoutMs', () => {
  it('is zero below the threshold, then doubles up to the cap', () => {
    expect(lockoutMs(4, 5, policy)).toBe(0);
    expect(lockoutMs(5, 5, policy)).toBe(30_000);
    expect(lockoutMs(6, 5, policy)).toBe(60_000);
    expect(lockoutMs(7, 5, policy)).toBe(120_000);
    expect(lockoutMs(50, 5, policy)).toBe(3_600_000);
    expect(lockoutMs(5_000, 5, policy)).toBe(3_600_000);
  });
});

describe('LoginThrottle', () => {
  const t0 = 1_000_000;

  async function fail(throttle: LoginThrottle, times: number, account: string, ip: string) {
    for (let i = 0; i < times; i++) {
      await throttle.recordFailure(account, ip, t0);
    }
  }

  it('locks the account after five failures and says when to retry', async () => {
    const throttle = new LoginThrottle(new InMemoryLoginAttemptStore(), policy);
    await fail(throttle, 4, 'a@x', '10.0.0.1');
    await expect(throttle.check('a@x', '10.0.0.1', t0)).resolves.toBeUndefined();
    await fail(throttle, 1, 'a@x', '10.0.0.1');
    const error = await throttle.check('a@x', '10.0.0.2', t0 + 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterSeconds).toBe(29);
    await expect(throttle.check('a@x', '10.0.0.2', t0 + 30_000)).resolves.toBeUndefined();
    // Another account from the same IP is not affected yet.
    await expect(throttle.check('b@x', '10.0.0.1', t0 + 1_000)).resolves.toBeUndefined();
  });

  it('locks an IP after twenty failures across accounts', async () => {
    const throttle = new LoginThrottle(new InMemoryLoginAttemptStore(), policy);
    for (let i = 0; i < 20; i++) {
      await throttle.recordFailure(`user${i}@x`, '10.0.0.9', t0);
    }
    await expect(throttle.check('fresh@x', '10.0.0.9', t0)).rejects.toBeInstanceOf(RateLimitError);
    await expect(throttle.check('fresh@x', '10.0.0.8', t0)).resolves.toBeUndefined();
  });

  it('clears the account counter on success and forgets failures after a day', async () => {
    const store = new InMemoryLoginAttemptStore();
    const throttle = new LoginThrottle(store, policy);
    await fail(throttle, 4, 'a@x', '10.0.0.1');
    await throttle.recordSuccess('a@x');
    await fail(throttle, 4, 'a@x', '10.0.0.1');
    await expect(throttle.check('a@x', '10.0.0.3', t0)).resolves.toBeUndefined();
    await fail(throttle, 1, 'a@x', '10.0.0.1');
    await expect(throttle.check('a@x', '10.0.0.3', t0)).rejects.toBeInstanceOf(RateLimitError);
    expect(await store.get('login:account:a@x', t0 + policy.memoryMs + 1)).toBeUndefined();
  });
});
