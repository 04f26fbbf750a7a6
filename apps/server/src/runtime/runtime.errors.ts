import { AppError, type ErrorKind } from '../common/app-error';

export type RuntimeErrorCode =
  | 'RUNTIME_UNAVAILABLE'
  | 'SANDBOX_NOT_FOUND'
  | 'IMAGE_NOT_FOUND'
  | 'RUNTIME_TIMEOUT'
  | 'RUNTIME_FAILED';

const kinds: Record<RuntimeErrorCode, ErrorKind> = {
  RUNTIME_UNAVAILABLE: 'unavailable',
  SANDBOX_NOT_FOUND: 'not_found',
  // A missing image is an operator problem (run `npm run image`), not the caller's.
  IMAGE_NOT_FOUND: 'unavailable',
  RUNTIME_TIMEOUT: 'unavailable',
  RUNTIME_FAILED: 'internal',
};

const messages: Record<RuntimeErrorCode, string> = {
  RUNTIME_UNAVAILABLE: 'The container runtime is not available',
  SANDBOX_NOT_FOUND: 'The session has no container',
  IMAGE_NOT_FOUND: 'The sandbox image is missing on the container engine',
  RUNTIME_TIMEOUT: 'The container runtime did not answer in time',
  RUNTIME_FAILED: 'The container runtime failed',
};

export class RuntimeError extends AppError<RuntimeErrorCode> {
  readonly kind: ErrorKind;

  constructor(code: RuntimeErrorCode, options?: { cause?: unknown; message?: string }) {
    super(code, options?.message ?? messages[code], { cause: options?.cause });
    this.kind = kinds[code];
  }
}
