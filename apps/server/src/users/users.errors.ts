import { AppError, type ErrorKind } from '../common/app-error';

export type UserErrorCode = 'USER_EMAIL_TAKEN' | 'USER_NOT_FOUND' | 'LAST_ADMIN';

const kinds: Record<UserErrorCode, ErrorKind> = {
  USER_EMAIL_TAKEN: 'conflict',
  USER_NOT_FOUND: 'not_found',
  LAST_ADMIN: 'conflict',
};

const messages: Record<UserErrorCode, string> = {
  USER_EMAIL_TAKEN: 'a user with this email already exists',
  USER_NOT_FOUND: 'user not found',
  LAST_ADMIN: 'this is the last active administrator; promote another user first',
};

export class UserError extends AppError<UserErrorCode> {
  readonly kind: ErrorKind;

  constructor(code: UserErrorCode, options?: { cause?: unknown }) {
    super(code, messages[code], options);
    this.kind = kinds[code];
  }
}
