import { chromium, type Browser } from 'playwright-core';

const chromiumPath = process.env.CCR_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium from the system, without the background traffic a first run makes. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
