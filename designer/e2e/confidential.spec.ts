import path from 'node:path';
import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { adoptPassword, authFile, screenshotDir, type DemoUser } from './users';
import { scaled } from './timing';

/**
 * 限定知悉范围 (issue 17, docs/decisions/037): the office registers a confidential item by clicking on the start form and
 * names a leader; 法制处, given the 承办 step, handles it; an office colleague who is not named finds it neither in 台账 nor in
 * his inbox, and its page answers 「事项不存在」.
 */

const expect = baseExpect.configure({ timeout: scaled(20_000) });
test.describe.configure({ timeout: scaled(300_000) });

const run = Date.now().toString(36);
const title = `不宜公开的批示办理（${run}）`;
const password = 'Conf@2026x';

async function screenshot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

const expected4xx = /Failed to load resource: the server responded with a status of 40[14]/;

async function open(browser: Browser, user: DemoUser) {
  const context = await browser.newContext({ storageState: authFile(user) });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected4xx.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, context, errors, close: () => context.close() };
}

/** Finds the item's task on the inbox by searching its title and opens the step named `step`. */
async function openFromInbox(page: Page, step: string) {
  await page.goto('/');
  const search = page.waitForResponse((r) => new URL(r.url()).searchParams.get('q') === title);
  await page.getByRole('searchbox', { name: '搜索事项' }).fill(title);
  await page.getByRole('searchbox', { name: '搜索事项' }).press('Enter');
  expect((await (await search).json()).total).toBe(1);
  await page
    .getByTestId('inbox-table')
    .getByRole('row')
    .filter({ hasText: title })
    .getByText(step, { exact: true })
    .click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('task-header')).toContainText(title);
}

const literal = (value: unknown) => ({ typeName: 'Object', expression: { type: 'Literal', value } });
const connection = (from: string, port: string, to: string) => ({
  source: { activity: from, port },
  target: { activity: to },
});

/** 登记 → 承办 (法制处) → 审核 (督查员 role) → 办结. */
const flow = {
  definitionId: `e2e-conf-${run}`,
  name: `限定知悉范围（浏览器测试 ${run}）`,
  root: {
    type: 'Duban.Flowchart',
    id: 'flowchart',
    activities: [
      { id: 'start', type: 'Duban.Start', name: '登记', form: literal('f') },
      {
        id: 'handle',
        type: 'Duban.UserTask',
        name: '承办',
        form: literal('f'),
        assignee: literal({ type: 'unit', unitIds: ['fzc'] }),
        fieldPermissions: literal({ title: 'readOnly' }),
      },
      {
        id: 'review',
        type: 'Duban.UserTask',
        name: '审核',
        form: literal('f'),
        assignee: literal({ type: 'role', role: '督查员' }),
        outcomes: literal(['通过']),
        fieldPermissions: literal({ title: 'readOnly', report: 'readOnly' }),
      },
      { id: 'end', type: 'Duban.End', name: '办结' },
    ],
    connections: [
      connection('start', 'Done', 'handle'),
      connection('handle', '提交', 'review'),
      connection('review', '通过', 'end'),
    ],
  },
  forms: [
    {
      id: 'f',
      name: '督办事项',
      fields: [
        { key: 'title', label: '事项名称', type: 'text', required: true },
        { key: 'report', label: '办理情况', type: 'textarea' },
      ],
    },
  ],
};

