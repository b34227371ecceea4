import path from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { authFile, DEMO_PASSWORD, screenshotDir } from './users';
import { scaled } from './timing';

test.describe.configure({ timeout: scaled(180_000) });
const expect = baseExpect.configure({ timeout: scaled(30_000) });

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

test.describe('组织管理（平台管理员）', () => {
  test.use({ storageState: authFile('platform') });

  test('平台管理员只见组织管理和安全审计；点击新建一个组织，其管理员登录后只见本组织的单位和内置流程', async ({
    page,
    browser,
  }) => {
    const code = `e2e${Date.now().toString(36)}`;
    const name = `测试市委督查室${code}`;
    await page.goto('/');
    // He belongs to no organization: the inbox is not his; he lands on his own screen. The menu has it and the platform's
    // audit log.
    await expect(page).toHaveURL(/\/platform$/);
    await expect(page.getByRole('menuitem')).toHaveText(['组织管理', '安全审计']);
    // .first(): a subordinate organization (上级交办) names the demo one in its 上级组织 cell too.
    await expect(page.getByRole('cell', { name: '山东省司法厅（演示）' }).first()).toBeVisible();
    await screenshot(page, 'platform-organizations');

    await page.getByRole('button', { name: '新建组织' }).click();
    const dialog = page.getByRole('dialog', { name: '新建组织' });
    await dialog.getByLabel('组织名称').fill(name);
    await dialog.getByLabel('组织编码').fill('sft');
    await dialog.getByLabel('管理员姓名').fill('市委管理员');
    await dialog.getByLabel('管理员用户名').fill(`${code}-admin`);
    await dialog.getByLabel('管理员初始密码').fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: '新建' }).click();
    // A code taken: said beside the field, nothing made.
    await expect(dialog.getByText('该编码已被使用')).toBeVisible();
    await screenshot(page, 'platform-code-taken');
    await dialog.getByLabel('组织编码').fill(code);
    await dialog.getByRole('button', { name: '新建' }).click();
    await expect(page.getByText(/已新建组织「.*」，并为其导入 \d+ 个内置流程/)).toBeVisible();
    await expect(page.getByRole('cell', { name, exact: true }).first()).toBeVisible();
    await screenshot(page, 'platform-created');

    // Its administrator signs in: his organization's root alone, and its own copies of the shipped procedures.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const admin = await context.newPage();
    await admin.goto('/login');
    await admin.getByLabel('用户名').fill(`${code}-admin`);
    await admin.getByLabel('密码').fill(DEMO_PASSWORD);
    await admin.getByRole('button', { name: /登\s*录/ }).click();
    // The password the platform administrator chose works once: he sets his own first (docs/decisions/046).
    const change = admin.getByRole('dialog', { name: '修改密码' });
    await expect(change.getByText('您的密码由管理员设置，仅可使用一次，请先改为自己的密码')).toBeVisible();
    await change.getByLabel('当前密码').fill(DEMO_PASSWORD);
    await change.getByLabel('新密码', { exact: true }).fill('Own#Admin2026');
    await change.getByLabel('确认新密码').fill('Own#Admin2026');
    await change.getByRole('button', { name: /确认修改/ }).click();
    await expect(change).toBeHidden();
    await admin.goto('/org');
    const tree = admin.getByRole('region', { name: '单位树' });
    await expect(tree.getByText(name)).toBeVisible();
    await expect(admin.getByRole('tab', { name: /人员.*1/ })).toBeVisible();
    await expect(tree.getByText('法制处')).toHaveCount(0);
    await screenshot(admin, 'platform-new-admin-org');
    await admin.goto('/designer');
    await expect(admin.getByText('督查事项办理（演示）').first()).toBeVisible();
    await screenshot(admin, 'platform-new-admin-procedures');
    await context.close();
  });
});
