import path from 'node:path';
import { expect as baseExpect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { authFile, screenshotDir, type DemoUser } from './users';
import { scaled } from './timing';

/**
 * Issue 16 (docs/decisions/032), walked as each role would: 暂存 keeps what the liaison typed across a reload; the
 * reviewer's 审定意见 typed before 退回 reaches the liaison's redo; 批量已阅 confirms two notices at once; and the
 * administrator's 运行异常 page shows a stuck item's cause and hands the stuck step to a person (转办).
 */

const expect = baseExpect.configure({ timeout: scaled(30_000) });
test.describe.configure({ timeout: scaled(180_000) });

const run = Date.now().toString(36);

async function screenshot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

const expected4xx = /Failed to load resource: the server responded with a status of 40[19]/;

async function open(browser: Browser, user: DemoUser) {
  const context = await browser.newContext({ storageState: authFile(user) });
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

const literal = (value: unknown) => ({ typeName: 'Object', expression: { type: 'Literal', value } });
const connection = (from: string, port: string, to: string) => ({
  source: { activity: from, port },
  target: { activity: to },
});

/** 登记 → 整改 (法制处) → 审定 (督查员: 通过 / 退回 → 整改) → 办结. */
const reviewFlow = {
  definitionId: 'e2e-conv-review',
  name: '整改审定（浏览器测试）',
  root: {
    type: 'Duban.Flowchart',
    id: 'flowchart',
    activities: [
      { id: 'start', type: 'Duban.Start', name: '登记', form: literal('f') },
      {
        id: 'fix',
        type: 'Duban.UserTask',
        name: '整改',
        form: literal('f'),
        assignee: literal({ type: 'unit', unitIds: ['fzc'] }),
        fieldPermissions: literal({ title: 'readOnly', opinion: 'readOnly' }),
      },
      {
        id: 'review',
        type: 'Duban.UserTask',
        name: '审定',
        form: literal('f'),
        assignee: literal({ type: 'role', role: '督查员' }),
        outcomes: literal(['通过', '退回']),
        fieldPermissions: literal({ title: 'readOnly', report: 'readOnly', opinion: 'appendOnly' }),
      },
      { id: 'end', type: 'Duban.End', name: '办结' },
    ],
    connections: [
      connection('start', 'Done', 'fix'),
      connection('fix', '提交', 'review'),
      connection('review', '通过', 'end'),
      connection('review', '退回', 'fix'),
    ],
  },
  forms: [
    {
      id: 'f',
      name: '整改情况报告',
      fields: [
        { key: 'title', label: '事项', type: 'text', required: true },
        { key: 'report', label: '整改情况', type: 'textarea' },
        { key: 'opinion', label: '审定意见', type: 'opinion' },
      ],
    },
  ],
};

/** 登记 → 告知法制处 (阅知) → 办理 (督查员) → 办结. */
const noticeFlow = {
  definitionId: 'e2e-conv-notice',
  name: '阅知（浏览器测试）',
  root: {
    type: 'Duban.Flowchart',
    id: 'flowchart',
    activities: [
      { id: 'start', type: 'Duban.Start', name: '登记', form: literal('f') },
      { id: 'tell', type: 'Duban.Notify', name: '告知法制处', assignee: literal({ type: 'unit', unitIds: ['fzc'] }) },
      { id: 'do', type: 'Duban.UserTask', name: '办理', assignee: literal({ type: 'role', role: '督查员' }) },
      { id: 'end', type: 'Duban.End', name: '办结' },
    ],
    connections: [
      connection('start', 'Done', 'tell'),
      connection('tell', 'Done', 'do'),
      connection('do', '提交', 'end'),
    ],
  },
  forms: [{ id: 'f', name: '登记表', fields: [{ key: 'title', label: '事项', type: 'text', required: true }] }],
};

/** 登记 (经办人, left empty) → 承办 (the person named: nobody, so the item stops on an incident) → 办结. */
const stuckFlow = {
  definitionId: 'e2e-conv-stuck',
  name: '找不到办理人（浏览器测试）',
  root: {
    type: 'Duban.Flowchart',
    id: 'flowchart',
    activities: [
      { id: 'start', type: 'Duban.Start', name: '登记', form: literal('f') },
      { id: 'handle', type: 'Duban.UserTask', name: '承办', assignee: literal({ type: 'field', field: 'person' }) },
      { id: 'end', type: 'Duban.End', name: '办结' },
    ],
    connections: [connection('start', 'Done', 'handle'), connection('handle', '提交', 'end')],
  },
  forms: [
    {
      id: 'f',
      name: '登记表',
      fields: [
        { key: 'title', label: '事项', type: 'text', required: true },
        { key: 'person', label: '经办人', type: 'person' },
      ],
    },
  ],
};

async function start(request: APIRequestContext, definitionId: string, title: string): Promise<string> {
  const response = await request.post('/api/instances', { data: { definitionId, data: { title } } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function openTaskOf(request: APIRequestContext, instanceId: string, activityName: string): Promise<string> {
  const item = (await (await request.get(`/api/instances/${instanceId}`)).json()) as {
    openTasks: { id: string; activityName: string }[];
  };
  const found = item.openTasks.find((t) => t.activityName === activityName);
  expect(found, `open 「${activityName}」`).toBeTruthy();
  return found!.id;
}

test.describe.serial('待办便利功能：暂存、退回意见、批量已阅、运行异常', () => {
  const title = `执法案卷整改 ${run}`;
  let itemId = '';
  let fixTask = '';

  test.beforeAll(async ({ playwright }) => {
    const admin = await api(playwright.request, 'admin');
    for (const flow of [reviewFlow, noticeFlow, stuckFlow]) {
      const response = await admin.post('/api/definitions/import?publish=true', { data: flow });
      expect(response.ok(), await response.text()).toBe(true);
    }
    const ducha = await api(playwright.request, 'ducha');
    itemId = await start(ducha, 'e2e-conv-review', title);
    const fazhi = await api(playwright.request, 'fazhi');
    fixTask = await openTaskOf(fazhi, itemId, '整改');
    expect((await fazhi.post(`/api/tasks/${fixTask}/claim`)).status()).toBe(204);
  });

  test('暂存：填写一半，刷新后内容仍在；提交后暂存删除', async ({ browser }) => {
    const { page, errors, close } = await open(browser, 'fazhi');
    await page.goto(`/tasks/${fixTask}`);
    await expect(page.getByTestId('task-actions')).toBeVisible();
    const report = page.getByLabel('整改情况', { exact: true });
    // Typing saves by itself once the typing pauses.
    const autosaved = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/tasks/${fixTask}/draft` && r.request().method() === 'PUT',
    );
    await report.fill('已完成卷宗目录补正，正在核对法律文书');
    expect((await autosaved).status()).toBe(200);
    await expect(page.getByTestId('draft-status')).toContainText('已暂存');
    await page.getByLabel('办理说明（退回时必填）').fill('周五前报送全部材料');
    const saved = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/tasks/${fixTask}/draft` && r.request().method() === 'PUT',
    );
    await page.getByRole('button', { name: '暂存' }).click();
    expect((await saved).status()).toBe(200);

    await page.reload();
    await expect(page.getByLabel('整改情况', { exact: true })).toHaveValue('已完成卷宗目录补正，正在核对法律文书');
    await expect(page.getByLabel('办理说明（退回时必填）')).toHaveValue('周五前报送全部材料');
    await expect(page.getByTestId('draft-status')).toContainText('已暂存');
    await screenshot(page, 'conveniences-draft-restored');

    const submitted = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/tasks/${fixTask}/complete`);
    await page.getByRole('button', { name: '提交' }).click();
    expect((await submitted).status()).toBe(204);
    await expect(page).toHaveURL(/\/$/);
    const draft = await page.request.get(`/api/tasks/${fixTask}/draft`);
    expect(((await draft.json()) as { exists: boolean }).exists).toBe(false);
    expect(errors).toEqual([]);
    await close();
  });

  test('退回：审定意见随退回保留，重办人在待办页看到', async ({ browser, playwright }) => {
    const ducha = await api(playwright.request, 'ducha');
    const reviewTask = await openTaskOf(ducha, itemId, '审定');
    expect((await ducha.post(`/api/tasks/${reviewTask}/claim`)).status()).toBe(204);
    const reviewer = await open(browser, 'ducha');
    await reviewer.page.goto(`/tasks/${reviewTask}`);
    await expect(reviewer.page.getByTestId('task-actions')).toBeVisible();
    await reviewer.page.getByLabel('审定意见', { exact: true }).fill('第三项法律文书缺少送达回证，请补齐');
    await reviewer.page.getByLabel('办理说明（退回时必填）').fill('材料不全，退回补正');
    const returned = reviewer.page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/tasks/${reviewTask}/complete`,
    );
    await reviewer.page.getByRole('button', { name: '退回', exact: true }).click();
    expect((await returned).status()).toBe(204);
    expect(reviewer.errors).toEqual([]);
    await reviewer.close();

    const fazhi = await api(playwright.request, 'fazhi');
    const redo = await openTaskOf(fazhi, itemId, '整改');
    const { page, errors, close } = await open(browser, 'fazhi');
    await page.goto(`/tasks/${redo}`);
    const note = page.getByTestId('sent-back');
    await expect(note).toContainText('退回理由：材料不全，退回补正');
    await expect(note).toContainText('审定意见：第三项法律文书缺少送达回证，请补齐');
    await expect(note).toContainText('王督查');
    await screenshot(page, 'conveniences-sent-back-opinion');
    expect(errors).toEqual([]);
    await close();
  });

  test('批量已阅：选中两条阅知，一次确认', async ({ browser, playwright }) => {
    const ducha = await api(playwright.request, 'ducha');
    const titles = [`一号阅知 ${run}`, `二号阅知 ${run}`];
    for (const t of titles) await start(ducha, 'e2e-conv-notice', t);

    const { page, errors, close } = await open(browser, 'fazhi');
    await page.goto('/?box=notice');
    const table = page.getByTestId('inbox-table');
    for (const t of titles) await expect(table).toContainText(t);
    for (const t of titles) await page.getByRole('checkbox', { name: `选择「${t}」` }).check();
    await screenshot(page, 'conveniences-batch-read-selected');
    const batch = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/tasks/read-batch');
    await page.getByRole('button', { name: /批量已阅（2）/ }).click();
    const response = await batch;
    expect(response.status()).toBe(200);
    expect(((await response.json()) as { read: number }).read).toBe(2);
    await expect(page.getByText('已确认 2 条已阅')).toBeVisible();
    for (const t of titles) await expect(table).not.toContainText(t);
    await screenshot(page, 'conveniences-batch-read-done');
    expect(errors).toEqual([]);
    await close();
  });

  test('运行异常：管理员看到原因并转办给指定人员', async ({ browser, playwright }) => {
    const ducha = await api(playwright.request, 'ducha');
    const stuckTitle = `无人承办的事项 ${run}`;
    const stuck = await start(ducha, 'e2e-conv-stuck', stuckTitle);

    const { page, errors, close } = await open(browser, 'admin');
    await page.goto('/incidents');
    await expect(page.getByRole('heading', { name: '运行异常' })).toBeVisible();
    const card = page.getByTestId('incident').filter({ hasText: stuckTitle });
    await expect(card).toContainText('承办');
    await expect(card).toContainText('办理人');
    await expect(card).toContainText('转办');
    await screenshot(page, 'conveniences-incidents');

    await card.getByRole('button', { name: '转办', exact: true }).click();
    await page.getByRole('combobox', { name: '转办给' }).click();
    await page.getByRole('combobox', { name: '转办给' }).fill('张联络');
    await page.locator('.ant-select-item-option', { hasText: '张联络' }).first().click();
    const assigned = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/incidents/${stuck}/assign`);
    await page.getByRole('button', { name: '确认转办' }).click();
    expect((await assigned).status()).toBe(204);
    await expect(page.getByTestId('incident').filter({ hasText: stuckTitle })).toHaveCount(0);
    await screenshot(page, 'conveniences-incidents-after');

    const item = (await (await ducha.get(`/api/instances/${stuck}`)).json()) as {
      instance: { status: string };
      openTasks: { assigneeName: string }[];
    };
    expect(item.instance.status).toBe('suspended');
    expect(item.openTasks[0].assigneeName).toBe('张联络');
    expect(errors).toEqual([]);
    await close();
  });
});
