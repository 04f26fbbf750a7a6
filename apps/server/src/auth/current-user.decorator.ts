import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from './auth-user';
import { AuthError } from './auth.errors';

export type AuthenticatedRequest = { user?: AuthUser };

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) {
      // Only reachable on a @Public() route that asks for a user: a programming error, kept safe.
      throw new AuthError('UNAUTHORIZED');
    }
    return user;
  },
);
