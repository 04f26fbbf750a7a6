import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from './audit-redaction';

describe('redactSecrets', () => {
  it('replaces secret-named values at any depth and keeps the rest', () => {
    expect(
      redactSecrets({
        email: 'a@b.c',
        password: 'hunter2hunter2',
        nested: { newPassword: 'x', apiKey: 'k', list: [{ token: 't', name: 'n' }] },
        headers: { Authorization: 'Bearer abc', cookie: 'ccr_refresh=1' },
      }),
    ).toEqual({
      email: 'a@b.c',
      password: REDACTED,
      nested: { newPassword: REDACTED, apiKey: REDACTED, list: [{ token: REDACTED, name: 'n' }] },
      headers: { Authorization: REDACTED, cookie: REDACTED },
    });
  });

  it('keeps booleans that only say a secret changed', () => {
    expect(redactSecrets({ passwordChanged: true })).toEqual({ passwordChanged: true });
  });

  it('cuts off structures deeper than it inspects', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10; i++) {
      deep = { level: deep };
    }
    expect(JSON.stringify(redactSecrets(deep))).toContain(REDACTED);
    expect(JSON.stringify(redactSecrets(deep))).not.toContain('leaf');
  });
});
