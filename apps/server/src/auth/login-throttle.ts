// Failed logins are limited per account and per client IP with growing backoff: after
// `threshold` failures the key is locked for the base window, and every further failure
// doubles it up to a cap. A success clears the account's counter (not the IP's, which may be
// shared by an attacker and a legitimate user behind one NAT).
import { RateLimitError } from '../common/rate-limit.error';
import type { LoginAttemptState, LoginAttemptStore } from './login-attempt.store';

export type ThrottlePolicy = {
  accountThreshold: number;
  ipThreshold: number;
  baseLockoutMs: number;
  maxLockoutMs: number;
  /** Failures are forgotten this long after the last one. */
  memoryMs: number;
};

export function defaultThrottlePolicy(baseLockoutMs: number): ThrottlePolicy {
  return {
    accountThreshold: 5,
    ipThreshold: 20,
    baseLockoutMs,
    maxLockoutMs: Math.max(baseLockoutMs, 3_600_000),
    memoryMs: 24 * 3_600_000,
  };
}

export function lockoutMs(failures: number, threshold: number, policy: ThrottlePolicy): number {
  if (failures < threshold) {
    return 0;
  }
  const doublings = Math.min(failures - threshold, 30);
  return Math.min(policy.baseLockoutMs * 2 ** doublings, policy.maxLockoutMs);
}

export function lockedUntil(
  state: LoginAttemptState | undefined,
  threshold: number,
  policy: ThrottlePolicy,
): number {
  return state ? state.lastFailureAt + lockoutMs(state.failures, threshold, policy) : 0;
}

export class LoginThrottle {
  constructor(
    private readonly store: LoginAttemptStore,
    private readonly policy: ThrottlePolicy,
  ) {}

  /** Throws RateLimitError while the account or the IP is locked. */
  async check(account: string, ip: string, now = Date.now()): Promise<void> {
    const [accountState, ipState] = await Promise.all([
      this.store.get(accountKey(account), now),
      this.store.get(ipKey(ip), now),
    ]);
    const until = Math.max(
      lockedUntil(accountState, this.policy.accountThreshold, this.policy),
      lockedUntil(ipState, this.policy.ipThreshold, this.policy),
    );
    if (until > now) {
      throw new RateLimitError(Math.ceil((until - now) / 1000));
    }
  }

  async recordFailure(account: string, ip: string, now = Date.now()): Promise<void> {
    await Promise.all([
      this.store.recordFailure(accountKey(account), now, this.policy.memoryMs),
      this.store.recordFailure(ipKey(ip), now, this.policy.memoryMs),
    ]);
  }

  recordSuccess(account: string): Promise<void> {
    return this.store.clear(accountKey(account));
  }
}

function accountKey(account: string): string {
  return `login:account:${account}`;
}

function ipKey(ip: string): string {
  return `login:ip:${ip}`;
}
