import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuthError } from '../auth/auth.errors';
import { SessionError } from '../sessions/sessions.errors';
import { toHttpError } from './http-error';
import { fieldsFromZodError, ValidationError } from './validation.error';

describe('toHttpError', () => {
  it('maps AppError kinds to statuses with code and fields', () => {
    expect(toHttpError(new SessionError('SESSION_NOT_FOUND')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'session not found',
      code: 'SESSION_NOT_FOUND',
    });
    expect(toHttpError(new SessionError('SESSION_INVALID_STATE')).body.statusCode).toBe(409);
    expect(toHttpError(new AuthError('UNAUTHORIZED')).body.statusCode).toBe(401);
    expect(toHttpError(new ValidationError({ name: 'bad' })).body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: 'name: bad',
      fields: { name: 'bad' },
    });
    expect(toHttpError(new SessionError('SANDBOX_IMAGE_MISSING')).body.statusCode).toBe(503);
  });

  it('hides the message of unexpected errors and marks them internal', () => {
    const result = toHttpError(new Error('database password is hunter2'));
    expect(result).toEqual({
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' },
      internal: true,
    });
    expect(JSON.stringify(toHttpError(new HttpException('secret detail', 500)).body)).not.toContain(
      'secret',
    );
  });

  it('keeps Nest HTTP exceptions and recognises malformed JSON', () => {
    expect(toHttpError(new NotFoundException('Cannot GET /api/x')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /api/x',
    });
    expect(
      toHttpError(
        new HttpException(
          "Body is not valid JSON but content-type is set to 'application/json'",
          400,
        ),
      ).body,
    ).toMatchObject({
      statusCode: 400,
      fields: { body: 'malformed JSON' },
    });
    expect(toHttpError(new BadRequestException('nope')).body.message).toBe('nope');
  });

  it('maps raw Fastify client errors by status code', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(toHttpError(tooLarge).body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is too large',
    });
  });

  it('maps a ZodError to 400 with every field', () => {
    const parsed = z
      .strictObject({ a: z.string(), b: z.object({ c: z.number() }) })
      .safeParse({ a: 1, b: { c: 'x' }, extra: 1 });
    expect(parsed.success).toBe(false);
    const { body } = toHttpError(parsed.error);
    expect(body.statusCode).toBe(400);
    expect(Object.keys(body.fields ?? {}).sort()).toEqual(['a', 'b.c', 'extra']);
  });
});

describe('fieldsFromZodError', () => {
  it('names the root when the whole value is wrong', () => {
    const parsed = z.object({}).safeParse('text');
    expect(parsed.success).toBe(false);
    expect(Object.keys(fieldsFromZodError(parsed.error!, 'body'))).toEqual(['body']);
  });
});
