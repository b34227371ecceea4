import path from 'node:path';
import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { authFile, screenshotDir, type DemoUser } from './users';
import { scaled } from './timing';
import { pick } from './selects';

/**
 * Issue 14, score events on a step's outcomes (docs/decisions/027): the administrator, in 流程设计, makes the office's
 * 审核 step count 退回 as the organization's own event 报送材料质量差 by picking it beside the outcome; publishes. 法制处
 * reports, the office sends the report back, and the item's timeline says what counted against whom.
 *
 * Independent of other specs: its own procedure and item (cancelled at the end) and its own event under a unique name.
 */

test.describe.configure({ timeout: scaled(180_000) });
const expect = baseExpect.configure({ timeout: scaled(30_000) });

const stamp = Date.now().toString(36);
const procedureId = `e2e-outcome-scores-${stamp}`;
const eventName = `报送材料质量差${stamp.slice(-4)}`;
const literal = (value: unknown) => ({ typeName: 'Object', expression: { type: 'Literal', value } });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

async function open(browser: Browser, user: DemoUser, errors: string[]) {
  const context = await browser.newContext({ storageState: authFile(user), viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[013]/.test(m.text())) errors.push(`${user}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${user}: ${e.message}`));
  return { page, close: () => context.close() };
}

test('审核环节的“退回”计入考核：点选考核事件，发布后退回的事项在办理过程中写明计入哪个单位的考核', async ({
  browser,
  playwright,
}) => {
  const admin = await playwright.request.newContext({ baseURL, storageState: authFile('admin') });
  const ducha = await playwright.request.newContext({ baseURL, storageState: authFile('ducha') });
  const fazhi = await playwright.request.newContext({ baseURL, storageState: authFile('fazhi') });
  const errors: string[] = [];
  let item: string | undefined;
  try {
    // The organization's own event, added beside what it has.
    const before = (await (await admin.get('/api/scoring/events')).json()) as {
      key: string;
      name: string;
      adds?: boolean;
    }[];
    const saved = await admin.put('/api/scoring/events', {
      data: { events: [...before.map((e) => ({ key: e.key, name: e.name, adds: !!e.adds })), { name: eventName }] },
    });
    expect(saved.status(), await saved.text()).toBe(200);

    // A small procedure, as a draft: 登记 → 承办 (the unit on the form) → 审核 (通过 / 退回 → 承办).
    const imported = await admin.post('/api/definitions/import', {
      data: {
        definitionId: procedureId,
        name: `报告审核 ${stamp}`,
        forms: [
          {
            id: 'f',
            name: '督办单',
            fields: [
              { key: 'title', label: '事项名称', type: 'text', required: true },
              { key: 'unit', label: '承办单位', type: 'unit', required: true },
              { key: 'report', label: '办理情况', type: 'textarea' },
            ],
          },
        ],
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
              assignee: literal({ type: 'field', field: 'unit' }),
              outcomes: literal(['提交']),
            },
            {
              id: 'review',
              type: 'Duban.UserTask',
              name: '审核',
              form: literal('f'),
              assignee: literal({ type: 'role', role: '督查员' }),
              outcomes: literal(['通过', '退回']),
            },
            { id: 'end', type: 'Duban.End', name: '办结' },
          ],
          connections: [
            { source: { activity: 'start', port: 'Done' }, target: { activity: 'handle' } },
            { source: { activity: 'handle', port: '提交' }, target: { activity: 'review' } },
            { source: { activity: 'review', port: '通过' }, target: { activity: 'end' } },
            { source: { activity: 'review', port: '退回' }, target: { activity: 'handle' } },
          ],
        },
      },
    });
    expect(imported.ok(), await imported.text()).toBeTruthy();

    // ---- 流程设计: 审核's 退回 counts as the event, picked by its name ----
    const designer = await open(browser, 'admin', errors);
    const page = designer.page;
    await page.goto(`/designer/${procedureId}`);
    await page.getByTestId('flow-node-review').locator('.flow-node__name').click();
    await expect(page.getByLabel('节点编号')).toHaveValue('review');
    const scores = page.getByTestId('outcome-scores');
    await scores.scrollIntoViewIfNeeded();
    await pick(page, scores, '「退回」计入考核', eventName);
    await expect(scores.locator('.ant-select').filter({ hasText: eventName })).toBeVisible();
    await expect(page.getByTestId('validation')).toContainText('校验通过', { timeout: scaled(15_000) });
    await scores.screenshot({ path: path.join(screenshotDir, 'outcome-scores-editor.png') });
    await shot(page, 'outcome-scores-designer');
    await page
      .getByRole('toolbar', { name: '流程设计工具栏' })
      .getByRole('button', { name: /发\s*布/ })
      .click();
    await expect(page.getByText(/已发布第 \d+ 版/)).toBeVisible();
    await designer.close();

    // ---- An item: 法制处 reports, the office sends it back ----
    const started = await ducha.post('/api/instances', {
      data: { definitionId: procedureId, data: { title: `整改报告 ${stamp}`, unit: 'fzc' } },
    });
    expect(started.status(), await started.text()).toBe(201);
    item = ((await started.json()) as { id: string }).id;
    const taskOf = async (api: typeof ducha, name: string) => {
      const detail = (await (await api.get(`/api/instances/${item}`)).json()) as {
        openTasks: { id: string; activityName: string }[];
      };
      const task = detail.openTasks.find((t) => t.activityName === name);
      expect(task, `the open task 「${name}」`).toBeTruthy();
      return task!.id;
    };
    const report = await fazhi.post(`/api/tasks/${await taskOf(fazhi, '承办')}/complete`, {
      data: { outcome: '提交', data: { report: '已完成整改' } },
    });
    expect(report.ok(), await report.text()).toBeTruthy();
    const back = await ducha.post(`/api/tasks/${await taskOf(ducha, '审核')}/complete`, {
      data: { outcome: '退回', comment: '整改材料缺少现场照片' },
    });
    expect(back.ok(), await back.text()).toBeTruthy();

    // ---- The item's timeline: what counted, against whom ----
    const office = await open(browser, 'ducha', errors);
    await office.page.goto(`/items/${item}`);
    await expect(office.page.getByText(`整改材料缺少现场照片；计入考核：法制处「${eventName}」`)).toBeVisible();
    await shot(office.page, 'outcome-scores-timeline');
    await office.close();
    expect(errors, 'browser console errors').toEqual([]);
  } finally {
    if (item) await ducha.post(`/api/instances/${item}/cancel`, { data: { reason: '浏览器测试结束' } });
    await admin.dispose();
    await ducha.dispose();
    await fazhi.dispose();
  }
});
