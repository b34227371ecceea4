import path from 'node:path';
import { expect as baseExpect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { authFile, screenshotDir, viewports, type DemoUser } from './users';
import { scaled } from './timing';

/**
 * The shipped template 领导批示办理, 批办性 path, every step in the browser: the office registers the instruction with
 * its original attached and the leader to report to (发起), proposes handling and classifies it (拟办: the unit, goal
 * and date appear once 批办性 is chosen), the leader approves (审定), 法制处 reports on a phone (交办办理), the office
 * reviews and writes the 督查反馈 (审核), the leader reads it and closes it (阅示), and the item page shows the whole path.
 */

// The machine that runs these may be busy (two cores, parallel builds): give a page time to arrive.
const expect = baseExpect.configure({ timeout: scaled(30_000) });
test.describe.configure({ timeout: scaled(180_000) });

const expected4xx = /Failed to load resource: the server responded with a status of 40[19]/;

async function screenshot(page: Page, name: string) {
  const phone = (page.viewportSize()?.width ?? 1366) < 768;
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: !phone });
}

async function open(browser: Browser, user: DemoUser, phone = false) {
  const context = await browser.newContext({
    storageState: authFile(user),
    ...(phone ? { viewport: viewports.phone, isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected4xx.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors, close: () => context.close() };
}

async function api(
  playwright: (typeof import('@playwright/test'))['request'],
  user: DemoUser,
): Promise<APIRequestContext> {
  return playwright.newContext({ baseURL, storageState: authFile(user) });
}

/** The one open task of this user for the item titled `title`. */
async function taskOf(request: APIRequestContext, title: string): Promise<{ id: string; activityName: string }> {
  const response = await request.get('/api/tasks', { params: { box: 'todo', q: title } });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { items: { id: string; itemTitle: string; activityName: string }[] };
  const items = body.items.filter((t) => t.itemTitle === title);
  expect(items, `open tasks for 「${title}」`).toHaveLength(1);
  return items[0];
}

function isComplete(taskId: string) {
  return (r: { url(): string; request(): { method(): string } }) =>
    new URL(r.url()).pathname === `/api/tasks/${taskId}/complete` && r.request().method() === 'POST';
}

/** Pool tasks (for a unit or a role) are claimed first (签收); then the action panel appears. */
async function claim(page: Page, taskId: string) {
  await expect(page.getByTestId('task-header')).toBeVisible();
  const claimed = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/tasks/${taskId}/claim`);
  await page.getByRole('button', { name: '签收' }).click();
  expect((await claimed).status()).toBe(204);
  await expect(page.getByTestId('task-actions')).toBeVisible();
}

/** The form item (label + control + help) of the field labelled `label`. */
function fieldItem(page: Page, label: string) {
  return page.locator('.ant-form-item').filter({ has: page.getByLabel(label, { exact: true }) });
}

async function pickDate(page: Page, label: string, date: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(date);
  await input.press('Enter');
  await input.press('Tab'); // closes the calendar
  await expect(page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)')).toHaveCount(0);
}

async function pickUnit(page: Page, label: string, unit: string) {
  await page.getByLabel(label, { exact: true }).click();
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-title', {
      hasText: new RegExp(`^${unit}$`),
    })
    .click();
}

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe.serial('领导批示办理：批办性批示（登记 → 拟办 → 审定 → 交办 → 审核 → 阅示）', () => {
  const title = `李厅长关于加强行政复议案件办理工作的批示 ${Date.now().toString(36)}`;
  let itemId = '';

  test('督查员当日登记批示，上传批示原件，选择呈阅领导', async ({ browser }) => {
    const { page, errors, close } = await open(browser, 'ducha');
    await page.goto('/start');
    await expect(page.getByRole('heading', { name: '发起事项' })).toBeVisible();
    await page.getByRole('button', { name: '发起「领导批示办理」' }).click();
    await expect(page.getByRole('heading', { name: '发起：领导批示办理' })).toBeVisible();

    // The original is required: submitting without it names the field and sends nothing.
    let posted = false;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/instances' && r.method() === 'POST') posted = true;
    });
    await page.getByRole('button', { name: '提交' }).click();
    await expect(fieldItem(page, '批示内容')).toContainText('「批示内容」为必填项');
    await expect(page.locator('.ant-form-item').filter({ hasText: '批示原件' })).toContainText('「批示原件」为必填项');
    expect(posted).toBe(false);

    await page.getByLabel('事项名称', { exact: true }).fill(title);
    await page.getByRole('radio', { name: '本级领导批示' }).check();
    await page.getByLabel('批示领导', { exact: true }).fill('李厅长');
    await pickDate(page, '批示日期', new Date().toISOString().slice(0, 10));
    await page
      .getByLabel('批示内容', { exact: true })
      .fill('请法制处牵头研究，提出加强行政复议案件办理的具体措施，月底前报我。');
    await page.getByLabel('所批文件（报告）', { exact: true }).fill('《关于2025年全省行政复议工作情况的报告》');
    const uploaded = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/attachments' && r.request().method() === 'POST',
    );
    await page
      .locator('.ant-form-item')
      .filter({ hasText: '批示原件' })
      .locator('input[type=file]')
      .setInputFiles({
        name: '批示件.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4 领导批示件扫描件'),
      });
    expect((await uploaded).status()).toBe(201);
    await expect(page.getByRole('link', { name: '批示件.pdf' })).toBeVisible();
    await page.getByLabel('呈阅领导', { exact: true }).click();
    // Typed, as a person would in a long list: other specs add people, and the list only draws the rows in view.
    await page.getByLabel('呈阅领导', { exact: true }).fill('李厅长');
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '李厅长' })
      .click();
    await expect(fieldItem(page, '批示内容')).not.toContainText('为必填项');
    await screenshot(page, 'leader-instruction-register-desktop');

    const started = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/instances' && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: '提交' }).click();
    expect((await started).status()).toBe(201);
    await expect(page).toHaveURL(/\/items\/[0-9a-f-]{36}$/);
    itemId = page.url().split('/').pop()!;
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await expect(page.getByTestId('item-current')).toContainText('拟办');
    await expect(page.getByTestId('item-header')).toContainText(/督批〔\d{4}〕\d+号/);
    expect(errors).toEqual([]);
    await close();
  });

  test('督查员拟办：选批办性后填写主办单位、目标要求和完成时限', async ({ browser, playwright }) => {
    const task = await taskOf(await api(playwright.request, 'ducha'), title);
    expect(task.activityName).toBe('拟办');
    const { page, errors, close } = await open(browser, 'ducha');
    await page.goto(`/tasks/${task.id}`);
    await claim(page, task.id);
    await expect(page.getByText('请法制处牵头研究，提出加强行政复议案件办理的具体措施，月底前报我。')).toBeVisible();
    // The unit and the goal belong to 批办性 and 指导性 instructions only.
    await expect(page.getByLabel('主办单位', { exact: true })).toHaveCount(0);
    await page.getByRole('radio', { name: '批办性批示' }).check();
    await expect(page.getByLabel('主办单位', { exact: true })).toBeVisible();
    await expect(page.getByLabel('传阅单位', { exact: true })).toHaveCount(0);

    await page.getByRole('button', { name: '提交审定', exact: true }).click();
    await expect(fieldItem(page, '目标要求')).toContainText('「目标要求」为必填项');

    await pickUnit(page, '主办单位', '法制处');
    await page.getByLabel('目标要求', { exact: true }).fill('提出加强行政复议案件办理的具体措施，形成书面报告。');
    const due = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await pickDate(page, '完成时限', due);
    await page.getByLabel('拟办意见', { exact: true }).fill('建议由法制处牵头办理，按期报送办理情况。');
    await screenshot(page, 'leader-instruction-propose-desktop');
    const done = page.waitForResponse(isComplete(task.id));
    await page.getByRole('button', { name: '提交审定', exact: true }).click();
    expect((await done).status()).toBe(204);
    expect(errors).toEqual([]);
    await close();
  });

  test('领导审定拟办意见', async ({ browser, playwright }) => {
    const task = await taskOf(await api(playwright.request, 'lingdao'), title);
    expect(task.activityName).toBe('领导审定');
    const { page, errors, close } = await open(browser, 'lingdao');
    await page.goto(`/tasks/${task.id}`);
    await expect(page.getByTestId('task-actions')).toBeVisible();
    await expect(page.getByRole('list', { name: '历史意见' }).first()).toContainText('建议由法制处牵头办理');
    await expect(page.getByText('批办性批示')).toBeVisible();
    await page.getByLabel('领导审定意见', { exact: true }).fill('同意，请法制处抓紧办理。');
    const done = page.waitForResponse(isComplete(task.id));
    await page.getByRole('button', { name: '同意', exact: true }).click();
    expect((await done).status()).toBe(204);
    expect(errors).toEqual([]);
    await close();
  });

  test('法制处在手机上签收并报送办理情况', async ({ browser, playwright }) => {
    const task = await taskOf(await api(playwright.request, 'fazhi'), title);
    expect(task.activityName).toBe('交办办理（主办）');
    const { page, errors, close } = await open(browser, 'fazhi', true);
    await page.goto(`/tasks/${task.id}`);
    await expect(page.getByTestId('task-header')).toContainText(title);
    await claim(page, task.id);
    await expect(page.getByText('提出加强行政复议案件办理的具体措施，形成书面报告。')).toBeVisible();
    // The office's internal proposal is not shown to the unit.
    await expect(page.getByText('建议由法制处牵头办理，按期报送办理情况。')).toHaveCount(0);
    await noHorizontalScroll(page);
    await screenshot(page, 'leader-instruction-unit-phone');

    await page
      .getByLabel('办理情况报告', { exact: true })
      .fill('已研究提出繁简分流、集中审理、案例指导三项措施，明确责任处室和完成时间。');
    const done = page.waitForResponse(isComplete(task.id));
    await page.getByRole('button', { name: '提交', exact: true }).click();
    expect((await done).status()).toBe(204);
    expect(errors).toEqual([]);
    await close();
  });

  test('督查员审核通过并形成督查反馈', async ({ browser, playwright }) => {
    const task = await taskOf(await api(playwright.request, 'ducha'), title);
    expect(task.activityName).toBe('审核');
    const { page, errors, close } = await open(browser, 'ducha');
    await page.goto(`/tasks/${task.id}`);
    await claim(page, task.id);
    await expect(
      page.getByText('已研究提出繁简分流、集中审理、案例指导三项措施，明确责任处室和完成时间。'),
    ).toBeVisible();
    await page.getByRole('button', { name: '通过', exact: true }).click();
    await expect(fieldItem(page, '督查反馈')).toContainText('「督查反馈」为必填项');
    await page.getByLabel('审核意见', { exact: true }).fill('措施具体，同意呈阅。');
    await page
      .getByLabel('督查反馈', { exact: true })
      .fill('法制处提出三项措施，已明确责任处室和完成时间，拟按期推进。');
    const done = page.waitForResponse(isComplete(task.id));
    await page.getByRole('button', { name: '通过', exact: true }).click();
    expect((await done).status()).toBe(204);
    expect(errors).toEqual([]);
    await close();
  });

  test('领导阅示办结；事项详情显示完整的办理过程', async ({ browser, playwright }) => {
    const task = await taskOf(await api(playwright.request, 'lingdao'), title);
    expect(task.activityName).toBe('领导阅示');
    const { page, errors, close } = await open(browser, 'lingdao');
    await page.goto(`/tasks/${task.id}`);
    await expect(page.getByText('法制处提出三项措施，已明确责任处室和完成时间，拟按期推进。')).toBeVisible();
    await page.getByLabel('领导阅示（批示）', { exact: true }).fill('阅。请督查室持续跟踪落实情况。');
    await screenshot(page, 'leader-instruction-leader-read-desktop');
    const done = page.waitForResponse(isComplete(task.id));
    await page.getByRole('button', { name: '阅示办结', exact: true }).click();
    expect((await done).status()).toBe(204);

    await page.goto(`/items/${itemId}`);
    await expect(page.getByTestId('item-status')).toHaveText('已办结：办结');
    const timeline = page.getByTestId('item-timeline');
    for (const line of [
      '发起事项',
      '「拟办」提交审定',
      '「领导审定」同意',
      '「交办办理」提交',
      '「审核」通过',
      '「领导阅示」阅示办结',
      '事项办结：办结',
    ]) {
      await expect(timeline).toContainText(line);
    }
    await expect(page.getByTestId('flow-view')).toBeVisible();
    await screenshot(page, 'leader-instruction-item-desktop');
    expect(errors).toEqual([]);
    await close();

    const phone = await open(browser, 'lingdao', true);
    await phone.page.goto(`/items/${itemId}`);
    await expect(phone.page.getByTestId('item-status')).toHaveText('已办结：办结');
    await noHorizontalScroll(phone.page);
    await screenshot(phone.page, 'leader-instruction-item-phone');
    expect(phone.errors).toEqual([]);
    await phone.close();
  });
});
