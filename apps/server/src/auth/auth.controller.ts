import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import {
  type LoginBody,
  LoginBodySchema,
  type LoginResponse,
  type RefreshResponse,
  type User,
} from '@ccr/protocol/api';
// Type augmentation only: request.cookies and reply.setCookie come from @fastify/cookie.
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ChangePasswordBody, ChangePasswordBodySchema } from '@ccr/protocol/accounts';
import { z } from 'zod';
import { AppConfig } from '../config/env';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import type { AuthUser } from './auth-user';
import { AuthService, REFRESH_TOKEN_TTL_MS } from './auth.service';
import { CurrentUser } from './current-user.decorator';
import { Public } from './public.decorator';

export const REFRESH_COOKIE = 'ccr_refresh';
const COOKIE_PATH = '/api/auth';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  private readonly secureCookie: boolean;

  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.secureCookie = config.values.publicUrl.startsWith('https:');
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(LoginBodySchema) as object })
  async login(
    @Body(new ZodValidationPipe(LoginBodySchema)) body: LoginBody,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    const { response, refreshToken } = await this.auth.login(body.email, body.password, request.ip);
    this.setRefreshCookie(reply, refreshToken);
    return response;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefreshResponse> {
    try {
      const { response, refreshToken } = await this.auth.refresh(request.cookies[REFRESH_COOKIE]);
      this.setRefreshCookie(reply, refreshToken);
      return response;
    } catch (error) {
      this.clearRefreshCookie(reply);
      throw error;
    }
  }

  // Public: logging out must work with an expired access token; the cookie names what to revoke.
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(request.cookies[REFRESH_COOKIE], request.ip);
    this.clearRefreshCookie(reply);
  }

  // The refresh cookie's path covers this route, so the browser changing the password keeps
  // its own login while every other one is revoked.
  @Post('password')
  @HttpCode(204)
  @ApiBody({ schema: z.toJSONSchema(ChangePasswordBodySchema) as object })
  changePassword(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(ChangePasswordBodySchema)) body: ChangePasswordBody,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.auth.changePassword(
      user,
      body.currentPassword,
      body.newPassword,
      request.cookies[REFRESH_COOKIE],
      request.ip,
    );
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser): User {
    return { id: user.id, email: user.email, role: user.role };
  }

  private setRefreshCookie(reply: FastifyReply, token: string): void {
    void reply.setCookie(REFRESH_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secureCookie,
      path: COOKIE_PATH,
      maxAge: Math.floor(REFRESH_TOKEN_TTL_MS / 1000),
    });
  }

  private clearRefreshCookie(reply: FastifyReply): void {
    void reply.clearCookie(REFRESH_COOKIE, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secureCookie,
      path: COOKIE_PATH,
    });
  }
}
