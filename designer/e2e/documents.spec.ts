import fs from 'node:fs';
import path from 'node:path';
import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import { authFile, screenshotDir, type DemoUser } from './users';
import { scaled } from './timing';

/**
 * 文书 (issue 19, docs/decisions/039): the administrator takes the shipped 督查通知单 on 文书模板; the office generates it
 * from an item's page, sees it numbered on the item, downloads it as Word, and exports the item's 一事一卷 archive.
 */

const expect = baseExpect.configure({ timeout: scaled(20_000) });
test.describe.configure({ timeout: scaled(300_000) });

const run = Date.now().toString(36);
const title = `文书测试事项（${run}）`;

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

test('the office generates a numbered notice from an item and downloads it and the item archive', async ({
  browser,
}) => {
  // The administrator starts from the shipped 督查通知单.
  const admin = await open(browser, 'admin');
  await admin.page.goto('/document-templates');
  const shipped = admin.page.getByRole('listitem').filter({ hasText: '督查通知单（督通〔{year}〕{seq}号）' });
  const created = admin.page.waitForResponse(
    (r) => r.url().endsWith('/api/document-templates/shipped/notice') && r.request().method() === 'POST',
  );
  await shipped.getByRole('button').click();
  expect((await created).status()).toBe(201);
  await expect(
    admin.page.getByTestId('document-templates').getByRole('row').filter({ hasText: '督查通知单' }),
  ).toBeVisible();
  await expect(admin.page.getByText('{{主办单位}}').first()).toBeVisible();
  await screenshot(admin.page, 'documents-templates');
  expect(admin.errors).toEqual([]);
  await admin.close();

  // The office registers an item (through the API: the start form is another spec's business) and opens it.
  const ducha = await open(browser, 'ducha');
  const started = await ducha.page.request.post('/api/instances', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
    data: {
      definitionId: 'demo-supervision',
      data: {
        title,
        source: 'meeting',
        content: `${title}：按期报送办理情况`,
        handlingUnit: 'fzc',
        dueDate: '2026-12-31',
      },
    },
  });
  expect(started.status(), await started.text()).toBe(201);
  const item = (await started.json()) as { id: string };
  await ducha.page.goto(`/items/${item.id}`);
  const card = ducha.page.getByTestId('item-documents');
  await card.getByTestId('document-template-select').click();
  await ducha.page.locator('.ant-select-item-option').filter({ hasText: '督查通知单' }).first().click();
  const generated = ducha.page.waitForResponse(
    (r) => r.url().endsWith(`/api/instances/${item.id}/documents`) && r.request().method() === 'POST',
  );
  await card.getByRole('button', { name: /生成文书/ }).click();
  const response = await generated;
  expect(response.status()).toBe(201);
  const document = (await response.json()) as { number: string; templateName: string };
  expect(document.number).toMatch(/^督通〔\d{4}〕\d+号$/);
  await expect(card.getByText(`督查通知单 ${document.number}`)).toBeVisible();
  // On the timeline too.
  await expect(ducha.page.getByText(`生成文书《督查通知单》 ${document.number}`)).toBeVisible();
  await screenshot(ducha.page, 'documents-item');

  const word = ducha.page.waitForEvent('download');
  await card.getByRole('link', { name: /Word/ }).first().click();
  const wordFile = await word;
  expect(wordFile.suggestedFilename()).toMatch(/^督查通知单.*\.docx$/);
  const wordPath = path.join(screenshotDir, 'documents-notice.docx');
  await wordFile.saveAs(wordPath);
  // A .docx is a zip: it starts with "PK".
  expect(fs.readFileSync(wordPath).subarray(0, 2).toString()).toBe('PK');

  const archive = ducha.page.waitForEvent('download');
  await card.getByRole('link', { name: /导出案卷/ }).click();
  const archiveFile = await archive;
  expect(archiveFile.suggestedFilename()).toMatch(/^一事一卷-.*\.zip$/);
  const archivePath = path.join(screenshotDir, 'documents-archive.zip');
  await archiveFile.saveAs(archivePath);
  expect(fs.readFileSync(archivePath).subarray(0, 2).toString()).toBe('PK');
  expect(ducha.errors).toEqual([]);
  await ducha.close();
});