test('督查室登记限定知悉范围的事项：法制处办理，未列入名单的督查员在台账和待办中都看不到', async ({
  browser,
  playwright,
}) => {
  const admin = await playwright.request.newContext({ baseURL, storageState: authFile('admin') });
  const imported = await admin.post('/api/definitions/import?publish=true', { data: flow });
  expect(imported.ok(), await imported.text()).toBeTruthy();
  // An office colleague who will not be named.
  const userName = `conf${run}`;
  const created = await admin.post('/api/users', {
    data: {
      userName,
      displayName: `周督查${run.slice(-3)}`,
      unitId: 'bgs',
      roles: ['督查员'],
      password: `${password}#Given`,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  await adoptPassword(userName, `${password}#Given`, password);
  await admin.dispose();

  // 1. 王督查 registers it on the start form: ticks 限定知悉范围 and picks 李厅长 — by clicking.
  const ducha = await open(browser, 'ducha');
  await ducha.page.goto(`/start?definitionId=${flow.definitionId}`);
  await ducha.page.getByLabel('事项名称', { exact: true }).fill(title);
  await ducha.page.getByTestId('restriction-toggle').click();
  const people = ducha.page.getByRole('combobox', { name: '知悉人员' });
  await people.click();
  await people.fill('李厅长');
  await ducha.page.locator('.ant-select-item-option').filter({ hasText: '李厅长' }).first().click();
  await ducha.page.keyboard.press('Escape');
  await screenshot(ducha.page, 'confidential-start-form');
  const started = ducha.page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/api/instances' && r.request().method() === 'POST',
  );
  await ducha.page.getByRole('button', { name: '提交', exact: true }).click();
  const summary = await (await started).json();
  expect(summary.restricted).toBe(true);
  await expect(ducha.page.getByTestId('item-restricted')).toBeVisible();
  const readers = ducha.page.getByTestId('item-readers');
  await expect(readers.getByTestId('readers-users')).toContainText('王督查');
  await expect(readers.getByTestId('readers-users')).toContainText('李厅长');
  // 法制处 was given the 承办 step: named by it.
  await expect(readers.getByTestId('readers-units')).toContainText('法制处（承办）');
  await screenshot(ducha.page, 'confidential-item-office');
  const itemUrl = new URL(ducha.page.url()).pathname;

  // 2. 法制处's liaison handles it from the inbox.
  const fazhi = await open(browser, 'fazhi');
  await openFromInbox(fazhi.page, '承办');
  const taskId = fazhi.page.url().split('/').pop()!;
  const claimed = fazhi.page.waitForResponse((r) => new URL(r.url()).pathname === `/api/tasks/${taskId}/claim`);
  await fazhi.page.getByRole('button', { name: '签收' }).click();
  expect((await claimed).status()).toBe(204);
  await fazhi.page.getByLabel('办理情况', { exact: true }).fill('已按批示要求办理完毕。');
  const done = fazhi.page.waitForResponse((r) => new URL(r.url()).pathname === `/api/tasks/${taskId}/complete`);
  await fazhi.page.getByRole('button', { name: '提交', exact: true }).click();
  expect((await done).status()).toBe(204);
  await fazhi.page.goto(itemUrl);
  await expect(fazhi.page.getByTestId('item-restricted')).toBeVisible();
  await screenshot(fazhi.page, 'confidential-item-unit');

  // 3. The 审核 step is for the 督查员 role: 王督查 (named) has it in his inbox …
  await openFromInbox(ducha.page, '审核');
  await screenshot(ducha.page, 'confidential-review-task-office');

  // … his unnamed colleague does not, nor in 台账, and the item's page says it does not exist.
  const colleagueContext = await browser.newContext();
  const login = await colleagueContext.request.post(`${baseURL}/api/auth/login`, { data: { userName, password } });
  expect(login.ok(), await login.text()).toBeTruthy();
  const colleague = await colleagueContext.newPage();
  const pageErrors: string[] = [];
  colleague.on('pageerror', (e) => pageErrors.push(e.message));
  await colleague.goto('/');
  const search = colleague.waitForResponse((r) => new URL(r.url()).searchParams.get('q') === title);
  await colleague.getByRole('searchbox', { name: '搜索事项' }).fill(title);
  await colleague.getByRole('searchbox', { name: '搜索事项' }).press('Enter');
  expect((await (await search).json()).total).toBe(0);
  await expect(colleague.getByTestId('inbox-table').getByText(title)).toHaveCount(0);
  await screenshot(colleague, 'confidential-colleague-inbox');

  const ledgerLoaded = colleague.waitForResponse((r) => new URL(r.url()).pathname === '/api/ledger');
  await colleague.goto(`/ledger?q=${encodeURIComponent(run)}`);
  const ledger = await (await ledgerLoaded).json();
  expect(ledger.total).toBe(0);
  await expect(colleague.getByTestId('ledger-table')).toBeVisible();
  await expect(colleague.getByText(title)).toHaveCount(0);
  await screenshot(colleague, 'confidential-colleague-ledger');

  await colleague.goto(itemUrl);
  await expect(colleague.getByText('事项不存在', { exact: true })).toBeVisible();
  await screenshot(colleague, 'confidential-colleague-item');
  expect(pageErrors).toEqual([]);

  // The named see it in 台账.
  const officeLedger = ducha.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/ledger');
  await ducha.page.goto(`/ledger?q=${encodeURIComponent(run)}`);
  expect((await (await officeLedger).json()).total).toBe(1);
  await expect(ducha.page.getByTestId('ledger-table').getByText(title)).toBeVisible();
  await screenshot(ducha.page, 'confidential-office-ledger');

  expect(ducha.errors).toEqual([]);
  expect(fazhi.errors).toEqual([]);
  await colleagueContext.close();
  await ducha.close();
  await fazhi.close();
});
