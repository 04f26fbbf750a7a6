import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TerminalTicketClock, TerminalTicketsService } from './terminal-tickets.service';
import { TerminalKeepalive, TerminalsGateway } from './terminals.gateway';
import { TerminalsController } from './terminals.controller';

@Module({
  imports: [AuthModule, SessionsModule],
  controllers: [TerminalsController],
  providers: [TerminalTicketClock, TerminalTicketsService, TerminalKeepalive, TerminalsGateway],
  exports: [TerminalTicketsService],
})
export class TerminalsModule {}
