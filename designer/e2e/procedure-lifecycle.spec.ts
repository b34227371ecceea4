import path from 'node:path';
import { expect as baseExpect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { DEMO_PASSWORD, screenshotDir } from './users';
import { scaled } from './timing';
import { pick } from './selects';

/**
 * The main browser test: an administrator builds a three-step procedure on the canvas (dragging nodes
 * from the palette and connecting ports), gives it a form with a required field and publishes it; a supervisor
 * (ducha) starts an item; the unit liaison (jinan, chosen by the assignee rule 按单位 济南市司法局) submits with
 * the required field empty (the error shows beside it), fills it and submits; the supervisor returns it (退回);
 * the liaison redoes it; the supervisor approves; the ledger shows the item 办结 and the item page the timeline.
 */

// Every step waits for the server; on a busy CI machine a screen may take longer than the default 10 s.
const expect = baseExpect.configure({ timeout: scaled(30_000) });

const stamp = Date.now().toString(36);
const procedureId = `e2e-${stamp}`;
const procedureName = `三步办理 ${stamp}`;
const itemTitle = `关于推进法治政府建设的督办事项 ${stamp}`;

async function shot(page: Page, name: string) {
  // Animations finished at once: a message still sliding in is drawn where it ends up.
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** Waits until the canvas stops moving (适应画布 animates the viewport): its transform is the same two polls running. */
async function canvasSettled(page: Page) {
  const viewport = page.locator('.react-flow__viewport');
  let last: string | null = null;
  await expect
    .poll(
      async () => {
        const now = await viewport.getAttribute('style');
        const same = now === last;
        last = now;
        return same;
      },
      { intervals: [100] },
    )
    .toBe(true);
}

/** Console errors and uncaught exceptions on any page of a context (401 from /api/auth/me is expected). */
function watchErrors(context: BrowserContext, errors: string[]) {
  context.on('page', (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  });
}

/**
 * A browser context signed in as `user`. Signs in through the API here rather than reusing the setup's stored
 * state: this test runs for minutes, and each user must have a session of their own for all of it.
 */
async function signedIn(browser: Browser, user: 'admin' | 'ducha' | 'jinan', errors: string[]): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 768 },
  });
  watchErrors(context, errors);
  const response = await context.request.post('/api/auth/login', { data: { userName: user, password: DEMO_PASSWORD } });
  expect(response.status(), `POST /api/auth/login as ${user}`).toBe(200);
  return context.newPage();
}

async function closeDropdowns(page: Page) {
  await page.keyboard.press('Escape');
}

/** Drags a node type from the palette onto the canvas at (x, y) relative to the canvas. */
async function dropNode(page: Page, type: string, x: number, y: number) {
  const before = await page.locator('.react-flow__node').count();
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('designer-canvas'), { targetPosition: { x, y } });
  await expect(page.locator('.react-flow__node')).toHaveCount(before + 1);
}

/** Draws a connection from a node's outcome port to another node's input, with the mouse. */
async function connect(page: Page, from: string, port: string, to: string) {
  const edges = page.locator('.react-flow__edge');
  const before = await edges.count();
  const source = page.getByTestId(`port-${from}-${port}`).locator('.react-flow__handle');
  const target = page.getByTestId(`flow-node-${to}`).locator('.react-flow__handle.target');
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + 30, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await page.mouse.up();
  await expect(edges).toHaveCount(before + 1);
}

async function selectNode(page: Page, id: string) {
  await page.getByTestId(`flow-node-${id}`).locator('.flow-node__name').click();
  await expect(page.getByLabel('节点编号')).toHaveValue(id);
}

async function setPermission(page: Page, label: string, permission: string) {
  await pick(page, page.getByTestId('field-permissions'), `${label}权限`, permission);
}

/** Drags a field type from the form designer's palette into the form (dnd-kit: pointer events). */
async function dropField(page: Page, type: string) {
  const before = await page.locator('[data-testid^="form-field-"]').count();
  const from = (await page.getByTestId(`field-palette-${type}`).boundingBox())!;
  const to = (await page.getByTestId('form-canvas').boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height / 2, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height - 20, { steps: 12 });
  await page.mouse.up();
  await expect(page.locator('[data-testid^="form-field-"]')).toHaveCount(before + 1);
}

