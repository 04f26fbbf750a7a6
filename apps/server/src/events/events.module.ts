import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus.port';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { InProcessEventBus } from './in-process-event-bus';

@Global()
@Module({
  controllers: [EventsController],
  providers: [
    EventsRepository,
    EventsService,
    InProcessEventBus,
    { provide: EventBus, useExisting: InProcessEventBus },
  ],
  exports: [EventBus, EventsRepository],
})
export class EventsModule {}
