// SIM lines in both projects (hydrated and without JavaScript), in English and Japanese: open a
// line from the SIM list, read its usage chart (and its table alternative, and this month's
// view), top up 1 GB and see the balance grow (the invoice paid, the quota added once in the
// SIM platform), withdraw the booked plan change and book one again (preview first), and
// reissue an eSIM and see its QR code once the platform releases the profile.
//
// Talks to the Freebit simulator through the sandbox control API (PORTAL_SANDBOX_CONTROL_URL)
// to switch its per-line write limit off for the run, to move its clock so the eSIM order
// completes, and to read what the platform holds.
import { expect, test, type Page } from '@playwright/test';
import { expectSignedIn, signIn } from '../helpers/accounts';
import { watchForProblems } from '../helpers/page';
import { freebit } from '../helpers/sandbox';

const DEMO_PASSWORD = 'sandbox-demo-2026';
const HANAKO_LINE = '09012345678';
const ALEX_ESIM = '08098765432';

type Lang = 'en' | 'ja';

const TEXT: Record<Lang, Record<string, string>> = {
  en: {
    sims: 'SIMs',
    usage: 'Data usage',
    month: 'This month',
    topUp: 'Top up data',
    confirmPay: 'Confirm and pay',
    manage: 'Manage this line',
    preview: 'See what changes',
    confirmPlan: 'Confirm the plan change',
    withdraw: 'Withdraw the plan change',
    reissue: 'Reissue the eSIM',
  },
  ja: {
    sims: 'SIM',
    usage: 'データご利用量',
    month: '今月',
    topUp: 'データ追加チャージ',
    confirmPay: 'を支払って確定',
    manage: 'この回線の手続き',
    preview: '変更内容を確認',
    confirmPlan: 'プラン変更を確定する',
    withdraw: 'プラン変更を取り消す',
    reissue: 'eSIMを再発行する',
  },
};

/** Megabytes from a figure as the page writes it ("5.2 GB", "830 MB", "0 KB"). */
function megabytes(text: string): number {
  const m = text.replace(/,/g, '').match(/([\d.]+)\s*(GB|MB|KB)/);
  if (!m) throw new Error(`no data figure in "${text}"`);
  const n = Number(m[1]);
  return m[2] === 'GB' ? n * 1024 : m[2] === 'MB' ? n : n / 1024;
}

async function signInAs(page: Page, email: string, lang: Lang, baseURL: string): Promise<void> {
  await signIn(page, email, DEMO_PASSWORD);
  await expectSignedIn(page, email);
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: lang, url: baseURL }]);
}

/** Without JavaScript a page does not follow a change on its own: reload until `check` holds. */
async function reloadUntil(page: Page, check: () => Promise<void>): Promise<void> {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout: 30_000 });
}

/** Whether it is the last day of a month on the SIM platform's clock (JST). */
async function platformMonthEnds(): Promise<boolean> {
  const digits = String((await freebit('/_sandbox/clock')).today).replace(/\D/g, '');
  const day = new Date(Date.UTC(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)) - 1, Number(digits.slice(6, 8))));
  day.setUTCDate(day.getUTCDate() + 1);
  return day.getUTCDate() === 1;
}

test.beforeAll(async () => {
  // One write per line every 10 s is the platform's rule; the journeys write faster than that.
  await freebit('/_sandbox/settings', { rate_limits: false });
});

test.afterAll(async () => {
  await freebit('/_sandbox/settings', { rate_limits: true });
});

test.beforeEach(async ({ context }) => {
  await context.clearCookies();
});

