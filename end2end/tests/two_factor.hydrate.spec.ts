// Two-step verification (needs JavaScript to show the QR code): enable it with a code from the
// "app", keep the recovery codes, then sign in again with a code.
import { expect, test } from '@playwright/test';
import { expectSignedIn, newVerifiedCustomer, signIn, totpCode } from '../helpers/accounts';
import { waitForHydration } from '../helpers/page';

test('enable 2FA and sign in with a code', async ({ page }, info) => {
  test.setTimeout(90_000);
  const email = await newVerifiedCustomer(page, info, 'twofa');
  await signIn(page, email);
  await expectSignedIn(page, email);
  await page.goto('/account/security');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Set up two-step verification' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
  await expect(page.locator('.qr svg')).toBeVisible();
  const enabledStep = Math.floor(Date.now() / 30_000);
  await page.getByTestId('totp-enable-form').getByLabel(/6-digit code/).fill(totpCode(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);

  await page.getByTestId('sign-out').first().click();
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/login\/2fa$/);
  // The code used to switch 2FA on is spent (each code works once): wait for the next one.
  if (Math.floor(Date.now() / 30_000) === enabledStep) {
    await page.waitForTimeout(30_500 - (Date.now() % 30_000));
  }
  const code = totpCode(secret);
  await page.getByTestId('second-factor-form').getByLabel(/^Code/).fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expectSignedIn(page, email);
  await page.goto('/account/security');
  await expect(page.getByTestId('audit')).toContainText('Two-step verification turned on');
});
