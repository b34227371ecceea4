import path from 'node:path';
import { expect as baseExpect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { authFile, screenshotDir, type DemoUser } from './users';
import { scaled } from './timing';

/**
 * Issue 16's task operations (docs/decisions/031, 032) walked in Chromium as each role would:
 * 撤回 from 「更多操作」 (and its refusal once the next step acted), 撤回事项 by the initiator, 委派 and 交还, 加签 and 减签
 * on a 会签 step, 代理 named on 「我的代理」, 一键催办 on an overdue step, and the 运行异常 page's 重试 / 迁移 / 取消.
 * The server runs in Production with the system clock: an overdue step is one whose deadline is a date in the past.
 */

const expect = baseExpect.configure({ timeout: scaled(20_000) });
test.describe.configure({ timeout: scaled(90_000) });

const run = Date.now().toString(36);

async function screenshot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

const expected4xx = /Failed to load resource: the server responded with a status of 40[19]/;

async function open(browser: Browser, user: DemoUser, expected = expected4xx) {
  const context = await browser.newContext({ storageState: authFile(user) });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.test(m.text())) errors.push(m.text());
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

const answer = (page: Page, pathname: string, method = 'POST') =>
  page.waitForResponse((r) => new URL(r.url()).pathname === pathname && r.request().method() === method);

const literal = (value: unknown) => ({ typeName: 'Object', expression: { type: 'Literal', value } });
const connection = (from: string, port: string, to: string) => ({
  source: { activity: from, port },
  target: { activity: to },
});

/** yyyy-MM-dd in China, `days` from today. */
function chinaDate(days = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** 登记 → 审定 (李厅长: 同意 / 不同意) → 承办 (法制处) → 办结. */
function approveFlow(lingdaoId: string) {
  return {
    definitionId: 'e2e-ops-approve',
    name: '督办审定（操作浏览器测试）',
    root: {
      type: 'Duban.Flowchart',
      id: 'flowchart',
      activities: [
        { id: 'start', type: 'Duban.Start', name: '登记', form: literal('f') },
        {
          id: 'approve',
          type: 'Duban.UserTask',
          name: '审定',
          form: literal('f'),
          assignee: literal({ type: 'users', userIds: [lingdaoId] }),
          outcomes: literal(['同意', '不同意']),
          fieldPermissions: literal({ title: 'readOnly', report: 'hidden' }),
        },
        {
          id: 'handle',
          type: 'Duban.UserTask',
          name: '承办',
          form: literal('f'),
          assignee: literal({ type: 'unit', unitIds: ['fzc'] }),
          fieldPermissions: literal({ title: 'readOnly', points: 'readOnly', opinion: 'readOnly' }),
        },
        { id: 'end', type: 'Duban.End', name: '办结' },
      ],
      connections: [
        connection('start', 'Done', 'approve'),
        connection('approve', '同意', 'handle'),
        connection('approve', '不同意', 'end'),
        connection('handle', '提交', 'end'),
      ],
    },
    forms: [
      {
        id: 'f',
        name: '督办事项',
        fields: [
          { key: 'title', label: '事项', type: 'text', required: true },
          { key: 'points', label: '批示要点', type: 'textarea' },
          { key: 'opinion', label: '审定意见', type: 'opinion' },
          { key: 'report', label: '办理情况', type: 'textarea' },
        ],
      },
    ],
  };
}

/** 登记 → 会签 (李厅长 and 王督查, all must agree) → 办结. */
function countersignFlow(lingdaoId: string, duchaId: string) {
  return {
    definitionId: 'e2e-ops-countersign',
    name: '会签（操作浏览器测试）',
    root: {
      type: 'Duban.Flowchart',
      id: 'flowchart',
      activities: [
        { id: 'start', type: 'Duban.Start', name: '登记', form: literal('f') },
        {
          id: 'sign',
          type: 'Duban.UserTask',
          name: '会签',
          assignee: literal({ type: 'users', userIds: [lingdaoId, duchaId] }),
          countersign: literal('all'),
          outcomes: literal(['同意', '不同意']),
        },
        { id: 'end', type: 'Duban.End', name: '办结' },
      ],
      connections: [
        connection('start', 'Done', 'sign'),
        connection('sign', '同意', 'end'),
        connection('sign', '不同意', 'end'),
      ],
    },
    forms: [{ id: 'f', name: '登记表', fields: [{ key: 'title', label: '事项', type: 'text', required: true }] }],
  };
}

/** 登记 → 交办 (主办 法制处, 协办 none yet; the 主办 reports on 办理情况) → 审核 (王督查) → 办结. */
function assignFlow(duchaId: string) {
  return {
    definitionId: 'e2e-ops-assign',
    name: '交办（操作浏览器测试）',
    root: {
      type: 'Duban.Flowchart',
      id: 'flowchart',
      activities: [
        { id: 'start', type: 'Duban.Start', name: '登记', form: literal('f') },
        {
          id: 'assign',
          type: 'Duban.Assign',
          name: '交办',
          lead: literal('fzc'),
          form: literal('f'),
          fieldPermissions: literal({ title: 'readOnly' }),
        },
        {
          id: 'review',
          type: 'Duban.UserTask',
          name: '审核',
          assignee: literal({ type: 'users', userIds: [duchaId] }),
        },
        { id: 'end', type: 'Duban.End', name: '办结' },
      ],
      connections: [
        connection('start', 'Done', 'assign'),
        connection('assign', '提交', 'review'),
        connection('review', '提交', 'end'),
      ],
    },
    forms: [
      {
        id: 'f',
        name: '交办事项',
        fields: [
          { key: 'title', label: '事项', type: 'text', required: true },
          { key: 'report', label: '办理情况', type: 'textarea' },
        ],
      },
    ],
  };
}

/** 登记 → 承办 (法制处, due on a date already past) → 办结. */
function overdueFlow() {
  return {
    definitionId: 'e2e-ops-overdue',
    name: '逾期承办（操作浏览器测试）',
    root: {
      type: 'Duban.Flowchart',
      id: 'flowchart',
      activities: [
        { id: 'start', type: 'Duban.Start', name: '登记', form: literal('f') },
        {
          id: 'handle',
          type: 'Duban.UserTask',
          name: '承办',
          assignee: literal({ type: 'unit', unitIds: ['fzc'] }),
          deadline: literal({ kind: 'date', date: chinaDate(-1) }),
        },
        { id: 'end', type: 'Duban.End', name: '办结' },
      ],
      connections: [connection('start', 'Done', 'handle'), connection('handle', '提交', 'end')],
    },
    forms: [{ id: 'f', name: '登记表', fields: [{ key: 'title', label: '事项', type: 'text', required: true }] }],
  };
}

/** 登记 → 承办 (`assignee`) → 办结: with the 经办人 field left empty, or a unit without a head, the item stops. */
function stuckFlow(definitionId: string, name: string, assignee: unknown) {
  return {
    definitionId,
    name,
    root: {
      type: 'Duban.Flowchart',
      id: 'flowchart',
      activities: [
        { id: 'start', type: 'Duban.Start', name: '登记', form: literal('f') },
        { id: 'handle', type: 'Duban.UserTask', name: '承办', assignee: literal(assignee) },
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
}

async function importFlow(admin: APIRequestContext, flow: unknown) {
  const response = await admin.post('/api/definitions/import?publish=true', { data: flow });
  expect(response.ok(), await response.text()).toBe(true);
}

async function start(request: APIRequestContext, definitionId: string, title: string): Promise<string> {
  const response = await request.post('/api/instances', { data: { definitionId, data: { title } } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

interface Item {
  instance: { status: string; result: string | null; definitionVersion: number };
  openTasks: { id: string; activityName: string; assigneeName: string | null }[];
}

async function item(request: APIRequestContext, instanceId: string): Promise<Item> {
  const response = await request.get(`/api/instances/${instanceId}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as Item;
}

async function openTaskOf(request: APIRequestContext, instanceId: string, activityName: string): Promise<string> {
  const found = (await item(request, instanceId)).openTasks.find((t) => t.activityName === activityName);
  expect(found, `open 「${activityName}」`).toBeTruthy();
  return found!.id;
}

async function userId(request: APIRequestContext): Promise<string> {
  return ((await (await request.get('/api/auth/me')).json()) as { id: string }).id;
}

/** A button's name: antd puts a space between two Chinese characters (「撤 回」). */
const button = (text: string) => new RegExp(`^${[...text].join('\\s?')}$`);

/** Opens 「更多操作」 on the task page (a click: it opens on touch screens too) and picks `label`. */
async function moreOperation(page: Page, label: string) {
  const item = page.getByRole('menuitem', { name: label, exact: true });
  await expect(async () => {
    if (!(await item.isVisible())) await page.getByRole('button', { name: /更多操作/ }).click();
    await item.click({ timeout: scaled(3000) });
  }).toPass({ timeout: scaled(30_000) });
}

/** Picks `label` in the Select called `name` (antd: type to filter, then click the option). */
async function pick(page: Page, name: string, label: string) {
  const box = page.getByRole('combobox', { name });
  await box.click();
  await box.fill(label);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
}

test.describe.serial('待办操作：撤回、撤回事项、委派、加签减签、代理、一键催办、运行异常', () => {
  let lingdaoId = '';
  let duchaId = '';

  test.beforeAll(async ({ playwright }) => {
    const admin = await api(playwright.request, 'admin');
    const lingdao = await api(playwright.request, 'lingdao');
    lingdaoId = await userId(lingdao);
    duchaId = await userId(await api(playwright.request, 'ducha'));
    for (const flow of [
      approveFlow(lingdaoId),
      countersignFlow(lingdaoId, duchaId),
      overdueFlow(),
      assignFlow(duchaId),
    ])
      await importFlow(admin, flow);
    // A deputy left behind by an earlier run that stopped half-way would overlap today's.
    const left = (await (await lingdao.get('/api/deputies')).json()) as { id: string; userId: string }[];
    for (const d of left.filter((d) => d.userId === lingdaoId))
      expect((await lingdao.delete(`/api/deputies/${d.id}`)).ok()).toBe(true);
  });

  test('撤回：李厅长审定后在「已办」中撤回，待办回来、填写的内容仍在；承办单位签收后撤回被拒绝', async ({
    browser,
    playwright,
  }) => {
    const ducha = await api(playwright.request, 'ducha');
    const title = `推进行政复议体制改革 ${run}`;
    const itemId = await start(ducha, 'e2e-ops-approve', title);
    const approve = await openTaskOf(ducha, itemId, '审定');

    const { page, errors, close } = await open(browser, 'lingdao');
    // The 待办 tab by name: a leader's bare root is his 驾驶舱 once per session (decision 041).
    await page.goto('/?box=todo');
    await page.getByTestId('inbox-table').getByRole('link', { name: title }).click();
    await expect(page).toHaveURL(new RegExp(`/tasks/${approve}$`));
    await page.getByLabel('批示要点', { exact: true }).fill('请法制处牵头，月底前报送方案');
    await page.getByLabel('审定意见', { exact: true }).fill('同意，请法制处抓紧办理');
    const completed = answer(page, `/api/tasks/${approve}/complete`);
    await page.getByRole('button', { name: button('同意') }).click();
    expect((await completed).status()).toBe(204);
    await expect(page).toHaveURL(/\/$/);

    // He finds the step again among what he has done and takes it back.
    await page.getByRole('tab', { name: '已办' }).click();
    await page.getByTestId('inbox-table').getByRole('link', { name: title }).click();
    await expect(page.getByText('该待办已办理（同意）')).toBeVisible();
    await screenshot(page, 'ops-recall-done-task');
    await moreOperation(page, '撤回');
    await expect(page.getByRole('dialog')).toContainText('下一环节的待办将被取消');
    await screenshot(page, 'ops-recall-confirm');
    const recalled = answer(page, `/api/tasks/${approve}/recall`);
    await page
      .getByRole('dialog')
      .getByRole('button', { name: button('撤回') })
      .click();
    expect((await recalled).status()).toBe(204);
    await expect(page.getByText('已撤回', { exact: true })).toBeVisible();
    await expect(page.getByTestId('task-actions')).toBeVisible();
    await expect(page.getByLabel('批示要点', { exact: true })).toHaveValue('请法制处牵头，月底前报送方案');
    await expect(page.getByText('同意，请法制处抓紧办理').first()).toBeVisible();
    await screenshot(page, 'ops-recall-reopened');
    await page.goto('/');
    await expect(page.getByTestId('inbox-table').getByRole('link', { name: title })).toBeVisible();

    // Approved again; 法制处 claims its step while his page still offers 撤回: the server refuses, in Chinese.
    await page.getByTestId('inbox-table').getByRole('link', { name: title }).click();
    const again = answer(page, `/api/tasks/${approve}/complete`);
    await page.getByRole('button', { name: button('同意') }).click();
    expect((await again).status()).toBe(204);
    await page.goto(`/tasks/${approve}`);
    await expect(page.getByRole('button', { name: /更多操作/ })).toBeVisible();
    const fazhi = await api(playwright.request, 'fazhi');
    const handle = await openTaskOf(fazhi, itemId, '承办');
    expect((await fazhi.post(`/api/tasks/${handle}/claim`)).status()).toBe(204);
    await moreOperation(page, '撤回');
    const refused = answer(page, `/api/tasks/${approve}/recall`);
    await page
      .getByRole('dialog')
      .getByRole('button', { name: button('撤回') })
      .click();
    expect((await refused).status()).toBe(409);
    await expect(page.locator('.ant-message')).toContainText('不能撤回');
    await screenshot(page, 'ops-recall-refused');
    // The menu no longer offers what the server refuses.
    await expect(page.getByRole('button', { name: /更多操作/ })).toHaveCount(0);
    expect(errors).toEqual([]);
    await close();
  });

  test('撤回事项：发起人在无人签收前撤回，事项显示「已撤回」', async ({ browser, playwright }) => {
    const ducha = await api(playwright.request, 'ducha');
    const title = `登记重复的督办事项 ${run}`;
    const itemId = await start(ducha, 'e2e-ops-approve', title);

    const { page, errors, close } = await open(browser, 'ducha');
    await page.goto(`/items/${itemId}`);
    await page.getByTestId('withdraw-item').click();
    const dialog = page.getByRole('dialog', { name: '撤回事项' });
    await dialog.getByRole('button', { name: button('撤回') }).click();
    await expect(page.locator('.ant-message')).toContainText('请填写撤回理由');
    await dialog.getByLabel('撤回理由').fill('与督〔2026〕12号重复登记');
    await screenshot(page, 'ops-withdraw-dialog');
    const withdrawn = answer(page, `/api/instances/${itemId}/withdraw`);
    await dialog.getByRole('button', { name: button('撤回') }).click();
    expect((await withdrawn).status()).toBe(204);
    await expect(page.getByTestId('item-status')).toHaveText('已撤回');
    await expect(page.getByTestId('withdraw-item')).toHaveCount(0);
    await expect(page.getByTestId('item-timeline')).toContainText('发起人撤回事项');
    await expect(page.getByTestId('item-current')).toContainText('事项已结束');
    await screenshot(page, 'ops-withdraw-done');
    const leader = await api(playwright.request, 'lingdao');
    const inbox = (await (await leader.get('/api/tasks?box=todo&pageSize=100')).json()) as {
      items: { instanceId: string }[];
    };
    expect(inbox.items.map((t) => t.instanceId)).not.toContain(itemId);
    expect(errors).toEqual([]);
    await close();
  });

  test('委派：张联络委派赵处长，赵处长交还意见，张联络看到「委派办理意见」后提交', async ({ browser, playwright }) => {
    const ducha = await api(playwright.request, 'ducha');
    const title = `规范行政执法公示 ${run}`;
    const itemId = await start(ducha, 'e2e-ops-approve', title);
    const lingdao = await api(playwright.request, 'lingdao');
    const approve = await openTaskOf(lingdao, itemId, '审定');
    expect(
      (await lingdao.post(`/api/tasks/${approve}/complete`, { data: { outcome: '同意', data: {} } })).status(),
    ).toBe(204);
    const fazhiApi = await api(playwright.request, 'fazhi');
    const handle = await openTaskOf(fazhiApi, itemId, '承办');
    expect((await fazhiApi.post(`/api/tasks/${handle}/claim`)).status()).toBe(204);

    const fazhi = await open(browser, 'fazhi');
    await fazhi.page.goto(`/tasks/${handle}`);
    await moreOperation(fazhi.page, '委派');
    const dialog = fazhi.page.getByRole('dialog');
    await pick(fazhi.page, '选择人员或单位', '赵处长');
    await dialog.getByLabel('意见').fill('请赵处长把关后交还');
    await screenshot(fazhi.page, 'ops-delegate-dialog');
    const delegated = answer(fazhi.page, `/api/tasks/${handle}/delegate`);
    await dialog.getByRole('button', { name: button('确定') }).click();
    expect((await delegated).status()).toBe(204);
    await expect(fazhi.page.getByText('已委派给赵处长，待其交还')).toBeVisible();
    await expect(fazhi.page.getByText('不是它的办理人')).toHaveCount(0);
    await screenshot(fazhi.page, 'ops-delegated');

    const zhao = await open(browser, 'fzcz');
    await zhao.page.goto('/');
    await zhao.page.getByTestId('inbox-table').getByRole('link', { name: title }).click();
    await expect(zhao.page.getByText('张联络委派您办理：办理后请填写交还意见，点「交还委派人」')).toBeVisible();
    await zhao.page.getByLabel('办理情况', { exact: true }).fill('已在门户网站公示执法主体、依据和程序');
    // A delegate gives the task back; he has no 提交 of his own.
    const actions = zhao.page.getByTestId('task-actions');
    await expect(actions.getByRole('button', { name: button('提交') })).toHaveCount(0);
    await actions.getByRole('button', { name: '交还委派人' }).click();
    await expect(actions).toContainText('请填写交还意见');
    await zhao.page.getByLabel('交还意见（必填）').fill('已核实，可以上报');
    await screenshot(zhao.page, 'ops-delegate-inbox');
    const given = answer(zhao.page, `/api/tasks/${handle}/delegate-return`);
    await actions.getByRole('button', { name: '交还委派人' }).click();
    expect((await given).status()).toBe(204);
    await expect(zhao.page.locator('.ant-message')).toContainText('已交还委派人');
    await expect(zhao.page).toHaveURL(/\/$/);
    expect(zhao.errors).toEqual([]);
    await zhao.close();

    await fazhi.page.reload();
    const card = fazhi.page.getByTestId('delegation-returned');
    await expect(card).toContainText('赵处长');
    await expect(card).toContainText('已核实，可以上报');
    await expect(card).toContainText('已在门户网站公示执法主体、依据和程序');
    await screenshot(fazhi.page, 'ops-delegate-returned');
    await expect(fazhi.page.getByLabel('办理情况', { exact: true })).toHaveValue('');
    await card.getByRole('button', { name: '采用填写内容' }).click();
    await expect(fazhi.page.getByLabel('办理情况', { exact: true })).toHaveValue(
      '已在门户网站公示执法主体、依据和程序',
    );
    const submitted = answer(fazhi.page, `/api/tasks/${handle}/complete`);
    await fazhi.page.getByRole('button', { name: button('提交') }).click();
    expect((await submitted).status()).toBe(204);

    await fazhi.page.goto(`/items/${itemId}`);
    const timeline = fazhi.page.getByTestId('item-timeline');
    await expect(timeline).toContainText('「承办」委派给 赵处长');
    await expect(timeline).toContainText('「承办」委派办理完毕，交还委派人');
    await expect(fazhi.page.getByTestId('item-status')).toContainText('已办结');
    expect(fazhi.errors).toEqual([]);
    await fazhi.close();
  });

  test('加签与减签：会签中李厅长加签赵处长、减签王督查', async ({ browser, playwright }) => {
    const ducha = await api(playwright.request, 'ducha');
    const title = `年度法治建设考核方案会签 ${run}`;
    const itemId = await start(ducha, 'e2e-ops-countersign', title);
    const lingdao = await api(playwright.request, 'lingdao');
    const mine = (await item(lingdao, itemId)).openTasks.find((t) => t.assigneeName === '李厅长')!.id;

    const { page, errors, close } = await open(browser, 'lingdao');
    await page.goto(`/tasks/${mine}`);
    await moreOperation(page, '加签');
    const dialog = page.getByRole('dialog');
    await pick(page, '选择人员或单位', '赵处长');
    // The reason is required: the dialog says so before anything is sent.
    await dialog.getByRole('button', { name: button('确定') }).click();
    await expect(page.locator('.ant-message')).toContainText('请填写加签理由');
    await dialog.getByLabel('理由').fill('涉及法制处职责');
    await screenshot(page, 'ops-add-signer');
    const added = answer(page, `/api/tasks/${mine}/signers`);
    await dialog.getByRole('button', { name: button('确定') }).click();
    expect((await added).status()).toBe(204);
    await expect(page.locator('.ant-message')).toContainText('已加签');

    await moreOperation(page, '减签');
    await pick(page, '选择人员或单位', '王督查');
    await dialog.getByLabel('理由').fill('王督查回避');
    const removed = answer(page, `/api/tasks/${mine}/signers/remove`);
    await dialog.getByRole('button', { name: button('确定') }).click();
    expect((await removed).status()).toBe(204);
    await expect(page.locator('.ant-message')).toContainText('已减签');

    await page.goto(`/items/${itemId}`);
    const current = page.getByTestId('item-current');
    await expect(current).toContainText('李厅长');
    await expect(current).toContainText('赵处长');
    await expect(current).not.toContainText('王督查');
    const timeline = page.getByTestId('item-timeline');
    await expect(timeline).toContainText('「会签」加签 赵处长');
    await expect(timeline).toContainText('「会签」减签 王督查');
    await screenshot(page, 'ops-signers-item');
    expect(errors).toEqual([]);
    await close();
  });

  test('交办：主办单位增加协办单位（加签），上报后在「已办」中撤回，报告仍在', async ({ browser, playwright }) => {
    const ducha = await api(playwright.request, 'ducha');
    const title = `规范行政执法公示 ${run}`;
    const itemId = await start(ducha, 'e2e-ops-assign', title);
    const fazhiApi = await api(playwright.request, 'fazhi');
    const lead = await openTaskOf(fazhiApi, itemId, '交办（主办）');

    expect((await fazhiApi.post(`/api/tasks/${lead}/claim`)).status()).toBe(204);

    const { page, errors, close } = await open(browser, 'fazhi');
    await page.goto(`/tasks/${lead}`);
    await expect(page.getByTestId('task-actions')).toBeVisible();
    await moreOperation(page, '增加协办单位（加签）');
    const dialog = page.getByRole('dialog');
    await pick(page, '选择人员或单位', '济南市司法局');
    await dialog.getByLabel('理由').fill('涉及济南市执法公示');
    await screenshot(page, 'ops-assign-add-unit');
    const added = answer(page, `/api/tasks/${lead}/signers`);
    await dialog.getByRole('button', { name: button('确定') }).click();
    expect((await added).status()).toBe(204);
    await expect(page.locator('.ant-message')).toContainText('已加签');

    await page.getByLabel('办理情况', { exact: true }).fill('已在门户网站公示执法主体和依据');
    const reported = answer(page, `/api/tasks/${lead}/complete`);
    await page.getByRole('button', { name: button('提交') }).click();
    expect((await reported).status()).toBe(204);

    // Before 王督查 has looked at it, 法制处 takes its report back: the step waits again with what it wrote.
    await page.goto(`/tasks/${lead}`);
    await moreOperation(page, '撤回');
    const recalled = answer(page, `/api/tasks/${lead}/recall`);
    await page
      .getByRole('dialog')
      .getByRole('button', { name: button('撤回') })
      .click();
    expect((await recalled).status()).toBe(204);
    await expect(page.getByText('已撤回', { exact: true })).toBeVisible();
    await expect(page.getByTestId('task-actions')).toBeVisible();
    await expect(page.getByLabel('办理情况', { exact: true })).toHaveValue('已在门户网站公示执法主体和依据');
    await screenshot(page, 'ops-assign-recalled');

    await page.goto(`/items/${itemId}`);
    const timeline = page.getByTestId('item-timeline');
    await expect(timeline).toContainText('济南市司法局');
    await expect(timeline).toContainText('撤回');
    const review = (await item(ducha, itemId)).openTasks.find((t) => t.activityName === '审核');
    expect(review).toBeUndefined();
    expect(errors).toEqual([]);
    await close();
  });

  test('代理：李厅长在「我的代理」指定赵处长，赵处长代为审定，办理过程记为「赵处长（代李厅长）」', async ({
    browser,
    playwright,
  }) => {
    const leader = await open(browser, 'lingdao');
    await leader.page.goto('/deputies');
    await expect(leader.page.getByRole('heading', { name: '我的代理' })).toBeVisible();
    await pick(leader.page, '代理人', '赵处长');
    const today = chinaDate();
    await leader.page.getByPlaceholder('开始日期').click();
    await leader.page.getByPlaceholder('开始日期').fill(today);
    await leader.page.getByPlaceholder('结束日期').click();
    await leader.page.getByPlaceholder('结束日期').fill(today);
    await leader.page.getByPlaceholder('结束日期').press('Enter');
    await leader.page.getByLabel('事由').fill('休假');
    const named = answer(leader.page, '/api/deputies');
    await leader.page.getByRole('button', { name: /添加/ }).click();
    expect((await named).status()).toBe(201);
    const row = leader.page.getByTestId('deputies-table').locator('tr', { hasText: '赵处长' });
    await expect(row).toContainText('李厅长');
    await expect(row).toContainText(today);
    await expect(row).toContainText('代理中');
    await screenshot(leader.page, 'ops-deputy-named');

    const ducha = await api(playwright.request, 'ducha');
    const title = `完善公共法律服务体系 ${run}`;
    const itemId = await start(ducha, 'e2e-ops-approve', title);

    const zhao = await open(browser, 'fzcz');
    await zhao.page.goto('/');
    await zhao.page.getByTestId('inbox-table').getByRole('link', { name: title }).click();
    await expect(zhao.page.getByText('您正在代李厅长办理（代理）')).toBeVisible();
    // He acts for 李厅长 but does not hold the task: no 暂存 (the server keeps drafts for the holder only).
    await expect(zhao.page.getByTestId('task-actions').getByRole('button', { name: button('暂存') })).toHaveCount(0);
    await zhao.page.getByLabel('审定意见', { exact: true }).fill('同意（李厅长休假，代签）');
    await screenshot(zhao.page, 'ops-deputy-task');
    const done = zhao.page.waitForResponse((r) => /\/api\/tasks\/[^/]+\/complete$/.test(new URL(r.url()).pathname));
    await zhao.page.getByRole('button', { name: button('同意') }).click();
    expect((await done).status()).toBe(204);
    expect(zhao.errors).toEqual([]);
    await zhao.close();

    const office = await open(browser, 'ducha');
    await office.page.goto(`/items/${itemId}`);
    await expect(office.page.getByTestId('item-timeline')).toContainText('赵处长（代李厅长）');
    await screenshot(office.page, 'ops-deputy-timeline');
    expect(office.errors).toEqual([]);
    await office.close();

    // Back from leave: he ends the deputy himself.
    await leader.page.reload();
    await row.getByRole('button', { name: /取消代理/ }).click();
    const ended = leader.page.waitForResponse(
      (r) => new URL(r.url()).pathname.startsWith('/api/deputies/') && r.request().method() === 'DELETE',
    );
    await leader.page.locator('.ant-popconfirm').getByRole('button', { name: '取消代理' }).click();
    expect((await ended).status()).toBe(204);
    await expect(leader.page.getByTestId('deputies-table')).toContainText('暂无代理设置');
    expect(leader.errors).toEqual([]);
    await leader.close();
  });

  test('一键催办：发起人对超期环节催办，记为第一级「电话催办」，再按被拒绝', async ({ browser, playwright }) => {
    const lingdaoApi = await api(playwright.request, 'lingdao');
    const title = `逾期未报送整改情况 ${run}`;
    const itemId = await start(lingdaoApi, 'e2e-ops-overdue', title);

    const { page, errors, close } = await open(browser, 'lingdao');
    await page.goto(`/items/${itemId}`);
    const current = page.getByTestId('item-current');
    await expect(current).toContainText('法制处');
    const urged = page.waitForResponse((r) => /\/api\/tasks\/[^/]+\/urge$/.test(new URL(r.url()).pathname));
    await current.getByRole('button', { name: /催办/ }).click();
    expect((await urged).status()).toBe(200);
    await expect(page.locator('.ant-message')).toContainText('已电话催办：法制处');
    const timeline = page.getByTestId('item-timeline');
    await page.getByRole('switch', { name: '显示系统记录' }).click();
    await expect(timeline).toContainText('法制处电话催办');
    await expect(timeline).toContainText('李厅长');
    await screenshot(page, 'ops-urge');

    const again = page.waitForResponse((r) => /\/api\/tasks\/[^/]+\/urge$/.test(new URL(r.url()).pathname));
    await current.getByRole('button', { name: /催办/ }).click();
    expect((await again).status()).toBe(409);
    await expect(page.locator('.ant-message')).toContainText('不再重复催办');
    expect(errors).toEqual([]);
    await close();
  });

  test('运行异常：原因以中文显示，重试、迁移到最新版本、取消都在页面上完成', async ({ browser, playwright }) => {
    const admin = await api(playwright.request, 'admin');
    const ducha = await api(playwright.request, 'ducha');
    // A unit without a head: its 承办 step finds nobody until the administrator names one.
    const unitId = `e2e-ops-${run}`;
    const unitName = `专项督查组${run}`;
    const created = await admin.post('/api/units', {
      data: { id: unitId, name: unitName, parentId: 'sft', kind: '承办单位' },
    });
    expect(created.status(), await created.text()).toBe(201);
    await importFlow(
      admin,
      stuckFlow('e2e-ops-head', '专项督查组负责人承办（操作浏览器测试）', { type: 'unitLeader', unitIds: [unitId] }),
    );
    const headless = `无负责人的专项督查 ${run}`;
    const headlessId = await start(ducha, 'e2e-ops-head', headless);
    // Two items on a design that names nobody; version 2 gives the step to 督查员.
    await importFlow(
      admin,
      stuckFlow('e2e-ops-stuck', '经办人未填（操作浏览器测试）', { type: 'field', field: 'person' }),
    );
    const toMigrate = `待迁移的事项 ${run}`;
    const toCancel = `误立项的事项 ${run}`;
    const migrateId = await start(ducha, 'e2e-ops-stuck', toMigrate);
    const cancelId = await start(ducha, 'e2e-ops-stuck', toCancel);
    await importFlow(
      admin,
      stuckFlow('e2e-ops-stuck', '经办人未填（操作浏览器测试）', { type: 'role', role: '督查员' }),
    );

    const { page, errors, close } = await open(browser, 'admin');
    await page.goto('/incidents');
    const card = (title: string) => page.getByTestId('incident').filter({ hasText: title });
    await expect(card(headless)).toContainText('「承办」找不到办理人');
    await expect(card(toMigrate)).toContainText('迁移到最新版本');
    await screenshot(page, 'ops-incidents');

    // 重试 before the cause is fixed: the page says the item is still stuck.
    const first = answer(page, `/api/instances/${headlessId}/retry`);
    await card(headless)
      .getByRole('button', { name: button('重试') })
      .click();
    expect((await first).status()).toBe(204);
    await expect(page.locator('.ant-message')).toContainText('已重试，但事项仍未能继续：「承办」找不到办理人');
    await expect(card(headless)).toBeVisible();
    await screenshot(page, 'ops-incidents-retry-still-stuck');

    // The administrator names the unit's head (人员设置), then 重试 carries the item on.
    const unit = (await (await admin.get('/api/units')).json()) as {
      id: string;
      name: string;
      parentId: string;
      kind: string;
      sortOrder: number;
      version: number;
    }[];
    const saved = unit.find((u) => u.id === unitId)!;
    const headSet = await admin.put(`/api/units/${unitId}`, {
      data: { ...saved, leaderUserId: await userId(await api(playwright.request, 'fzcz')) },
    });
    expect(headSet.status(), await headSet.text()).toBe(200);
    const second = answer(page, `/api/instances/${headlessId}/retry`);
    await card(headless)
      .getByRole('button', { name: button('重试') })
      .click();
    expect((await second).status()).toBe(204);
    await expect(page.locator('.ant-message')).toContainText('已重试，事项继续办理');
    await expect(card(headless)).toHaveCount(0);
    expect((await item(ducha, headlessId)).openTasks.map((t) => t.assigneeName)).toEqual(['赵处长']);

    // 迁移到最新版本.
    const migrated = answer(page, `/api/incidents/${migrateId}/migrate`);
    await card(toMigrate)
      .getByRole('button', { name: /迁移到最新版本/ })
      .click();
    expect((await migrated).status()).toBe(200);
    await expect(card(toMigrate)).toHaveCount(0);
    const moved = await item(ducha, migrateId);
    expect(moved.openTasks.map((t) => t.activityName)).toEqual(['承办']);

    // 取消 asks for a reason.
    await card(toCancel).getByRole('button', { name: '取消事项' }).click();
    const dialog = page.getByRole('dialog', { name: '取消事项' });
    await dialog.getByRole('button', { name: '确认取消' }).click();
    await expect(dialog).toContainText('请填写取消原因');
    await dialog.getByLabel('取消原因').fill('误立项，无需办理');
    await screenshot(page, 'ops-incidents-cancel');
    const cancelled = answer(page, `/api/instances/${cancelId}/cancel`);
    await dialog.getByRole('button', { name: '确认取消' }).click();
    expect((await cancelled).status()).toBe(204);
    await expect(card(toCancel)).toHaveCount(0);
    expect((await item(ducha, cancelId)).instance.status).toBe('cancelled');
    await screenshot(page, 'ops-incidents-after');

    await page.goto(`/items/${migrateId}`);
    await page.getByRole('switch', { name: '显示系统记录' }).click();
    await expect(page.getByTestId('item-timeline')).toContainText('迁移到流程新版本');
    expect(errors).toEqual([]);
    await close();
  });
});
