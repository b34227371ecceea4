import path from 'node:path';
import { expect as baseExpect, test, type APIRequestContext, type Page } from '@playwright/test';
import { authFile, screenshotDir, viewports } from './users';
import { scaled } from './timing';

/**
 * 驾驶舱 (decision 041): a leader lands on it, a chart element opens the ledger with the same filter and the same count;
 * 大屏 for the meeting room; 挂图作战 of a decision broken down into tasks; the office's 预警; the 驾驶舱 on a phone.
 */

test.describe.configure({ timeout: scaled(150_000) });
const expect = baseExpect.configure({ timeout: scaled(30_000) });
const baseURL = process.env.DUBAN_BASE_URL ?? 'http://127.0.0.1:5000';

interface Figure {
  key: string;
  label: string;
  count: number;
  query: string;
}

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

test.describe('领导驾驶舱', () => {
  test.use({ storageState: authFile('lingdao'), viewport: viewports.desktop });

  test('领导打开系统先到驾驶舱，点图表打开同样筛选的台账，数字一致；大屏', async ({ page }) => {
    const loaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/dashboard');
    await page.goto('/');
    await expect(page).toHaveURL(/\/cockpit$/);
    await expect(page.getByRole('heading', { name: '领导驾驶舱' })).toBeVisible();
    const view = (await (await loaded).json()) as { byLight: Figure[]; total: Figure };
    expect(view.total.count).toBeGreaterThan(0);
    const chart = page.getByTestId('chart-light');
    await expect(chart.locator('canvas')).toBeVisible();
    await expect(page.locator('.dash-chart:not([data-drawn="true"])')).toHaveCount(0); // drawn, entry animation done
    await screenshot(page, 'dashboard-desktop');

    // 待办 one click away.
    await page.getByRole('link', { name: /我的待办/ }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { name: '领导驾驶舱' })).toHaveCount(0);
    await page.goBack();
    await expect(chart.locator('canvas')).toBeVisible();
    await expect(page.locator('.dash-chart:not([data-drawn="true"])')).toHaveCount(0); // drawn, entry animation done

    // Click the tallest bar of 在办事项状态灯 (three bars across the chart) near its foot.
    const tallest = view.byLight.reduce((a, b) => (b.count > a.count ? b : a));
    const index = view.byLight.indexOf(tallest);
    const box = (await chart.boundingBox())!;
    const ledger = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/ledger');
    const plotLeft = 40;
    const x = box.x + plotLeft + ((index + 0.5) * (box.width - plotLeft - 24)) / 3;
    await page.mouse.click(x, box.y + box.height - 40);
    await expect(page).toHaveURL(new RegExp(`/ledger\\?.*light=${tallest.key}`));
    const rows = (await (await ledger).json()) as { total: number };
    expect(rows.total).toBe(tallest.count);
    await expect(page.getByTestId('ledger-table')).toBeVisible();
    await screenshot(page, 'dashboard-drilldown-ledger');

    // 大屏: dark, large, over the whole window.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto('/cockpit');
    await page.getByRole('link', { name: /大屏/ }).click();
    await expect(page.getByTestId('dash-screen')).toBeVisible();
    await expect(page.getByText('每分钟自动刷新')).toBeVisible();
    await expect(page.getByTestId('dash-screen').locator('canvas').first()).toBeVisible();
    await expect(page.locator('.dash-chart:not([data-drawn="true"])')).toHaveCount(0); // drawn, entry animation done
    await page.screenshot({ path: path.join(screenshotDir, 'dashboard-screen.png') });
  });

  test('驾驶舱在手机上', async ({ browser }) => {
    const context = await browser.newContext({
      storageState: authFile('lingdao'),
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto('/cockpit');
    await expect(page.getByRole('heading', { name: '领导驾驶舱' })).toBeVisible();
    await expect(page.getByTestId('chart-status').locator('canvas')).toBeVisible();
    await expect(page.locator('.dash-chart:not([data-drawn="true"])')).toHaveCount(0); // drawn, entry animation done
    await page.screenshot({ path: path.join(screenshotDir, 'dashboard-phone.png') });
    await context.close();
  });
});

test.describe('挂图作战与预警（督查员）', () => {
  test.use({ storageState: authFile('ducha'), viewport: viewports.desktop });

  test('决策部署的任务书与时间表；预警只对督查室', async ({ page, playwright }) => {
    const lingdao = await playwright.request.newContext({ baseURL, storageState: authFile('lingdao') });
    const me = (await (await lingdao.get('/api/auth/me')).json()) as { id: string };
    const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);
    const title = `挂图作战测试决策 ${Date.now()}`;
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

    await page.goto(`/battle?id=${item}`);
    await expect(page.getByRole('heading', { name: '挂图作战' })).toBeVisible();
    await expect(page.getByTestId('battle-timeline').locator('canvas')).toBeVisible();
    await expect(page.getByRole('link', { name: '中心标准化建设' })).toBeVisible();
    await expect(page.getByRole('row', { name: /中心标准化建设/ })).toContainText('济南市司法局');
    await expect(page.getByRole('row', { name: /制定实体平台建设方案/ })).toContainText('尚未报送');
    await expect(page.locator('.dash-chart:not([data-drawn="true"])')).toHaveCount(0); // drawn, entry animation done
    await screenshot(page, 'battle-map-desktop');

    // The office's early warning.
    await page.goto('/warnings');
    await expect(page.getByRole('heading', { name: '预警（督查室内部）' })).toBeVisible();
    await expect(page.getByRole('table')).toBeVisible();
    await screenshot(page, 'warnings-desktop');
    const fazhi = await playwright.request.newContext({ baseURL, storageState: authFile('fazhi') });
    expect((await fazhi.get('/api/dashboard/warnings')).status()).toBe(403);
    await fazhi.dispose();

    await page.request.post(`/api/instances/${item}/cancel`, { data: { reason: '浏览器测试结束' } });
  });
});

