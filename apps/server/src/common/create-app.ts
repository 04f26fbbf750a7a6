import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config/env';
import { HttpExceptionFilter } from './http-exception.filter';
import { requestIdFor } from './logger';
import { registerWebApp } from './web-app';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export type RouteEntry = { method: string; url: string };
const routeTables = new WeakMap<object, RouteEntry[]>();

/** Every route registered on the app's Fastify instance, as registered (tests walk it). */
export function routeTable(app: NestFastifyApplication): RouteEntry[] {
  return [...(routeTables.get(app.getHttpAdapter().getInstance()) ?? [])];
}

/**
 * Content Security Policy for the SPA: scripts only from our origin. Styles also inline,
 * because MUI (emotion) injects <style> elements and xterm.js sets style attributes; the
 * WebGL renderer needs nothing more. 'self' covers the same-origin terminal WebSocket.
 */
export function contentSecurityPolicy(https: boolean): Record<string, string[] | null> {
  return {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'],
    manifestSrc: ["'self'"],
    // Only over HTTPS: on a plain-HTTP deployment it would rewrite every load to https.
    upgradeInsecureRequests: https ? [] : null,
  };
}

/** Builds and initialises the whole application (not yet listening); used by main.ts and tests. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: false,
    logger: false,
    genReqId: requestIdFor,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const routes: RouteEntry[] = [];
  routeTables.set(adapter.getInstance(), routes);
  adapter.getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url });
    }
  });
  const https = config.values.publicUrl.startsWith('https:');
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(https) },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new HttpExceptionFilter());
  await app.register(fastifyCookie);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      void reply.header('x-request-id', request.id);
      done();
    });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('claude-code-remote')
      .setDescription('Control plane API (DESIGN section 4).')
      .setVersion('0.1.0')
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('api/docs/ui', app, document, {
    jsonDocumentUrl: 'api/docs',
    yamlDocumentUrl: 'api/docs/yaml',
  });

  const web = await registerWebApp(app, config);
  if (!web.served) {
    new NestLogger('WebApp').warn(
      `web app not built (no ${web.root}/index.html); run npm run build -w @ccr/web`,
    );
  }
  await app.init();
  return app;
}
