// The shop in both projects (hydrated and without JavaScript): a new customer browses the
// catalog by category, opens a SIM plan, adds it with its activation fee, adds a fibre plan and
// an option from the cards, changes a quantity and removes a line, sees the cart survive a
// reload, confirms and places the order, and finds it — with its items and timeline — in the
// orders list. Then the catalog and cart in Japanese. Each run signs up its own customer, so
// its cart and orders are its own.
import { expect, test, type Page } from '@playwright/test';
import { expectSignedIn, newVerifiedCustomer, PASSWORD, signIn } from '../helpers/accounts';
import { settled, watchForProblems } from '../helpers/page';

test.beforeEach(async ({ context }) => {
  await context.clearCookies();
});

async function cartLines(page: Page): Promise<string[]> {
  return page
    .getByTestId('cart-line')
    .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-sku')}×${r.getAttribute('data-quantity')}`));
}

test('browse, fill the cart, check out and see the order', async ({ page }, info) => {
  const problems = watchForProblems(page);
  const email = await newVerifiedCustomer(page, info, 'shop');
  await signIn(page, email, PASSWORD);
  await expectSignedIn(page, email);

  // Browse by category.
  await page.getByRole('navigation', { name: 'Main navigation' }).first().getByRole('link', { name: 'Catalog' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Plans and options' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Mobile SIM' }).click();
  await expect(page).toHaveURL(/category=sim/);
  await expect(page.locator('[data-testid="product-card"][data-sku="FIB-1G"]')).toHaveCount(0);
  const sim = page.locator('[data-testid="product-card"][data-sku="SIM-V-10G"]');
  await expect(sim.getByTestId('price')).toContainText('2,310');
  await sim.getByRole('link', { name: /Details/ }).click();

  // The plan's page: what it includes, its activation, add two.
  await expect(page.getByRole('heading', { level: 1, name: 'Voice + data SIM 10 GB' })).toBeVisible();
  await expect(page.getByTestId('activation-fee')).toContainText('3,630');
  await settled(page);
  await page.getByTestId('product').getByLabel('Quantity').selectOption('2');
  await page.getByTestId('product').getByTestId('add-to-cart').getByRole('button').click();
  await expect(page).toHaveURL(/\/cart\?added=/);
  await expect(page.getByTestId('form-notice')).toContainText('Voice + data SIM 10 GB');
  expect(await cartLines(page)).toEqual(['SIM-V-10G×2', 'SIM-ACT×2']);

  // A fibre plan and a router from the catalog cards.
  await page.goto('/catalog?category=fibre');
  await settled(page);
  await page.locator('[data-testid="product-card"][data-sku="FIB-1G"]').getByTestId('add-to-cart').getByRole('button').click();
  await expect(page).toHaveURL(/\/cart\?added=/);
  await page.goto('/catalog?category=options');
  await settled(page);
  await page.locator('[data-testid="product-card"][data-sku="OPT-FIXIP"]').getByTestId('add-to-cart').getByRole('button').click();
  await expect(page).toHaveURL(/\/cart\?added=/);
  expect(await cartLines(page)).toEqual(['SIM-V-10G×2', 'FIB-1G×1', 'OPT-FIXIP×1', 'SIM-ACT×2', 'FIB-ACT×1']);

  // One SIM fewer (its fee follows) and no fixed IP after all.
  const simLine = page.locator('[data-testid="cart-line"][data-sku="SIM-V-10G"]');
  await simLine.getByRole('combobox').selectOption('1');
  await simLine.getByRole('button', { name: 'Update' }).click();
  await expect(page.locator('[data-testid="cart-line"][data-sku="SIM-ACT"]')).toHaveAttribute('data-quantity', '1');
  await page.locator('[data-testid="cart-line"][data-sku="OPT-FIXIP"]').getByRole('button', { name: /Remove/ }).click();
  await expect(page.locator('[data-testid="cart-line"][data-sku="OPT-FIXIP"]')).toHaveCount(0);

  // The cart survives a reload; totals with tax: monthly 2,100 + 4,800 = 6,900 → 7,590;
  // one-time 3,300 + 22,000 = 25,300 → 27,830.
  await page.reload();
  expect(await cartLines(page)).toEqual(['SIM-V-10G×1', 'FIB-1G×1', 'SIM-ACT×1', 'FIB-ACT×1']);
  await expect(page.getByTestId('monthly-totals')).toHaveAttribute('data-total', '7590');
  await expect(page.getByTestId('one-time-totals')).toHaveAttribute('data-total', '27830');
  await expect(page.getByTestId('cart-link').first()).toHaveAttribute('data-count', '2');

  // Confirm and place.
  await page.getByTestId('to-checkout').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm your order' })).toBeVisible();
  await expect(page.getByTestId('confirm-line')).toHaveCount(4);
  await settled(page);
  await page.getByTestId('checkout-form').getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/801\w+\?placed=1$/);
  await expect(page.getByTestId('order-placed')).toBeVisible();
  const order = page.getByTestId('order');
  const number = await order.getAttribute('data-number');
  expect(number).toBeTruthy();
  await expect(page.getByTestId('order-line')).toHaveCount(4);
  await expect(page.getByTestId('order-total')).toContainText('32,200');
  const steps = page.getByTestId('order-timeline').locator('li');
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(0)).toHaveAttribute('data-state', 'done');
  await expect(steps.nth(1)).toHaveAttribute('data-state', 'current');
  await expect(order).toContainText('Awaiting approval');

  // Listed, and the cart is empty.
  await page.getByRole('navigation', { name: 'Main navigation' }).first().getByRole('link', { name: 'Orders' }).click();
  const row = page.locator(`[data-testid="order-row"][data-number="${number}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('Awaiting approval');
  await expect(page.getByTestId('cart-link').first()).toHaveAttribute('data-count', '0');
  await page.goto('/cart');
  await expect(page.getByRole('status').getByText('Your cart is empty')).toBeVisible();
  expect(problems).toEqual([]);
});

test('the catalog and cart in Japanese', async ({ page }, info) => {
  const email = await newVerifiedCustomer(page, info, 'shopja');
  await signIn(page, email, PASSWORD);
  await page.goto('/catalog');
  await settled(page);
  await page.getByRole('group', { name: 'Language' }).first().getByRole('button', { name: '日本語' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'プラン・オプション' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '光回線', level: 2 })).toBeVisible();
  const card = page.locator('[data-testid="product-card"][data-sku="SIM-D-3G"]');
  await expect(card).toContainText('データSIM 3GB');
  await expect(card.getByTestId('price')).toContainText('税込');
  await settled(page);
  await card.getByTestId('add-to-cart').getByRole('button').click();
  await expect(page).toHaveURL(/\/cart\?added=/);
  await expect(page.getByRole('heading', { level: 1, name: 'カート' })).toBeVisible();
  await expect(page.getByTestId('form-notice')).toContainText('データSIM 3GB');
  await expect(page.getByTestId('cart-lines')).toContainText('SIMカード発行・登録事務手数料');
  await expect(page.getByTestId('monthly-totals')).toContainText('消費税（10%）');
  await page.getByTestId('to-checkout').click();
  await expect(page.getByRole('heading', { level: 1, name: 'ご注文内容の確認' })).toBeVisible();
  // Back to English for the other specs (the choice is stored on the account).
  await settled(page);
  await page.getByRole('group', { name: '言語' }).first().getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm your order' })).toBeVisible();
});
