import path from 'node:path';
import { expect as baseExpect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { authFile, screenshotDir, viewports, type DemoUser } from './users';
import { scaled } from './timing';

/**
 * One item of the demo procedure from start to 办结, through the screens people use: 发起 (ducha), 领导审定 (by API),
 * 承办 (fazhi: the required field's error beside it, an attachment, submit), 审核 退回 (ducha: the reason is required),
 * 承办 again on a phone, 审核 通过, and the item page with the whole timeline.
 */

// The machine that runs these may be busy (two cores, parallel builds): give a page time to arrive.
const expect = baseExpect.configure({ timeout: scaled(30_000) });
test.describe.configure({ timeout: scaled(180_000) });

async function screenshot(page: Page, name: string) {
  const phone = (page.viewportSize()?.width ?? 1366) < 768;
  // A whole-page shot from the top, so the sticky header is not drawn in the middle of the page.
  if (!phone) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: !phone });
}

const expected4xx = /Failed to load resource: the server responded with a status of 40[19]/;

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
async function taskOf(request: APIRequestContext, title: string): Promise<string> {
  const response = await request.get('/api/tasks', { params: { box: 'todo', q: title } });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { items: { id: string; itemTitle: string }[] };
  const items = body.items.filter((t) => t.itemTitle === title);
  expect(items, `open tasks for 「${title}」`).toHaveLength(1);
  return items[0].id;
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

test.describe.serial('事项办理（发起 → 承办 → 退回 → 重办 → 办结）', () => {
  const title = `行政复议案件办理情况专项督查 ${Date.now().toString(36)}`;
  let itemId = '';

  test('督查员发起事项，填写登记表后进入事项详情', async ({ browser }) => {
    const { page, errors, close } = await open(browser, 'ducha');
    await page.goto('/start');
    await expect(page.getByRole('heading', { name: '发起事项' })).toBeVisible();
    await screenshot(page, 'start-desktop');
    await page.getByRole('button', { name: '发起「督查事项办理（演示）」' }).click();
    await expect(page.getByRole('heading', { name: '发起：督查事项办理（演示）' })).toBeVisible();

    // Submitting empty shows each required field's message beside it, and sends nothing.
    let posted = false;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/instances' && r.method() === 'POST') posted = true;
    });
    await page.getByRole('button', { name: '提交' }).click();
    await expect(fieldItem(page, '事项名称')).toContainText('「事项名称」为必填项');
    await expect(fieldItem(page, '内容摘要')).toContainText('「内容摘要」为必填项');
    expect(posted).toBe(false);

    await page.getByLabel('事项名称', { exact: true }).fill(title);
    await page.getByLabel('立项依据', { exact: true }).click();
    await page.locator('.ant-select-item-option', { hasText: '会议议定事项' }).click();
    await page
      .getByLabel('内容摘要', { exact: true })
      .fill('落实厅党组会议定事项：梳理行政复议案件办理情况，按期报送。');
    await page.getByLabel('承办单位', { exact: true }).click();
    await page.locator('.ant-select-tree-title', { hasText: /^法制处$/ }).click();
    await page.getByLabel('完成时限', { exact: true }).fill('2026-12-31');
    await page.getByLabel('完成时限', { exact: true }).press('Enter');
    await page.getByLabel('完成时限', { exact: true }).press('Tab'); // closes the calendar
    await expect(page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)')).toHaveCount(0);
    await expect(fieldItem(page, '事项名称')).not.toContainText('为必填项');
    await screenshot(page, 'start-form-desktop');

    const started = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/instances' && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: '提交' }).click();
    expect((await started).status()).toBe(201);
    await expect(page).toHaveURL(/\/items\/[0-9a-f-]{36}$/);
    itemId = page.url().split('/').pop()!;
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await expect(page.getByTestId('item-current')).toContainText('领导审定');
    expect(errors).toEqual([]);
    await close();
  });

  test('承办单位：必填项为空时错误显示在字段旁；上传附件后提交', async ({ browser, playwright }) => {
    const lingdao = await api(playwright.request, 'lingdao');
    const approve = await lingdao.post(`/api/tasks/${await taskOf(lingdao, title)}/complete`, {
      data: { outcome: '同意', data: { leaderOpinion: '同意，请法制处牵头办理。' } },
    });
    expect(approve.status()).toBe(204);

    const { page, errors, close } = await open(browser, 'fazhi');
    await page.goto('/');
    const search = page.waitForResponse((r) => new URL(r.url()).searchParams.get('q') === title);
    await page.getByRole('searchbox', { name: '搜索事项' }).fill(title);
    await page.getByRole('searchbox', { name: '搜索事项' }).press('Enter');
    await search;
    // A row opens the task page.
    await page
      .getByTestId('inbox-table')
      .getByRole('row')
      .filter({ hasText: title })
      .getByText('承办', { exact: true })
      .click();
    await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
    const taskId = page.url().split('/').pop()!;
    await expect(page.getByTestId('task-header')).toContainText(title);

    // A unit's task is claimed first.
    await claim(page, taskId);

    // Read-only fields show as text; the leader's opinion is signed.
    await expect(page.getByText('落实厅党组会议定事项：梳理行政复议案件办理情况，按期报送。')).toBeVisible();
    await expect(page.getByRole('list', { name: '历史意见' }).first()).toContainText('李厅长');

    await page.getByRole('button', { name: '提交', exact: true }).click();
    const report = fieldItem(page, '办理情况');
    await expect(report).toContainText('「办理情况」为必填项');
    await expect(report).toHaveClass(/ant-form-item-has-error/);
    await screenshot(page, 'task-required-error-desktop');

    await page.getByLabel('办理情况', { exact: true }).fill('已组织专题会议研究，形成办理方案并报送。');
    await expect(report).not.toContainText('为必填项');
    const uploaded = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/attachments' && r.request().method() === 'POST',
    );
    await page.locator('input[type=file]').setInputFiles({
      name: '办理方案.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 办理方案'),
    });
    expect((await uploaded).status()).toBe(201);
    await expect(page.getByRole('link', { name: '办理方案.pdf' })).toBeVisible();
    await screenshot(page, 'task-filled-desktop');

    const done = page.waitForResponse(isComplete(taskId));
    await page.getByRole('button', { name: '提交', exact: true }).click();
    expect((await done).status()).toBe(204);
    await expect(page).toHaveURL(/\/$/);
    expect(errors).toEqual([]);
    await close();
  });

  test('督查员退回：未填退回理由时提示在意见框旁', async ({ browser, playwright }) => {
    const ducha = await api(playwright.request, 'ducha');
    const taskId = await taskOf(ducha, title);
    const { page, errors, close } = await open(browser, 'ducha');
    await page.goto(`/tasks/${taskId}`);
    await claim(page, taskId);
    await expect(page.getByRole('link', { name: '办理方案.pdf' })).toBeVisible();
    // The attachment downloads for the reviewer.
    const file = await page.request.get(
      (await page.getByRole('link', { name: '办理方案.pdf' }).getAttribute('href')) as string,
    );
    expect(file.status()).toBe(200);

    await page.getByRole('button', { name: '退回', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: '退回时请填写退回理由' })).toBeVisible();
    await screenshot(page, 'task-return-reason-desktop');
    await page.getByLabel('办理说明（退回时必填）').fill('缺少案件清单，请补充后重新报送。');
    const returned = page.waitForResponse(isComplete(taskId));
    await page.getByRole('button', { name: '退回', exact: true }).click();
    expect((await returned).status()).toBe(204);
    await expect(page).toHaveURL(/\/$/);
    expect(errors).toEqual([]);
    await close();
  });

  test('承办单位在手机上重办', async ({ browser, playwright }) => {
    const fazhi = await api(playwright.request, 'fazhi');
    const taskId = await taskOf(fazhi, title);
    const { page, errors, close } = await open(browser, 'fazhi', true);
    await page.goto(`/tasks/${taskId}`);
    await expect(page.getByTestId('task-header')).toContainText(title);
    await claim(page, taskId);
    // The reason for the send-back is on the timeline.
    await expect(page.getByTestId('item-timeline')).toContainText('缺少案件清单，请补充后重新报送。');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'task-phone');

    await page.getByLabel('办理情况', { exact: true }).fill('已补充案件清单（共 12 件），办理方案见附件。');
    const done = page.waitForResponse(isComplete(taskId));
    await page.getByRole('button', { name: '提交', exact: true }).click();
    expect((await done).status()).toBe(204);
    expect(errors).toEqual([]);
    await close();
  });

  test('督查员审核通过，事项详情显示办结和完整的办理过程', async ({ browser, playwright }) => {
    const ducha = await api(playwright.request, 'ducha');
    const taskId = await taskOf(ducha, title);
    const { page, errors, close } = await open(browser, 'ducha');
    await page.goto(`/tasks/${taskId}`);
    await claim(page, taskId);
    await page.getByLabel('审核意见', { exact: true }).fill('材料齐全，同意办结。');
    const done = page.waitForResponse(isComplete(taskId));
    await page.getByRole('button', { name: '通过', exact: true }).click();
    expect((await done).status()).toBe(204);

    await page.goto(`/items/${itemId}`);
    await expect(page.getByTestId('item-status')).toHaveText('已办结：办结');
    const timeline = page.getByTestId('item-timeline');
    for (const line of [
      '发起事项',
      '「领导审定」同意',
      '「承办」提交',
      '「审核」退回',
      '「承办」（第2轮）提交',
      '「审核」（第2轮）通过',
      '事项办结：办结',
    ]) {
      await expect(timeline).toContainText(line);
    }
    await expect(page.getByRole('list', { name: '历史意见' }).last()).toContainText('材料齐全，同意办结。');
    await expect(page.getByTestId('flow-view')).toBeVisible();
    await screenshot(page, 'item-desktop');
    expect(errors).toEqual([]);
    await close();

    const phone = await open(browser, 'fazhi', true);
    await phone.page.goto(`/items/${itemId}`);
    await expect(phone.page.getByTestId('item-status')).toHaveText('已办结：办结');
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'item-phone');
    expect(phone.errors).toEqual([]);
    await phone.close();
  });
});
