import { AppError, type ErrorKind } from '../common/app-error';

export type AuthErrorCode =
  'UNAUTHORIZED' | 'INVALID_CREDENTIALS' | 'FORBIDDEN' | 'TOKEN_NOT_FOUND' | 'TOO_MANY_TOKENS';

const kinds: Record<AuthErrorCode, ErrorKind> = {
  UNAUTHORIZED: 'unauthorized',
  INVALID_CREDENTIALS: 'unauthorized',
  FORBIDDEN: 'forbidden',
  TOKEN_NOT_FOUND: 'not_found',
  TOO_MANY_TOKENS: 'conflict',
};

const messages: Record<AuthErrorCode, string> = {
  UNAUTHORIZED: 'authentication required',
  INVALID_CREDENTIALS: 'invalid email or password',
  FORBIDDEN: 'not allowed',
  TOKEN_NOT_FOUND: 'token not found',
  TOO_MANY_TOKENS: 'too many personal access tokens; delete one first',
};

export class AuthError extends AppError<AuthErrorCode> {
  readonly kind: ErrorKind;

  constructor(code: AuthErrorCode, options?: { cause?: unknown; message?: string }) {
    super(code, options?.message ?? messages[code], options);
    this.kind = kinds[code];
  }
}
