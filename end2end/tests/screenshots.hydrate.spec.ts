// Screenshots of the shell at phone and desktop width, light and dark, saved under
// end2end/screenshots/ (CI artifacts; also what a reviewer looks at).
import { expect, test } from '@playwright/test';
import { waitForHydration } from '../helpers/page';

const sizes = { phone: { width: 360, height: 780 }, desktop: { width: 1280, height: 800 } };

for (const [device, viewport] of Object.entries(sizes)) {
  for (const theme of ['light', 'dark']) {
    for (const lang of ['en', 'ja']) {
      test(`screenshot ${device} ${theme} ${lang}`, async ({ page, context, baseURL }) => {
        await context.clearCookies();
        await context.addCookies([
          { name: 'theme', value: theme, url: baseURL! },
          { name: 'i18n_pref_locale', value: lang, url: baseURL! },
        ]);
        await page.setViewportSize(viewport);
        await page.goto('/status');
        await waitForHydration(page);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(page.locator('[data-overall]')).toBeVisible();
        await page.screenshot({ path: `screenshots/status-${device}-${theme}-${lang}.png`, fullPage: true });
        await page.goto('/');
        await expect(page.locator('[data-overall]')).toBeVisible();
        await page.screenshot({ path: `screenshots/home-${device}-${theme}-${lang}.png`, fullPage: true });
      });
    }
  }
}
