import { defineConfig } from '@playwright/test';

/** Debian's Chromium: Playwright's own browser download cannot work on these machines. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];

export default defineConfig({
  reporter: [['list']],
  workers: 1,
  // A budget against hangs, not a measure: on a busy machine a test of several waits of 20 s each needs room.
  timeout: 180_000,
  expect: { timeout: 20_000 },
  outputDir: 'test-results',
  projects: [
    {
      name: 'browser-shell',
      testDir: 'tests/e2e',
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
        viewport: { width: 1440, height: 900 },
      },
    },
    { name: 'electron-shell', testDir: 'tests/electron' },
  ],
});
