// Hydrated behaviour only: the WASM takes over, interactive elements respond without a
// reload, and the page logs no errors (hydration mismatches show up as console errors).
import { expect, test } from '@playwright/test';
import { waitForHydration, watchForProblems } from '../helpers/page';

test.beforeEach(async ({ context }) => {
  await context.clearCookies();
});

test('the page hydrates and "Check again" re-runs the checks in place', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/status');
  await waitForHydration(page);
  // A marker that a full reload would erase.
  await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));
  const request = page.waitForRequest((r) => r.url().includes('/api/system/status') && r.method() === 'POST');
  await page.getByRole('button', { name: 'Check again' }).click();
  await request;
  await expect(page.getByRole('status').getByText('Status updated')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
  expect(problems).toEqual([]);
});

test('switching language and theme happens in place, without a reload', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/');
  await waitForHydration(page);
  await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 7));
  await page.getByRole('group', { name: 'Language' }).first().getByRole('button', { name: '日本語' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ようこそ' })).toBeVisible();
  await page.getByRole('group', { name: '表示テーマ' }).first().getByRole('button', { name: 'ダーク' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(7);
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'i18n_pref_locale')?.value).toBe('ja');
  expect(cookies.find((c) => c.name === 'theme')?.value).toBe('dark');
  expect(problems).toEqual([]);
});
