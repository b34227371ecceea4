import path from 'node:path';
import {
  expect as baseExpect,
  test,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from '@playwright/test';
import { baseURL } from '../playwright.config';
import { DEMO_PASSWORD, screenshotDir } from './users';

/**
 * Issue 15, conditions by clicking: an administrator gives a procedure a start form with a choice 是否需领导审批 (是/否,
 * typed as labels only — the saved values follow), builds a 条件判断 on it by clicking (field → 等于 → 是), sees the
 * branch's condition in words on the canvas, publishes; a supervisor registers one item with 是 and one with 否; the
 * leader approves the first (it went to 领导审批), the second closes without the leader. No JavaScript, no JSON typed.
 */

const expect = baseExpect.configure({ timeout: 30_000 });

const stamp = Date.now().toString(36);
const procedureId = `cond-${stamp}`;
const procedureName = `条件分支 ${stamp}`;
const withLeader = `需领导审批的事项 ${stamp}`;
const withoutLeader = `无需领导审批的事项 ${stamp}`;

async function shot(page: Page, name: string, target?: Locator) {
  if (target) await target.screenshot({ path: path.join(screenshotDir, `${name}.png`), animations: 'disabled' });
  else await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

function watchErrors(context: BrowserContext, errors: string[]) {
  context.on('page', (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  });
}

async function signedIn(browser: Browser, user: string, errors: string[]): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 900 },
  });
  watchErrors(context, errors);
  const response = await context.request.post('/api/auth/login', { data: { userName: user, password: DEMO_PASSWORD } });
  expect(response.status(), `POST /api/auth/login as ${user}`).toBe(200);
  return context.newPage();
}

/** Opens an antd Select (by its accessible name) inside `scope` and picks the option titled `option`. */
async function pick(page: Page, scope: Page | Locator, label: string, option: string) {
  const select = scope
    .locator('.ant-select')
    .filter({ has: page.getByRole('combobox', { name: label, exact: true }) })
    .first();
  const dropdown = page.locator('.ant-select-dropdown:visible, .ant-select-tree-dropdown:visible').last();
  // Click only a closed select: on a loaded machine the list can take longer to show than one try waits, and a second
  // click would close it again.
  await expect(async () => {
    if (!(await select.evaluate((el) => el.classList.contains('ant-select-open')))) await select.click();
    await expect(dropdown.getByTitle(option, { exact: true }).first()).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 60_000 });
  await dropdown.getByTitle(option, { exact: true }).first().click();
}

async function dropNode(page: Page, type: string, x: number, y: number) {
  const before = await page.locator('.react-flow__node').count();
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('designer-canvas'), { targetPosition: { x, y } });
  await expect(page.locator('.react-flow__node')).toHaveCount(before + 1);
}

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

