// Screenshots of the services list, a service with its cancellation form, and the payment
// methods at phone and desktop width, in both languages, for review. Read-only: nothing is
// cancelled or changed.
import { expect, test } from '@playwright/test';
import { expectSignedIn, signIn } from '../helpers/accounts';

const sizes = { phone: { width: 360, height: 780 }, desktop: { width: 1280, height: 800 } };

for (const [device, viewport] of Object.entries(sizes)) {
  for (const [lang, theme] of [['en', 'light'], ['ja', 'dark']]) {
    test(`services screenshots ${device} ${lang}`, async ({ page, context, baseURL }) => {
      await context.clearCookies();
      await context.addCookies([{ name: 'theme', value: theme, url: baseURL! }]);
      await page.setViewportSize(viewport);
      await signIn(page, 'hanako@example.jp', 'sandbox-demo-2026');
      await expectSignedIn(page, 'hanako@example.jp');
      await context.addCookies([{ name: 'i18n_pref_locale', value: lang, url: baseURL! }]);
      await page.goto('/services');
      await expect(page.getByTestId('services')).toBeVisible();
      await page.screenshot({ path: `screenshots/services-${device}-${lang}.png`, fullPage: true });
      await page.goto('/services/104');
      await expect(page.getByTestId('service-title')).toBeVisible();
      await page.screenshot({ path: `screenshots/service-ended-${device}-${lang}.png`, fullPage: true });
      await page.goto('/services/102');
      await expect(page.getByTestId('service-title')).toBeVisible();
      await page.screenshot({ path: `screenshots/service-${device}-${lang}.png`, fullPage: true });
      await page.goto('/billing/payment-methods');
      await expect(page.getByTestId('pay-methods')).toBeVisible();
      await page.screenshot({ path: `screenshots/payment-methods-${device}-${lang}.png`, fullPage: true });
    });
  }
}
