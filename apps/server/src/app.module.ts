import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { loggerParams } from './common/logger';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/env';
import { DatabaseModule } from './db/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { RuntimeModule } from './runtime/runtime.module';
import { SessionsModule } from './sessions/sessions.module';
import { TerminalsModule } from './terminals/terminals.module';
import { UsageModule } from './usage/usage.module';
import { UserAdminModule } from './users/user-admin.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        DatabaseModule,
        EventsModule,
        AuditModule,
        RuntimeModule,
        AuthModule,
        UserAdminModule,
        SessionsModule,
        TerminalsModule,
        HealthModule,
        MetricsModule,
        UsageModule,
      ],
    };
  }
}
