// Account helpers for the journeys: unique emails, sign-up through the real form, following
// mailed links through the sandbox mailbox, signing in, and TOTP codes (RFC 6238, SHA-1).
import { expect, type Page, type TestInfo } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { settled } from './page';

export const PASSWORD = 'correct horse battery staple';

export function uniqueEmail(info: TestInfo, label: string): string {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  return `${label}-${info.project.name}-${stamp}@example.jp`.toLowerCase();
}

export async function signUp(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/signup');
  const form = page.getByTestId('signup-form');
  const field = (name: string) => form.locator(`[name="${name}"]`);
  await field('family_name').fill('山田');
  await field('given_name').fill('太郎');
  await field('email').fill(email);
  await field('phone').fill('090-1234-5678');
  await field('postal_code').fill('1500041');
  await field('prefecture').selectOption('東京都');
  await field('city').fill('渋谷区');
  await field('street').fill('神南1-2-3');
  await field('password').fill(password);
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('signup-done')).toBeVisible();
}

/** Opens the newest mail to `email` in the sandbox mailbox and follows its link. */
export async function followMailedLink(page: Page, email: string): Promise<void> {
  await page.goto('/sandbox/mail');
  const mail = page.locator(`[data-testid="mail"][data-to="${email}"]`).first();
  await expect(mail).toBeVisible();
  const href = await mail.locator('a').first().getAttribute('href');
  expect(href).toBeTruthy();
  await page.goto(new URL(href!).pathname + new URL(href!).search);
}

export async function verifyEmail(page: Page, email: string): Promise<void> {
  await followMailedLink(page, email);
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByTestId('verified')).toBeVisible();
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  const form = page.getByTestId('login-form');
  await form.locator('[name="email"]').fill(email);
  await form.locator('[name="password"]').fill(password);
  // Wait for the sign-in's answer: navigating on before it arrives would cancel the request
  // (hydrated, it is a fetch) and the next page would be a visitor's.
  const answered = page.waitForResponse(
    (res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/api/auth/login',
  );
  await form.getByRole('button', { name: 'Sign in' }).click();
  await answered;
  await page.waitForLoadState();
}

export async function expectSignedIn(page: Page, email: string): Promise<void> {
  await expect(page.getByTestId('session-menu').first()).toContainText(email);
  // Hydrated, the page writes its language cookie when the WASM takes over; a spec that sets
  // the cookie next must not race that write (seen: a Japanese journey ran in English).
  await settled(page);
}

export async function newVerifiedCustomer(page: Page, info: TestInfo, label: string): Promise<string> {
  const email = uniqueEmail(info, label);
  await signUp(page, email);
  await verifyEmail(page, email);
  return email;
}

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of input.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`bad base32 ${ch}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

export function totpCode(secret: string, at = Date.now()): string {
  const counter = Math.floor(at / 1000 / 30);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}
