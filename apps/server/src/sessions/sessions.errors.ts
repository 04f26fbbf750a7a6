import { AppError, type ErrorKind } from '../common/app-error';

export type SessionErrorCode =
  | 'SESSION_NOT_FOUND'
  | 'SESSION_NAME_TAKEN'
  | 'SESSION_INVALID_STATE'
  | 'VALIDATION'
  | 'SANDBOX_IMAGE_MISSING'
  | 'SESSION_NOT_READY';

const kinds: Record<SessionErrorCode, ErrorKind> = {
  SESSION_NOT_FOUND: 'not_found',
  SESSION_NAME_TAKEN: 'conflict',
  SESSION_INVALID_STATE: 'conflict',
  VALIDATION: 'bad_request',
  SANDBOX_IMAGE_MISSING: 'unavailable',
  SESSION_NOT_READY: 'unavailable',
};

const messages: Record<SessionErrorCode, string> = {
  SESSION_NOT_FOUND: 'session not found',
  SESSION_NAME_TAKEN: 'you already have a session with this name',
  SESSION_INVALID_STATE: 'the session cannot do that in its current state',
  VALIDATION: 'invalid input',
  SANDBOX_IMAGE_MISSING: 'the sandbox image is not available on the container engine',
  SESSION_NOT_READY: 'the sandbox did not become ready',
};

export class SessionError extends AppError<SessionErrorCode> {
  readonly kind: ErrorKind;

  constructor(
    code: SessionErrorCode,
    options?: { cause?: unknown; message?: string; fields?: Record<string, string> },
  ) {
    super(code, options?.message ?? messages[code], options);
    this.kind = kinds[code];
  }
}
