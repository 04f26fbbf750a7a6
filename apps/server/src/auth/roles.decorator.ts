import { SetMetadata } from '@nestjs/common';
import type { Role } from '@ccr/protocol/api';

export const ROLES = 'ccr:roles';

/** Restricts a route to callers with one of these roles; the AuthGuard answers 403 otherwise. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES, roles);
