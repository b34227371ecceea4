import { createHmac } from 'node:crypto';
import path from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { authFile, createThrowawayUser, screenshotDir } from './users';
import { scaled } from './timing';

test.describe.configure({ timeout: scaled(120_000) });
const expect = baseExpect.configure({ timeout: scaled(20_000) });

/** RFC 6238 (SHA-1, 30 s, 6 digits), as an authenticator app computes it; `stepsAhead` picks a later window. */
function totp(secret: string, stepsAhead = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/[^A-Z2-7]/gi, '').toUpperCase())
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + stepsAhead));
  const hmac = createHmac('sha1', key).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0xf;
  const value = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

async function passwordStep(page: Page, userName: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(userName);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

test.use({ storageState: authFile('admin') });

test('两步验证：本人启用（密钥 + 一次动态口令，恢复码只显示一次），再登录时密码之后须输入动态口令', async ({
  page,
  browser,
}) => {
  const user = await createThrowawayUser(page.request);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const own = await context.newPage();
  await passwordStep(own, user.userName, user.password);

  await own.getByRole('button', { name: '两步验证' }).click();
  const dialog = own.getByRole('dialog', { name: '两步验证' });
  await dialog.getByRole('button', { name: '开始设置' }).click();
  const secret = ((await dialog.getByTestId('totp-secret').textContent()) ?? '').trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(dialog.getByText(/^otpauth:\/\/totp\//)).toBeVisible();
  // The address as a QR code, for the phone's authenticator to scan.
  await expect(dialog.getByRole('img', { name: '两步验证二维码' }).locator('svg')).toBeVisible();
  await screenshot(own, 'second-factor-qr');
  await dialog.getByLabel('动态口令').fill(totp(secret));
  await dialog.getByRole('button', { name: '验证并启用' }).click();
  await expect(dialog.getByText('两步验证已启用')).toBeVisible();
  await expect(dialog.getByRole('list', { name: '恢复码' }).getByRole('listitem')).toHaveCount(10);
  await screenshot(own, 'second-factor-enrolled');
  await dialog.getByRole('button', { name: '我已保存恢复码' }).click();
  await context.close();

  // Signing in again: the password alone is not enough.
  const again = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const next = await again.newPage();
  await passwordStep(next, user.userName, user.password);
  await expect(next.getByLabel('动态口令')).toBeVisible();
  await screenshot(next, 'second-factor-code-step');
  // The enrolling code's window is used; the next window's code is accepted (one window of drift either side).
  await next.getByLabel('动态口令').fill(totp(secret, 1));
  await next.getByRole('button', { name: '验证并登录' }).click();
  await expect(next).not.toHaveURL(/\/login/);
  await expect(next.getByRole('button', { name: '两步验证' })).toBeVisible();
  await again.close();
});
