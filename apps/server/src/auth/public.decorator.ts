import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'ccr:public';

/** Opts a route out of the global AuthGuard. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
