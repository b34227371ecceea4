import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { authFile, createThrowawayUser, DEMO_PASSWORD, demoUsers, screenshotDir, viewports } from './users';

function isTasksResponse(box: string) {
  return (response: { url(): string; request(): { method(): string } }) => {
    const url = new URL(response.url());
    return (
      url.pathname === '/api/tasks' &&
      (url.searchParams.get('box') ?? 'todo') === box &&
      response.request().method() === 'GET'
    );
  };
}

/** Saves test-results/screenshots/<name>.png (desktop: whole page, phone: one screen). */
async function screenshot(page: Page, name: string) {
  const phone = (page.viewportSize()?.width ?? 1366) < 768;
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: !phone });
}

async function fillLogin(page: Page, userName: string, password: string) {
  await page.getByLabel('用户名').fill(userName);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

// Collect console errors and uncaught page errors; every test asserts none happened.
// Chromium logs every 4xx fetch as "Failed to load resource: … status of 401";
// a 401 is the expected answer of /api/auth/me and of a wrong password, so those are ignored.
const expected401 = /Failed to load resource: the server responded with a status of 401/;
let consoleErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected401.test(message.text())) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});
test.afterEach(() => {
  expect(consoleErrors, 'browser console errors').toEqual([]);
});

test.describe('登录', () => {
  test('承办单位联络员登录后看到待办表格', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
    await screenshot(page, 'login-desktop');

    const tasksResponse = page.waitForResponse(isTasksResponse('todo'));
    await fillLogin(page, demoUsers.fazhi.userName, DEMO_PASSWORD);
    const response = await tasksResponse;
    expect(response.status()).toBe(200);
    const tasks = (await response.json()) as { items: { itemTitle: string }[]; total: number };

    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('inbox-table')).toBeVisible();
    await expect(page.getByRole('table', { name: '待办列表' })).toBeVisible();
    await expect(page.getByRole('tab', { name: '待办' })).toHaveAttribute('aria-selected', 'true');
    const banner = page.getByRole('banner');
    await expect(banner).toContainText('督办');
    await expect(banner).toContainText(demoUsers.fazhi.unitName);
    await expect(banner).toContainText(demoUsers.fazhi.role);
    await expect(
      page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '待办' }),
    ).toBeVisible();
    const table = page.getByTestId('inbox-table');
    if (tasks.total > 0) {
      await expect(table.getByText(tasks.items[0].itemTitle).first()).toBeVisible();
      // The pager speaks Chinese (the inbox draws its own, without antd: docs/decisions/040).
      await expect(page.getByText(`共 ${tasks.total} 条`)).toBeVisible();
      await expect(page.getByRole('combobox', { name: '每页条数' }).locator('option:checked')).toHaveText('20 条/页');
    } else {
      await expect(table.getByText('暂无待办')).toBeVisible();
    }
    // Wait for the table to settle (spinner gone) before the screenshot.
    await expect(table).toHaveAttribute('aria-busy', 'false');
    await screenshot(page, 'inbox-desktop');
  });

  test('密码错误时显示“用户名或密码错误”', async ({ page }) => {
    await page.goto('/login');
    const login = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/login');
    await fillLogin(page, demoUsers.fazhi.userName, 'wrong-password');
    expect((await login).ok()).toBe(false);
    await expect(page.getByRole('alert')).toContainText('用户名或密码错误');
    await expect(page).toHaveURL(/\/login$/);
  });

  test('未登录访问首页时跳转到登录页', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
  });

  test('退出登录后回到登录页', async ({ page, playwright, baseURL }) => {
    // A user of its own: logging out ends every session of the user, the stored ones other tests use included.
    const admin = await playwright.request.newContext({ baseURL, storageState: authFile('admin') });
    const user = await createThrowawayUser(admin);
    await admin.dispose();
    await page.goto('/login');
    await fillLogin(page, user.userName, user.password);
    await expect(page.getByRole('banner')).toContainText(user.displayName);
    const logout = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/logout');
    await page.getByRole('button', { name: '退出登录' }).click();
    expect((await logout).ok()).toBe(true);
    await expect(page).toHaveURL(/\/login$/);
  });
});

test.describe('督查员', () => {
  test.use({ storageState: authFile('ducha') });

  test('看到已办标签页', async ({ page }) => {
    const todo = page.waitForResponse(isTasksResponse('todo'));
    await page.goto('/');
    await todo;
    const doneTab = page.getByRole('tab', { name: '已办' });
    await expect(doneTab).toBeVisible();

    const done = page.waitForResponse(isTasksResponse('done'));
    await doneTab.click();
    expect((await done).status()).toBe(200);
    await expect(doneTab).toHaveAttribute('aria-selected', 'true');
    await expect(page).toHaveURL(/[?&]box=done/);
    await expect(page.getByRole('table', { name: '已办列表' })).toBeVisible();
    await expect(page.getByRole('banner')).toContainText(demoUsers.ducha.role);
  });
});

test.describe('手机宽度', () => {
  test.use({ viewport: viewports.phone, isMobile: true, hasTouch: true });

  test('登录页', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
    await screenshot(page, 'login-phone');
  });

  test.describe('已登录', () => {
    test.use({ storageState: authFile('fazhi') });

    test('待办以卡片列表显示，导航收起', async ({ page }) => {
      const todo = page.waitForResponse(isTasksResponse('todo'));
      await page.goto('/');
      await todo;
      await expect(page.getByTestId('inbox-list')).toBeVisible();
      await expect(page.getByTestId('inbox-table')).toHaveCount(0);
      await expect(page.getByRole('navigation', { name: '主导航' })).toHaveCount(0);
      await expect(page.getByTestId('inbox-list')).toHaveAttribute('aria-busy', 'false');
      // No horizontal scrolling at 375px.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, 'inbox-phone');

      await page.getByRole('button', { name: '打开导航菜单' }).click();
      const nav = page.getByRole('navigation', { name: '主导航' });
      await expect(nav.getByRole('menuitem', { name: '待办' })).toBeVisible();
      await expect(page.getByRole('dialog')).toContainText(demoUsers.fazhi.unitName);
      await screenshot(page, 'inbox-phone-menu');
    });
  });
});
