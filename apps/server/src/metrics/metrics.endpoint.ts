// GET /metrics outside the /api prefix (the path scrapers expect), served by Fastify directly,
// and the request-duration hook. Both sit on the Fastify instance rather than in a Nest
// controller: the global prefix would apply to a controller, and a Nest interceptor would miss
// requests refused by guards or matching no route.
import { STATUS_CODES } from 'node:http';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from '../auth/auth.errors';
import { bearerToken } from '../auth/auth.guard';
import { AuthService } from '../auth/auth.service';
import { AppConfig } from '../config/env';
import { tokenMatches } from './metrics-access';
import { MetricsService } from './metrics.service';

export const METRICS_PATH = '/metrics';
/** Route label of requests that matched no route (404s, scans): one series, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

@Injectable()
export class MetricsEndpoint implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      this.metrics.observeHttpRequest(
        request.method,
        request.routeOptions.url ?? UNMATCHED_ROUTE,
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });
    fastify.get(METRICS_PATH, (request, reply) => this.serve(request, reply));
  }

  private async serve(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    void reply.header('cache-control', 'no-store');
    const status = await this.authorize(request.headers.authorization);
    if (status !== 200) {
      if (status === 401) {
        void reply.header('www-authenticate', 'Bearer');
      }
      await reply.code(status).send({
        statusCode: status,
        error: STATUS_CODES[status],
        message: status === 401 ? 'authentication required' : 'admin role required',
      });
      return;
    }
    const { contentType, body } = await this.metrics.render();
    await reply.code(200).header('content-type', contentType).send(body);
  }

  private async authorize(header: string | undefined): Promise<200 | 401 | 403> {
    const token = bearerToken(header);
    if (token === undefined) {
      return 401;
    }
    const expected = this.config.values.metricsToken;
    if (expected !== undefined) {
      return tokenMatches(token, expected) ? 200 : 401;
    }
    try {
      const user = await this.auth.authenticateBearer(token);
      return user.role === 'admin' ? 200 : 403;
    } catch (error) {
      if (error instanceof AuthError) {
        return 401;
      }
      throw error;
    }
  }
}
