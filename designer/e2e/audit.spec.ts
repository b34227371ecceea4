import path from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { adoptPassword, authFile, screenshotDir } from './users';
import { scaled } from './timing';

test.describe.configure({ timeout: scaled(180_000) });
const expect = baseExpect.configure({ timeout: scaled(30_000) });

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

test.use({ storageState: authFile('admin') });

test('管理员新增一名审计员：审计员在安全审计中看到这次新增和自己的登录，校验完整性；管理员打不开安全审计', async ({
  page,
  browser,
}) => {
  const userName = `sj${Date.now().toString(36)}`;
  const password = 'Audit#2026x';
  const created = await page.request.post('/api/users', {
    data: { userName, displayName: '审计员乙', unitId: 'bgs', roles: ['审计员'], password: `${password}#Given` },
  });
  expect(created.status()).toBe(201);
  await adoptPassword(userName, `${password}#Given`, password);

  // The administrator, whose acts the log records, cannot read it.
  await page.goto('/audit');
  await expect(page.getByText(/无权|没有权限|403/).first()).toBeVisible();

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const auditor = await context.newPage();
  await auditor.goto('/login');
  await auditor.getByLabel('用户名').fill(userName);
  await auditor.getByLabel('密码').fill(password);
  await auditor.getByRole('button', { name: /登\s*录/ }).click();
  await expect(auditor.getByRole('menuitem', { name: /安全审计/ })).toBeVisible();
  await auditor.goto('/audit');
  const added = auditor.getByRole('row').filter({ hasText: '新增人员' }).filter({ hasText: 'admin' });
  await expect(added.first()).toBeVisible();
  await expect(
    auditor.getByRole('row').filter({ hasText: '登录成功' }).filter({ hasText: userName }).first(),
  ).toBeVisible();
  await auditor.getByRole('button', { name: /校验完整性/ }).click();
  await expect(auditor.getByTestId('audit-verification')).toContainText('日志完整');
  await screenshot(auditor, 'audit-log');
  await context.close();
});
