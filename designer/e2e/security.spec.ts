import path from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { authFile, createThrowawayUser, screenshotDir } from './users';
import { scaled } from './timing';

// Issue 18 / decision 036: the headers a security review reads, the cookie's flags, the app loading under its CSP, and a
// person changing their own password (which signs their other browsers out).
test.describe.configure({ timeout: scaled(90_000) });
const expect = baseExpect.configure({ timeout: scaled(20_000) });

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

const expected = /Failed to load resource: the server responded with a status of (400|401)/;

test('安全响应头、Cookie 属性，应用在 CSP 下正常加载', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));

  const document = await page.goto('/login');
  const headers = document!.headers();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).toContain("script-src 'self';");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');

  // The built app's scripts and Ant Design's styles run under the policy: the login form renders, no violation is logged.
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
  await page.getByLabel('用户名').fill('ducha');
  await page.getByLabel('密码').fill('Duban@2026');
  const login = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/login');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  const response = await login;
  expect(response.status()).toBe(200);
  const setCookie = (await response.headersArray())
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value);
  const auth = setCookie.find((c) => c.startsWith('duban.auth='));
  expect(auth?.toLowerCase()).toContain('httponly');
  expect(auth?.toLowerCase()).toContain('samesite=lax');
  expect((await response.allHeaders())['content-security-policy']).toContain("frame-ancestors 'none'");

  await expect(page.getByRole('banner')).toContainText('王督查');
  // The inbox's lazily loaded code and data arrive under the policy too.
  await expect(page.getByRole('tab', { name: '待办' })).toBeVisible();
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'duban.auth');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');
  // Expires with the idle timeout (30 minutes by default; test.sh's lanes give their servers longer), not days later.
  const [hours, minutes] = (process.env.DUBAN_E2E_IDLE_TIMEOUT ?? '00:30:00').split(':').map(Number);
  const idle = (hours * 60 + minutes) * 60 * 1000;
  expect(session!.expires * 1000 - Date.now()).toBeLessThan(idle + 60 * 1000);
  expect(session!.expires * 1000 - Date.now()).toBeGreaterThan(idle - 5 * 60 * 1000);
  await screenshot(page, 'security-signed-in-under-csp');
  expect(
    problems.filter((p) => /Content Security Policy|Refused to/i.test(p)),
    'CSP violations',
  ).toEqual([]);
  expect(problems, 'browser console errors').toEqual([]);
});

test('修改密码：不合规的新密码在字段旁报错；修改后其他浏览器回到登录页', async ({
  browser,
  page,
  playwright,
  baseURL,
}) => {
  const admin = await playwright.request.newContext({ baseURL, storageState: authFile('admin') });
  const user = await createThrowawayUser(admin);
  await admin.dispose();

  // The same person on another browser.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto('/login');
  await otherPage.getByLabel('用户名').fill(user.userName);
  await otherPage.getByLabel('密码').fill(user.password);
  await otherPage.getByRole('button', { name: '登录', exact: true }).click();
  await expect(otherPage.getByRole('banner')).toContainText(user.displayName);

  await page.goto('/login');
  await page.getByLabel('用户名').fill(user.userName);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('banner')).toContainText(user.displayName);

  await page.getByRole('button', { name: '修改密码' }).click();
  const dialog = page.getByRole('dialog', { name: '修改密码' });
  await expect(dialog.getByText(/至少 10 位/)).toBeVisible();
  await dialog.getByLabel('当前密码').fill(user.password);
  await dialog.getByLabel('新密码', { exact: true }).fill('Password1');
  await dialog.getByLabel('确认新密码').fill('Password1');
  const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/password');
  await dialog.getByRole('button', { name: '确认修改' }).click();
  expect((await refused).status()).toBe(400);
  await expect(dialog.locator('.ant-form-item-explain-error').filter({ hasText: '密码至少 10 位' })).toBeVisible();
  await screenshot(page, 'security-change-password-refused');

  await dialog.getByLabel('新密码', { exact: true }).fill('Changed@2026x');
  await dialog.getByLabel('确认新密码').fill('Changed@2026x');
  const changed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/password');
  await dialog.getByRole('button', { name: '确认修改' }).click();
  expect((await changed).status()).toBe(204);
  await expect(page.getByText('密码已修改，其他设备上的登录已退出')).toBeVisible();
  await expect(dialog).toBeHidden();
  await screenshot(page, 'security-change-password-done');

  // This browser goes on; the other one's next request is a 401 and it shows the sign-in page.
  await page.reload();
  await expect(page.getByRole('banner')).toContainText(user.displayName);
  await otherPage.goto('/');
  await expect(otherPage).toHaveURL(/\/login$/);
  await expect(otherPage.getByRole('button', { name: '登录', exact: true })).toBeVisible();
  await screenshot(otherPage, 'security-other-browser-signed-out');
  await other.close();
});
