import path from 'node:path';
import { expect as baseExpect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { authFile, screenshotDir, viewports, type DemoUser } from './users';
import { scaled } from './timing';

/**
 * 延期申请 in the browser (issue 4): the office issues a 督查整改建议书 to 法制处 due today, so its light is yellow now;
 * 法制处's liaison asks on the item page for a date a month later; the office approves on the item page; the item page
 * and the liaison's inbox then show green. On the way the office logs a phone chase by hand (催办 panel), and the
 * liaison sees it read-only. The deadline is "today" in China, so the light is yellow whatever the clock says
 * (≤ 1 working day left); one month later is far from the yellow threshold.
 */

const expect = baseExpect.configure({ timeout: scaled(30_000) });
test.describe.configure({ timeout: scaled(180_000) });

const expected4xx = /Failed to load resource: the server responded with a status of 40[019]/;

/** The whole page from its top (a dialog: what is on screen). */
async function screenshot(page: Page, name: string, fullPage = true) {
  const phone = (page.viewportSize()?.width ?? 1366) < 768;
  if (fullPage && !phone) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: fullPage && !phone });
}

async function open(browser: Browser, user: DemoUser, phone = false) {
  const context = await browser.newContext({
    storageState: authFile(user),
    ...(phone ? { viewport: viewports.phone, isMobile: true, hasTouch: true } : {}),
  });
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

/** yyyy-MM-dd of today (+ `months`) in China, where deadlines are counted. */
function chinaDate(months = 0): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, now.getUTCDate()));
  // 31 January + 1 month must not roll over two months.
  if (months !== 0 && d.getUTCDate() !== now.getUTCDate()) d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

const zh = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

