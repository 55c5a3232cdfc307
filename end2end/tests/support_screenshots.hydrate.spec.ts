// Screenshots of the support pages at phone and desktop width, in both languages, for review:
// the new-case form opened from a service, a case with an agent's answer, the cases list and
// the dashboard's open cases. Opens one case per run (as Hanako) to have something to show.
import { expect, test } from '@playwright/test';
import { expectSignedIn, signIn } from '../helpers/accounts';
import { agentReplies } from '../helpers/sandbox';

const sizes = { phone: { width: 360, height: 780 }, desktop: { width: 1280, height: 800 } };

for (const [device, viewport] of Object.entries(sizes)) {
  for (const [lang, theme] of [['en', 'light'], ['ja', 'dark']]) {
    test(`support screenshots ${device} ${lang}`, async ({ page, context, baseURL }) => {
      await context.clearCookies();
      await context.addCookies([{ name: 'theme', value: theme, url: baseURL! }]);
      await page.setViewportSize(viewport);
      await signIn(page, 'hanako@example.jp', 'sandbox-demo-2026');
      await expectSignedIn(page, 'hanako@example.jp');
      await context.addCookies([{ name: 'i18n_pref_locale', value: lang, url: baseURL! }]);
      await page.goto('/support/new?service=102');
      await expect(page.getByTestId('case-about')).toBeVisible();
      await page.screenshot({ path: `screenshots/support-new-${device}-${lang}.png`, fullPage: true });
      const form = page.getByTestId('new-case-form');
      await form.locator('[name="subject"]').fill(lang === 'ja' ? '通信が遅い' : 'Slow data');
      await form.locator('[name="description"]').fill(lang === 'ja' ? '夜になると通信が遅くなります。' : 'Data gets slow every evening.');
      await form.locator('button[type="submit"]').click();
      await expect(page).toHaveURL(/\/support\/500\w+\?opened=1$/);
      const id = await page.getByTestId('case').getAttribute('data-id');
      await agentReplies(id!, lang === 'ja' ? '混雑時間帯の制御についてご案内します。' : 'Here is what happens at peak times.');
      await page.goto(`/support/${id}`);
      await expect(page.locator('[data-testid="message"][data-author="agent"]')).toHaveCount(1, { timeout: 30_000 });
      await page.screenshot({ path: `screenshots/support-case-${device}-${lang}.png`, fullPage: true });
      await page.goto('/support');
      await expect(page.getByTestId('cases')).toBeVisible();
      await page.screenshot({ path: `screenshots/support-list-${device}-${lang}.png`, fullPage: true });
      await page.goto('/');
      await expect(page.getByTestId('dashboard-cases')).toBeVisible();
      await page.getByTestId('dashboard-cases').screenshot({ path: `screenshots/support-dashboard-${device}-${lang}.png` });
    });
  }
}
