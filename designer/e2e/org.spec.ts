import path from 'node:path';
import { expect as baseExpect, test, type Locator, type Page } from '@playwright/test';
import { authFile, screenshotDir } from './users';
import { scaled } from './timing';

test.describe.configure({ timeout: scaled(120_000) });
const expect = baseExpect.configure({ timeout: scaled(30_000) });

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

const expected = /Failed to load resource: the server responded with a status of (400|401)/;
let consoleErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected.test(message.text())) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});
test.afterEach(() => {
  expect(consoleErrors, 'browser console errors').toEqual([]);
});

/** Opens the select of the form item labelled `label` (the input itself is covered by antd's selector). */
async function pick(scope: Locator, label: string) {
  await scope.locator('.ant-form-item').filter({ hasText: label }).locator('.ant-select-selector').click();
}

function isPath(pathname: string, method = 'GET') {
  return (r: { url(): string; request(): { method(): string } }) =>
    new URL(r.url()).pathname === pathname && r.request().method() === method;
}

test.describe('组织（管理员）', () => {
  test.use({ storageState: authFile('admin') });

  test('新增、改名、移动并停用一个单位；重复的编码在字段旁报错', async ({ page }) => {
    const code = `e2e${Date.now().toString(36)}`;
    await page.goto('/org');
    await expect(page.getByRole('tab', { name: /单位/ })).toHaveAttribute('aria-selected', 'true');
    const tree = page.getByRole('region', { name: '单位树' });
    await expect(tree.getByText('法制处')).toBeVisible();
    await screenshot(page, 'org-units');

    // A duplicate code: the error shows beside 单位编码, nothing is created.
    await page.getByRole('button', { name: '新增单位' }).click();
    const form = page.getByRole('region', { name: '单位信息' });
    await form.getByLabel('单位名称').fill('重复编码的单位');
    await form.getByLabel('单位编码').fill('fzc');
    const refused = page.waitForResponse(isPath('/api/units', 'POST'));
    await form.getByRole('button', { name: '新增', exact: true }).click();
    expect((await refused).status()).toBe(400);
    await expect(form.locator('.ant-form-item-explain-error').filter({ hasText: '单位编码已存在' })).toBeVisible();

    // Add it under 山东省司法厅（演示） with a fresh code.
    await form.getByLabel('单位编码').fill(code);
    await form.getByLabel('单位名称').fill('临时工作专班');
    await pick(form, '上级单位');
    await page.locator('.ant-select-dropdown:visible').getByTitle('山东省司法厅（演示）', { exact: true }).click();
    await expect(form.getByRole('heading', { name: '在「山东省司法厅（演示）」下新增单位' })).toBeVisible();
    const created = page.waitForResponse(isPath('/api/units', 'POST'));
    await form.getByRole('button', { name: '新增', exact: true }).click();
    expect((await created).status()).toBe(201);
    await expect(tree.getByText('临时工作专班')).toBeVisible();

    // Rename and move it under 法制处.
    await form.getByLabel('单位名称').fill('法治督察专班');
    await pick(form, '上级单位');
    await page.locator('.ant-select-dropdown:visible').getByTitle('法制处', { exact: true }).click();
    const saved = page.waitForResponse(isPath(`/api/units/${code}`, 'PUT'));
    await form.getByRole('button', { name: '保存' }).click();
    expect((await saved).status()).toBe(200);
    await expect(page.getByText('已保存「法治督察专班」')).toBeVisible();
    await expect(form.getByRole('heading', { name: '山东省司法厅（演示） / 法制处 / 法治督察专班' })).toBeVisible();

    // Disable it: the tree marks it.
    await form.getByRole('switch').click();
    const disabled = page.waitForResponse(isPath(`/api/units/${code}`, 'PUT'));
    await form.getByRole('button', { name: '保存' }).click();
    expect((await disabled).status()).toBe(200);
    await expect(tree.locator(`[data-unit="${code}"]`)).toContainText('已停用');
    await screenshot(page, 'org-unit-edited');

    // 法制处 still has people: disabling it is refused, with the reason beside 状态.
    await tree.locator('[data-unit="fzc"]').click();
    await expect(form.getByLabel('单位名称')).toHaveValue('法制处');
    await form.getByRole('switch').click();
    const refusedDisable = page.waitForResponse(isPath('/api/units/fzc', 'PUT'));
    await form.getByRole('button', { name: '保存' }).click();
    expect((await refusedDisable).status()).toBe(400);
    await expect(form.locator('.ant-form-item-explain-error').filter({ hasText: '名在用人员' })).toBeVisible();
  });

  test('回答很快的提交：按钮的加载图标不残留，按钮仍叫「新增」', async ({ page }) => {
    // antd removes the loading icon when its leave transition ends; an answer within a frame or two of the click
    // can leave it stuck (invisible, but named "loading", so the button read "loading 新增"). Answers of 0–19 ms,
    // twenty times: before index.css hid leaving icons, several of twenty stuck.
    let delay = 0;
    await page.route('**/api/units', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await new Promise((resolve) => setTimeout(resolve, delay));
      await route.fulfill({
        status: 400,
        contentType: 'application/problem+json',
        body: JSON.stringify({ title: '单位信息有误', status: 400, errors: { id: ['单位编码已存在'] } }),
      });
    });
    await page.goto('/org');
    await page.getByRole('button', { name: '新增单位' }).click();
    const form = page.getByRole('region', { name: '单位信息' });
    await form.getByLabel('单位名称').fill('重复编码的单位');
    await form.getByLabel('单位编码').fill('fzc');
    const submit = form.locator('button[type=submit]');
    for (let attempt = 0; attempt < 20; attempt++) {
      delay = attempt;
      const answered = page.waitForResponse(isPath('/api/units', 'POST'));
      await submit.click();
      expect((await answered).status()).toBe(400);
      await expect(
        form.getByRole('button', { name: '新增', exact: true }),
        `attempt ${attempt} (${delay} ms)`,
      ).toBeVisible({ timeout: scaled(3_000) });
      await expect(submit.locator('.ant-btn-loading-icon:visible')).toHaveCount(0, { timeout: scaled(3_000) });
    }
  });

  test('人员：筛选、新增（弱密码在字段旁报错）、重置密码；新建本单位的角色', async ({ page, playwright }) => {
    const userName = `e2e${Date.now().toString(36)}`;
    await page.goto('/org?tab=users');
    const table = page.getByTestId('org-users-table');
    await expect(table.getByRole('cell', { name: 'fazhi', exact: true })).toBeVisible();

    await page.getByRole('combobox', { name: '角色' }).click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('领导').click();
    await expect(table.getByRole('cell', { name: 'lingdao', exact: true })).toBeVisible();
    await expect(table.getByRole('cell', { name: 'fazhi', exact: true })).toHaveCount(0);
    await page.goto('/org?tab=users');
    await expect(table.getByRole('cell', { name: 'fazhi', exact: true })).toBeVisible();
    await screenshot(page, 'org-users');

    await page.getByRole('button', { name: '新增人员' }).click();
    const dialog = page.getByRole('dialog', { name: '新增人员' });
    await dialog.getByLabel('用户名').fill(userName);
    await dialog.getByLabel('姓名').fill('测试联络员');
    await pick(dialog, '所属单位');
    await page.locator('.ant-select-dropdown:visible').getByTitle('青岛市司法局', { exact: true }).click();
    await dialog.getByLabel('初始密码').fill('short');
    const weak = page.waitForResponse(isPath('/api/users', 'POST'));
    await dialog.getByRole('button', { name: '新增' }).click();
    expect((await weak).status()).toBe(400);
    await expect(dialog.locator('.ant-form-item-explain-error').filter({ hasText: '密码至少 10 位' })).toBeVisible();
    await dialog.getByLabel('初始密码').fill('Qingdao@2026');
    const created = page.waitForResponse(isPath('/api/users', 'POST'));
    await dialog.getByRole('button', { name: '新增' }).click();
    expect((await created).status()).toBe(201);
    await expect(dialog).toBeHidden();
    await page.getByRole('searchbox', { name: '搜索人员' }).fill(userName);
    await page.getByRole('searchbox', { name: '搜索人员' }).press('Enter');
    const row = table.getByRole('row').filter({ hasText: userName });
    await expect(row).toContainText('青岛市司法局');
    await expect(row).toContainText('承办单位联络员');

    await row.getByRole('button', { name: '重置密码' }).click();
    const reset = page.getByRole('dialog', { name: /重置密码/ });
    await reset.getByLabel('新密码', { exact: true }).fill('Renewed@2026');
    await reset.getByLabel('再次输入新密码').fill('Renewed@2026');
    const resetDone = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/reset-password'));
    await reset.getByRole('button', { name: '重置' }).click();
    expect((await resetDone).status()).toBe(204);
    // The new password works (in a separate session, so this page stays the administrator's).
    const other = await playwright.request.newContext();
    const login = await other.post(new URL('/api/auth/login', page.url()).href, {
      data: { userName, password: 'Renewed@2026' },
    });
    expect(login.status()).toBe(200);
    await other.dispose();

    // 角色与权限 (decision 049): the organization's own role, with what it may do ticked.
    await page.getByRole('tab', { name: '角色与权限' }).click();
    await expect(page.getByText('承办单位的督查联络员')).toBeVisible();
    const roleName = `特约督查员${Date.now().toString(36).slice(-4)}`;
    await page.getByRole('button', { name: '新建角色' }).click();
    const roleDialog = page.getByRole('dialog', { name: '新建角色' });
    await roleDialog.getByLabel('角色名称').fill(roleName);
    await roleDialog.getByLabel('说明').fill('人大代表、政协委员等特约人员，参与重点事项督查');
    // Ticked until it shows ticked: a click while the dialog still opens can land before the box takes it.
    const seeAll = roleDialog.getByRole('checkbox', { name: /查看全部事项/ });
    await expect(async () => {
      if (!(await seeAll.isChecked())) await seeAll.click();
      await expect(seeAll).toBeChecked({ timeout: scaled(2_000) });
    }).toPass({ timeout: scaled(30_000) });
    const roleSaved = page.waitForResponse(isPath('/api/role-definitions', 'POST'));
    await roleDialog.getByRole('button', { name: '保存' }).click();
    expect((await roleSaved).status()).toBe(201);
    await expect(roleDialog).toBeHidden();
    const roleRow = page.getByRole('row').filter({ hasText: roleName });
    await expect(roleRow).toContainText('自定义');
    await expect(roleRow).toContainText('查看全部事项');
    await screenshot(page, 'org-roles');
    // The new role is offered in the person dialog at once.
    await page.getByRole('tab', { name: /人员/ }).click();
    await page.getByRole('button', { name: '新增人员' }).click();
    await expect(
      page.getByRole('dialog', { name: '新增人员' }).getByRole('checkbox', { name: roleName }),
    ).toBeVisible();
    await page.getByRole('dialog', { name: '新增人员' }).getByRole('button', { name: '取消' }).click();
  });
});

test.describe('组织（非管理员）', () => {
  test.use({ storageState: authFile('ducha') });

  test('督查员没有组织菜单，直接打开显示无权限', async ({ page }) => {
    await page.goto('/ledger');
    await expect(
      page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '台账' }),
    ).toBeVisible();
    await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '组织' })).toHaveCount(
      0,
    );
    await page.goto('/org');
    await expect(page.getByText(/无权|没有权限/).first()).toBeVisible();
  });
});
