import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { UsageSamplerService } from './usage-sampler.service';
import { UsageController } from './usage.controller';
import { UsageRepository } from './usage.repository';
import { UsageService } from './usage.service';

@Module({
  imports: [SessionsModule],
  controllers: [UsageController],
  providers: [UsageRepository, UsageService, UsageSamplerService],
  exports: [UsageSamplerService],
})
export class UsageModule {}
