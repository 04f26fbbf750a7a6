import { Module } from '@nestjs/common';
import { AgentEventsService } from './agent-events.service';
import { SessionCommitsController } from './session-commits.controller';
import { SessionCommitsService } from './session-commits.service';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

@Module({
  controllers: [SessionsController, SessionCommitsController],
  providers: [SessionsRepository, SessionsService, AgentEventsService, SessionCommitsService],
  exports: [SessionsService],
})
export class SessionsModule {}
