import { describe, expect, it } from 'vitest';
import { backoffDelay, terminalSocketUrl } from './terminal-connection';

describe('backoffDelay', () => {
  it('doubles from 0.5 s and caps at 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(backoffDelay)).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
  });
});

describe('terminalSocketUrl', () => {
  it('uses wss behind https and carries ticket and size in the query', () => {
    const url = new URL(
      terminalSocketUrl(
        { protocol: 'https:', host: 'ccr.example.com' },
        'abc',
        'shell',
        't/k+',
        120,
        40,
      ),
    );
    expect(url.protocol).toBe('wss:');
    expect(url.pathname).toBe('/api/sessions/abc/terminals/shell');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      ticket: 't/k+',
      cols: '120',
      rows: '40',
    });
  });

  it('uses ws behind http and keeps the port', () => {
    expect(
      terminalSocketUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 's', 'claude', 't', 80, 24),
    ).toBe('ws://127.0.0.1:8080/api/sessions/s/terminals/claude?ticket=t&cols=80&rows=24');
  });
});
