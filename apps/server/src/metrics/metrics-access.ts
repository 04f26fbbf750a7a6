// Who may read /metrics. The series name sessions and reveal activity, so they are never public:
// with CCR_METRICS_TOKEN set, a scraper presents that token; without it, an admin's bearer token
// (a personal access token suits a scraper) is required.
import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares in constant time (digests first, so lengths leak nothing either). */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
