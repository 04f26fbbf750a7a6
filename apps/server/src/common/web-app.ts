// The built SPA is served by the API server on its own port: real files as they are, and
// index.html for client routes (GET, not /api, accepting HTML); anything else is a JSON 404.
import { existsSync, statSync } from 'node:fs';
import { join, normalize, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/env';

export function webDistDir(config: AppConfig): string {
  // From src/common or dist/common alike, the web app's build is apps/web/dist.
  return resolve(config.values.webDist ?? join(__dirname, '..', '..', '..', 'web', 'dist'));
}

function fileIn(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) {
    return null;
  }
  const candidate = resolve(root, `.${normalize(`/${decoded}`)}`);
  const rel = relative(root, candidate);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) {
    return null;
  }
  try {
    return statSync(candidate).isFile() ? rel : null;
  } catch {
    return null;
  }
}

export async function registerWebApp(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<{ served: boolean; root: string }> {
  const root = webDistDir(config);
  const served = existsSync(join(root, 'index.html'));
  const fastify = app.getHttpAdapter().getInstance();
  if (served) {
    await app.register(fastifyStatic, { root, serve: false });
  }
  fastify.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    handler: (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (!served || path === '/api' || path.startsWith('/api/')) {
        return reply.callNotFound();
      }
      const file = fileIn(root, path);
      if (file) {
        const hashed = file.startsWith(`assets${sep}`);
        return reply.sendFile(
          file,
          hashed ? { maxAge: '365d', immutable: true } : { cacheControl: false },
        );
      }
      if ((request.headers.accept ?? '').includes('text/html')) {
        return reply
          .header('cache-control', 'no-cache')
          .sendFile('index.html', { cacheControl: false });
      }
      return reply.callNotFound();
    },
  });
  return { served, root };
}
