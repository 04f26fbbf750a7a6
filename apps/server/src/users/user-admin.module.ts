import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UserAdminService } from './user-admin.service';
import { UsersController } from './users.controller';

// Apart from UsersModule, which AuthModule imports: administration needs AuthService and
// SessionsService, and importing them there would make the modules depend on each other.
@Module({
  imports: [AuthModule, SessionsModule],
  controllers: [UsersController],
  providers: [UserAdminService],
})
export class UserAdminModule {}
