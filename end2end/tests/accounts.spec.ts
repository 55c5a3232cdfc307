// Account journeys in both projects (hydrated and without JavaScript): sign up, confirm the
// email through the sandbox mailbox, sign in and out, a wrong password, password reset, and
// revoking another session with the audit log showing it.
import { expect, test } from '@playwright/test';
import {
  PASSWORD, expectSignedIn, followMailedLink, newVerifiedCustomer, signIn, signUp, uniqueEmail,
  verifyEmail,
} from '../helpers/accounts';
import { watchForProblems } from '../helpers/page';

test.beforeEach(async ({ context }) => {
  await context.clearCookies();
});

test('sign up, confirm the email, sign in and sign out', async ({ page }, info) => {
  const problems = watchForProblems(page);
  const email = uniqueEmail(info, 'journey');
  await signUp(page, email);
  await verifyEmail(page, email);
  await page.getByRole('link', { name: 'Sign in' }).last().click();
  await signIn(page, email);
  await expect(page).toHaveURL(/\/$/);
  await expectSignedIn(page, email);
  await page.goto('/account');
  await expect(page.getByTestId('profile-form').locator('[name="family_name"]')).toHaveValue('山田');
  await page.getByTestId('sign-out').first().click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/account');
  await expect(page.getByTestId('sign-in-prompt')).toBeVisible();
  expect(problems.filter((p) => !p.includes('HTTP 401'))).toEqual([]);
});

test('a wrong password gets one generic message', async ({ page }) => {
  await signIn(page, 'hanako@example.jp', 'not her password');
  await expect(page.getByTestId('form-error')).toHaveText('The email or password is incorrect.');
  await signIn(page, 'nobody-at-all@example.jp', 'not her password');
  await expect(page.getByTestId('form-error')).toHaveText('The email or password is incorrect.');
});

test('an unconfirmed email cannot sign in yet', async ({ page }, info) => {
  const email = uniqueEmail(info, 'unverified');
  await signUp(page, email);
  await signIn(page, email);
  await expect(page.getByTestId('form-error')).toContainText('confirm your email');
});

test('reset a forgotten password through the mailed link', async ({ page }, info) => {
  const email = await newVerifiedCustomer(page, info, 'reset');
  await page.goto('/forgot-password');
  await page.getByTestId('forgot-form').getByLabel(/^Email address/).fill(email);
  await page.getByRole('button', { name: 'Send link' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('a link is on its way');
  await followMailedLink(page, email);
  await page.getByTestId('reset-form').getByLabel(/^New password/).fill('a fresh new passphrase');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('Your password was changed');
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId('form-error')).toBeVisible();
  await signIn(page, email, 'a fresh new passphrase');
  await expectSignedIn(page, email);
});

test('sign out another session from the security page; the audit log shows it', async ({ page, browser }, info) => {
  const email = await newVerifiedCustomer(page, info, 'sessions');
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email);
  await expectSignedIn(otherPage, email);
  await signIn(page, email);
  await expectSignedIn(page, email);
  await page.goto('/account/security');
  const rows = page.getByTestId('session-row');
  await expect(rows).toHaveCount(2);
  await page.locator('[data-testid="session-row"][data-current="false"]').getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByTestId('form-notice').first()).toContainText('That session was signed out');
  await page.goto('/account/security');
  await expect(page.getByTestId('session-row')).toHaveCount(1);
  const audit = page.getByTestId('audit');
  await expect(audit).toContainText('A session was signed out');
  await expect(audit).toContainText('Signed in');
  await expect(audit).toContainText('Account created');
  // The other browser is signed out at its next request.
  await otherPage.goto('/account');
  await expect(otherPage.getByTestId('sign-in-prompt')).toBeVisible();
  await other.close();
});
