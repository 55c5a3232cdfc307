// Support cases in both projects (hydrated and without JavaScript), in English and Japanese:
// open a case from a SIM page or a service page (its masked phone number is carried, nothing typed) with a
// screenshot attached, find it listed with its link, receive an agent's answer through the
// sandbox's Salesforce simulator, reply, close it and see it can be reopened; the screenshot
// downloads byte for byte. Then open a case from an order page. Hydrated, the answer appears
// without reloading, through the case page's live stream (a marker set on the window survives);
// the dashboard's open cases hear the next answer the same way; without JavaScript the customer
// reloads.
//
// The agent's answer needs the sandbox control API: PORTAL_SANDBOX_CONTROL_URL (scripts/test.sh
// fixes the control port and sets it).
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { expectSignedIn, signIn } from '../helpers/accounts';
import { watchForProblems } from '../helpers/page';
import { agentReplies } from '../helpers/sandbox';

const DEMO_PASSWORD = 'sandbox-demo-2026';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

type Lang = 'en' | 'ja';

const TEXT: Record<Lang, Record<string, string>> = {
  en: {
    help: 'Get help with this service',
    helpOrder: 'Get help with this order',
    subject: 'Subject',
    description: 'What is happening?',
    file: 'Attachment (optional)',
    submit: 'Send to support',
    opened: 'We received your case',
    reply: 'Your message',
    sendReply: 'Send reply',
    replied: 'Your reply was sent',
    close: 'Close this case',
    reopen: 'Reopen this case',
    closed: 'Closed',
    answered: 'New answer from support',
  },
  ja: {
    help: 'このサービスについて問い合わせる',
    helpOrder: 'このご注文について問い合わせる',
    subject: '件名',
    description: 'どのような状況ですか？',
    file: '添付ファイル（任意）',
    submit: 'サポートに送信',
    opened: 'お問い合わせを受け付けました',
    reply: 'メッセージ',
    sendReply: '返信する',
    replied: '返信を送信しました',
    close: 'このお問い合わせを完了にする',
    reopen: 'お問い合わせを再開する',
    closed: '完了',
    answered: 'サポートから新しい回答があります',
  },
};

async function caseId(page: Page): Promise<string> {
  const id = await page.getByTestId('case').getAttribute('data-id');
  expect(id).toMatch(/^500\w{15}$/);
  return id!;
}

test.beforeEach(async ({ context }) => {
  await context.clearCookies();
});

