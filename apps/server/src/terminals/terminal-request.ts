// Parsing of the terminal upgrade request line (DESIGN section 5):
// GET /api/sessions/:id/terminals/:name?ticket=&cols=&rows=
import { TerminalError } from './terminals.errors';

export const TERMINAL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const PATH_PATTERN = /^\/api\/sessions\/([^/]+)\/terminals\/([^/]+)\/?$/;
export const DEFAULT_TERMINAL_SIZE = { cols: 80, rows: 24 } as const;
const MAX_DIMENSION = 1000;

export interface TerminalRequest {
  sessionId: string;
  terminal: string;
  ticket: string | undefined;
  size: { cols: number; rows: number };
}

/** Null when the path is not a terminal path at all (someone else's upgrade). */
export function matchTerminalPath(url: string | undefined): URL | null {
  if (url === undefined) {
    return null;
  }
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://localhost');
  } catch {
    return null;
  }
  return PATH_PATTERN.test(parsed.pathname) ? parsed : null;
}

function dimension(params: URLSearchParams, name: 'cols' | 'rows'): number {
  const raw = params.get(name);
  if (raw === null || raw === '') {
    return DEFAULT_TERMINAL_SIZE[name];
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_DIMENSION) {
    throw new TerminalError('TERMINAL_BAD_REQUEST', {
      message: `${name}: must be an integer from 1 to ${MAX_DIMENSION}`,
    });
  }
  return value;
}

export function parseTerminalRequest(url: URL): TerminalRequest {
  const match = PATH_PATTERN.exec(url.pathname);
  if (match === null) {
    throw new TerminalError('TERMINAL_NOT_FOUND');
  }
  let sessionId: string;
  let terminal: string;
  try {
    sessionId = decodeURIComponent(match[1] ?? '');
    terminal = decodeURIComponent(match[2] ?? '');
  } catch {
    throw new TerminalError('TERMINAL_NOT_FOUND');
  }
  // Anything that cannot be a session id or a terminal name cannot exist either.
  if (!SESSION_ID_PATTERN.test(sessionId) || !TERMINAL_NAME_PATTERN.test(terminal)) {
    throw new TerminalError('TERMINAL_NOT_FOUND');
  }
  const ticket = url.searchParams.get('ticket') ?? undefined;
  return {
    sessionId,
    terminal,
    ticket: ticket === '' ? undefined : ticket,
    size: { cols: dimension(url.searchParams, 'cols'), rows: dimension(url.searchParams, 'rows') },
  };
}
