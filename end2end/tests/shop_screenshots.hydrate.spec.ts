// Screenshots of the catalog, a plan's page, the cart, the confirmation step and an order at
// phone and desktop width, in both languages and themes, for review. Each run signs up its own
// customer, so the cart and order it shows are its own.
import { expect, test } from '@playwright/test';
import { newVerifiedCustomer, PASSWORD, signIn } from '../helpers/accounts';
import { waitForHydration } from '../helpers/page';

const sizes = { phone: { width: 360, height: 780 }, desktop: { width: 1280, height: 800 } };

for (const [device, viewport] of Object.entries(sizes)) {
  for (const [lang, theme] of [['en', 'light'], ['ja', 'dark']]) {
    test(`shop screenshots ${device} ${lang}`, async ({ page, context, baseURL }, info) => {
      await context.clearCookies();
      await context.addCookies([{ name: 'theme', value: theme, url: baseURL! }]);
      await page.setViewportSize(viewport);
      const email = await newVerifiedCustomer(page, info, `shot${device}${lang}`);
      await signIn(page, email, PASSWORD);
      await context.addCookies([{ name: 'i18n_pref_locale', value: lang, url: baseURL! }]);
      await page.goto('/catalog');
      await expect(page.getByTestId('catalog-section').first()).toBeVisible();
      await page.screenshot({ path: `screenshots/catalog-${device}-${lang}.png`, fullPage: true });
      await page.locator('[data-testid="product-card"][data-sku="FIB-10G"]').getByRole('link').first().click();
      await expect(page.getByTestId('product')).toBeVisible();
      await waitForHydration(page);
      await page.screenshot({ path: `screenshots/product-${device}-${lang}.png`, fullPage: true });
      await page.getByTestId('product').getByTestId('add-to-cart').getByRole('button').click();
      await expect(page).toHaveURL(/\/cart\?added=/);
      await page.goto('/catalog?category=sim');
      await waitForHydration(page);
      await page.locator('[data-testid="product-card"][data-sku="SIM-V-20G"]').getByTestId('add-to-cart').getByRole('button').click();
      await expect(page.getByTestId('cart-line').first()).toBeVisible();
      await page.screenshot({ path: `screenshots/cart-${device}-${lang}.png`, fullPage: true });
      await page.goto('/checkout');
      await expect(page.getByTestId('checkout-form')).toBeVisible();
      await page.screenshot({ path: `screenshots/checkout-${device}-${lang}.png`, fullPage: true });
      await waitForHydration(page);
      await page.getByTestId('checkout-form').getByRole('button').last().click();
      await expect(page.getByTestId('order-placed')).toBeVisible();
      await page.screenshot({ path: `screenshots/order-${device}-${lang}.png`, fullPage: true });
      await page.goto('/orders');
      await expect(page.getByTestId('orders')).toBeVisible();
      await page.screenshot({ path: `screenshots/orders-${device}-${lang}.png`, fullPage: true });
    });
  }
}
