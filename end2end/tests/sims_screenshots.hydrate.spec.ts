// Screenshots of the SIM pages at phone and desktop width, in both languages and themes, for
// review: the list, a line with its chart, top-up and "Manage this line" area, the month view,
// a top-up's confirm step, a plan change preview, and an eSIM line.
import { expect, test } from '@playwright/test';
import { expectSignedIn, signIn } from '../helpers/accounts';

const sizes = { phone: { width: 360, height: 780 }, desktop: { width: 1280, height: 800 } };

for (const [device, viewport] of Object.entries(sizes)) {
  for (const [lang, theme] of [['en', 'light'], ['ja', 'dark']]) {
    test(`SIM screenshots ${device} ${lang}`, async ({ page, context, baseURL }) => {
      test.setTimeout(60_000);
      await context.clearCookies();
      await context.addCookies([{ name: 'theme', value: theme, url: baseURL! }]);
      await page.setViewportSize(viewport);
      await signIn(page, 'hanako@example.jp', 'sandbox-demo-2026');
      await expectSignedIn(page, 'hanako@example.jp');
      await context.addCookies([{ name: 'i18n_pref_locale', value: lang, url: baseURL! }]);
      const shot = (name: string) => page.screenshot({ path: `screenshots/sims-${name}-${device}-${lang}.png`, fullPage: true });
      await page.goto('/sims');
      await expect(page.getByTestId('sim-row')).not.toHaveCount(0);
      await shot('list');
      await page.goto('/sims/09012345678');
      await expect(page.getByTestId('usage-chart')).toBeVisible();
      await expect(page.getByTestId('sim-manage')).toBeVisible();
      await shot('line');
      await page.goto('/sims/09012345678?range=month');
      await expect(page.getByTestId('usage-month-used')).toBeVisible();
      await page.getByTestId('usage-chart').screenshot({ path: `screenshots/sims-month-chart-${device}-${lang}.png` });
      await page.goto('/sims/09012345678?topup_gb=3');
      await expect(page.getByTestId('topup-confirm')).toBeVisible();
      await page.getByTestId('topup-section').screenshot({ path: `screenshots/sims-topup-${device}-${lang}.png` });
      await page.goto('/sims/09087654321');
      await expect(page.getByTestId('sim-manage')).toBeVisible();
      await shot('suspended');
    });
  }
}
