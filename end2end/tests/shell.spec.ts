// The shell, in both projects (hydrated and without JavaScript): it renders, navigation works,
// the language switch goes to Japanese and back, the theme switch works, unknown URLs get the
// 404 page.
import { expect, test } from '@playwright/test';
import { settled, watchForProblems } from '../helpers/page';

test.beforeEach(async ({ context }) => {
  await context.clearCookies();
});

test('the shell renders with navigation, sandbox badge and footer', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Customer Portal' })).toBeVisible();
  await expect(page.getByText('Sandbox', { exact: true })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main navigation' }).first();
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('All systems operational')).toBeVisible();
  await expect(page.getByRole('contentinfo').getByRole('link', { name: 'Service status' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('navigation moves between pages', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Service status' }).click();
  await expect(page).toHaveURL(/\/status$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Service status' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Portal database/ })).toContainText('Operational');
  await page.getByRole('navigation', { name: 'Main navigation' }).first().getByRole('link', { name: 'Dashboard' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
});

test('the language switch changes the page to Japanese and back', async ({ page }) => {
  await page.goto('/status');
  await settled(page);
  await page.getByRole('group', { name: 'Language' }).first().getByRole('button', { name: '日本語' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'サービス稼働状況' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page).toHaveURL(/\/status$/);
  // The choice is remembered across a reload.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'サービス稼働状況' })).toBeVisible();
  await settled(page);
  await page.getByRole('group', { name: '言語' }).first().getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Service status' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('the theme switch sets dark, light and system', async ({ page }) => {
  await page.goto('/');
  await settled(page);
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'system');
  const themes = page.getByRole('group', { name: 'Theme' }).first();
  await themes.getByRole('button', { name: 'Dark' }).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(themes.getByRole('button', { name: 'Dark' })).toHaveAttribute('aria-pressed', 'true');
  const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor).catch(() => null);
  if (bg !== null) expect(bg).toBe('rgb(15, 20, 26)');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('group', { name: 'Theme' }).first().getByRole('button', { name: 'Light' }).click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.getByRole('group', { name: 'Theme' }).first().getByRole('button', { name: 'System' }).click();
  await expect(html).toHaveAttribute('data-theme', 'system');
});

test('an unknown address shows the 404 page', async ({ page }) => {
  const response = await page.goto('/no-such-page/at/all');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the start page' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
});

test('the phone menu opens and navigates', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto('/status');
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).first()).toBeHidden();
  await page.getByText('Menu', { exact: true }).click();
  const panel = page.locator('.nav-mobile-panel');
  await expect(panel).toBeVisible();
  await panel.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
});
