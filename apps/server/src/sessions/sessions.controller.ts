import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Inject,
  Ip,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBody, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  type CreateSessionBody,
  CreateSessionBodySchema,
  LogsQuerySchema,
  type Session,
  type UpdateSessionBody,
  UpdateSessionBodySchema,
} from '@ccr/protocol/api';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { SessionsService } from './sessions.service';

const ListQuerySchema = z.strictObject({ all: z.enum(['true', 'false']).optional() });

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Post()
  @ApiBody({
    schema: z.toJSONSchema(CreateSessionBodySchema, { unrepresentable: 'any' }) as object,
  })
  async create(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(CreateSessionBodySchema, { emptyAs: {} })) body: CreateSessionBody,
    @Ip() ip: string,
  ): Promise<Session> {
    const session = await this.sessions.create(user, body);
    await this.audit.record({
      type: 'session.created',
      actor: user,
      sessionId: session.id,
      ip,
      data: { name: session.name, repoUrl: session.repoUrl, branch: session.branch },
    });
    return session;
  }

  @Get()
  list(
    @CurrentUser() user: AuthUser,
    @Query(new ZodValidationPipe(ListQuerySchema)) query: z.infer<typeof ListQuerySchema>,
  ): Promise<Session[]> {
    return this.sessions.list(user, query.all === 'true');
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<Session> {
    return this.sessions.getForUser(user, id);
  }

  @Patch(':id')
  @ApiBody({
    schema: z.toJSONSchema(UpdateSessionBodySchema, { unrepresentable: 'any' }) as object,
  })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body(new ZodValidationPipe(UpdateSessionBodySchema, { emptyAs: {} })) body: UpdateSessionBody,
  ): Promise<Session> {
    return this.sessions.update(user, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Ip() ip: string,
  ): Promise<void> {
    await this.sessions.delete(user, id);
    await this.audit.record({ type: 'session.deleted', actor: user, sessionId: id, ip });
  }

  @Post(':id/stop')
  @HttpCode(200)
  async stop(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Ip() ip: string,
  ): Promise<Session> {
    const session = await this.sessions.stop(user, id);
    await this.audit.record({ type: 'session.stopped', actor: user, sessionId: id, ip });
    return session;
  }

  @Post(':id/start')
  @HttpCode(200)
  async start(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Ip() ip: string,
  ): Promise<Session> {
    const session = await this.sessions.start(user, id);
    await this.audit.record({ type: 'session.started', actor: user, sessionId: id, ip });
    return session;
  }

  @Get(':id/logs')
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  logs(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query(new ZodValidationPipe(LogsQuerySchema)) query: z.infer<typeof LogsQuerySchema>,
  ): Promise<string> {
    return this.sessions.logs(user, id, query.tail);
  }
}
