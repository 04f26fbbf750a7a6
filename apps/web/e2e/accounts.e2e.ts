// Browser end-to-end of the account pages against the built server: an admin creates a user;
// the user signs in elsewhere, changes their password, creates a personal access token that is
// shown once, uses it, and revokes it; the admin sees all of it in the audit log.
import { PERSONAL_ACCESS_TOKEN_PREFIX } from '@ccr/protocol/accounts';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strings } from '../src/strings';
import { launchChromium } from './support/browser';
import { e2ePrerequisitesMet, repoRoot, startServer, type RunningServer } from './support/server';

const artifacts = join(repoRoot, 'apps/web/e2e/.artifacts');
const image = process.env.CCR_SANDBOX_IMAGE ?? 'ccr-sandbox:latest';

const ready = await e2ePrerequisitesMet(image);

describe.skipIf(!ready)('accounts in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: server.baseUrl,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${server.baseUrl}/login`);
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill(password);
    await page.getByRole('button', { name: strings.login.submit }).click();
    await page.getByRole('heading', { name: strings.sessions.title, exact: true }).waitFor();
  }

  async function openMenuItem(page: Page, label: string): Promise<void> {
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: label }).click();
  }

  it('lets an admin manage a user who changes their password and manages tokens', async () => {
    const admin = await newPage();
    let user: Page | undefined;
    const email = `dev-${Math.random().toString(36).slice(2, 8)}@e2e.local`;
    const firstPassword = `first-password-${Math.random().toString(36).slice(2)}`;
    const secondPassword = `second-password-${Math.random().toString(36).slice(2)}`;
    try {
      // The admin creates a user; the form checks the password policy before the round trip.
      await signIn(admin, server.adminEmail, server.adminPassword);
      await openMenuItem(admin, strings.shell.users);
      await admin.getByRole('heading', { name: strings.users.title, exact: true }).waitFor();
      await admin.getByRole('button', { name: strings.users.create }).click();
      const dialog = admin.getByRole('dialog');
      await field(dialog, 'email').fill(email);
      await field(dialog, 'password').fill('short');
      await dialog.getByRole('button', { name: strings.users.submit }).click();
      expect(await fieldError(admin, 'password')).toMatch(/at least 12/);
      await field(dialog, 'password').fill(firstPassword);
      await dialog.getByRole('button', { name: strings.users.submit }).click();
      await dialog.waitFor({ state: 'detached' });
      const row = admin.locator(`[data-user-email="${email}"]`);
      await row.waitFor();
      expect(await row.getByTestId('user-status').textContent()).toBe(strings.users.active);

      // The only admin cannot demote themself: the server's LAST_ADMIN message is shown.
      const adminRow = admin.locator(`[data-user-email="${server.adminEmail}"]`);
      await adminRow.getByRole('combobox').click();
      await admin.getByRole('option', { name: strings.users.roles.user }).click();
      const notice = admin.getByTestId('users-notice');
      await notice.waitFor();
      expect(await notice.textContent()).toContain('last active administrator');
      await admin.getByRole('listbox').waitFor({ state: 'detached' });
      await admin.screenshot({ path: join(artifacts, 'users.png'), animations: 'disabled' });

      // The user signs in in a separate browser context and sees no admin entries.
      user = await newPage();
      await signIn(user, email, firstPassword);
      await user.getByTestId('user-menu').click();
      await user.getByRole('menuitem', { name: strings.shell.profile }).waitFor();
      expect(await user.getByRole('menuitem', { name: strings.shell.users }).count()).toBe(0);
      await user.getByRole('menuitem', { name: strings.shell.profile }).click();
      await user.getByRole('heading', { name: strings.profile.title, exact: true }).waitFor();

      // Password change: a mismatch is caught in the browser, a wrong current password by the
      // server (as a field error), then the change succeeds.
      await field(user, 'currentPassword').fill('not-my-password');
      await field(user, 'newPassword').fill(secondPassword);
      await field(user, 'confirmPassword').fill(`${secondPassword}x`);
      await user.getByRole('button', { name: strings.profile.changePassword }).click();
      expect(await fieldError(user, 'confirmPassword')).toBe(strings.profile.passwordsDiffer);
      await field(user, 'confirmPassword').fill(secondPassword);
      await user.getByRole('button', { name: strings.profile.changePassword }).click();
      await expect
        .poll(() => fieldError(user!, 'currentPassword'), { timeout: 10_000 })
        .toMatch(/current password/);
      await field(user, 'currentPassword').fill(firstPassword);
      await user.getByRole('button', { name: strings.profile.changePassword }).click();
      await user.getByTestId('password-changed').waitFor();

      // A token is shown once, works as a Bearer token, and is gone from the page afterwards.
      await field(user, 'tokenName').fill('ci pipeline');
      await user.getByRole('button', { name: strings.profile.createToken }).click();
      const value = user.getByTestId('created-token-value');
      await value.waitFor();
      const token = (await value.textContent()) ?? '';
      expect(token.startsWith(PERSONAL_ACCESS_TOKEN_PREFIX)).toBe(true);
      await user
        .getByTestId('created-token')
        .getByRole('button', { name: strings.profile.copy })
        .click();
      await user.getByRole('button', { name: strings.profile.copied }).waitFor();
      expect(await user.evaluate(() => navigator.clipboard.readText())).toBe(token);
      await user.screenshot({ path: join(artifacts, 'profile-token.png'), animations: 'disabled' });
      await user.setViewportSize({ width: 390, height: 844 });
      await user.screenshot({
        path: join(artifacts, 'profile-narrow.png'),
        animations: 'disabled',
        fullPage: true,
      });
      await user.setViewportSize({ width: 1280, height: 860 });
      expect(await me(token)).toBe(200);
      await user.getByRole('button', { name: strings.profile.dismiss }).click();
      await user.getByTestId('created-token').waitFor({ state: 'detached' });
      await user.reload();
      const tokenRow = user.getByTestId('tokens-table').getByRole('row', { name: /ci pipeline/ });
      await tokenRow.waitFor();
      expect(await user.getByText(token).count()).toBe(0);

      await tokenRow.getByRole('button', { name: `${strings.profile.revoke} ci pipeline` }).click();
      await user.getByRole('button', { name: strings.profile.revokeConfirm }).click();
      await user.getByTestId('tokens-empty').waitFor();
      expect(await me(token)).toBe(401);

      // The admin sees what happened, newest first, and can narrow it by type.
      await openMenuItem(admin, strings.shell.audit);
      await admin.getByRole('heading', { name: strings.audit.title, exact: true }).waitFor();
      const types = () =>
        admin
          .locator('[data-audit-type]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-audit-type')));
      await expect.poll(types).toContain('token.deleted');
      const seen = await types();
      for (const type of ['user.created', 'auth.password_changed', 'token.created']) {
        expect(seen).toContain(type);
      }
      expect(seen.indexOf('token.deleted')).toBeLessThan(seen.indexOf('token.created'));
      expect(seen.indexOf('token.created')).toBeLessThan(seen.indexOf('user.created'));
      await admin.screenshot({ path: join(artifacts, 'audit.png'), animations: 'disabled' });
      await field(admin, 'type').locator('..').getByRole('combobox').click();
      await admin.getByRole('option', { name: 'token.created', exact: true }).click();
      await expect.poll(types).toEqual(['token.created']);

      // Disable, then delete with confirmation.
      await openMenuItem(admin, strings.shell.users);
      await row.getByRole('button', { name: strings.users.disable }).click();
      await expect
        .poll(() => row.getByTestId('user-status').textContent())
        .toBe(strings.users.disabled);
      await row.getByRole('button', { name: `${strings.users.delete} ${email}` }).click();
      await admin.getByRole('button', { name: strings.users.deleteConfirm }).click();
      await row.waitFor({ state: 'detached' });
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await admin.screenshot({ path: join(artifacts, 'accounts-failure-admin.png') });
      await user?.screenshot({ path: join(artifacts, 'accounts-failure-user.png') });
      console.error(`server output:\n${server.logs()}\npage errors: ${pageErrors.join('\n')}`);
      throw error;
    }
  });

  async function me(token: string): Promise<number> {
    const response = await fetch(`${server.baseUrl}/api/auth/me`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return response.status;
  }
});

function field(scope: Page | ReturnType<Page['locator']>, key: string) {
  return scope.locator(`input[data-field="${key}"]`);
}

/** The helper text MUI links to an input through aria-describedby. */
async function fieldError(page: Page, key: string): Promise<string> {
  const input = field(page, key);
  if ((await input.getAttribute('aria-invalid')) !== 'true') {
    return '';
  }
  const describedBy = await input.getAttribute('aria-describedby');
  return describedBy ? ((await page.locator(`[id="${describedBy}"]`).textContent()) ?? '') : '';
}
