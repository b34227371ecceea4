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
import { scaled } from './timing';
import { pick, pickOption } from './selects';

/**
 * Issue 15's acceptance, in one procedure (decision 033): an administrator who types no JavaScript and no JSON builds
 * 「无代码验收」 — a start form with 是否需领导审批 (a select), 立项依据 (marked as the ledger's 来源), 批示内容 shown only for
 * 领导批示 (a 显示条件 built by clicking), 收文日期 and 承办单位 (a unit field); a 条件判断 on the select sends 是 to 领导审定
 * (5 working days counted from 收文日期) and both branches on to a 交办 whose 主办 is the unit chosen at registration
 * (3 working days); its own numbering pattern, a 10-working-day item deadline and its own chasing ladder. Published, it is
 * walked down each branch by the people who hold the tasks: 是 → 李厅长 → 法制处; 否 → 济南市司法局, the leader never
 * asked. Every property panel and settings form is photographed to test-results/screenshots/acceptance15-*.png.
 */

const expect = baseExpect.configure({ timeout: scaled(30_000) });
// A click that cannot happen fails after a minute, not at the end of the whole test.
test.use({ actionTimeout: 60_000 });

const stamp = Date.now().toString(36);
const procedureId = `nocode-${stamp}`;
const procedureName = `无代码验收 ${stamp}`;
const prefix = `验${stamp.slice(-3)}`;
const withLeader = `需领导审定的批示 ${stamp}`;
const withoutLeader = `会议议定事项 ${stamp}`;
const year = new Date().getFullYear();

/**
 * A screenshot for a person to look at. A panel (`target`) scrolls inside the page, so the window is made tall enough
 * for all of it to be on screen at once, and the panel alone is kept.
 */
async function shot(page: Page, name: string, target?: Locator) {
  const file = path.join(screenshotDir, `acceptance15-${name}.png`);
  if (!target) {
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    return;
  }
  const size = page.viewportSize()!;
  const height = await target.evaluate((el) => {
    for (let e: Element | null = el; e; e = e.parentElement) e.scrollTop = 0;
    return el.scrollHeight;
  });
  await page.setViewportSize({ width: size.width, height: Math.min(Math.max(size.height, height + 220), 4000) });
  try {
    await target.screenshot({ path: file, animations: 'disabled' });
  } finally {
    await page.setViewportSize(size);
  }
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

/** A select of a filled form, found by its field's label. */
async function pickField(page: Page, label: string, option: string) {
  const item = page.locator('.ant-form-item').filter({ has: page.getByText(label, { exact: true }) });
  await pickOption(page, item.locator('.ant-select').first(), option);
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

/** A select field with options typed as labels only (their saved values follow the labels). */
async function options(page: Page, labels: string[]) {
  const editor = page.getByTestId('options-editor');
  for (let i = 0; i < labels.length; i++) {
    if (i > 0) await editor.getByRole('button', { name: '添加选项' }).click();
    await editor.getByLabel(`选项${i + 1}名称`).fill(labels[i]);
    await expect(editor.getByLabel(`选项${i + 1}值`)).toHaveValue(labels[i]);
  }
}

/** Nothing an administrator reads in the panel is a field key, a node id's GUID or a raw JSON array. */
async function noCodeIn(target: Locator) {
  const text = (await target.innerText()).replace(/\s+/g, ' ');
  expect(text, 'a field key shown').not.toMatch(/\b(text|select|date|unit|textarea)\d+\b/);
  expect(text, 'a GUID shown').not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  expect(text, 'a raw array shown').not.toMatch(/\[\s*"/);
  expect(text, 'a unit id shown').not.toMatch(/\b(fzc|jinan|qingdao)\b/);
}

async function openTask(page: Page, title: string, step: string) {
  // The 待办 tab by name: a leader's bare root is his 驾驶舱 once per session (decision 041).
  await page.goto('/?box=todo');
  const row = page.getByRole('row').filter({ hasText: title }).filter({ hasText: step });
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: scaled(5000) });
  }).toPass({ timeout: scaled(60_000) });
  await row.getByRole('link').first().click();
  await expect(page.getByTestId('task-header')).toContainText(step);
  const claim = page.getByRole('button', { name: /签\s*收/ });
  const submit = page.getByTestId('task-actions').getByRole('button', { name: /提\s*交/ });
  await expect(claim.or(submit).first()).toBeVisible();
  if (await claim.isVisible()) await claim.click();
  await expect(submit).toBeVisible();
  return submit;
}

