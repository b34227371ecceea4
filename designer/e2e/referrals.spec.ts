import path from 'node:path';
import { expect as baseExpect, request as apiRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { pick } from './selects';
import { adoptPassword, authFile, DEMO_PASSWORD, screenshotDir, type DemoUser } from './users';
import { scaled } from './timing';

test.describe.configure({ timeout: scaled(90_000) });
const expect = baseExpect.configure({ timeout: scaled(20_000) });
const headers = { 'X-Requested-With': 'XMLHttpRequest' };

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

async function as(user: DemoUser): Promise<APIRequestContext> {
  return apiRequest.newContext({ baseURL, storageState: authFile(user), extraHTTPHeaders: headers });
}

async function ok<T>(response: import('@playwright/test').APIResponse): Promise<T> {
  if (!response.ok()) throw new Error(`${response.url()}: ${response.status()} ${await response.text()}`);
  return (response.status() === 204 ? null : await response.json()) as T;
}

test.describe('上级交办', () => {
  test.use({ storageState: authFile('ducha') });

  test('督查室在事项页把承办环节交办给下级组织；下级督查部门在「上级交办」看到通知，点击启动办理带着通知发起；督查室撤回交办', async ({
    page,
    browser,
  }) => {
    // A subordinate organization under the demo one, as the platform administrator sets it up on 组织管理.
    const code = `e2esub${Date.now().toString(36)}`;
    const name = `测试下级司法局${code}`;
    const platform = await as('platform');
    await ok(
      await platform.post('/api/platform/organizations', {
        data: {
          id: code,
          name,
          adminUserName: `${code}-admin`,
          adminDisplayName: '下级管理员',
          adminPassword: `${DEMO_PASSWORD}#Given`,
        },
      }),
    );
    await adoptPassword(`${code}-admin`, `${DEMO_PASSWORD}#Given`, DEMO_PASSWORD);
    await ok(
      await platform.put(`/api/platform/organizations/${code}/superior`, { data: { superiorOrganizationId: 'sft' } }),
    );
    // Its administrator sets up its 督查室 and a 督查员 (三员分立: the administrator himself reads no item).
    const subAdmin = await apiRequest.newContext({ baseURL, extraHTTPHeaders: headers });
    await ok(await subAdmin.post('/api/auth/login', { data: { userName: `${code}-admin`, password: DEMO_PASSWORD } }));
    await ok(
      await subAdmin.post('/api/units', {
        data: { id: `${code}-dcs`, name: '督查室', parentId: code, kind: '督查部门' },
      }),
    );
    await ok(
      await subAdmin.post('/api/users', {
        data: {
          userName: `${code}-ducha`,
          displayName: '下级督查员',
          unitId: `${code}-dcs`,
          roles: ['督查员'],
          password: `${DEMO_PASSWORD}#Given`,
        },
      }),
    );
    await subAdmin.dispose();
    await adoptPassword(`${code}-ducha`, `${DEMO_PASSWORD}#Given`, DEMO_PASSWORD);

    // An item of the demo organization waiting at its 承办 step.
    const ducha = await as('ducha');
    const title = `上级交办演示${code}`;
    const item = await ok<{ id: string }>(
      await ducha.post('/api/instances', {
        data: {
          definitionId: 'demo-supervision',
          data: { title, source: 'meeting', content: '清理积案并报送', handlingUnit: 'fzc', dueDate: '2026-12-31' },
        },
      }),
    );
    const lingdao = await as('lingdao');
    const todo = await ok<{ items: { id: string; instanceId: string }[] }>(
      await lingdao.get('/api/tasks?box=todo&pageSize=100'),
    );
    const approve = todo.items.find((t) => t.instanceId === item.id)!;
    await ok(
      await lingdao.post(`/api/tasks/${approve.id}/complete`, {
        data: { outcome: '同意', data: { leaderOpinion: '同意' } },
      }),
    );

    // The office assigns the step by clicking.
    await page.goto(`/items/${item.id}`);
    await page.getByRole('button', { name: '交办给下级组织' }).click();
    const dialog = page.getByRole('dialog', { name: '交办给下级组织' });
    await pick(page, dialog, '* 下级组织', name);
    await dialog.getByLabel('办理要求').fill('请于月底前报送清理情况');
    await pick(page, dialog, '交办环节', '承办 · 法制处');
    await dialog.getByRole('button', { name: '交办' }).click();
    await expect(page.getByText(`已交办给${name}`)).toBeVisible();
    const referral = page.getByTestId('referral');
    await expect(referral).toContainText(name);
    await expect(referral).toContainText('待下级启动');
    await screenshot(page, 'referral-assigned');

    // The subordinate's office sees the notice and starts it with its own procedure, the notice above the form.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    await ok(
      await context.request.post('/api/auth/login', {
        data: { userName: `${code}-ducha`, password: DEMO_PASSWORD },
        headers,
      }),
    );
    const sub = await context.newPage();
    await sub.goto('/referrals');
    const row = sub.getByRole('row').filter({ hasText: title });
    await expect(row).toContainText('请于月底前报送清理情况');
    await expect(row).toContainText('待启动');
    await screenshot(sub, 'referral-incoming');
    await row.getByRole('button', { name: '启动办理' }).click();
    await expect(sub).toHaveURL(/\/start\?referral=/);
    await expect(sub.getByText(`上级交办：${title}`)).toBeVisible();
    await sub.getByRole('button', { name: '发起「督查事项办理（演示）」' }).click();
    await expect(sub.getByText(`上级交办：${title}`)).toBeVisible();
    await expect(sub.getByRole('heading', { name: /发起：/ })).toBeVisible();
    await screenshot(sub, 'referral-start');

    // The office withdraws it with a reason; the subordinate's office sees that, and why.
    await page.getByRole('button', { name: '撤回交办' }).click();
    const withdraw = page.getByRole('dialog', { name: /撤回交办/ });
    await withdraw.getByLabel('撤回原因').fill('省厅已另行部署');
    await withdraw.getByRole('button', { name: '撤回' }).click();
    await expect(referral).toContainText('已撤回');
    await expect(referral).toContainText('省厅已另行部署');
    await sub.goto('/referrals');
    await expect(row).toContainText('撤回原因：省厅已另行部署');
    await screenshot(sub, 'referral-withdrawn');
    await context.close();
    for (const c of [platform, ducha, lingdao]) await c.dispose();
  });
});
