// Base of every feature's error class. Services throw these (never HTTP exceptions); the HTTP
// filter and the WebSocket close logic map `kind` to a status or close code, so both agree.
export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export abstract class AppError<Code extends string = string> extends Error {
  abstract readonly kind: ErrorKind;

  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown; fields?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.fields = options?.fields;
  }

  /** Field path → problem, for validation errors the UI shows beside each field. */
  readonly fields: Record<string, string> | undefined;
}
