// One mapping from anything thrown to the API's error body, shared by the Nest exception filter
// and Fastify's own error handler (body parsing, limits), so every error has the same shape.
import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { ZodError } from 'zod';
import { AppError, type ErrorKind } from './app-error';
import { describeFields, fieldsFromZodError } from './validation.error';

export interface HttpErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  fields?: Record<string, string>;
}

const statusByKind: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

function isAppError(value: unknown): value is AppError<string> {
  return value instanceof AppError;
}

export function statusForKind(kind: ErrorKind): number {
  return statusByKind[kind];
}

function body(
  statusCode: number,
  message: string,
  extra: Partial<HttpErrorBody> = {},
): HttpErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...extra };
}

/** `internal` is true when the error is a server fault that should be logged with its stack. */
export function toHttpError(exception: unknown): { body: HttpErrorBody; internal: boolean } {
  if (isAppError(exception)) {
    const error = exception;
    const status = statusForKind(error.kind);
    const internal = error.kind === 'internal';
    return {
      body: body(status, internal ? 'Internal Server Error' : error.message, {
        code: error.code,
        ...(error.fields ? { fields: error.fields } : {}),
      }),
      internal,
    };
  }
  if (exception instanceof ZodError) {
    const fields = fieldsFromZodError(exception, 'body');
    return {
      body: body(400, describeFields(fields), { code: 'VALIDATION', fields }),
      internal: false,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // Nest rewraps Fastify's body-parser errors as HttpException, keeping only the message.
    if (status === 400 && /not valid JSON/i.test(exception.message)) {
      return malformedJson();
    }
    if (status === 400 && /body cannot be empty/i.test(exception.message)) {
      return emptyJsonBody();
    }
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : typeof (response as { message?: unknown }).message === 'string'
          ? (response as { message: string }).message
          : exception.message;
    return {
      body: body(status, status >= 500 ? 'Internal Server Error' : message),
      internal: status >= 500,
    };
  }
  const fastifyError = exception as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
  } | null;
  const statusCode = fastifyError?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const code = typeof fastifyError?.code === 'string' ? fastifyError.code : undefined;
    if (
      statusCode === 400 &&
      (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || exception instanceof SyntaxError)
    ) {
      return malformedJson();
    }
    if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return emptyJsonBody();
    }
    const message =
      typeof fastifyError?.message === 'string'
        ? fastifyError.message
        : (STATUS_CODES[statusCode] ?? 'Error');
    return { body: body(statusCode, message), internal: false };
  }
  return { body: body(500, 'Internal Server Error'), internal: true };
}

function malformedJson(): { body: HttpErrorBody; internal: boolean } {
  return {
    body: body(400, 'body: malformed JSON', {
      code: 'VALIDATION',
      fields: { body: 'malformed JSON' },
    }),
    internal: false,
  };
}

function emptyJsonBody(): { body: HttpErrorBody; internal: boolean } {
  const reason = 'must not be empty when Content-Type is application/json';
  return {
    body: body(400, `body: ${reason}`, { code: 'VALIDATION', fields: { body: reason } }),
    internal: false,
  };
}
