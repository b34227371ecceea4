import path from 'node:path';
import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { DEMO_PASSWORD, screenshotDir } from './users';
import { scaled } from './timing';
import { pick } from './selects';

/**
 * Issue 15, procedure settings (decision 029): an administrator, typing no JSON, builds a procedure whose start form
 * names the item by its 事项名称 field (not keyed "title"), numbers items 专督〔年份〕001号, gives them 5 working days,
 * lets only 督查员 start it and uses a ladder of its own; publishes it. A liaison does not see it under 发起; a
 * supervisor starts an item and sees the number, the title and the deadline the settings said.
 */

const expect = baseExpect.configure({ timeout: scaled(30_000) });

const stamp = Date.now().toString(36);
const procedureId = `e2e-settings-${stamp}`;
const procedureName = `专项督查 ${stamp}`;
const itemTitle = `整治涉企违规收费 ${stamp}`;
const prefix = `专督${stamp.slice(-3)}`;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

async function signedIn(browser: Browser, user: 'admin' | 'ducha' | 'fazhi', errors: string[]): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 900 },
  });
  context.on('page', (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of (401|403)/.test(m.text())) errors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  });
  const response = await context.request.post('/api/auth/login', { data: { userName: user, password: DEMO_PASSWORD } });
  expect(response.status(), `POST /api/auth/login as ${user}`).toBe(200);
  return context.newPage();
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

/** Drags a field type into the form, below the fields already there. */
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

