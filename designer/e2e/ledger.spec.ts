import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect as baseExpect, test, type Page, type Response } from '@playwright/test';
import { authFile, DEMO_PASSWORD, screenshotDir, viewports } from './users';
import { scaled } from './timing';

interface LedgerPage {
  items: { id: string; title: string; status: string; fields: Record<string, string | null> }[];
  total: number;
}

function isLedger(check?: (url: URL) => boolean) {
  return (response: Response) => {
    const url = new URL(response.url());
    return url.pathname === '/api/ledger' && response.request().method() === 'GET' && (!check || check(url));
  };
}

// The ledger loads its rows, columns, procedure types and units; on a busy two-core machine that takes a while.
test.describe.configure({ timeout: scaled(120_000) });
const expect = baseExpect.configure({ timeout: scaled(30_000) });

async function screenshot(page: Page, name: string) {
  const phone = (page.viewportSize()?.width ?? 1366) < 768;
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: !phone });
}

const expected401 = /Failed to load resource: the server responded with a status of 401/;
let consoleErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected401.test(message.text())) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});
test.afterEach(() => {
  expect(consoleErrors, 'browser console errors').toEqual([]);
});

test.describe('台账（督查员）', () => {
  test.use({ storageState: authFile('ducha') });

  test('筛选、选择列、导出 Excel、打开事项', async ({ page }) => {
    const first = page.waitForResponse(isLedger());
    await page.goto('/ledger');
    const all = (await (await first).json()) as LedgerPage;
    expect(all.total).toBeGreaterThan(0);
    const table = page.getByTestId('ledger-table');
    await expect(table).toBeVisible();
    await expect(table.locator('.ant-spin-spinning')).toHaveCount(0);
    await expect(
      page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '台账' }),
    ).toBeVisible();
    await expect(table.getByRole('columnheader', { name: '事项名称' })).toBeVisible();
    await screenshot(page, 'ledger-desktop');

    // 状态 = 办理中
    const byStatus = page.waitForResponse(isLedger((u) => u.searchParams.get('status') === 'open'));
    await page.getByRole('combobox', { name: '状态', exact: true }).click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('办理中').click();
    const open = (await (await byStatus).json()) as LedgerPage;
    expect(open.items.every((i) => i.status === 'open')).toBe(true);
    await expect(page).toHaveURL(/status=open/);

    // 来源 = 领导批示 (the demo procedure's 立项依据, the field its start form marks as the source; decision 033)
    const bySource = page.waitForResponse(isLedger((u) => u.searchParams.get('source') === 'instruction'));
    await page.getByRole('combobox', { name: '来源' }).click();
    // Other procedures' sources are offered too (本级领导批示 …): the exact one, in the list that is opening.
    await page
      .locator('.ant-select-dropdown:visible:not([class*="-leave"])')
      .last()
      .getByTitle('领导批示', { exact: true })
      .click();
    const filtered = (await (await bySource).json()) as LedgerPage;
    expect(filtered.total).toBeGreaterThan(0);
    expect(filtered.total).toBeLessThan(all.total);
    await expect(table.locator('.ant-spin-spinning')).toHaveCount(0);
    await expect(table.locator('tbody tr.ledger-row')).toHaveCount(filtered.items.length);
    await expect(table.getByText(filtered.items[0].title)).toBeVisible();

    // Show 登记人 and 立项依据; the choice survives a reload.
    await page.getByRole('button', { name: '列设置' }).click();
    const chooser = page.getByTestId('ledger-columns');
    await chooser.getByRole('checkbox', { name: '登记人' }).check();
    const withField = page.waitForResponse(isLedger((u) => (u.searchParams.get('fields') ?? '').includes('source')));
    await chooser.getByRole('checkbox', { name: '立项依据', exact: true }).check();
    await withField;
    await page.keyboard.press('Escape');
    await expect(table.getByRole('columnheader', { name: '登记人' })).toBeVisible();
    await expect(table.getByRole('columnheader', { name: '立项依据', exact: true })).toBeVisible();
    await expect(table.getByRole('cell', { name: '领导批示' }).first()).toBeVisible();
    const reloaded = page.waitForResponse(isLedger());
    await page.reload();
    await reloaded;
    await expect(table.getByRole('columnheader', { name: '登记人' })).toBeVisible();
    await expect(table.getByRole('columnheader', { name: '立项依据', exact: true })).toBeVisible();
    await expect(table.locator('.ant-spin-spinning')).toHaveCount(0);
    await screenshot(page, 'ledger-filtered');

    // Export exactly this selection.
    const downloading = page.waitForEvent('download');
    const exported = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/ledger/export');
    await page.getByRole('button', { name: '导出 Excel' }).click();
    const response = await exported;
    expect(response.status()).toBe(200);
    const exportUrl = new URL(response.url());
    expect(exportUrl.searchParams.get('status')).toBe('open');
    expect(exportUrl.searchParams.get('source')).toBe('instruction');
    expect(exportUrl.searchParams.get('columns')).toContain('f.source');
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^督查台账-\d{8}-\d{4}\.xlsx$/);
    const file = await download.path();
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    // An .xlsx is a zip holding a workbook and a sheet (names are stored as plain text in the zip).
    expect(bytes.includes(Buffer.from('xl/workbook.xml'))).toBe(true);
    expect(bytes.includes(Buffer.from('xl/worksheets/sheet1.xml'))).toBe(true);
    await expect(page.getByText(`已导出 ${filtered.total} 条事项`)).toBeVisible();

    // A row opens the item page.
    await table.locator('tbody tr.ledger-row').first().click();
    await expect(page).toHaveURL(new RegExp(`/items/${filtered.items[0].id}$`));
  });

  test('排序与清除筛选', async ({ page }) => {
    await page.goto('/ledger?status=open');
    const table = page.getByTestId('ledger-table');
    await expect(table.locator('.ant-spin-spinning')).toHaveCount(0);
    const sorted = page.waitForResponse(
      isLedger((u) => u.searchParams.get('sort') === 'title' && u.searchParams.get('order') === 'asc'),
    );
    await table.getByRole('columnheader', { name: '事项名称' }).click();
    const rows = ((await (await sorted).json()) as LedgerPage).items.map((i) => i.title);
    expect(rows).toEqual([...rows].sort());
    const cleared = page.waitForResponse(isLedger((u) => !u.searchParams.has('status')));
    await page.getByRole('button', { name: '清除筛选' }).click();
    await cleared;
    await expect(page).toHaveURL(/sort=title/);
    await expect(page).not.toHaveURL(/status=/);
  });
});

