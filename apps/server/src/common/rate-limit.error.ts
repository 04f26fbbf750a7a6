import { AppError } from './app-error';

/** 429 with a Retry-After header: the caller may try again after that many seconds. */
export class RateLimitError extends AppError<'RATE_LIMITED'> {
  readonly kind = 'rate_limited';

  constructor(
    readonly retryAfterSeconds: number,
    message = 'too many attempts; try again later',
  ) {
    super('RATE_LIMITED', message);
  }
}
