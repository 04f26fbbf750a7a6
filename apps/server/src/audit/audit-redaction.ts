// Audit entries must never hold a secret, whatever a caller passes in: any key that names one
// is replaced, at every depth, before the entry is written.
const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential/i;
export const REDACTED = '[redacted]';
const MAX_DEPTH = 6;

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) {
    return REDACTED;
  }
  if (Array.isArray(value)) {
    return value.map((item) => redactSecrets(item, depth + 1));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        SECRET_KEY.test(key) && typeof item !== 'boolean'
          ? REDACTED
          : redactSecrets(item, depth + 1),
      ]),
    );
  }
  return value;
}