test('管理员不写 JSON 设置编号、工作日时限、本流程催办阶梯、发起权限和事项标题；发起后按设置生效', async ({
  browser,
}) => {
  test.setTimeout(scaled(600_000));
  const errors: string[] = [];
  const admin = await signedIn(browser, 'admin', errors);
  let previewDate = '';

  await test.step('新建流程：登记 → 审核 → 办结', async () => {
    await admin.goto('/designer');
    await admin.getByRole('button', { name: '新建流程' }).click();
    const dialog = admin.getByRole('dialog', { name: '新建流程' });
    await dialog.getByLabel('流程名称').fill(procedureName);
    await dialog.getByLabel('流程标识').fill(procedureId);
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await expect(admin).toHaveURL(new RegExp(`/designer/${procedureId}$`));
    const canvas = (await admin.getByTestId('designer-canvas').boundingBox())!;
    const start = (await admin.getByTestId('flow-node-start').boundingBox())!;
    const end = (await admin.getByTestId('flow-node-end').boundingBox())!;
    await dropNode(admin, 'Duban.UserTask', start.x - canvas.x + start.width / 2, (start.y + end.y) / 2 - canvas.y);
    await selectNode(admin, 'task1');
    await admin.getByLabel('节点名称').fill('审核');
    await pick(admin, admin, '办理人规则', '按角色');
    await pick(admin, admin, '角色', '督查员');
    await admin.keyboard.press('Escape');
    // Approver edge rules: plain choices, no script.
    await pick(admin, admin, '找不到办理人时', '转交流程管理员');
    await pick(admin, admin, '办理人是发起人时', '仍由发起人办理');
    await admin.getByRole('checkbox', { name: '同一人已在前面环节审批同意的，自动通过' }).check();
    await shot(admin, 'settings15-step-edge-rules');
    await connect(admin, 'start', 'Done', 'task1');
    await connect(admin, 'task1', '提交', 'end');
    await admin.getByRole('button', { name: /保存草稿/ }).click();
    await expect(admin.getByText(/草稿已保存/)).toBeVisible();
  });

  await test.step('表单设计：两个单行文本，指定“事项名称”为事项标题（不改字段标识）', async () => {
    await admin.goto(`/forms?definition=${procedureId}`);
    await admin.getByRole('button', { name: '新建表单' }).first().click();
    await dropField(admin, 'text');
    await admin.getByTestId('form-field-text1').click();
    await admin.getByLabel('字段名称').fill('来文单位');
    await dropField(admin, 'text');
    // The second field lands below the first, not above it.
    await expect(admin.locator('[data-testid^="form-field-"]').nth(1)).toHaveAttribute(
      'data-testid',
      'form-field-text2',
    );
    await admin.getByTestId('form-field-text2').click();
    await admin.getByLabel('字段名称').fill('事项名称');
    await admin.getByRole('switch', { name: '必填' }).click();
    await expect(admin.getByLabel('最多字数')).toHaveValue('200');
    await admin.getByRole('button', { name: '保存到流程草稿' }).click();
    await expect(admin.getByText(/表单已保存到流程草稿/)).toBeVisible();
  });

  await test.step('发起表单，再在表单设计中指定事项标题', async () => {
    await admin.goto(`/designer/${procedureId}`);
    await selectNode(admin, 'start');
    await pick(admin, admin, '发起表单', `${procedureName}表`);
    await admin.getByRole('button', { name: /保存草稿/ }).click();
    await expect(admin.getByText(/草稿已保存/)).toBeVisible();

    await admin.goto(`/forms?definition=${procedureId}`);
    const bar = admin.getByTestId('item-fields');
    await expect(bar).toContainText('未指定时取「来文单位」');
    await pick(admin, bar, '事项标题取自', '事项名称');
    await expect(admin.getByTestId('form-field-text2')).toContainText('事项标题');
    // Field keys are not shown where labels belong.
    await expect(admin.getByTestId('form-canvas')).not.toContainText('text1');
    await shot(admin, 'settings15-form-item-fields');
    await admin.getByRole('button', { name: '保存到流程草稿' }).click();
    await expect(admin.getByText(/表单已保存到流程草稿/)).toBeVisible();
  });

  await test.step('流程设置：发起权限、编号、工作日时限、红黄灯、延期、本流程催办阶梯、变量', async () => {
    await admin.goto(`/designer/${procedureId}`);
    await admin.getByRole('button', { name: '流程设置' }).click();
    const drawer = admin.locator('.procedure-settings');
    await expect(drawer).toBeVisible();
    await expect(drawer).not.toContainText('JSON');
    await shot(admin, 'settings15-basic');

    await drawer.getByRole('tab', { name: '发起权限' }).click();
    await pick(admin, drawer, '可发起的角色', '督查员');
    await admin.keyboard.press('Escape');
    await expect(drawer.getByTestId('starters-summary')).toContainText('只有角色为 督查员 的人员可以发起本流程');
    await shot(admin, 'settings15-starters');

    await drawer.getByRole('tab', { name: '事项编号' }).click();
    await drawer.getByRole('switch', { name: '为事项编号' }).click();
    await drawer.getByLabel('编号前缀').fill(prefix);
    await drawer.getByLabel('序号位数').fill('3');
    const year = new Date().getFullYear();
    await expect(drawer.getByTestId('numbering-preview')).toContainText(`下一个编号：${prefix}〔${year}〕001号`);
    await shot(admin, 'settings15-numbering');

    await drawer.getByRole('tab', { name: '时限与红黄灯' }).click();
    const item = drawer.getByTestId('item-deadline');
    await pick(admin, item, '时限类型', '工作日');
    await item.getByLabel('时限数量').fill('5');
    const preview = item.getByTestId('deadline-preview');
    await expect(preview).toContainText(/从今天起算：\d{4}-\d{2}-\d{2}（周[一二三四五六日]）/);
    previewDate = /(\d{4}-\d{2}-\d{2})/.exec((await preview.textContent()) ?? '')![1];
    await drawer.getByLabel('黄灯剩余工作日').fill('2');
    await shot(admin, 'settings15-deadlines');

    await drawer.getByRole('tab', { name: '延期申请' }).click();
    await drawer.getByRole('checkbox', { name: '领导审批', exact: true }).check();
    await shot(admin, 'settings15-extensions');

    await drawer.getByRole('tab', { name: '催办阶梯' }).click();
    await drawer.getByRole('switch', { name: '本流程使用自己的催办阶梯' }).click();
    const ladder = drawer.getByTestId('procedure-ladder');
    await expect(ladder.locator('.ladder-rung').first()).toBeVisible();
    await ladder.locator('.ladder-rung').first().getByLabel('名称').fill('专项电话催办');
    await shot(admin, 'settings15-ladder');

    await drawer.getByRole('tab', { name: '流程变量' }).click();
    await drawer.getByRole('button', { name: '添加变量' }).click();
    await drawer.getByLabel('变量名1').fill('redone');
    await shot(admin, 'settings15-variables');

    await admin.keyboard.press('Escape');
    await expect(admin.getByTestId('validation')).toContainText('校验通过', { timeout: scaled(20_000) });
    await admin
      .getByRole('toolbar', { name: '流程设计工具栏' })
      .getByRole('button', { name: /发\s*布/ })
      .click();
    await expect(admin.getByText(/已发布第 \d+ 版/)).toBeVisible();
  });

  await test.step('联络员看不到该流程；直接打开也不能发起', async () => {
    const fazhi = await signedIn(browser, 'fazhi', errors);
    await fazhi.goto('/start');
    await expect(fazhi.getByRole('heading', { name: '发起事项' })).toBeVisible();
    await expect(fazhi.getByRole('button', { name: `发起「${procedureName}」` })).toHaveCount(0);
    await fazhi.goto(`/start?definitionId=${procedureId}`);
    await expect(fazhi.getByText('您不能发起该流程')).toBeVisible();
    await shot(fazhi, 'settings15-start-refused');
  });

  await test.step('督查员发起：编号、标题和完成时限按设置生成', async () => {
    const ducha = await signedIn(browser, 'ducha', errors);
    await ducha.goto('/start');
    await ducha.getByRole('button', { name: `发起「${procedureName}」` }).click();
    await ducha.getByLabel('来文单位').fill('省政府办公厅');
    await ducha.getByLabel('事项名称').fill(itemTitle);
    await ducha.getByRole('button', { name: /提\s*交/ }).click();
    await expect(ducha).toHaveURL(/\/items\//);
    const header = ducha.getByTestId('item-header');
    await expect(header.getByRole('heading', { name: itemTitle })).toBeVisible();
    await expect(header).toContainText(`${prefix}〔${new Date().getFullYear()}〕001号`);
    await expect(header.getByTestId('item-due')).toContainText(previewDate);
    await shot(ducha, 'settings15-item');
  });

  expect(errors, 'browser console errors').toEqual([]);
});
