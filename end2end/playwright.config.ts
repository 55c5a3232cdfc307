// Playwright against the real server that `cargo leptos end-to-end` builds and starts.
// Two projects: the hydrated app, and the same journeys with JavaScript disabled (progressive
// enhancement: every form must work before the WASM arrives). Specs named *.hydrate.spec.ts
// need JavaScript and run only in the hydrated project.
import { defineConfig } from '@playwright/test';

const baseURL = process.env.PORTAL_BASE_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false }, testIgnore: /\.hydrate\.spec\.ts$/ },
  ],
});
