import { AppError, type ErrorKind } from '../common/app-error';

export type TerminalErrorCode =
  | 'TERMINAL_NOT_FOUND'
  | 'TICKET_INVALID'
  | 'TICKET_MISMATCH'
  | 'TOO_MANY_TICKETS'
  | 'ORIGIN_NOT_ALLOWED'
  | 'SESSION_NOT_RUNNING'
  | 'TERMINAL_BAD_REQUEST';

const kinds: Record<TerminalErrorCode, ErrorKind> = {
  TERMINAL_NOT_FOUND: 'not_found',
  TICKET_INVALID: 'unauthorized',
  TICKET_MISMATCH: 'forbidden',
  TOO_MANY_TICKETS: 'rate_limited',
  ORIGIN_NOT_ALLOWED: 'forbidden',
  SESSION_NOT_RUNNING: 'conflict',
  TERMINAL_BAD_REQUEST: 'bad_request',
};

const messages: Record<TerminalErrorCode, string> = {
  TERMINAL_NOT_FOUND: 'terminal not found',
  TICKET_INVALID: 'the terminal ticket is invalid, used or expired',
  TICKET_MISMATCH: 'the terminal ticket was issued for another terminal',
  TOO_MANY_TICKETS: 'too many terminal tickets outstanding; try again shortly',
  ORIGIN_NOT_ALLOWED: 'origin not allowed',
  SESSION_NOT_RUNNING: 'the session is not running',
  TERMINAL_BAD_REQUEST: 'invalid terminal request',
};

export class TerminalError extends AppError<TerminalErrorCode> {
  readonly kind: ErrorKind;

  constructor(code: TerminalErrorCode, options?: { cause?: unknown; message?: string }) {
    super(code, options?.message ?? messages[code], options);
    this.kind = kinds[code];
  }
}