test('联络员申请延期，督查员批准，红黄绿灯由黄变绿', async ({ browser, playwright }) => {
  const title = `延期申请演示 ${Date.now().toString(36)}`;
  const today = chinaDate();
  const later = chinaDate(1);

  // The office issues the rectification notice to 法制处, due today.
  const ducha = await api(playwright.request, 'ducha');
  const started = await ducha.post('/api/instances', {
    data: {
      definitionId: 'enterprise-inspection-rectification',
      data: {
        title,
        source: '周督查（端到端测试）',
        problem: '档案室消防通道堆放纸箱，影响疏散。',
        unit: 'fzc',
        requirement: '清理消防通道，建立每日巡查制度。',
        deadline: today,
      },
    },
  });
  expect(started.status(), await started.text()).toBe(201);
  const item = (await started.json()) as { id: string };
  const itemUrl = `/items/${item.id}`;
  const detail = (await (await ducha.get(`/api/instances/${item.id}`)).json()) as {
    instance: { light: string; dueAt: string };
  };
  expect(detail.instance.light, '一个今天到期的事项亮黄灯').toBe('yellow');

  // 法制处's liaison: yellow in the inbox and on the item page; asks for a month more.
  const liaison = await open(browser, 'fazhi');
  try {
    const { page } = liaison;
    await page.goto(`/?q=${encodeURIComponent(title)}`);
    const row = page.getByTestId('inbox-table').getByRole('row').filter({ hasText: title });
    await expect(row.locator('[data-light]')).toHaveAttribute('data-light', 'yellow');

    // The task page offers the request too.
    await row.getByRole('link').first().click();
    const shortcut = page.getByTestId('task-extension');
    await expect(shortcut).toContainText(`办理时限 ${zh(today)}`);
    await expect(shortcut.getByRole('button', { name: '申请延期' })).toBeVisible();
    await screenshot(page, 'extension-task-desktop');

    await page.goto(itemUrl);
    await expect(page.getByTestId('item-deadline').locator('[data-light]')).toHaveAttribute('data-light', 'yellow');
    const panel = page.getByTestId('extension-panel');
    await expect(panel).toContainText(zh(today));
    await expect(panel).toContainText('暂无延期申请记录');
    await panel.getByRole('button', { name: '申请延期' }).click();

    // Nothing filled in: both fields say what is missing, in Chinese, beside them.
    const form = page.getByTestId('extension-form');
    await form.getByRole('button', { name: '提交申请' }).click();
    await expect(form).toContainText('请选择新的完成时限');
    await expect(form).toContainText('请填写延期理由');

    const dateInput = page.getByLabel('新的完成时限');
    await dateInput.fill(later);
    await dateInput.press('Enter');
    await page.getByLabel('延期理由').click(); // closes the calendar
    await expect(page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)')).toHaveCount(0);
    await page.getByLabel('延期理由').fill('需协调后勤中心清运大件杂物并采购消防标识，预计一个月内完成。');
    await screenshot(page, 'extension-request-desktop');

    const posted = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/instances/${item.id}/extensions` && r.request().method() === 'POST',
    );
    await form.getByRole('button', { name: '提交申请' }).click();
    expect((await posted).status()).toBe(201);
    const request = panel.getByTestId('extension-item');
    await expect(request).toHaveCount(1);
    await expect(request).toHaveAttribute('data-status', 'pending');
    await expect(request).toContainText('待审批');
    await expect(request).toContainText(`${zh(today)} → ${zh(later)}`);
    await expect(request).toContainText('张联络');
    // A second request while one waits is refused before anyone asks.
    await expect(panel.getByTestId('extension-refusal')).toContainText('你单位已有待审批的延期申请');
    await expect(panel.getByRole('button', { name: '批准' })).toHaveCount(0);
    await screenshot(page, 'extension-pending-liaison-desktop');
    expect(liaison.errors).toEqual([]);
  } finally {
    await liaison.close();
  }

  // The office: approves on the item page, and logs a phone chase by hand.
  const office = await open(browser, 'ducha');
  try {
    const { page } = office;
    await page.goto(itemUrl);
    const panel = page.getByTestId('extension-panel');
    await expect(panel).toContainText('1 条待审批');
    await expect(page.getByTestId('item-deadline').locator('[data-light]')).toHaveAttribute('data-light', 'yellow');
    await panel.getByRole('button', { name: '批准' }).click();
    const dialog = page.getByTestId('extension-decision');
    await expect(dialog).toContainText(`延至 ${zh(later)}`);
    await page.getByLabel('审批意见（可选）').fill('同意延期，请按新时限完成整改。');
    await screenshot(page, 'extension-decide-desktop', false);
    const decided = page.waitForResponse((r) => /\/api\/extensions\/[^/]+\/decide$/.test(new URL(r.url()).pathname));
    await page.getByRole('dialog').getByRole('button', { name: '批准' }).click();
    expect((await decided).status()).toBe(200);

    await expect(page.getByTestId('item-deadline').locator('[data-light]')).toHaveAttribute('data-light', 'green');
    await expect(page.getByTestId('item-due')).toContainText(later);
    const request = panel.getByTestId('extension-item');
    await expect(request).toHaveAttribute('data-status', 'approved');
    await expect(request).toContainText('已同意');
    await expect(request).toContainText('督查部门审核 · 王督查');
    await expect(request).toContainText('同意延期，请按新时限完成整改。');

    // 催办 by hand: 电话催办 needs its phone log.
    const chases = page.getByTestId('chase-panel');
    await chases.getByRole('button', { name: '催办' }).click();
    const raise = page.getByTestId('chase-raise');
    await page.getByLabel('催办方式').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .filter({ hasText: '电话催办' })
      .click();
    // The only unit on the item is chosen already.
    await expect(raise.locator('.ant-select-selection-item[title="法制处"]')).toBeVisible();
    await page.getByRole('dialog').getByRole('button', { name: '催办', exact: true }).click();
    await expect(raise).toContainText('「通话时间」为必填项');
    await raise.getByLabel('通话时间').fill(`${today} 10:30`);
    await raise.getByLabel('接听人（姓名、职务）').fill('赵处长（法制处处长）');
    await raise.getByLabel('通话内容（进展、原因、承诺完成时间）').fill('已清理一半，承诺按延期后的时限完成。');
    await screenshot(page, 'chase-raise-desktop', false);
    const raised = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/instances/${item.id}/chases` && r.request().method() === 'POST',
    );
    await page.getByRole('dialog').getByRole('button', { name: '催办', exact: true }).click();
    expect((await raised).status()).toBe(201);
    const phone = chases.locator('[data-testid="chase-item"][data-rung="phone"]');
    await expect(phone).toContainText('手动');
    await expect(phone).toContainText('赵处长（法制处处长）');
    // Before the (extended) deadline a call is a reminder: it is logged and costs nothing (decision 022).
    await expect(phone).not.toContainText('计入考核');
    await screenshot(page, 'extension-approved-desktop');
    expect(office.errors).toEqual([]);
  } finally {
    await office.close();
  }

  // The liaison again: green in the inbox and on the item; the chase is there, read-only.
  for (const phone of [false, true]) {
    const again = await open(browser, 'fazhi', phone);
    try {
      const { page } = again;
      await page.goto(`/?q=${encodeURIComponent(title)}`);
      const list = page.getByTestId(phone ? 'inbox-list' : 'inbox-table');
      await expect(list.locator('[data-light]').first()).toHaveAttribute('data-light', 'green');
      await page.goto(itemUrl);
      await expect(page.getByTestId('item-deadline').locator('[data-light]')).toHaveAttribute('data-light', 'green');
      await expect(page.getByTestId('extension-item')).toHaveAttribute('data-status', 'approved');
      const chases = page.getByTestId('chase-panel');
      // The phone chase (the ladder may also have sent its 到期提醒 by itself).
      await expect(chases.locator('[data-testid="chase-item"][data-rung="phone"]')).toContainText(
        '赵处长（法制处处长）',
      );
      await expect(chases.getByRole('button')).toHaveCount(0);
      if (phone) {
        await screenshot(page, 'extension-item-top-phone');
        await page
          .getByTestId('extension-panel')
          .screenshot({ path: path.join(screenshotDir, 'extension-panel-phone.png') });
        await chases.screenshot({ path: path.join(screenshotDir, 'chase-panel-phone.png') });
      } else {
        await screenshot(page, 'extension-item-liaison-desktop');
      }
      expect(again.errors).toEqual([]);
    } finally {
      await again.close();
    }
  }
});
