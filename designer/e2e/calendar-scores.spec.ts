import path from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { authFile, screenshotDir, viewports } from './users';
import { scaled } from './timing';

test.describe.configure({ timeout: scaled(120_000) });
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

test.describe('工作日历（管理员）', () => {
  test.use({ storageState: authFile('admin') });

  test('查看全年安排，把一天改为放假再恢复', async ({ page }) => {
    await page.goto('/calendar');
    const months = page.getByTestId('calendar-months');
    await expect(months.getByRole('region', { name: '1月', exact: true })).toBeVisible();
    await expect(page.getByText('国务院办公厅关于').first()).toBeVisible();
    await screenshot(page, 'calendar-desktop');

    // A year far ahead, so no deadline in other tests moves: Monday 2030-05-06 becomes a holiday, then normal again.
    // (Normal to begin with, also after an interrupted earlier run.)
    expect((await page.request.put('/api/calendar/days/2030-05-06', { data: { kind: 'normal' } })).status()).toBe(200);
    await page.goto('/calendar?year=2030');
    const day = page.locator('button[data-date="2030-05-06"]');
    await expect(day).toHaveClass(/cal-day-normal/);
    await day.click();
    const dialog = page.getByRole('dialog', { name: /2030-05-06/ });
    await expect(dialog.getByRole('radio', { name: '放假' })).toBeChecked();
    const refused = page.waitForResponse(
      (r) => r.url().endsWith('/api/calendar/days/2030-05-06') && r.request().method() === 'PUT',
    );
    await dialog.getByRole('button', { name: '保存' }).click();
    // Without a name the form says so beside the field and sends nothing.
    await expect(dialog.getByText('请填写节假日名称')).toBeVisible();
    await dialog.getByLabel('节假日名称').fill('测试假日');
    await dialog.getByRole('button', { name: '保存' }).click();
    expect((await refused).status()).toBe(200);
    await expect(day).toHaveClass(/cal-day-holiday/);
    await expect(page.getByRole('complementary', { name: '节假日与调休' })).toContainText('测试假日');

    await day.click();
    const again = page.getByRole('dialog', { name: /2030-05-06/ });
    await expect(again.getByRole('radio', { name: '恢复正常' })).toBeChecked();
    const restored = page.waitForResponse(
      (r) => r.url().endsWith('/api/calendar/days/2030-05-06') && r.request().method() === 'PUT',
    );
    await again.getByRole('button', { name: '保存' }).click();
    expect((await restored).status()).toBe(200);
    await expect(day).toHaveClass(/cal-day-normal/);
  });
});

test.describe('考核', () => {
  test.describe('督查员', () => {
    test.use({ storageState: authFile('ducha') });

    test('排名与某单位的扣分依据', async ({ page }) => {
      // A 通报批评 of 法制处 about one of its items costs it 0.5 points on the county table, which the demo organization
      // chose (no rules, no scores otherwise). A written notice would not do here: raised by hand before the item's
      // deadline it is a reminder and costs nothing (decision 022), and the demo items are not overdue.
      const items = (await (await page.request.get('/api/ledger?unitId=fzc&status=open')).json()) as {
        items: { id: string; title: string }[];
      };
      expect(items.items.length).toBeGreaterThan(0);
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
      const bulletin = await page.request.post('/api/scoring/bulletins', {
        data: { unitId: 'fzc', title: '浏览器测试：通报批评', issuedOn: today, instanceId: items.items[0].id },
      });
      expect(bulletin.status(), await bulletin.text()).toBe(201);

      const year = new Date().getFullYear();
      const scores = (await (await page.request.get(`/api/scoring/${year}`)).json()) as {
        units: { unitId: string; deducted: number }[];
      };
      const deducted = scores.units.find((u) => u.unitId === 'fzc')!.deducted;
      expect(deducted).toBeGreaterThanOrEqual(0.5);

      await page.goto('/scores');
      const ranking = page.getByTestId('scores-ranking');
      const row = ranking.getByRole('row').filter({ hasText: '法制处' });
      await expect(row).toContainText(`−${deducted.toFixed(2)}`);
      await expect(page.getByText('采用系统考核标准')).toBeVisible();
      await screenshot(page, 'scores-ranking');

      await row.getByRole('button', { name: '扣分依据' }).click();
      const drawer = page.getByRole('dialog', { name: /法制处/ });
      const detail = drawer.getByTestId('unit-score');
      await expect(detail.getByText('通报批评').first()).toBeVisible();
      await expect(detail.getByRole('link', { name: new RegExp(items.items[0].title) }).first()).toBeVisible();
      await screenshot(page, 'scores-unit');
    });
  });

  test.describe('承办单位联络员', () => {
    test.use({ storageState: authFile('fazhi'), viewport: viewports.phone });

    test('只看到本单位的得分（手机）', async ({ page }) => {
      await page.goto('/scores');
      await expect(page.getByTestId('unit-score')).toBeVisible();
      await expect(page.getByText('法制处 ')).toBeVisible();
      await expect(page.getByTestId('scores-ranking')).toHaveCount(0);
      await screenshot(page, 'scores-liaison-phone');
    });
  });
});
