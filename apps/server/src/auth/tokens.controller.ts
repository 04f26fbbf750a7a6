import { Body, Controller, Delete, Get, HttpCode, Inject, Ip, Param, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import {
  type CreatedToken,
  type CreateTokenBody,
  CreateTokenBodySchema,
  type PersonalAccessToken,
} from '@ccr/protocol/accounts';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import type { AuthUser } from './auth-user';
import { CurrentUser } from './current-user.decorator';
import { PersonalAccessTokensService } from './personal-access-tokens.service';

@ApiTags('tokens')
@Controller('tokens')
export class TokensController {
  constructor(
    @Inject(PersonalAccessTokensService) private readonly tokens: PersonalAccessTokensService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiBody({ schema: z.toJSONSchema(CreateTokenBodySchema) as object })
  async create(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(CreateTokenBodySchema)) body: CreateTokenBody,
    @Ip() ip: string,
  ): Promise<CreatedToken> {
    const created = await this.tokens.create(user, body);
    await this.audit.record({
      type: 'token.created',
      actor: user,
      subjectUserId: user.id,
      ip,
      data: { tokenId: created.id, name: created.name, expiresAt: created.expiresAt },
    });
    return created;
  }

  @Get()
  list(@CurrentUser() user: AuthUser): Promise<PersonalAccessToken[]> {
    return this.tokens.list(user);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Ip() ip: string,
  ): Promise<void> {
    const deleted = await this.tokens.delete(user, id);
    await this.audit.record({
      type: 'token.deleted',
      actor: user,
      subjectUserId: user.id,
      ip,
      data: { tokenId: deleted.id, name: deleted.name },
    });
  }
}
