import fs from 'node:fs';
import path from 'node:path';
import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import { authFile, screenshotDir, type DemoUser } from './users';
import { scaled } from './timing';

/**
 * 督查专报 (docs/decisions/048): the administrator takes the shipped 督查专报（周报/月报）; the office generates this month's
 * report on the 督查专报 page and downloads it as Word.
 */

const expect = baseExpect.configure({ timeout: scaled(20_000) });
test.describe.configure({ timeout: scaled(180_000) });

async function screenshot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

async function open(browser: Browser, user: DemoUser) {
  const context = await browser.newContext({ storageState: authFile(user), acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, context, errors, close: () => context.close() };
}

test('the office generates this month’s report from the ledger and downloads it', async ({ browser }) => {
  const admin = await open(browser, 'admin');
  await admin.page.goto('/document-templates');
  const shipped = admin.page.getByRole('listitem').filter({ hasText: '督查专报（周报/月报）' });
  const created = admin.page.waitForResponse(
    (r) => r.url().endsWith('/api/document-templates/shipped/period-report') && r.request().method() === 'POST',
  );
  await shipped.getByRole('button').click();
  expect((await created).status()).toBe(201);
  await admin.close();

  const ducha = await open(browser, 'ducha');
  await ducha.page.goto('/reports');
  await expect(ducha.page.getByTestId('report-template')).toContainText('督查专报（周报/月报）');
  await ducha.page.getByText('本月', { exact: true }).click();
  const generated = ducha.page.waitForResponse(
    (r) => r.url().endsWith('/api/reports') && r.request().method() === 'POST',
  );
  await ducha.page.getByRole('button', { name: '生成' }).click();
  const response = await generated;
  expect(response.status(), await response.text()).toBe(201);
  const report = (await response.json()) as { id: string; number: string; periodFrom: string };
  expect(report.number).toMatch(/^督查专报〔\d{4}〕第\d+期$/);
  const row = ducha.page.getByRole('row').filter({ hasText: report.number });
  await expect(row).toContainText(report.periodFrom);
  await screenshot(ducha.page, 'reports-page');

  const word = ducha.page.waitForEvent('download');
  await row.getByRole('link', { name: /Word/ }).click();
  const file = await word;
  expect(file.suggestedFilename()).toMatch(/^督查专报.*\.docx$/);
  const saved = path.join(screenshotDir, 'reports-period.docx');
  await file.saveAs(saved);
  expect(fs.readFileSync(saved).subarray(0, 2).toString()).toBe('PK');
  expect(ducha.errors).toEqual([]);
  await ducha.close();
});