for (const lang of ['en', 'ja'] as const) {
  test(`open a case from a SIM or its service, get an answer, reply and close it (${lang})`, async ({ page, context, baseURL }, info) => {
    test.setTimeout(90_000);
    const problems = watchForProblems(page);
    const text = TEXT[lang];
    const hydrated = info.project.name !== 'no-js';
    const subject = `${lang === 'ja' ? '通信できません' : 'No data connection'} ${info.project.name} ${Date.now().toString(36)}`;
    await signIn(page, 'hanako@example.jp', DEMO_PASSWORD);
    await expectSignedIn(page, 'hanako@example.jp');
    await context.addCookies([{ name: 'i18n_pref_locale', value: lang, url: baseURL! }]);

    // From the SIM's page (English) or its service's (Japanese): the case knows which line,
    // with the number masked.
    if (lang === 'en') {
      await page.goto('/sims/090-1234-5678');
      await page.getByTestId('sim-support').click();
    } else {
      await page.goto('/services/102');
      await page.getByTestId('help-service').click();
    }
    await expect(page).toHaveURL(/\/support\/new\?service=102$/);
    await expect(page.getByTestId('case-about')).toContainText('090-****-5678');
    const form = page.getByTestId('new-case-form');
    await form.getByLabel(text.subject).fill(subject);
    await form.getByLabel(text.description).fill(lang === 'ja' ? '昨日から通信できません。' : 'Since yesterday there is no data.');
    await form.getByLabel(text.file).setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
    await form.getByRole('button', { name: text.submit }).click();

    await expect(page).toHaveURL(/\/support\/500\w+\?opened=1$/);
    await expect(page.getByTestId('form-notice')).toContainText(text.opened);
    const id = await caseId(page);
    await expect(page.getByTestId('case-service')).toContainText('090-****-5678');
    await expect(page.getByTestId('case-file')).toHaveAttribute('data-title', 'screen.png');
    await expect(page.getByTestId('message')).toHaveCount(1);

    // The screenshot downloads as sent, as an attachment that is never sniffed.
    const link = page.getByTestId('case-file-download');
    const href = await link.getAttribute('href');
    expect(href).toMatch(new RegExp(`^/support/${id}/files/069\\w+$`));
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('screen.png');
    expect((await readFile((await download.path())!)).equals(PNG)).toBe(true);
    const served = await page.request.get(href!);
    expect(served.headers()['content-type']).toBe('image/png');
    expect(served.headers()['x-content-type-options']).toBe('nosniff');
    expect(served.headers()['content-disposition']).toContain('attachment');

    // Listed, with its link to the service.
    await page.goto('/support');
    const row = page.locator(`[data-testid="case-row"][data-id="${id}"]`);
    await expect(row).toContainText(subject);
    await expect(row.getByTestId('case-service')).toHaveAttribute('data-service', '102');
    await row.getByRole('link', { name: subject }).click();
    await expect(page).toHaveURL(new RegExp(`/support/${id}$`));

    // An agent answers; hydrated, it arrives through the live stream, with no reload (the
    // marker on the window survives).
    if (hydrated) {
      await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 20_000 });
      await expect(page.getByTestId('case-live')).toHaveAttribute('data-live', 'on', { timeout: 20_000 });
      await page.evaluate(() => ((window as unknown as { liveMarker: string }).liveMarker = 'still here'));
    }
    await agentReplies(id, lang === 'ja' ? 'SIMの再起動をお試しください。' : 'Please restart the SIM.');
    await agentReplies(id, 'INTERNAL NOTE do not show', true);
    const agent = page.locator('[data-testid="message"][data-author="agent"]');
    if (hydrated) {
      // The server checks every [support] live_poll_secs (10 s); the stream brings it at once.
      await expect(agent).toHaveCount(1, { timeout: 30_000 });
      expect(await page.evaluate(() => (window as unknown as { liveMarker?: string }).liveMarker)).toBe('still here');
    } else {
      await expect(async () => {
        await page.reload();
        await expect(agent).toHaveCount(1, { timeout: 1_000 });
      }).toPass({ timeout: 30_000 });
    }
    await expect(page.getByTestId('conversation')).not.toContainText('INTERNAL NOTE');

    // Reply, then close; it can be reopened.
    await page.getByTestId('reply-form').getByLabel(text.reply).fill(lang === 'ja' ? '再起動したら直りました。' : 'A restart fixed it, thanks.');
    await page.getByTestId('reply-form').getByRole('button', { name: text.sendReply }).click();
    await expect(page.getByTestId('form-notice')).toContainText(text.replied);
    await expect(page.getByTestId('message')).toHaveCount(3);

    // Hydrated, the dashboard's open cases hear the next answer through their live stream too.
    if (hydrated) {
      const number = await page.getByTestId('case').getAttribute('data-number');
      await page.goto('/');
      const card = page.getByTestId('dashboard-cases');
      await expect(card).toHaveAttribute('data-live', 'on', { timeout: 20_000 });
      const open = card.locator(`[data-testid="open-case"][data-number="${number}"]`);
      await expect(open).toHaveCount(1);
      await expect(open.getByTestId('case-answered')).toHaveCount(0);
      await page.evaluate(() => ((window as unknown as { liveMarker: string }).liveMarker = 'dashboard'));
      await agentReplies(id, lang === 'ja' ? '解決してよかったです。' : 'Glad it works now.');
      await expect(open.getByTestId('case-answered')).toContainText(text.answered, { timeout: 30_000 });
      expect(await page.evaluate(() => (window as unknown as { liveMarker?: string }).liveMarker)).toBe('dashboard');
      await page.goto(`/support/${id}`);
      await expect(page.getByTestId('message')).toHaveCount(4);
    }
    await page.getByTestId('close-form').getByRole('button', { name: text.close }).click();
    await expect(page.getByTestId('case')).toHaveAttribute('data-status', 'closed');
    await expect(page.getByTestId('case-status')).toContainText(text.closed);
    await expect(page.getByTestId('reopen-form').getByRole('button', { name: text.reopen })).toBeVisible();
    await expect(page.getByTestId('reply-form')).toHaveCount(0);
    expect(problems).toEqual([]);
  });
}

test('open a case from an order page', async ({ page }) => {
  test.setTimeout(60_000);
  const problems = watchForProblems(page);
  await signIn(page, 'alex@example.com', DEMO_PASSWORD);
  await expectSignedIn(page, 'alex@example.com');
  // Place a small order to ask about.
  await page.goto('/catalog?category=options');
  await page.locator('[data-testid="product-card"][data-sku="OPT-FIXIP"]').getByTestId('add-to-cart').getByRole('button').click();
  await expect(page).toHaveURL(/\/cart\?added=/);
  await page.getByTestId('to-checkout').click();
  await page.getByTestId('checkout-form').getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/801\w+\?placed=1$/);
  const number = await page.getByTestId('order').getAttribute('data-number');

  await page.getByTestId('help-order').click();
  await expect(page).toHaveURL(/\/support\/new\?order=801\w+$/);
  await expect(page.getByTestId('case-about')).toContainText(number!);
  const form = page.getByTestId('new-case-form');
  await expect(form.getByLabel('Category')).toHaveValue('order');
  await form.getByLabel('Subject').fill('When does the fixed IP start?');
  await form.getByLabel('What is happening?').fill('I ordered a fixed IP address today.');
  await form.getByRole('button', { name: 'Send to support' }).click();
  await expect(page).toHaveURL(/\/support\/500\w+\?opened=1$/);
  await expect(page.getByTestId('case-order')).toHaveAttribute('data-order', number!);
  await page.getByTestId('case-order').click();
  await expect(page).toHaveURL(/\/orders\/801\w+$/);
  expect(problems).toEqual([]);
});
