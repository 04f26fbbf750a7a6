import { describe, expect, it } from 'vitest';
import { matchTerminalPath, parseTerminalRequest } from './terminal-request';
import { TerminalError } from './terminals.errors';

function parse(url: string): ReturnType<typeof parseTerminalRequest> {
  const matched = matchTerminalPath(url);
  if (matched === null) {
    throw new Error('not a terminal path');
  }
  return parseTerminalRequest(matched);
}

function errorCode(url: string): string | undefined {
  try {
    parse(url);
  } catch (error) {
    return error instanceof TerminalError ? error.code : 'other';
  }
  return undefined;
}

describe('terminal upgrade requests', () => {
  it('matches only the terminal path', () => {
    expect(matchTerminalPath('/api/sessions/abc/terminals/shell')).not.toBeNull();
    expect(matchTerminalPath('/api/sessions/abc/terminals/shell?ticket=x')).not.toBeNull();
    expect(matchTerminalPath('/api/events')).toBeNull();
    expect(matchTerminalPath('/api/sessions/abc/terminals')).toBeNull();
    expect(matchTerminalPath('/api/sessions/abc/terminals/shell/extra')).toBeNull();
    expect(matchTerminalPath(undefined)).toBeNull();
  });

  it('reads the session, terminal, ticket and size with defaults', () => {
    expect(parse('/api/sessions/s-1/terminals/claude')).toEqual({
      sessionId: 's-1',
      terminal: 'claude',
      ticket: undefined,
      size: { cols: 80, rows: 24 },
    });
    expect(parse('/api/sessions/s-1/terminals/shell?ticket=abc_-1&cols=132&rows=43')).toEqual({
      sessionId: 's-1',
      terminal: 'shell',
      ticket: 'abc_-1',
      size: { cols: 132, rows: 43 },
    });
  });

  it('rejects bad sizes as bad requests', () => {
    expect(errorCode('/api/sessions/s/terminals/shell?cols=0')).toBe('TERMINAL_BAD_REQUEST');
    expect(errorCode('/api/sessions/s/terminals/shell?rows=1001')).toBe('TERMINAL_BAD_REQUEST');
    expect(errorCode('/api/sessions/s/terminals/shell?cols=8.5')).toBe('TERMINAL_BAD_REQUEST');
    expect(errorCode('/api/sessions/s/terminals/shell?cols=-3')).toBe('TERMINAL_BAD_REQUEST');
  });

  it('treats impossible names as unknown terminals', () => {
    expect(errorCode('/api/sessions/s/terminals/..%2F..')).toBe('TERMINAL_NOT_FOUND');
    expect(errorCode(`/api/sessions/s/terminals/${'x'.repeat(33)}`)).toBe('TERMINAL_NOT_FOUND');
    expect(errorCode('/api/sessions/%ZZ/terminals/shell')).toBe('TERMINAL_NOT_FOUND');
  });
});
