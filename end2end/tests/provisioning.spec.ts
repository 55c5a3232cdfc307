// Provisioning as a customer lives it, in both projects (hydrated: the page follows the order
// live, no reload; without JavaScript: the page refreshes itself while the order moves). A new
// customer has no payment method: they order a router, the operator approves it, and the order
// page shows that provisioning failed and why, with the way out. They add a card on the billing
// system's page; that alone puts the order back in the queue, and its timeline reaches
// "Active". Approval goes through the sandbox's Salesforce simulator (PORTAL_SANDBOX_CONTROL_URL).
import { expect, test, type Page } from '@playwright/test';
import { expectSignedIn, newVerifiedCustomer, PASSWORD, signIn } from '../helpers/accounts';
import { settled, watchForProblems } from '../helpers/page';
import { approveOrder } from '../helpers/sandbox';

test.beforeEach(async ({ context }) => {
  await context.clearCookies();
});

/** Orders one router; the CRM order id. */
async function orderRouter(page: Page): Promise<string> {
  await page.goto('/catalog?category=options');
  await settled(page);
  await page.locator('[data-testid="product-card"][data-sku="OPT-ROUTER"]').getByTestId('add-to-cart').getByRole('button').click();
  await expect(page).toHaveURL(/\/cart\?added=/);
  await page.getByTestId('to-checkout').click();
  await settled(page);
  await page.getByTestId('checkout-form').getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/801\w+\?placed=1$/);
  const id = await page.getByTestId('order').getAttribute('data-id');
  expect(id).toBeTruthy();
  return id!;
}

test('a failed provisioning says why; adding a card sets the order up', async ({ page }, info) => {
  // Without JavaScript the page refreshes every 10 s while the order moves.
  test.setTimeout(120_000);
  const live = info.project.name !== 'no-js';
  const problems = watchForProblems(page);
  const email = await newVerifiedCustomer(page, info, 'provision');
  await signIn(page, email, PASSWORD);
  await expectSignedIn(page, email);

  const id = await orderRouter(page);
  const steps = page.getByTestId('order-timeline').locator('li');
  await expect(steps.nth(1)).toHaveAttribute('data-state', 'current');

  // The operator approves; with JavaScript the open page hears the outcome by itself, without
  // it the customer reloads (the page also reloads itself, every 30 s while awaiting approval
  // and every 10 s while being set up).
  await approveOrder(id);
  const failure = page.getByTestId('order-failure');
  if (live) {
    await expect(failure).toBeVisible({ timeout: 30_000 });
  } else {
    await expect(async () => {
      await page.goto(`/orders/${id}`);
      await expect(failure).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  }
  await expect(failure).toHaveAttribute('data-code', 'NO_PAYMENT_METHOD');
  await expect(failure).toContainText('no payment method');

  // The way out: the payment methods page, then the billing system's card form.
  await failure.getByRole('link', { name: 'Add a payment method' }).click();
  await expect(page).toHaveURL(/\/billing\/payment-methods$/);
  await page.getByTestId('add-pay-method').first().getByRole('button', { name: 'Add a payment method' }).click();
  await expect(page).toHaveURL(/\/index\.php\?rp=\/account\/paymentmethods\/add/);
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiry (MM/YY)').fill('12/31');
  await page.getByRole('button', { name: 'Save card' }).click();
  await expect(page).toHaveURL(/\/billing\/payment-methods\?updated=1$/);

  // The card's event put the order back in the queue: it becomes active.
  await page.goto(`/orders/${id}`);
  if (live) {
    await expect(steps.nth(3)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  } else {
    await expect(async () => {
      await page.goto(`/orders/${id}`);
      await expect(steps.nth(3)).toHaveAttribute('data-state', 'done', { timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
  }
  await expect(page.getByTestId('order-failure')).toHaveCount(0);
  if (live) await expect(page.getByTestId('order-live')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('the open order page follows provisioning to "Active" without a reload', async ({ page }, info) => {
  test.skip(info.project.name === 'no-js', 'live updates need JavaScript; the no-JS refresh is covered above');
  const problems = watchForProblems(page);
  const email = await newVerifiedCustomer(page, info, 'live');
  await signIn(page, email, PASSWORD);
  await expectSignedIn(page, email);

  // A card first, so provisioning goes straight through.
  await page.goto('/billing/payment-methods');
  await settled(page);
  await page.getByTestId('add-pay-method').first().getByRole('button', { name: 'Add a payment method' }).click();
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiry (MM/YY)').fill('12/31');
  await page.getByRole('button', { name: 'Save card' }).click();
  await expect(page).toHaveURL(/\/billing\/payment-methods\?updated=1$/);

  const id = await orderRouter(page);
  await settled(page);
  // A marker that a reload would wipe: the page must change under it, not be replaced.
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await approveOrder(id);
  const steps = page.getByTestId('order-timeline').locator('li');
  await expect(steps.nth(3)).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('order')).toContainText('Complete');
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  expect(problems).toEqual([]);
});
