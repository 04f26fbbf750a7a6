import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Health } from '@ccr/protocol/api';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { Database } from '../db/database.provider';
import { Runtime } from '../runtime/runtime.port';

const CHECK_TIMEOUT_MS = 3000;

async function check(probe: () => Promise<void>): Promise<Health['checks'][string]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'ok' };
  } catch (error) {
    return { status: 'fail', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(Runtime) private readonly runtime: Runtime,
  ) {}

  /** 200 when every dependency answers, 503 (same body) when one does not, for load balancers. */
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<Health> {
    const [database, runtime] = await Promise.all([
      check(() => this.database.ping()),
      check(() => this.runtime.ping()),
    ]);
    const status = database.status === 'ok' && runtime.status === 'ok' ? 'ok' : 'degraded';
    void reply.status(status === 'ok' ? 200 : 503).header('cache-control', 'no-store');
    return { status, checks: { database, runtime } };
  }
}
