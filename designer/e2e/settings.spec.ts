import path from 'node:path';
import { expect as baseExpect, test, type APIRequestContext, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { authFile, screenshotDir, viewports } from './users';
import { scaled } from './timing';

test.describe.configure({ timeout: scaled(180_000) });
const expect = baseExpect.configure({ timeout: scaled(30_000) });

async function screenshot(page: Page, name: string) {
  const phone = (page.viewportSize()?.width ?? 1366) < 768;
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: !phone });
}

let consoleErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 40[01]/.test(message.text())) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});
test.afterEach(() => {
  expect(consoleErrors, 'browser console errors').toEqual([]);
});

/** The open task of `item` in the user's inbox. */
async function taskOf(request: APIRequestContext, item: string): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const page = (await (await request.get('/api/tasks?box=todo&pageSize=100')).json()) as {
      items: { id: string; instanceId: string }[];
    };
    const found = page.items.find((t) => t.instanceId === item);
    if (found) return found.id;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no open task of ${item}`);
}

async function complete(request: APIRequestContext, item: string, outcome: string, data: Record<string, unknown> = {}) {
  const task = await taskOf(request, item);
  const response = await request.post(`/api/tasks/${task}/complete`, { data: { outcome, data } });
  expect(response.status(), await response.text()).toBe(204);
}

/** A 领导批示 taken through 拟办 and 审定 to 交办: 法制处 主办, 济南市司法局 协办. */
async function assignedInstruction(ducha: APIRequestContext, lingdao: APIRequestContext): Promise<string> {
  const upload = await ducha.post('/api/attachments', {
    multipart: { file: { name: '批示件.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 批示件') } },
  });
  expect([200, 201], await upload.text()).toContain(upload.status());
  const file = (await upload.json()) as { id: string; name: string };
  const me = (await (await lingdao.get('/api/auth/me')).json()) as { id: string };
  const started = await ducha.post('/api/instances', {
    data: {
      definitionId: 'leader-instruction',
      data: {
        title: `浏览器测试批示 ${Date.now()}`,
        origin: 'own',
        leader: '李厅长',
        instructionDate: new Date().toISOString().slice(0, 10),
        instructionText: '请法制处牵头研究。',
        original: [{ id: file.id, name: file.name }],
        reportLeader: me.id,
      },
    },
  });
  expect([200, 201]).toContain(started.status());
  const item = ((await started.json()) as { id: string }).id;
  const due = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
  await complete(ducha, item, '提交审定', {
    category: 'handle',
    proposal: '建议法制处牵头，济南市司法局协办。',
    leadUnit: 'fzc',
    coUnits: ['jinan'],
    goal: '形成书面报告。',
    dueDate: due,
  });
  await complete(lingdao, item, '同意', { approvalOpinion: '同意。' });
  return item;
}

const year = new Date().getFullYear();

/** Back to the shipped ladder and this year's default rules, so no other spec sees this one's changes. */
async function restoreDefaults(request: APIRequestContext) {
  expect((await request.put('/api/chasing/ladder', { data: { rungs: null } })).status()).toBe(200);
  expect((await request.delete(`/api/scoring/${year}/rules`)).status()).toBe(200);
}

test.describe('督查设置（管理员）', () => {
  test.use({ storageState: authFile('admin') });

  test('改扣分标准、加一级催办，保存后重新打开仍在；再恢复默认', async ({ page }) => {
    await restoreDefaults(page.request);
    try {
      // 考核规则: 电话催办 from 0.10 to 0.15 points for this year.
      await page.goto(`/settings?tab=rules&year=${year}`);
      const rules = page.getByTestId('rules-tab');
      // The demo organization chose the county table (no rules, no scores otherwise; decision 022).
      await expect(rules.getByText('采用系统考核标准')).toBeVisible();
      const phone = rules.getByLabel('电话、口头催办扣分');
      await expect(phone).toHaveValue('0.10');
      await phone.fill('0.15');
      const savedRules = page.waitForResponse(
        (r) => r.url().endsWith(`/api/scoring/${year}/rules`) && r.request().method() === 'PUT',
      );
      await rules.getByRole('button', { name: '保存', exact: true }).click();
      expect((await savedRules).status()).toBe(200);
      await expect(rules.getByText('本单位自定义')).toBeVisible();
      await screenshot(page, 'settings-rules-desktop');

      // 催办阶梯: a seventh rung, 约谈督办, raised by hand, with a notice that needs a written reply.
      await page.getByRole('tab', { name: '催办阶梯' }).click();
      const ladder = page.getByTestId('ladder-tab');
      await expect(ladder.getByText('第 6 级')).toBeVisible();
      await ladder.getByRole('button', { name: /增加一级/ }).click();
      await ladder.getByRole('button', { name: '保存', exact: true }).click();
      // Nothing is sent while the new rung has no name; the message stands beside the field.
      await expect(ladder.getByText('请填写名称')).toBeVisible();
      await ladder.getByLabel('名称').last().fill('约谈督办');
      await ladder.getByRole('checkbox', { name: '向承办单位发送通知' }).last().check();
      await ladder.getByLabel('通知标题').last().fill('约谈通知书');
      const savedLadder = page.waitForResponse(
        (r) => r.url().endsWith('/api/chasing/ladder') && r.request().method() === 'PUT',
      );
      await ladder.getByRole('button', { name: '保存', exact: true }).click();
      expect((await savedLadder).status()).toBe(200);
      await expect(ladder.getByText('本单位自定义')).toBeVisible();
      await screenshot(page, 'settings-ladder-desktop');

      // Reload: both changes are there.
      await page.reload();
      await expect(ladder.getByText('第 7 级')).toBeVisible();
      await expect(ladder.getByLabel('名称').last()).toHaveValue('约谈督办');
      await expect(ladder.getByLabel('通知标题').last()).toHaveValue('约谈通知书');
      await page.getByRole('tab', { name: '考核规则' }).click();
      await expect(page.getByTestId('rules-tab').getByLabel('电话、口头催办扣分')).toHaveValue('0.15');

      // Restore the defaults through the screen: the year's own rules go, the chosen county table applies again.
      await page.getByTestId('rules-tab').getByRole('button', { name: '删除本年度规则' }).click();
      await page.getByRole('tooltip').getByRole('button', { name: '删除' }).click();
      await expect(page.getByTestId('rules-tab').getByText('采用系统考核标准')).toBeVisible();
      await expect(page.getByTestId('rules-tab').getByLabel('电话、口头催办扣分')).toHaveValue('0.10');
      await page.getByRole('tab', { name: '催办阶梯' }).click();
      await ladder.getByRole('button', { name: '恢复默认' }).click();
      await page.getByRole('tooltip').getByRole('button', { name: '恢复默认' }).click();
      await expect(ladder.getByText('系统默认：县级督查督办工作方案')).toBeVisible();
      await expect(ladder.getByText('第 7 级')).toHaveCount(0);

      await page.getByRole('tab', { name: '延期设置' }).click();
      await expect(page.getByTestId('extension-tab').getByText('允许承办单位在期限届满后仍申请延期')).toBeVisible();
      await screenshot(page, 'settings-extensions-desktop');
    } finally {
      await restoreDefaults(page.request);
    }
  });
});

test.describe('督查设置（督查员）', () => {
  test.use({ storageState: authFile('ducha') });

  test('通报批评：登记一条再撤销；承办单位页面看到交办单位', async ({ page, playwright }) => {
    await page.goto(`/settings?tab=bulletins&year=${year}`);
    const tab = page.getByTestId('bulletins-tab');
    await tab.getByRole('button', { name: /登记通报批评/ }).click();
    const dialog = page.getByRole('dialog', { name: '登记通报批评' });
    const title = `浏览器测试通报 ${Date.now()}`;
    await dialog.getByRole('button', { name: '登记' }).click();
    await expect(dialog.getByText('请选择被通报的单位')).toBeVisible();
    await dialog.getByLabel('被通报单位').click();
    await page.locator('.ant-select-tree').getByTitle('法制处', { exact: true }).click();
    await dialog.getByLabel('通报名称').fill(title);
    await dialog.getByLabel('备注（原因等）').fill('浏览器测试，随后撤销');
    await dialog.getByRole('button', { name: '登记' }).click();
    const row = tab.getByRole('row').filter({ hasText: title });
    await expect(row).toContainText('计入考核');
    await screenshot(page, 'settings-bulletins-desktop');

    await row.getByRole('button', { name: '撤销' }).click();
    const revoke = page.getByRole('dialog', { name: '撤销通报批评' });
    await revoke.getByLabel('撤销理由').fill('浏览器测试撤销');
    await revoke.getByRole('button', { name: '确认撤销' }).click();
    await expect(row).toContainText('已撤销');

    // The 承办单位 panel of an item in 交办: the office replaces the 协办 with a reason; the page shows both, the old one struck out.
    const lingdao = await playwright.request.newContext({ baseURL, storageState: authFile('lingdao') });
    const item = await assignedInstruction(page.request, lingdao);
    await lingdao.dispose();
    await page.goto(`/items/${item}`);
    const panel = page.getByTestId('item-assignments');
    await expect(panel.locator('[data-unit="fzc"]')).toContainText('主办');
    const jinan = panel.locator('[data-unit="jinan"]');
    await expect(jinan).toContainText('办理中');
    await jinan.getByRole('button', { name: '替换' }).click();
    const replace = page.getByRole('dialog', { name: '替换承办单位' });
    await replace.getByRole('button', { name: '确认替换' }).click();
    await expect(replace.getByText('请选择替换后的单位')).toBeVisible();
    await replace.getByLabel('替换为').click();
    await page.locator('.ant-select-tree').getByTitle('青岛市司法局', { exact: true }).click();
    await replace.getByLabel('调整理由').fill('浏览器测试：职责调整');
    await replace.getByRole('button', { name: '确认替换' }).click();
    await expect(panel.locator('[data-unit="qingdao"]')).toContainText('办理中');
    await expect(jinan).toContainText('已替换');
    await expect(jinan).toContainText('职责调整');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'item-assignments-desktop');
    await page.request.post(`/api/instances/${item}/cancel`, { data: { reason: '浏览器测试结束' } });
  });
});

test.describe('子事项进展', () => {
  test.use({ storageState: authFile('ducha'), viewport: viewports.desktop });

  test('分解事项的页面列出各项任务的办理进度', async ({ page, playwright }) => {
    // A decision of its own: registered, approved by the leader, broken down into three tasks (one already overdue).
    const lingdao = await playwright.request.newContext({ baseURL, storageState: authFile('lingdao') });
    const me = (await (await lingdao.get('/api/auth/me')).json()) as { id: string };
    const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);
    const title = `浏览器测试决策 ${Date.now()}`;
    const started = await page.request.post('/api/instances', {
      data: {
        definitionId: 'decision-breakdown',
        data: {
          title,
          sourceType: 'partyMeeting',
          source: '厅党委会议',
          sourceDate: day(-3),
          summary: '年内实现平台融合。',
          leader: me.id,
        },
      },
    });
    expect([200, 201], await started.text()).toContain(started.status());
    const item = ((await started.json()) as { id: string }).id;
    await complete(lingdao, item, '同意', { approvalOpinion: '同意立项。' });
    await lingdao.dispose();
    const row = (task: string, leadUnit: string, deadline: string) => ({
      task,
      leadUnit,
      units: null,
      owner: '分管处长',
      goal: `${task}，按期报送。`,
      deadline,
    });
    await complete(page.request, item, '分解下达', {
      breakdown: [
        row('制定实体平台建设方案', 'fzc', day(30)),
        row('推进村居法律顾问全覆盖', 'qingdao', day(60)),
        row('中心标准化建设', 'jinan', day(-2)),
      ],
    });

    await page.goto(`/items/${item}`);
    const card = page.getByTestId('item-children');
    await expect(card.getByTestId('breakdown-summary')).toBeVisible();
    await expect(card.getByRole('link', { name: '制定实体平台建设方案' })).toBeVisible();
    await expect(card.getByRole('link', { name: '中心标准化建设' })).toBeVisible();
    await expect(card).toContainText('已逾期');
    await expect(page.getByTestId('item-current')).toContainText('等待子事项办结（3 项办理中');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'item-breakdown-desktop');
    await page.request.post(`/api/instances/${item}/cancel`, { data: { reason: '浏览器测试结束' } });
  });
});
