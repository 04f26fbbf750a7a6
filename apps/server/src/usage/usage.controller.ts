import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type UsageQuery, UsageQuerySchema, type UsageSample } from '@ccr/protocol/usage';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { UsageService } from './usage.service';

@ApiTags('sessions')
@Controller('sessions')
export class UsageController {
  constructor(@Inject(UsageService) private readonly usage: UsageService) {}

  @Get(':id/usage')
  list(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query(new ZodValidationPipe(UsageQuerySchema)) query: UsageQuery,
  ): Promise<UsageSample[]> {
    return this.usage.list(user, id, query);
  }
}
