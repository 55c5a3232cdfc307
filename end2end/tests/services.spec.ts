// Services and payment methods in both projects (hydrated and without JavaScript): see the
// services, open one, request its cancellation and see it confirmed — once in English and once
// in Japanese — and see the payment methods with the default marked, add a card on the billing
// system's (simulator's) page and come back, then remove it there again.
//
// Both projects share one server, and a cancellation request is one per service and cannot be
// withdrawn: each project and language cancels its own live service (hanako has 101–103 live,
// alex 201). The card journey removes the card it added, so reruns start from the seed; it
// uses hanako hydrated and alex without JavaScript. Demo passwords are never changed.
import { expect, test } from '@playwright/test';
import { expectSignedIn, signIn } from '../helpers/accounts';
import { watchForProblems } from '../helpers/page';

const DEMO_PASSWORD = 'sandbox-demo-2026';

type Lang = 'en' | 'ja';

const CANCELS: Record<string, Record<Lang, { email: string; id: string }>> = {
  hydrated: {
    en: { email: 'hanako@example.jp', id: '102' },
    ja: { email: 'hanako@example.jp', id: '103' },
  },
  'no-js': {
    en: { email: 'hanako@example.jp', id: '101' },
    ja: { email: 'alex@example.com', id: '201' },
  },
};

const TEXT: Record<Lang, Record<string, string>> = {
  en: {
    nav: 'Services',
    immediately: 'Immediately',
    reason: 'Reason',
    submit: 'Request cancellation',
    received: 'Your cancellation request was received',
    active: 'Active',
  },
  ja: {
    nav: 'ご契約サービス',
    immediately: 'すぐに解約',
    reason: '解約理由',
    submit: '解約を申請する',
    received: '解約申請を受け付けました',
    active: 'ご利用中',
  },
};

/** Problems other than the simulator's missing favicon (a console message only). */
function realProblems(problems: string[]): string[] {
  return problems.filter((p) => !p.startsWith('console error: Failed to load resource'));
}

test.beforeEach(async ({ context }) => {
  await context.clearCookies();
});

for (const lang of ['en', 'ja'] as const) {
  test(`see services, open one and request its cancellation (${lang})`, async ({ page, context, baseURL }, info) => {
    const problems = watchForProblems(page);
    const { email, id } = CANCELS[info.project.name][lang];
    const text = TEXT[lang];
    await signIn(page, email, DEMO_PASSWORD);
    await expectSignedIn(page, email);
    await context.addCookies([{ name: 'i18n_pref_locale', value: lang, url: baseURL! }]);
    await page.goto('/');

    await page.getByRole('link', { name: text.nav }).first().click();
    await expect(page).toHaveURL(/\/services$/);
    const row = page.locator(`[data-testid="service-row"][data-id="${id}"]`);
    await expect(row).toBeVisible();
    await expect(row.getByTestId('service-status')).toHaveText(text.active);
    await row.locator('a').first().click();

    await expect(page).toHaveURL(new RegExp(`/services/${id}$`));
    await expect(page.getByTestId('service-title')).toBeVisible();
    const form = page.getByTestId('cancel-form');
    // End of the billing period is preselected; Japanese asks for an immediate one.
    if (lang === 'ja') await form.getByLabel(text.immediately).check();
    await form.getByLabel(text.reason).fill(lang === 'ja' ? '引っ越しのため' : 'Moving abroad');
    await form.getByRole('button', { name: text.submit }).click();

    await expect(page).toHaveURL(new RegExp(`/services/${id}\\?cancellation=requested$`));
    await expect(page.getByTestId('form-notice')).toContainText(text.received);
    await expect(page.getByTestId('cancel-form')).toHaveCount(0);
    expect(realProblems(problems)).toEqual([]);
  });
}

test('payment methods: the default is marked; a card is added and removed on the billing system', async ({ page }, info) => {
  const problems = watchForProblems(page);
  const [email, defaultLast4] = info.project.name === 'no-js'
    ? ['alex@example.com', '5454']
    : ['hanako@example.jp', '4242'];
  await signIn(page, email, DEMO_PASSWORD);
  await expectSignedIn(page, email);

  await page.getByRole('link', { name: 'Billing' }).first().click();
  await page.getByRole('link', { name: 'Payment methods' }).click();
  await expect(page).toHaveURL(/\/billing\/payment-methods$/);
  const defaultRow = page.locator('[data-testid="pay-method-row"][data-default="true"]');
  await expect(defaultRow).toHaveCount(1);
  await expect(defaultRow).toContainText(defaultLast4);
  await expect(defaultRow.getByTestId('default-badge')).toHaveText('Default');

  // Add a card on the simulator's page, not as the default.
  await page.getByTestId('add-pay-method').first().getByRole('button', { name: 'Add a payment method' }).click();
  await expect(page).toHaveURL(/\/index\.php\?rp=\/account\/paymentmethods\/add/);
  await page.getByLabel('Card number').fill('3530 1113 3330 0000');
  await page.getByLabel('Expiry (MM/YY)').fill('09/31');
  await page.getByLabel('Use by default').uncheck();
  await page.getByRole('button', { name: 'Save card' }).click();

  await expect(page).toHaveURL(/\/billing\/payment-methods\?updated=1$/);
  await expect(page.getByTestId('form-notice')).toBeVisible();
  const added = page.locator('[data-testid="pay-method-row"]', { hasText: '0000' });
  await expect(added).toHaveCount(1);
  await expect(added).toHaveAttribute('data-default', 'false');
  await expect(defaultRow).toContainText(defaultLast4);

  // Remove it again there: "Manage or remove" leads to the simulator's list.
  await added.getByRole('button', { name: 'Manage or remove JCB •••• 0000' }).click();
  await expect(page).toHaveURL(/\/index\.php\?rp=\/account\/paymentmethods$/);
  await page.locator('tr', { hasText: 'ending 0000' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page).toHaveURL(/\/billing\/payment-methods\?updated=1$/);
  await expect(page.locator('[data-testid="pay-method-row"]', { hasText: '0000' })).toHaveCount(0);
  await expect(defaultRow).toContainText(defaultLast4);
  expect(realProblems(problems)).toEqual([]);
});