test.describe('手机上从消息打开的页面（390 px）', () => {
  test('联络员的待办任务与事项页', async ({ browser, playwright }) => {
    // An item of its own for 法制处: registered by the office, approved by the leader.
    const ducha = await playwright.request.newContext({ baseURL, storageState: authFile('ducha') });
    const lingdao = await playwright.request.newContext({ baseURL, storageState: authFile('lingdao') });
    const started = await ducha.post('/api/instances', {
      data: {
        definitionId: 'demo-supervision',
        data: {
          title: `手机办理测试事项 ${Date.now()}`,
          source: 'meeting',
          content: '请按要求办理并如实填报办理情况。',
          handlingUnit: 'fzc',
          dueDate: new Date(Date.now() + 20 * 86400_000).toISOString().slice(0, 10),
        },
      },
    });
    expect([200, 201], await started.text()).toContain(started.status());
    const item = ((await started.json()) as { id: string }).id;
    await complete(lingdao, item, '同意');
    await lingdao.dispose();

    const context = await browser.newContext({
      storageState: authFile('fazhi'),
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const todo = { items: [{ id: await taskOf(page.request, item), instanceId: item }] };
    await page.goto(`/tasks/${todo.items[0].id}`);
    await expect(page.getByTestId('task-header')).toBeVisible();
    const claim = page.getByRole('button', { name: '签收' });
    if (await claim.isVisible()) {
      const box = (await claim.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(40);
      await page.screenshot({ path: path.join(screenshotDir, 'task-phone-390-claim.png') });
      await claim.click();
    }
    // The actions: a bar at the foot of the screen, reachable without scrolling, with large targets.
    const submit = page.getByTestId('task-actions').getByRole('button', { name: '提交' });
    await expect(submit).toBeInViewport();
    expect((await submit.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await page.screenshot({ path: path.join(screenshotDir, 'task-phone-390.png') });
    await page.goto(`/items/${todo.items[0].instanceId}`);
    await expect(page.getByTestId('item-status')).toBeVisible();
    await page.screenshot({ path: path.join(screenshotDir, 'item-phone-390.png') });
    await context.close();
    await ducha.post(`/api/instances/${item}/cancel`, { data: { reason: '浏览器测试结束' } });
    await ducha.dispose();
  });
});
