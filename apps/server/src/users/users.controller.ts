import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Ip,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import {
  type CreateUserBody,
  CreateUserBodySchema,
  type ManagedUser,
  type UpdateUserBody,
  UpdateUserBodySchema,
} from '@ccr/protocol/accounts';
import { z } from 'zod';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { UserAdminService } from './user-admin.service';

@ApiTags('users')
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(@Inject(UserAdminService) private readonly admin: UserAdminService) {}

  @Post()
  @HttpCode(201)
  @ApiBody({ schema: z.toJSONSchema(CreateUserBodySchema) as object })
  create(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(CreateUserBodySchema)) body: CreateUserBody,
    @Ip() ip: string,
  ): Promise<ManagedUser> {
    return this.admin.create(user, body, ip);
  }

  @Get()
  list(): Promise<ManagedUser[]> {
    return this.admin.list();
  }

  @Patch(':id')
  @ApiBody({ schema: z.toJSONSchema(UpdateUserBodySchema) as object })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body(new ZodValidationPipe(UpdateUserBodySchema)) body: UpdateUserBody,
    @Ip() ip: string,
  ): Promise<ManagedUser> {
    return this.admin.update(user, id, body, ip);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@CurrentUser() user: AuthUser, @Param('id') id: string, @Ip() ip: string): Promise<void> {
    return this.admin.delete(user, id, ip);
  }
}