test.describe('台账（承办单位联络员）', () => {
  test('济南市司法局的联络员只看到本单位的事项', async ({ browser }) => {
    const context = await browser.newContext({ viewport: viewports.desktop });
    const login = await context.request.post('/api/auth/login', {
      data: { userName: 'jinan', password: DEMO_PASSWORD },
    });
    expect(login.status()).toBe(200);
    const page = await context.newPage();
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    const listed = page.waitForResponse(isLedger());
    await page.goto('/ledger');
    const mine = (await (await listed).json()) as LedgerPage;
    const officeView = (await (
      await context.request.get('/api/ledger?pageSize=100&unitId=jinan')
    ).json()) as LedgerPage;
    expect(mine.total).toBe(officeView.total);
    const table = page.getByTestId('ledger-table');
    await expect(table.locator('.ant-spin-spinning')).toHaveCount(0);
    for (const item of mine.items) await expect(table.getByText(item.title)).toBeVisible();
    await screenshot(page, 'ledger-liaison');
    await context.close();
  });
});

test.describe('台账（手机）', () => {
  test.use({ storageState: authFile('ducha'), viewport: viewports.phone });

  test('375 px 宽度下以卡片列出事项，筛选在抽屉中', async ({ page }) => {
    const listed = page.waitForResponse(isLedger());
    await page.goto('/ledger');
    const data = (await (await listed).json()) as LedgerPage;
    const list = page.getByTestId('ledger-list');
    await expect(list).toBeVisible();
    await expect(list.getByText(data.items[0].title)).toBeVisible();
    await expect(page.getByTestId('ledger-table')).toHaveCount(0);
    await screenshot(page, 'ledger-phone');

    await page.getByRole('button', { name: '筛选' }).click();
    const drawer = page.getByRole('dialog', { name: '筛选台账' });
    await expect(drawer).toBeVisible();
    const byStatus = page.waitForResponse(isLedger((u) => u.searchParams.get('status') === 'completed'));
    await drawer.getByRole('combobox', { name: '状态', exact: true }).click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('已办结').click();
    await byStatus;
    await screenshot(page, 'ledger-phone-filters');
    await drawer.getByRole('button', { name: /查看 \d+ 条结果/ }).click();
    await expect(drawer).toBeHidden();
    // No horizontal scrolling at phone width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});
