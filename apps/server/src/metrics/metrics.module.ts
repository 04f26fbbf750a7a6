import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MetricsEndpoint } from './metrics.endpoint';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';

// Global: the terminal gateway and the usage sampler report into the same registry.
@Global()
@Module({
  imports: [AuthModule],
  providers: [MetricsRepository, MetricsService, MetricsEndpoint],
  exports: [MetricsService],
})
export class MetricsModule {}
