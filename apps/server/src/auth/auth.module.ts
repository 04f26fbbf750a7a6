import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { InMemoryLoginAttemptStore, LoginAttemptStore } from './login-attempt.store';
import { PersonalAccessTokensRepository } from './personal-access-tokens.repository';
import { PersonalAccessTokensService } from './personal-access-tokens.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { TokensController } from './tokens.controller';

@Module({
  imports: [UsersModule],
  controllers: [AuthController, TokensController],
  providers: [
    AuthService,
    RefreshTokensRepository,
    PersonalAccessTokensRepository,
    PersonalAccessTokensService,
    { provide: LoginAttemptStore, useClass: InMemoryLoginAttemptStore },
    AdminBootstrapService,
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
  ],
  exports: [AuthService, UsersModule],
})
export class AuthModule {}