for (const lang of ['en', 'ja'] as const) {
  test(`open a SIM, read its usage, top up 1 GB, change the plan and withdraw it (${lang})`, async ({ page, baseURL }, info) => {
    test.setTimeout(120_000);
    const problems = watchForProblems(page);
    const text = TEXT[lang];
    const hydrated = info.project.name !== 'no-js';
    await signInAs(page, 'hanako@example.jp', lang, baseURL!);

    // The list, then the line.
    await page.goto('/sims');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text.sims);
    const row = page.getByTestId('sim-row').filter({ hasText: '090-1234-5678' });
    await expect(row.getByTestId('sim-data-left')).toContainText(/\d/);
    await row.getByRole('link').first().click();
    await expect(page).toHaveURL(new RegExp(`/sims/${HANAKO_LINE}`));
    await expect(page.getByTestId('sim-number')).toHaveText('090-1234-5678');

    // The chart: an image for screen readers, a bar per day, a table alternative.
    const chart = page.getByTestId('usage-chart');
    await expect(chart).toBeVisible();
    await expect(page.getByRole('img', { name: /30/ })).toBeVisible();
    await expect(page.getByTestId('usage-bar')).not.toHaveCount(0);
    await expect(page.getByTestId('usage-row')).toHaveCount(30);
    await page.getByRole('link', { name: text.month, exact: true }).click();
    await expect(page).toHaveURL(/range=month/);
    await expect(page.getByTestId('usage-month-used')).toContainText(/\d/);
    await expect(page.getByTestId('usage-month-allowance')).toContainText(/\d/);

    // Top up 1 GB: the price first, then the payment, then the balance grows.
    const before = megabytes((await page.getByTestId('sim-data-left').first().textContent()) ?? '');
    const topUp = page.getByTestId('topup-section');
    await expect(topUp.getByRole('heading', { name: text.topUp })).toBeVisible();
    await topUp.locator('[data-testid="topup-pick"][data-gb="1"]').click();
    await expect(page.getByTestId('topup-confirm')).toHaveAttribute('data-gb', '1');
    await expect(page.getByTestId('topup-total')).toContainText(/\d/);
    await page.getByTestId('topup-form').getByRole('button', { name: new RegExp(text.confirmPay) }).click();
    await expect(page).toHaveURL(/topup=/);
    const result = page.getByTestId('topup-result');
    if (hydrated) {
      await expect(result).toHaveAttribute('data-state', 'applied', { timeout: 30_000 });
    } else {
      await reloadUntil(page, () => expect(result).toHaveAttribute('data-state', 'applied', { timeout: 1_000 }));
    }
    const invoice = ((await page.getByTestId('topup-invoice-link').first().textContent()) ?? '').replace('#', '');
    expect(invoice).toMatch(/^\d+$/);
    await expect(async () => {
      const after = megabytes((await page.getByTestId('sim-data-left').first().textContent()) ?? '');
      expect(after - before).toBeGreaterThanOrEqual(1000);
    }).toPass({ timeout: 15_000 });
    // The platform holds exactly one top-up named by that invoice.
    const line = await freebit(`/_sandbox/lines/${HANAKO_LINE}`);
    expect(line.buckets.filter((b: { code?: string }) => b.code === invoice)).toHaveLength(1);

    // Plan change: a booked one can be withdrawn; a new one is previewed, then booked.
    const manage = page.getByTestId('sim-manage');
    await expect(manage.getByRole('heading', { name: text.manage })).toBeVisible();
    const plan = page.getByTestId('plan-section');
    if (await plan.getByTestId('plan-change-booked').count()) {
      await plan.getByRole('button', { name: text.withdraw }).click();
      await expect(plan.getByTestId('plan-choose-form')).toBeVisible();
    }
    expect((await freebit(`/_sandbox/lines/${HANAKO_LINE}`)).reserved_plan ?? null).toBeNull();
    const choice = await plan.getByTestId('plan-select').locator('option').first().getAttribute('value');
    await plan.getByTestId('plan-select').selectOption(choice!);
    await plan.getByRole('button', { name: text.preview }).click();
    const preview = page.getByTestId('plan-preview');
    await expect(preview).toBeVisible();
    await expect(preview.getByTestId('plan-preview-change')).toContainText('→');
    await expect(preview.getByTestId('plan-preview-date')).toContainText(/\d/);
    await preview.getByRole('button', { name: text.confirmPlan }).click();
    if (await platformMonthEnds()) {
      // The platform books no plan change on a month's last day: the customer is told so.
      await expect(page.getByTestId('sim-action-refused')).toBeVisible();
      expect((await freebit(`/_sandbox/lines/${HANAKO_LINE}`)).reserved_plan ?? null).toBeNull();
      expect(problems).toEqual([]);
      return;
    }
    await expect(page.getByTestId('plan-change-booked')).toBeVisible();
    expect((await freebit(`/_sandbox/lines/${HANAKO_LINE}`)).reserved_plan).not.toBeNull();
    await page.getByTestId('plan-section').getByRole('button', { name: text.withdraw }).click();
    await expect(page.getByTestId('plan-section').getByTestId('plan-choose-form')).toBeVisible();
    expect((await freebit(`/_sandbox/lines/${HANAKO_LINE}`)).reserved_plan ?? null).toBeNull();
    expect(problems).toEqual([]);
  });

  test(`reissue an eSIM and get its QR code once released (${lang})`, async ({ page, baseURL }, info) => {
    test.setTimeout(90_000);
    const problems = watchForProblems(page);
    const text = TEXT[lang];
    const hydrated = info.project.name !== 'no-js';
    await signInAs(page, 'alex@example.com', lang, baseURL!);
    await page.goto(`/sims/${ALEX_ESIM}`);
    await expect(page.getByTestId('sim-number')).toHaveText('080-9876-5432');

    const esim = page.getByTestId('esim-section');
    await esim.getByTestId('esim-reissue-form').getByRole('button', { name: text.reissue }).click();
    await expect(page.getByTestId('esim-preparing')).toBeVisible();
    await expect(page.getByTestId('esim-qr')).toHaveCount(0);

    // The platform prepares the profile (ten minutes on its clock).
    await freebit('/_sandbox/advance', { seconds: 660 });
    if (hydrated) {
      await page.reload();
    }
    await reloadUntil(page, () => expect(page.getByTestId('esim-ready')).toBeVisible({ timeout: 1_000 }));
    await expect(page.getByTestId('esim-qr').locator('svg')).toBeVisible();
    await expect(page.getByTestId('esim-activation-code')).toHaveText(/^LPA:1\$/);
    expect(problems).toEqual([]);
  });
}
