import { AppError, type ErrorKind } from '../common/app-error';

export type AuthErrorCode = 'UNAUTHORIZED' | 'INVALID_CREDENTIALS' | 'FORBIDDEN';

const kinds: Record<AuthErrorCode, ErrorKind> = {
  UNAUTHORIZED: 'unauthorized',
  INVALID_CREDENTIALS: 'unauthorized',
  FORBIDDEN: 'forbidden',
};

const messages: Record<AuthErrorCode, string> = {
  UNAUTHORIZED: 'authentication required',
  INVALID_CREDENTIALS: 'invalid email or password',
  FORBIDDEN: 'not allowed',
};

export class AuthError extends AppError<AuthErrorCode> {
  readonly kind: ErrorKind;

  constructor(code: AuthErrorCode, options?: { cause?: unknown; message?: string }) {
    super(code, options?.message ?? messages[code], options);
    this.kind = kinds[code];
  }
}
