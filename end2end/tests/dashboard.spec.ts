// The dashboard in both projects (hydrated and without JavaScript), in English and Japanese: its
// cards agree with the pages they summarise — the amount due with the unpaid invoices, the next
// payment with the earliest due of them, active services with the services list, the latest
// invoices with the invoice list. Compared live rather than against fixed numbers, because other
// specs pay invoices and request cancellations on the same running server.
import { expect, test, type Page } from '@playwright/test';
import { expectSignedIn, signIn } from '../helpers/accounts';
import { settled, watchForProblems } from '../helpers/page';

const DEMO_PASSWORD = 'sandbox-demo-2026';

test.beforeEach(async ({ context }) => {
  await context.clearCookies();
});

async function rowIds(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));
}

test('the dashboard cards agree with the invoices and services pages', async ({ page }) => {
  const problems = watchForProblems(page);
  await signIn(page, 'hanako@example.jp', DEMO_PASSWORD);
  await expectSignedIn(page, 'hanako@example.jp');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  const owed = page.getByTestId('dashboard-outstanding');
  const count = Number(await owed.getAttribute('data-count'));
  const active = Number(await page.getByTestId('dashboard-services').getAttribute('data-active'));
  const latest = await rowIds(page, '[data-testid="dashboard-latest"] [data-testid="invoice-row"]');
  const nextId = count > 0 ? await page.getByTestId('dashboard-next-number').getAttribute('data-id') : null;
  expect(latest.length).toBeGreaterThan(0);
  expect(latest.length).toBeLessThanOrEqual(5);
  if (count > 0) {
    await expect(owed.getByTestId('dashboard-owed-total')).toContainText('¥');
  } else {
    await expect(owed.getByTestId('dashboard-owed-total')).toHaveText('All paid up');
  }

  // The unpaid invoices (WHMCS' Unpaid includes the overdue ones).
  await page.goto('/billing/invoices?status=unpaid');
  const unpaid = await rowIds(page, '[data-testid="invoice-row"]');
  expect(unpaid.length).toBe(count);
  if (nextId) expect(unpaid).toContain(nextId);

  // The newest invoices.
  await page.goto('/billing/invoices');
  const newest = await rowIds(page, '[data-testid="invoice-row"]');
  expect(newest.slice(0, latest.length)).toEqual(latest);

  // Active services.
  await page.goto('/services');
  await expect(page.locator('[data-testid="service-row"]').first()).toBeVisible();
  await expect(page.locator('[data-testid="service-row"][data-status="active"]')).toHaveCount(active);

  // The next payment links to its invoice.
  if (nextId) {
    await page.goto('/');
    await page.getByTestId('dashboard-next-due').getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/billing/invoices/${nextId}$`));
  }
  expect(problems).toEqual([]);
});

test('the dashboard in Japanese', async ({ page }) => {
  await signIn(page, 'alex@example.com', DEMO_PASSWORD);
  await page.goto('/');
  await settled(page);
  await page.getByRole('group', { name: 'Language' }).first().getByRole('button', { name: '日本語' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ダッシュボード' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'お支払い残高' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'ご利用中のサービス' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '最近の請求書' })).toBeVisible();
  await expect(page.getByTestId('dashboard-services')).toContainText('ご契約');
  // Back to English for the other specs (the choice is stored on the account).
  await page.getByRole('group', { name: '言語' }).first().getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
});
