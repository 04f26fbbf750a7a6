import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuditEntry, type AuditQuery, AuditQuerySchema } from '@ccr/protocol/accounts';
import { Roles } from '../auth/roles.decorator';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  list(@Query(new ZodValidationPipe(AuditQuerySchema)) query: AuditQuery): Promise<AuditEntry[]> {
    return this.audit.list(query);
  }
}
