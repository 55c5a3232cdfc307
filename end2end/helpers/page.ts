// Helpers shared by the specs: waiting for hydration and failing on console errors or failed
// requests, so a broken asset or a hydration mismatch fails the journey that met it.
import { expect, test, type Page } from '@playwright/test';

export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    // 404 pages are expected where a test asks for one; everything else must succeed.
    if (res.status() >= 400 && !res.url().includes('/no-such-page')) {
      problems.push(`HTTP ${res.status()} ${res.url()}`);
    }
  });
  return problems;
}

export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 20_000 });
}

// Before clicking a control that acts in the browser once hydrated (the language and theme
// switches): in the hydrated project, wait until the WASM owns the page, so the click is not
// caught half-way through hydration (text already claimed from the server HTML would then keep
// the old language). Without JavaScript the form posts and there is nothing to wait for.
export async function settled(page: Page): Promise<void> {
  if (test.info().project.name !== 'no-js') await waitForHydration(page);
}
