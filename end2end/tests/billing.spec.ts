// Billing journeys in both projects (hydrated and without JavaScript): see the invoices, filter
// them, open an unpaid one, pay it on the billing system's (simulator's) payment page and come
// back to the portal showing it paid; download an invoice as a PDF. Each project pays a
// different demo customer's only unpaid invoice (alex 2017 hydrated, hanako 2013 without
// JavaScript): a payment cannot be undone on a running server. Demo passwords are never
// changed by any spec.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectSignedIn, signIn } from '../helpers/accounts';
import { watchForProblems } from '../helpers/page';

const DEMO_PASSWORD = 'sandbox-demo-2026';

test.beforeEach(async ({ context }) => {
  await context.clearCookies();
});

test('see invoices, filter them, pay one through the payment page', async ({ page }, info) => {
  const problems = watchForProblems(page);
  const [email, id] = info.project.name === 'no-js'
    ? ['hanako@example.jp', '2013']
    : ['alex@example.com', '2017'];
  await signIn(page, email, DEMO_PASSWORD);
  await expectSignedIn(page, email);

  await page.getByRole('link', { name: 'Billing' }).first().click();
  await expect(page).toHaveURL(/\/billing\/invoices$/);
  const row = page.locator(`[data-testid="invoice-row"][data-id="${id}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('invoice-status')).toHaveText('Unpaid');

  // The status filter is a plain GET form.
  await page.getByTestId('status-filter').locator('select[name="status"]').selectOption('paid');
  await page.getByTestId('status-filter').getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/status=paid/);
  await expect(page.locator('[data-testid="invoice-row"]').first()).toBeVisible();
  await expect(page.locator(`[data-testid="invoice-row"][data-id="${id}"]`)).toHaveCount(0);
  await expect(page.locator('[data-testid="invoice-row"]:not([data-status="paid"])')).toHaveCount(0);

  await page.goto('/billing/invoices');
  await page.locator(`[data-testid="invoice-row"][data-id="${id}"] a`).first().click();
  await expect(page).toHaveURL(new RegExp(`/billing/invoices/${id}$`));
  await expect(page.getByTestId('invoice-items')).toBeVisible();
  await expect(page.getByTestId('invoice-tax')).toBeVisible();
  await page.getByTestId('pay-form').getByRole('button', { name: 'Pay now' }).click();

  // The simulator's client area.
  await expect(page).toHaveURL(new RegExp(`/viewinvoice\\.php\\?id=${id}`));
  await page.getByRole('button', { name: 'Pay now' }).click();

  // Back on the portal, the invoice shows paid without reloading by hand.
  await expect(page).toHaveURL(new RegExp(`/billing/invoices/${id}\\?paid=1$`));
  await expect(page.getByTestId('form-notice')).toContainText('Your payment was received');
  await expect(page.getByTestId('invoice-status').first()).toHaveText('Paid');
  await expect(page.getByTestId('pay-form')).toHaveCount(0);
  await expect(page.getByTestId('payment-row').first()).toBeVisible();

  await page.goto('/billing/invoices');
  await expect(
    page.locator(`[data-testid="invoice-row"][data-id="${id}"]`).getByTestId('invoice-status'),
  ).toHaveText('Paid');
  // The simulator's pages have no favicon (its 404 shows only as a console message).
  expect(problems.filter((p) => !p.startsWith('console error: Failed to load resource'))).toEqual([]);
});

test('another customer\'s invoice is not found', async ({ page }) => {
  await signIn(page, 'alex@example.com', DEMO_PASSWORD);
  await expectSignedIn(page, 'alex@example.com');
  await page.goto('/billing/invoices/2001');
  await expect(page.getByText("We couldn't find what you were looking for.")).toBeVisible();
});

test('download an invoice as a PDF', async ({ page }) => {
  await signIn(page, 'hanako@example.jp', DEMO_PASSWORD);
  await expectSignedIn(page, 'hanako@example.jp');
  // A paid invoice: the payment journey above changes 2013, never 2001.
  await page.goto('/billing/invoices/2001');
  const link = page.getByTestId('invoice-pdf');
  await expect(link).toHaveText('Download PDF');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^invoice-[A-Za-z0-9_-]+\.pdf$/);
  const bytes = readFileSync(await download.path());
  expect(bytes.length).toBeGreaterThan(1000);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // Still on the invoice: the link downloads instead of navigating.
  await expect(page).toHaveURL(/\/billing\/invoices\/2001$/);
});
