import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { EventsService, parseLastEventId } from './events.service';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(@Inject(EventsService) private readonly events: EventsService) {}

  @Get()
  @ApiProduces('text/event-stream')
  async stream(
    @CurrentUser() user: AuthUser,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Fastify and Nest must not buffer or finish this response: it stays open and is written raw.
    reply.hijack();
    await this.events.stream(user, parseLastEventId(lastEventId), reply.raw);
  }
}
