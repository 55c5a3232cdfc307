// Screenshots of the account pages (sign-in, sign-up, security with sessions and audit) at phone
// and desktop width, in both languages, for review.
import { expect, test } from '@playwright/test';
import { expectSignedIn, signIn } from '../helpers/accounts';
import { waitForHydration } from '../helpers/page';

const sizes = { phone: { width: 360, height: 780 }, desktop: { width: 1280, height: 800 } };

for (const [device, viewport] of Object.entries(sizes)) {
  for (const [lang, theme] of [['en', 'light'], ['ja', 'dark']]) {
    test(`account screenshots ${device} ${lang}`, async ({ page, context, baseURL }) => {
      await context.clearCookies();
      await context.addCookies([
        { name: 'theme', value: theme, url: baseURL! },
        { name: 'i18n_pref_locale', value: lang, url: baseURL! },
      ]);
      await page.setViewportSize(viewport);
      await page.goto('/login');
      await waitForHydration(page);
      await page.screenshot({ path: `screenshots/login-${device}-${lang}.png`, fullPage: true });
      await page.goto('/signup');
      await page.screenshot({ path: `screenshots/signup-${device}-${lang}.png`, fullPage: true });
      await context.addCookies([{ name: 'i18n_pref_locale', value: 'en', url: baseURL! }]);
      await signIn(page, 'alex@example.com', 'sandbox-demo-2026');
      await expectSignedIn(page, 'alex@example.com');
      await context.addCookies([{ name: 'i18n_pref_locale', value: lang, url: baseURL! }]);
      await page.goto('/account/security');
      await expect(page.getByTestId('sessions')).toBeVisible();
      await page.screenshot({ path: `screenshots/security-${device}-${lang}.png`, fullPage: true });
      await page.goto('/account');
      await expect(page.getByTestId('profile-form')).toBeVisible();
      await page.screenshot({ path: `screenshots/profile-${device}-${lang}.png`, fullPage: true });
    });
  }
}