async function register(page: Page, title: string, leader: '是' | '否', basis: string, unit: string) {
  await page.goto(`/start?definitionId=${procedureId}`);
  await expect(page.getByRole('heading', { name: `发起：${procedureName}` })).toBeVisible();
  await page.getByLabel('事项名称').fill(title);
  await pickField(page, '是否需领导审批', leader);
  await expect(page.getByLabel('批示内容')).toHaveCount(0);
  await pickField(page, '立项依据', basis);
  if (basis === '领导批示') {
    // Shown by the 显示条件 built by clicking, required once shown.
    await page.getByLabel('批示内容').fill('请法制处牵头，十个工作日内报送办理情况。');
  } else {
    await expect(page.getByLabel('批示内容')).toHaveCount(0);
  }
  await pickField(page, '承办单位', unit);
  await page.getByRole('button', { name: /提\s*交/ }).click();
  await expect(page).toHaveURL(/\/items\//);
}

test('验收：管理员不写脚本、不写 JSON 建一个流程（条件分支、登记时选的单位交办、工作日时限、自己的催办阶梯和编号），发布后按两个分支办完', async ({
  browser,
}) => {
  test.setTimeout(scaled(900_000));
  const errors: string[] = [];
  const admin = await signedIn(browser, 'admin', errors);

  await test.step('新建流程', async () => {
    await admin.goto('/designer');
    await admin.getByRole('button', { name: '新建流程' }).click();
    const dialog = admin.getByRole('dialog', { name: '新建流程' });
    await dialog.getByLabel('流程名称').fill(procedureName);
    await dialog.getByLabel('流程标识').fill(procedureId);
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await expect(admin).toHaveURL(new RegExp(`/designer/${procedureId}$`));
  });

  await test.step('登记表单：点选字段、选项只写名称、显示条件点选、标出事项标题和来源', async () => {
    await admin.goto(`/forms?definition=${procedureId}`);
    await admin.getByRole('button', { name: '新建表单' }).first().click();

    await dropField(admin, 'text');
    await admin.getByTestId('form-field-text1').click();
    await admin.getByLabel('字段名称').fill('事项名称');
    await admin.getByRole('switch', { name: '必填' }).click();

    await dropField(admin, 'select');
    await admin.getByTestId('form-field-select1').click();
    await admin.getByLabel('字段名称').fill('是否需领导审批');
    await options(admin, ['是', '否']);
    await admin.getByRole('switch', { name: '必填' }).click();

    await dropField(admin, 'select');
    await admin.getByTestId('form-field-select2').click();
    await admin.getByLabel('字段名称').fill('立项依据');
    await options(admin, ['会议议定', '领导批示']);

    await dropField(admin, 'textarea');
    await admin.getByTestId('form-field-textarea1').click();
    await admin.getByLabel('字段名称').fill('批示内容');
    await admin.getByRole('switch', { name: '必填' }).click();
    const visibility = admin.getByTestId('visibility-editor');
    await visibility.getByText('满足条件时显示', { exact: true }).click();
    await pick(admin, visibility, '显示条件第1条的字段', '立项依据');
    await expect(visibility.getByRole('combobox', { name: '显示条件第1条的运算' })).toBeVisible();
    await pick(admin, visibility, '显示条件第1条的值', '领导批示');
    await expect(admin.getByTestId('condition-visible-words')).toHaveText('条件：立项依据 等于 领导批示');
    await expect(admin.getByTestId('form-field-textarea1')).toContainText('条件显示');
    await noCodeIn(admin.locator('.form-designer__properties'));
    await shot(admin, 'field-visibility', admin.locator('.form-designer__properties'));

    await dropField(admin, 'date');
    await admin.getByTestId('form-field-date1').click();
    await admin.getByLabel('字段名称').fill('收文日期');
    await admin.getByRole('switch', { name: '默认今天' }).click();

    await dropField(admin, 'unit');
    await admin.getByTestId('form-field-unit1').click();
    await admin.getByLabel('字段名称').fill('承办单位');
    await admin.getByRole('switch', { name: '必填' }).click();
    await shot(admin, 'field-unit', admin.locator('.form-designer__properties'));

    await admin.getByRole('button', { name: '保存到流程草稿' }).click();
    await expect(admin.getByText(/表单已保存到流程草稿/)).toBeVisible();
  });

  let decision = '';
  await test.step('画布：条件判断（是否需领导审批 等于 是）→ 领导审定 → 交办（主办取登记时选的承办单位）', async () => {
    await admin.goto(`/designer/${procedureId}`);
    await expect(admin.getByTestId('flow-node-end')).toBeVisible();
    const canvas = (await admin.getByTestId('designer-canvas').boundingBox())!;
    const start = (await admin.getByTestId('flow-node-start').boundingBox())!;
    const x = start.x - canvas.x + start.width / 2;
    const y = start.y + start.height - canvas.y;
    await dropNode(admin, 'Duban.Decision', x, y + 70);
    await dropNode(admin, 'Duban.UserTask', x - 160, y + 190);
    await dropNode(admin, 'Duban.Assign', x + 60, y + 310);
    await admin.getByRole('button', { name: '适应画布' }).click();

    await selectNode(admin, 'start');
    await pick(admin, admin, '发起表单', `${procedureName}表`);
    await noCodeIn(admin.locator('.property-panel'));
    await shot(admin, 'panel-start', admin.locator('.property-panel'));

    decision = (await admin
      .locator('[data-testid^="flow-node-decision"]')
      .first()
      .getAttribute('data-testid'))!.replace('flow-node-', '');
    await selectNode(admin, decision);
    await admin.getByLabel('节点名称').fill('需领导审定？');
    await pick(admin, admin, '判断条件第1条的字段', '是否需领导审批');
    await expect(admin.getByRole('combobox', { name: '判断条件第1条的运算' })).toBeVisible();
    await pick(admin, admin, '判断条件第1条的值', '是');
    await expect(admin.getByTestId('condition-condition-words')).toHaveText('条件：是否需领导审批 等于 是');
    await noCodeIn(admin.locator('.property-panel'));
    await shot(admin, 'panel-decision', admin.locator('.property-panel'));

    await selectNode(admin, 'task1');
    await admin.getByLabel('节点名称').fill('领导审定');
    await pick(admin, admin, '办理人规则', '按角色');
    await pick(admin, admin, '角色', '领导');
    await admin.keyboard.press('Escape');
    // 5 working days, counted from the 收文日期 the office typed: previewed on an example date.
    const deadline = admin.locator('.property-panel');
    await pick(admin, deadline, '时限类型', '工作日');
    await deadline.getByLabel('时限数量').fill('5');
    await pick(admin, deadline, '起算时间', '表单日期：收文日期');
    const preview = deadline.getByTestId('deadline-preview');
    await expect(preview).toContainText(/从该字段的日期起算，例如该日期为今天（\d{4}-\d{2}-\d{2}/);
    await noCodeIn(admin.locator('.property-panel'));
    await shot(admin, 'panel-leader-step', admin.locator('.property-panel'));

    await selectNode(admin, 'assign1');
    await admin.getByLabel('节点名称').fill('交办承办单位');
    await admin.locator('.property-panel').getByText('取表单字段', { exact: true }).first().click();
    await expect(admin.getByRole('combobox', { name: '主办单位取自字段' })).toBeVisible();
    await expect(admin.locator('.property-panel')).toContainText('承办单位');
    await pick(admin, admin.locator('.property-panel'), '时限类型', '工作日');
    await admin.locator('.property-panel').getByLabel('时限数量').first().fill('3');
    await expect(admin.locator('.property-panel').getByTestId('deadline-preview').first()).toContainText(
      /从今天起算：\d{4}-\d{2}-\d{2}/,
    );
    await noCodeIn(admin.locator('.property-panel'));
    await shot(admin, 'panel-assign', admin.locator('.property-panel'));

    await admin.keyboard.press('Escape');
    await admin.getByRole('button', { name: '适应画布' }).click();

    await connect(admin, 'start', 'Done', decision);
    await connect(admin, decision, 'True', 'task1');
    await connect(admin, decision, 'False', 'assign1');
    await connect(admin, 'task1', '提交', 'assign1');
    await connect(admin, 'assign1', '提交', 'end');
    await admin.getByRole('button', { name: '自动布局' }).click();
    await expect(admin.locator('.flow-edge-label', { hasText: '是：是否需领导审批 等于 是' })).toBeVisible();
    await admin.getByRole('button', { name: /保存草稿/ }).click();
    await expect(admin.getByText(/草稿已保存/)).toBeVisible();
  });

  await test.step('表单设计：事项标题、来源取自哪个字段（按名称选）', async () => {
    await admin.goto(`/forms?definition=${procedureId}`);
    const bar = admin.getByTestId('item-fields');
    await expect(bar).toContainText('未指定时取「事项名称」');
    // 立项依据 is a choice named 依据: the ledger takes it as 来源 by default, and the administrator marks it anyway.
    await expect(bar).toContainText('未指定时取「立项依据」');
    await pick(admin, bar, '事项来源取自', '立项依据');
    await expect(bar).toContainText('台账的“来源”列和来源筛选取此字段');
    await noCodeIn(bar);
    await shot(admin, 'item-fields', bar);
    await admin.getByRole('button', { name: '保存到流程草稿' }).click();
    await expect(admin.getByText(/表单已保存到流程草稿/)).toBeVisible();
  });

  await test.step('流程设置：编号、工作日完成时限、本流程的催办阶梯（表单，没有 JSON）', async () => {
    await admin.goto(`/designer/${procedureId}`);
    await admin.getByRole('button', { name: '流程设置' }).click();
    const drawer = admin.locator('.procedure-settings');
    await expect(drawer).toBeVisible();
    await expect(drawer).not.toContainText('JSON');
    await shot(admin, 'settings-basic', drawer);

    await drawer.getByRole('tab', { name: '发起权限' }).click();
    await pick(admin, drawer, '可发起的角色', '督查员');
    await admin.keyboard.press('Escape');
    await noCodeIn(drawer);
    await shot(admin, 'settings-starters', drawer);

    await drawer.getByRole('tab', { name: '事项编号' }).click();
    await drawer.getByRole('switch', { name: '为事项编号' }).click();
    await drawer.getByLabel('编号前缀').fill(prefix);
    await drawer.getByLabel('序号位数').fill('3');
    await expect(drawer.getByTestId('numbering-preview')).toContainText(`下一个编号：${prefix}〔${year}〕001号`);
    await shot(admin, 'settings-numbering', drawer);

    await drawer.getByRole('tab', { name: '时限与红黄灯' }).click();
    const item = drawer.getByTestId('item-deadline');
    await pick(admin, item, '时限类型', '工作日');
    await item.getByLabel('时限数量').fill('10');
    await expect(item.getByTestId('deadline-preview')).toContainText(
      /从今天起算：\d{4}-\d{2}-\d{2}（周[一二三四五六日]）/,
    );
    await drawer.getByLabel('黄灯剩余工作日').fill('2');
    await noCodeIn(drawer);
    await shot(admin, 'settings-deadlines', drawer);

    await drawer.getByRole('tab', { name: '延期申请' }).click();
    await noCodeIn(drawer);
    await shot(admin, 'settings-extensions', drawer);

    await drawer.getByRole('tab', { name: '催办阶梯' }).click();
    await drawer.getByRole('switch', { name: '本流程使用自己的催办阶梯' }).click();
    const ladder = drawer.getByTestId('procedure-ladder');
    await expect(ladder.locator('.ladder-rung').first()).toBeVisible();
    await ladder.locator('.ladder-rung').first().getByLabel('名称').fill('验收电话催办');
    await noCodeIn(drawer);
    await shot(admin, 'settings-ladder', drawer);

    await drawer.getByRole('tab', { name: '流程变量' }).click();
    await shot(admin, 'settings-variables', drawer);

    await admin.keyboard.press('Escape');
    await expect(admin.getByTestId('validation')).toContainText('校验通过', { timeout: scaled(30_000) });
    await shot(admin, 'canvas', admin.getByTestId('designer-canvas'));
    await admin
      .getByRole('toolbar', { name: '流程设计工具栏' })
      .getByRole('button', { name: /发\s*布/ })
      .click();
    await expect(admin.getByText(/已发布第 \d+ 版/)).toBeVisible();
  });

  const ducha = await signedIn(browser, 'ducha', errors);

  await test.step('“是”：督查员登记（领导批示、法制处），领导审定，法制处办理，办结', async () => {
    await register(ducha, withLeader, '是', '领导批示', '法制处');
    const header = ducha.getByTestId('item-header');
    await expect(header.getByRole('heading', { name: withLeader })).toBeVisible();
    await expect(header).toContainText(`${prefix}〔${year}〕`);
    await shot(ducha, 'item-yes-registered');

    const lingdao = await signedIn(browser, 'lingdao', errors);
    await (await openTask(lingdao, withLeader, '领导审定')).click();
    await expect(lingdao).not.toHaveURL(/\/tasks\//);

    const fazhi = await signedIn(browser, 'fazhi', errors);
    await (await openTask(fazhi, withLeader, '交办承办单位')).click();
    await expect(fazhi).not.toHaveURL(/\/tasks\//);

    await ducha.goto(`/ledger?q=${encodeURIComponent(withLeader)}`);
    const row = ducha.getByRole('row').filter({ hasText: withLeader });
    await expect(row).toContainText('办结');
    await row.getByRole('link', { name: withLeader }).click();
    const timeline = ducha.getByTestId('item-timeline');
    await expect(timeline).toContainText('领导审定');
    await expect(timeline).toContainText('交办承办单位');
    await shot(ducha, 'item-yes-done');
  });

  await test.step('“否”：会议议定事项交给济南市司法局，不经领导，办结', async () => {
    await register(ducha, withoutLeader, '否', '会议议定', '济南市司法局');
    const jinan = await signedIn(browser, 'jinan', errors);
    await (await openTask(jinan, withoutLeader, '交办承办单位')).click();
    await expect(jinan).not.toHaveURL(/\/tasks\//);

    await ducha.goto(`/ledger?q=${encodeURIComponent(withoutLeader)}`);
    const row = ducha.getByRole('row').filter({ hasText: withoutLeader });
    await expect(row).toContainText('办结');
    await row.getByRole('link', { name: withoutLeader }).click();
    const timeline = ducha.getByTestId('item-timeline');
    await expect(timeline).toContainText('交办承办单位');
    await expect(timeline).not.toContainText('领导审定');
    await shot(ducha, 'item-no-done');
  });

  await test.step('台账：来源列取标出的“立项依据”，按来源筛选', async () => {
    await ducha.goto(`/ledger?definitionId=${procedureId}&source=${encodeURIComponent('领导批示')}`);
    await expect(ducha.getByRole('row').filter({ hasText: withLeader })).toBeVisible();
    await expect(ducha.getByRole('row').filter({ hasText: withoutLeader })).toHaveCount(0);
    await shot(ducha, 'ledger-source');
  });

  expect(errors, 'browser console errors').toEqual([]);
});