async function register(page: Page, title: string, needLeader: '是' | '否') {
  await page.goto('/start');
  await page.getByRole('button', { name: `发起「${procedureName}」` }).click();
  await expect(page.getByRole('heading', { name: `发起：${procedureName}` })).toBeVisible();
  await page.getByLabel('事项名称').fill(title);
  const choice = page.locator('.ant-form-item').filter({ hasText: '是否需领导审批' }).locator('.ant-select');
  const dropdown = page.locator('.ant-select-dropdown:visible').last();
  await expect(async () => {
    if (!(await choice.evaluate((el) => el.classList.contains('ant-select-open')))) await choice.click();
    await expect(dropdown.getByTitle(needLeader, { exact: true })).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 30_000 });
  await dropdown.getByTitle(needLeader, { exact: true }).click();
  await page.getByRole('button', { name: /提\s*交/ }).click();
  await expect(page).toHaveURL(/\/items\//);
}

// It timed out in two full runs (test.sh runs the browser tests beside the .NET suites on two cores): a select in the
// step panel did not show its option within the 30 s pick window, in a test given 10 minutes in all. The failure was not
// reproduced: run beside the acceptance spec at a load average of 15–30 it passed in 6 minutes. The windows are widened
// for a machine that busy (60 s a pick, 15 minutes in all); see decision 033.
test('管理员点选设置条件分支并发布；事项按所选值分别走“是”“否”两个分支', async ({ browser }) => {
  test.setTimeout(900_000);
  const errors: string[] = [];
  const admin = await signedIn(browser, 'admin', errors);

  await test.step('新建流程与登记表单：是否需领导审批（是/否），只输入选项名称', async () => {
    await admin.goto('/designer');
    await admin.getByRole('button', { name: '新建流程' }).click();
    const dialog = admin.getByRole('dialog', { name: '新建流程' });
    await dialog.getByLabel('流程名称').fill(procedureName);
    await dialog.getByLabel('流程标识').fill(procedureId);
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await expect(admin).toHaveURL(new RegExp(`/designer/${procedureId}$`));

    await admin.goto(`/forms?definition=${procedureId}`);
    await admin.getByRole('button', { name: '新建表单' }).first().click();
    await dropField(admin, 'text');
    await admin.getByTestId('form-field-text1').click();
    await admin.getByLabel('字段名称').fill('事项名称');
    await admin.getByLabel('字段标识').fill('title');
    await admin.getByLabel('字段标识').press('Enter');
    await admin.getByRole('switch', { name: '必填' }).click();

    await dropField(admin, 'select');
    const select = admin.locator('[data-testid^="form-field-select"]').first();
    await select.click();
    await admin.getByLabel('字段名称').fill('是否需领导审批');
    const options = admin.getByTestId('options-editor');
    await options.getByLabel('选项1名称').fill('是');
    await options.getByRole('button', { name: '添加选项' }).click();
    await options.getByLabel('选项2名称').fill('否');
    // The saved values followed the labels: a condition on 是 matches what is stored.
    await expect(options.getByLabel('选项1值')).toHaveValue('是');
    await expect(options.getByLabel('选项2值')).toHaveValue('否');
    await admin.getByRole('switch', { name: '必填' }).click();
    await admin.getByRole('button', { name: '保存到流程草稿' }).click();
    await expect(admin.getByText(/表单已保存到流程草稿/)).toBeVisible();
  });

  await test.step('画布上拖入条件判断和领导审批，点选条件：是否需领导审批 等于 是', async () => {
    await admin.goto(`/designer/${procedureId}`);
    await expect(admin.getByTestId('flow-node-end')).toBeVisible();
    const canvas = (await admin.getByTestId('designer-canvas').boundingBox())!;
    const start = (await admin.getByTestId('flow-node-start').boundingBox())!;
    const x = start.x - canvas.x + start.width / 2;
    await dropNode(admin, 'Duban.Decision', x, start.y + start.height - canvas.y + 70);
    await dropNode(admin, 'Duban.UserTask', x - 140, start.y + start.height - canvas.y + 190);
    await admin.getByRole('button', { name: '适应画布' }).click();

    await selectNode(admin, 'start');
    await pick(admin, admin, '发起表单', `${procedureName}表`);

    const decision = (await admin
      .locator('[data-testid^="flow-node-decision"]')
      .first()
      .getAttribute('data-testid'))!.replace('flow-node-', '');
    const task = (await admin.locator('[data-testid^="flow-node-task"]').first().getAttribute('data-testid'))!.replace(
      'flow-node-',
      '',
    );
    await selectNode(admin, task);
    await admin.getByLabel('节点名称').fill('领导审批');
    await pick(admin, admin, '办理人规则', '按角色');
    await pick(admin, admin, '角色', '领导');

    await selectNode(admin, decision);
    await admin.getByLabel('节点名称').fill('需领导审批？');
    await pick(admin, admin, '判断条件第1条的字段', '是否需领导审批');
    await expect(admin.getByRole('combobox', { name: '判断条件第1条的运算' })).toBeVisible();
    await pick(admin, admin, '判断条件第1条的值', '是');
    await expect(admin.getByTestId('condition-condition-words')).toHaveText('条件：是否需领导审批 等于 是');
    await admin.keyboard.press('Escape');

    await connect(admin, 'start', 'Done', decision);
    await connect(admin, decision, 'True', task);
    await connect(admin, decision, 'False', 'end');
    await connect(admin, task, '提交', 'end');

    await admin.getByRole('button', { name: '自动布局' }).click();
    const yes = admin.locator('.flow-edge-label', { hasText: '是：是否需领导审批 等于 是' });
    await expect(yes).toBeVisible();
    await expect(admin.locator('.flow-edge-label', { hasText: /^否$/ })).toBeVisible();
    // After auto-layout the 是 branch lies on the left, under the 是 port; the 否 branch on the right.
    const leader = (await admin.getByTestId(`flow-node-${task}`).boundingBox())!;
    const end = (await admin.getByTestId('flow-node-end').boundingBox())!;
    const yesPort = (await admin.getByTestId(`port-${decision}-True`).boundingBox())!;
    const noPort = (await admin.getByTestId(`port-${decision}-False`).boundingBox())!;
    expect(yesPort.x).toBeLessThan(noPort.x);
    expect(leader.x + leader.width).toBeLessThan(end.x + end.width / 2);

    await expect(admin.getByTestId('validation')).toContainText('校验通过', { timeout: 15_000 });
    await shot(admin, 'condition-canvas', admin.getByTestId('designer-canvas'));
    await selectNode(admin, decision);
    await admin.getByTestId('condition-condition').scrollIntoViewIfNeeded();
    await shot(admin, 'condition-editor', admin.locator('.property-panel'));
    await shot(admin, 'condition-designer');

    await admin
      .getByRole('toolbar', { name: '流程设计工具栏' })
      .getByRole('button', { name: /发\s*布/ })
      .click();
    await expect(admin.getByText(/已发布第 \d+ 版/)).toBeVisible();
  });

  const ducha = await signedIn(browser, 'ducha', errors);
  const lingdao = await signedIn(browser, 'lingdao', errors);

  await test.step('选“是”的事项走到领导审批，领导办理后办结', async () => {
    await register(ducha, withLeader, '是');
    await lingdao.goto('/');
    const row = lingdao.getByRole('row').filter({ hasText: withLeader }).filter({ hasText: '领导审批' });
    await expect(row).toBeVisible();
    await row.getByRole('link').first().click();
    await expect(lingdao.getByTestId('task-header')).toContainText('领导审批');
    const claim = lingdao.getByRole('button', { name: /签\s*收/ });
    if (await claim.isVisible()) await claim.click();
    await lingdao
      .getByTestId('task-actions')
      .getByRole('button', { name: /提\s*交/ })
      .click();
    await expect(lingdao).not.toHaveURL(/\/tasks\//);

    await ducha.goto('/ledger');
    const ledger = ducha.getByRole('row').filter({ hasText: withLeader });
    await expect(ledger).toContainText('办结');
    await ledger.getByRole('link', { name: withLeader }).click();
    await expect(ducha.getByTestId('item-timeline')).toContainText('领导审批');
    await shot(ducha, 'condition-item-yes');
  });

  await test.step('选“否”的事项不经领导，直接办结', async () => {
    await register(ducha, withoutLeader, '否');
    await ducha.goto('/ledger');
    const ledger = ducha.getByRole('row').filter({ hasText: withoutLeader });
    await expect(ledger).toContainText('办结');
    await ledger.getByRole('link', { name: withoutLeader }).click();
    const timeline = ducha.getByTestId('item-timeline');
    await expect(timeline).toContainText('事项办结');
    await expect(timeline).not.toContainText('领导审批');
    await lingdao.goto('/');
    await expect(lingdao.getByRole('row').filter({ hasText: withoutLeader })).toHaveCount(0);
    await shot(ducha, 'condition-item-no');
  });

  expect(errors, 'browser console errors').toEqual([]);
});
