// Browser end-to-end: the built server and SPA, a real sandbox container, Chromium via
// Playwright. Log in, create a session through the dialog, type in the shell, see the output,
// reload, see it again (tmux redraws the screen), then delete the session.
import { repoUrlProblem } from '@ccr/protocol/git-refs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalHostElement } from '../src/components/Terminal/terminal-view';
import { strings } from '../src/strings';
import { launchChromium } from './support/browser';
import {
  containersOfSession,
  e2ePrerequisitesMet,
  repoRoot,
  startServer,
  type RunningServer,
} from './support/server';

const artifacts = join(repoRoot, 'apps/web/e2e/.artifacts');
const image = process.env.CCR_SANDBOX_IMAGE ?? 'ccr-sandbox:latest';

const ready = await e2ePrerequisitesMet(image);

describe.skipIf(!ready)('session in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs in, creates a session, types in the shell and sees the output again after a reload', async () => {
    const marker = `hello-${Math.random().toString(36).slice(2, 10)}`;
    const name = `e2e-${Math.random().toString(36).slice(2, 8)}`;
    try {
      // Login: a client route served through the SPA fallback, a wrong password, then the right one.
      await page.goto(`${server.baseUrl}/`);
      await page.waitForURL(/\/login$/);
      await page.locator('input[name="email"]').fill(server.adminEmail);
      await page.locator('input[name="password"]').fill('not-the-password');
      await page.getByRole('button', { name: strings.login.submit }).click();
      await page.getByText(strings.login.invalidCredentials).waitFor();
      await page.screenshot({ path: join(artifacts, 'login.png') });
      await page.locator('input[name="password"]').fill(server.adminPassword);
      await page.getByRole('button', { name: strings.login.submit }).click();
      await page.getByRole('heading', { name: strings.sessions.title, exact: true }).waitFor();
      expect(await page.getByTestId('user-email').textContent()).toBe(server.adminEmail);

      // Empty state invites the first session; the dialog checks fields before the round trip.
      await page.getByRole('button', { name: strings.sessions.emptyAction }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await field(page, 'name').fill('Bad Name');
      await field(page, 'repoUrl').fill('file:///etc/passwd');
      await dialog.getByRole('button', { name: strings.create.submit }).click();
      expect(await fieldError(page, 'repoUrl')).toBe(repoUrlProblem('file:///etc/passwd'));
      expect(await fieldError(page, 'name')).toMatch(/lowercase/);

      // A value only the server can judge (above its memory cap) comes back as a field error.
      await field(page, 'name').fill(name);
      await field(page, 'repoUrl').fill('');
      await field(page, 'resources.memoryMb').fill('999999');
      await dialog.getByRole('button', { name: strings.create.submit }).click();
      await expect
        .poll(() => field(page, 'resources.memoryMb').getAttribute('aria-invalid'), {
          timeout: 10_000,
        })
        .toBe('true');
      expect(await fieldError(page, 'resources.memoryMb')).not.toBe('');
      await page.screenshot({ path: join(artifacts, 'create-dialog-errors.png') });

      await field(page, 'resources.memoryMb').fill('1024');
      await field(page, 'resources.cpus').fill('1');
      await dialog.getByRole('button', { name: strings.create.submit }).click();
      await page.waitForURL(/\/sessions\/[^/]+$/);
      const sessionId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      await waitForStatus(page, 'running');

      // Type in the shell and read the output back from the terminal's buffer.
      const shell = page.locator('[data-terminal="shell"]');
      await page.locator('[data-terminal="shell"][data-connection-status="open"]').waitFor();
      await page.locator('[data-terminal="claude"][data-connection-status="open"]').waitFor();
      await shell.click();
      await page.keyboard.type(`echo ${marker}`);
      await page.keyboard.press('Enter');
      await expect.poll(() => outputLines(page, 'shell'), { timeout: 20_000 }).toContain(marker);
      await page.screenshot({ path: join(artifacts, 'session.png') });

      // A file written in the shell is auto-committed; the commit arrives live (no polling)
      // and the panel shows it; committing again finds nothing left.
      const activity = page.getByTestId('activity-count');
      const commitsBefore = Number(await activity.getAttribute('data-count'));
      await page.keyboard.type('echo hi > notes.md');
      await page.keyboard.press('Enter');
      // A fake AWS key id is held back and announced as a warning naming file and line.
      await page.keyboard.type(`echo key=AKIA${'Q'.repeat(16)} > creds.txt`);
      await page.keyboard.press('Enter');
      await expect
        .poll(async () => Number(await activity.getAttribute('data-count')), { timeout: 30_000 })
        .toBeGreaterThan(commitsBefore);
      await expect
        .poll(async () => Number(await activity.getAttribute('data-warnings')), {
          timeout: 30_000,
        })
        .toBeGreaterThan(0);
      await page.getByRole('button', { name: strings.commits.open }).click();
      const panel = page.getByTestId('commits-panel');
      const commit = panel.getByTestId('commit').first();
      await commit.getByRole('button').click();
      await commit.getByTestId('commit-details').getByText('notes.md', { exact: true }).waitFor();
      expect(await panel.getByTestId('commit-blocked').first().textContent()).toContain(
        strings.commits.blockedBody('creds.txt', 1),
      );
      await panel.getByRole('button', { name: strings.commits.commitNow }).click();
      expect(await panel.getByTestId('commit-result').textContent()).toContain(
        strings.commits.nothingToCommit,
      );
      await page.screenshot({
        path: join(artifacts, 'session-activity.png'),
        animations: 'disabled',
      });
      await panel.getByRole('button', { name: strings.commits.close }).click();
      await panel.waitFor({ state: 'hidden' });

      // Reload: the user stays signed in, the terminal reattaches and tmux redraws the screen.
      await page.reload();
      await page.locator('[data-terminal="shell"][data-connection-status="open"]').waitFor();
      await expect.poll(() => outputLines(page, 'shell'), { timeout: 20_000 }).toContain(marker);
      await page.screenshot({ path: join(artifacts, 'session-after-reload.png') });

      // A narrow screen shows the terminals as tabs; the shell keeps its screen there too.
      await page.setViewportSize({ width: 600, height: 900 });
      await page.getByRole('tab', { name: strings.session.terminalTitles.shell }).click();
      await expect.poll(() => outputLines(page, 'shell'), { timeout: 20_000 }).toContain(marker);
      await page.screenshot({ path: join(artifacts, 'session-narrow.png') });
      await page.setViewportSize({ width: 1440, height: 900 });

      // Back to the list: live status, then delete with confirmation.
      await page.getByRole('link', { name: strings.back }).click();
      const row = page.locator(`[data-session-id="${sessionId}"]`);
      await row.locator('[data-status="running"]').waitFor();
      await page.screenshot({ path: join(artifacts, 'sessions.png') });
      await row.getByRole('button', { name: `${strings.sessions.delete} ${name}` }).click();
      await page.getByRole('button', { name: strings.sessions.deleteConfirm }).click();
      await row.waitFor({ state: 'detached' });
      await page.getByTestId('sessions-empty').waitFor();
      await expect
        .poll(() => containersOfSession(server.instance, sessionId), { timeout: 30_000 })
        .toEqual([]);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: join(artifacts, 'failure.png') }).catch(() => undefined);
      console.error(`server output:\n${server.logs()}\npage errors: ${pageErrors.join('\n')}`);
      throw error;
    }
  });
});

function field(page: Page, key: string) {
  return page.locator(`input[data-field="${key}"]`);
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

/** Waits until the session page shows a settled status; a failure ends the wait at once. */
async function waitForStatus(page: Page, status: 'running'): Promise<void> {
  const settled = await page.waitForFunction(
    () => {
      const current = document
        .querySelector('[data-testid="session-status"]')
        ?.getAttribute('data-status');
      return current === 'running' || current === 'failed' ? current : null;
    },
    undefined,
    { timeout: 240_000, polling: 'raf' },
  );
  const current = await settled.jsonValue();
  if (current !== status) {
    const reason = await page.getByTestId('session-error').textContent();
    throw new Error(`session ${current}: ${reason}`);
  }
}

/** Lines of the terminal's visible screen, trimmed. */
async function outputLines(page: Page, terminal: string): Promise<string[]> {
  const text = await page
    .locator(`[data-terminal="${terminal}"]`)
    .evaluate((el) => (el as TerminalHostElement).ccrReadScreen?.() ?? '');
  return text.split('\n').map((line) => line.trim());
}