/** Opens the open task of this item in the inbox. */
async function openTask(page: Page, step: string) {
  await page.goto('/');
  const search = page.getByPlaceholder(/搜索/).first();
  if (await search.isVisible()) await search.fill(stamp);
  const row = page.getByRole('row').filter({ hasText: itemTitle }).filter({ hasText: step });
  await expect(row).toBeVisible();
  await row.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/tasks\//);
  await expect(page.getByTestId('task-header')).toContainText(step);
  // A task sent to a unit or a role is claimed first (签收).
  const claim = page.getByRole('button', { name: /签\s*收/ });
  if (await claim.isVisible()) {
    await claim.click();
    await expect(page.getByTestId('task-actions')).toBeVisible();
  }
}

test('管理员画出三步流程并发布；事项经退回重办后办结', async ({ browser }) => {
  test.setTimeout(scaled(600_000));
  const errors: string[] = [];

  // ------------------------------------------------------------------------------------------------ 管理员
  const admin = await signedIn(browser, 'admin', errors);

  await test.step('新建流程，在画布上拖入两个人工办理节点并连线', async () => {
    await admin.goto('/designer');
    await admin.getByRole('button', { name: '新建流程' }).click();
    const dialog = admin.getByRole('dialog', { name: '新建流程' });
    await dialog.getByLabel('流程名称').fill(procedureName);
    await dialog.getByLabel('流程标识').fill(procedureId);
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await expect(admin).toHaveURL(new RegExp(`/designer/${procedureId}$`));
    await expect(admin.getByTestId('flow-node-start')).toBeVisible();
    await expect(admin.getByTestId('flow-node-end')).toBeVisible();

    // Between 登记 and 办结, wherever fitView put them.
    const canvas = (await admin.getByTestId('designer-canvas').boundingBox())!;
    const start = (await admin.getByTestId('flow-node-start').boundingBox())!;
    const end = (await admin.getByTestId('flow-node-end').boundingBox())!;
    const x = start.x - canvas.x + start.width / 2;
    await dropNode(admin, 'Duban.UserTask', x, start.y + start.height - canvas.y + 60);
    await dropNode(admin, 'Duban.UserTask', x, end.y - canvas.y - 100);
    await expect(admin.getByTestId('flow-node-task1')).toBeVisible();
    await expect(admin.getByTestId('flow-node-task2')).toBeVisible();
    await admin.getByRole('button', { name: '适应画布' }).click();
    await canvasSettled(admin);

    // 承办: the liaison of 济南市司法局.
    await selectNode(admin, 'task1');
    await admin.getByLabel('节点名称').fill('承办');
    await pick(admin, admin, '办理人规则', '按单位');
    await pick(admin, admin, '单位', '济南市司法局');
    await closeDropdowns(admin);

    // 审核: 督查员, outcomes 通过 / 退回.
    await selectNode(admin, 'task2');
    await admin.getByLabel('节点名称').fill('审核');
    await pick(admin, admin, '办理人规则', '按角色');
    await pick(admin, admin, '角色', '督查员');
    const outcomes = admin.getByTestId('outcomes');
    await outcomes.getByRole('textbox', { name: '结果1' }).fill('通过');
    await outcomes.getByRole('button', { name: '添加结果' }).click();
    await outcomes.getByRole('textbox', { name: '结果2' }).fill('退回');
    await expect(admin.getByTestId('port-task2-退回')).toBeVisible();

    await connect(admin, 'start', 'Done', 'task1');
    await connect(admin, 'task1', '提交', 'task2');
    await connect(admin, 'task2', '通过', 'end');
    await connect(admin, 'task2', '退回', 'task1');

    // Auto-layout keeps the connections; Ctrl+Z puts the nodes back where they were, Ctrl+Y lays them out again.
    // The node's place on the chart (its transform), not on screen: auto-layout also fits the view.
    const where = () =>
      admin.locator('.react-flow__node[data-id="end"]').evaluate((el) => (el as HTMLElement).style.transform);
    const before = await where();
    await admin.getByRole('button', { name: '自动布局' }).click();
    await expect.poll(where).not.toBe(before);
    await expect(admin.locator('.react-flow__edge')).toHaveCount(4);
    await admin.getByTestId('designer-canvas').click({ position: { x: 10, y: 10 } });
    await admin.keyboard.press('Control+z');
    await expect.poll(where).toBe(before);
    await admin.keyboard.press('Control+y');
    await expect.poll(where).not.toBe(before);

    // Ctrl+C / Ctrl+V copies the selected step (a new id, same settings); Delete removes the copy again.
    await selectNode(admin, 'task2');
    await admin.keyboard.press('Control+c');
    await admin.keyboard.press('Control+v');
    await expect(admin.locator('.react-flow__node')).toHaveCount(5);
    await expect(admin.getByTestId('port-task3-退回')).toBeVisible();
    await admin.keyboard.press('Delete');
    await expect(admin.locator('.react-flow__node')).toHaveCount(4);
    await expect(admin.locator('.react-flow__edge')).toHaveCount(4);

    await admin.getByRole('button', { name: /保存草稿/ }).click();
    await expect(admin.getByText(/草稿已保存/)).toBeVisible();
  });

  await test.step('表单设计：新建表单，拖入两个必填字段，预览后保存', async () => {
    await admin.goto(`/forms?definition=${procedureId}`);
    await admin.getByRole('button', { name: '新建表单' }).first().click();

    await dropField(admin, 'text');
    await admin.getByTestId('form-field-text1').click();
    await admin.getByLabel('字段名称').fill('事项名称');
    await admin.getByLabel('字段标识').fill('title');
    await admin.getByLabel('字段标识').press('Enter');
    await admin.getByRole('switch', { name: '必填' }).click();
    await expect(admin.getByTestId('form-field-title')).toContainText('事项名称');

    await dropField(admin, 'textarea');
    await admin.getByTestId('form-field-textarea1').click();
    await admin.getByLabel('字段名称').fill('办理情况');
    await admin.getByLabel('字段标识').fill('report');
    await admin.getByLabel('字段标识').press('Enter');
    await admin.getByRole('switch', { name: '必填' }).click();
    await admin.getByLabel('最多字数').fill('2000');
    await expect(admin.getByTestId('form-field-report')).toContainText('办理情况');
    await shot(admin, 'form-designer');

    await admin.getByRole('tab', { name: '预览' }).click();
    await admin.getByRole('button', { name: '模拟提交校验' }).click();
    await expect(admin.getByTestId('form-preview')).toContainText('「办理情况」为必填项');
    await shot(admin, 'form-designer-preview');

    await admin.getByRole('button', { name: '保存到流程草稿' }).click();
    await expect(admin.getByText(/表单已保存到流程草稿/)).toBeVisible();
  });

  await test.step('各环节选择表单与字段权限，校验通过后发布', async () => {
    await admin.goto(`/designer/${procedureId}`);
    await expect(admin.getByTestId('flow-node-task2')).toBeVisible();

    await selectNode(admin, 'start');
    await pick(admin, admin, '发起表单', `${procedureName}表`);
    await setPermission(admin, '办理情况', '隐藏');

    await selectNode(admin, 'task1');
    await pick(admin, admin, '表单', `${procedureName}表`);
    await setPermission(admin, '事项名称', '只读');

    await selectNode(admin, 'task2');
    await pick(admin, admin, '表单', `${procedureName}表`);
    await admin.getByTestId('field-permissions').getByRole('button', { name: '只读' }).click();

    await expect(admin.getByTestId('validation')).toContainText('校验通过', { timeout: scaled(15_000) });
    await expect(admin.locator('.flow-node--invalid')).toHaveCount(0);
    await shot(admin, 'workflow-designer');

    await admin
      .getByRole('toolbar', { name: '流程设计工具栏' })
      .getByRole('button', { name: /发\s*布/ })
      .click();
    await expect(admin.getByText(/已发布第 \d+ 版/)).toBeVisible();
    await expect(admin.getByText(/第 \d+ 版 已发布/)).toBeVisible();

    // The version history lists the published version.
    await admin.getByRole('button', { name: '版本历史' }).click();
    await expect(admin.getByRole('dialog', { name: '版本历史' })).toContainText('已发布');
    await admin
      .getByRole('dialog', { name: '版本历史' })
      .getByRole('button', { name: /close|关闭/i })
      .click();
  });

  // ------------------------------------------------------------------------------------------------ 督查员发起
  const ducha = await signedIn(browser, 'ducha', errors);

  await test.step('督查员发起事项', async () => {
    await ducha.goto('/start');
    await ducha.getByRole('button', { name: `发起「${procedureName}」` }).click();
    await expect(ducha.getByRole('heading', { name: `发起：${procedureName}` })).toBeVisible();
    await expect(ducha.getByLabel('办理情况')).toHaveCount(0); // hidden at registration
    await ducha.getByLabel('事项名称').fill(itemTitle);
    await shot(ducha, 'start-item');
    await ducha.getByRole('button', { name: /提\s*交/ }).click();
    await expect(ducha).not.toHaveURL(/\/start/);
  });

  // ------------------------------------------------------------------------------------------------ 承办
  const jinan = await signedIn(browser, 'jinan', errors);

  await test.step('联络员漏填必填项提交，错误显示在字段旁；补填后提交', async () => {
    await openTask(jinan, '承办');
    await shot(jinan, 'task-handle');
    await jinan
      .getByTestId('task-actions')
      .getByRole('button', { name: /提\s*交/ })
      .click();
    const reportItem = jinan.locator('.ant-form-item').filter({ has: jinan.getByLabel('办理情况') });
    await expect(reportItem).toContainText('「办理情况」为必填项');
    await expect(reportItem.getByText('「办理情况」为必填项')).toBeVisible();
    await shot(jinan, 'task-required-error');
    await jinan.getByLabel('办理情况').fill('已召开专题会议部署，制定了工作方案。');
    await jinan
      .getByTestId('task-actions')
      .getByRole('button', { name: /提\s*交/ })
      .click();
    await expect(jinan).not.toHaveURL(/\/tasks\//);
  });

  await test.step('督查员审核退回', async () => {
    await openTask(ducha, '审核');
    await expect(ducha.getByText('已召开专题会议部署，制定了工作方案。')).toBeVisible();
    await ducha.locator('#task-comment').fill('请补充完成时间和佐证材料。');
    await ducha
      .getByTestId('task-actions')
      .getByRole('button', { name: /退\s*回/ })
      .first()
      .click();
    await expect(ducha).not.toHaveURL(/\/tasks\//);
  });

  await test.step('联络员重办后提交', async () => {
    await openTask(jinan, '承办');
    await expect(jinan.getByText('请补充完成时间和佐证材料。').first()).toBeVisible();
    await jinan
      .getByLabel('办理情况')
      .fill('已召开专题会议部署，制定了工作方案，将于 6 月底前全部完成，佐证材料已补充。');
    await jinan
      .getByTestId('task-actions')
      .getByRole('button', { name: /提\s*交/ })
      .click();
    await expect(jinan).not.toHaveURL(/\/tasks\//);
  });

  await test.step('督查员审核通过', async () => {
    await openTask(ducha, '审核');
    await ducha
      .getByTestId('task-actions')
      .getByRole('button', { name: /通\s*过/ })
      .click();
    await expect(ducha).not.toHaveURL(/\/tasks\//);
  });

  await test.step('台账显示办结；事项详情显示完整办理过程', async () => {
    await ducha.goto('/ledger');
    const row = ducha.getByRole('row').filter({ hasText: itemTitle });
    await expect(row).toBeVisible();
    await expect(row).toContainText('办结');
    await shot(ducha, 'ledger');

    await row.getByRole('link', { name: itemTitle }).click();
    await expect(ducha).toHaveURL(/\/items\//);
    const timeline = ducha.getByTestId('item-timeline');
    await expect(timeline).toBeVisible();
    // The whole story: registered, reported twice (before and after the send-back), returned with its reason,
    // approved, closed.
    await expect(timeline).toContainText('发起事项');
    await expect(timeline.getByText(/「承办」(（第\d+轮）)?提交/)).toHaveCount(2);
    await expect(timeline.getByText(/「审核」(（第\d+轮）)?退回/)).toHaveCount(1);
    await expect(timeline).toContainText('请补充完成时间和佐证材料。');
    await expect(timeline.getByText(/「审核」(（第\d+轮）)?通过/)).toHaveCount(1);
    await expect(timeline).toContainText('事项办结');
    await expect(ducha.getByTestId('flow-view')).toBeVisible();
    await shot(ducha, 'item-detail');
  });

  expect(errors, 'browser console errors').toEqual([]);
});
