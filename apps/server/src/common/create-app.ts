import fastifyCookie from '@fastify/cookie';
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
