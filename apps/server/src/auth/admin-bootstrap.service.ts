import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/env';
import { UsersService } from '../users/users.service';

/** Creates the first administrator when the database has no users. */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) {
      return;
    }
    const { email, password } = this.config.values.admin;
    const generated = password === undefined;
    const chosen = password ?? randomBytes(18).toString('base64url');
    await this.users.create({ email, password: chosen, role: 'admin' });
    this.logger.log({ email, generatedPassword: generated }, 'first administrator created');
    if (generated) {
      // Straight to stdout, once: the structured log (which may be shipped elsewhere) never sees it.
      process.stdout.write(passwordBox(email, chosen));
    }
  }
}

export function passwordBox(email: string, password: string): string {
  const lines = [
    'First administrator created. This password is shown only once:',
    '',
    `  email:    ${email}`,
    `  password: ${password}`,
    '',
    'Log in and change it, or set CCR_ADMIN_EMAIL / CCR_ADMIN_PASSWORD.',
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const border = `+${'-'.repeat(width + 2)}+`;
  return `\n${border}\n${lines.map((line) => `| ${line.padEnd(width)} |`).join('\n')}\n${border}\n\n`;
}
