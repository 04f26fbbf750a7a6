import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toHttpError } from './http-error';
import { RateLimitError } from './rate-limit.error';

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      throw exception;
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { body, internal } = toHttpError(exception);
    if (internal) {
      this.logger.error(exception instanceof Error ? exception : String(exception));
    }
    // A hijacked reply (SSE) has already sent its head; there is nothing left to answer.
    if (reply.sent || reply.raw.headersSent) {
      return;
    }
    if (exception instanceof RateLimitError) {
      void reply.header('retry-after', String(exception.retryAfterSeconds));
    }
    // Explicit type: a route may have preset another one (the logs route answers text/plain).
    void reply
      .status(body.statusCode)
      .header('cache-control', 'no-store')
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }
}
