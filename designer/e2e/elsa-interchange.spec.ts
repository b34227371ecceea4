import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { authFile, screenshotDir } from './users';
import { scaled } from './timing';

/**
 * Elsa 3 interchange (issue 23, docs/decisions/030): an administrator imports a real Elsa 3 file — elsa-core's
 * join-all-2.json, with a flowchart nested in it — on the procedure list, publishes it and starts it, and the item's
 * timeline shows the lines Elsa's own test expects; an Elsa file with an HTTP endpoint is refused with a dialog naming
 * the node in Chinese; the procedure exports as Elsa 3 JSON. Each file gets an id and name of its own, so the test
 * needs nothing from the other specs and leaves nothing they see.
 */

const expect = baseExpect.configure({ timeout: scaled(30_000) });
test.describe.configure({ timeout: scaled(120_000) });
test.use({ storageState: authFile('admin') });

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../tests/Duban.Engine.Tests/Elsa/Fixtures',
);
const stamp = Date.now().toString(36);

function elsaFile(
  name: string,
  definitionId: string,
  title: string,
): { name: string; mimeType: string; buffer: Buffer } {
  const json = JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')) as Record<string, unknown>;
  json.definitionId = definitionId;
  json.name = title;
  return { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) };
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** Clicks 导入 JSON on the procedure list and gives the file chooser `file`. */
async function importOnList(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.goto('/designer');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /导入 JSON/ }).click();
  await (await chooser).setFiles(file);
}

const expected401 = /Failed to load resource: the server responded with a status of 401/;
let consoleErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  consoleErrors = [];
  page.on('console', (m) => {
    // The refused import answers 400 on purpose; the dialog shows what it says.
    if (m.type() === 'error' && !expected401.test(m.text()) && !/status of 400/.test(m.text()))
      consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
});
test.afterEach(() => {
  expect(consoleErrors, 'browser console errors').toEqual([]);
});

test('管理员导入 Elsa 3 流程（含嵌套流程图），发布并发起；事项时间线记录 Elsa 测试期望的日志', async ({ page }) => {
  const definitionId = `elsa-join-${stamp}`;
  const name = `Elsa 汇聚 ${stamp}`;

  await test.step('在流程设计列表导入 elsa-core 的 join-all-2.json', async () => {
    await importOnList(page, elsaFile('explicit-joins--join-all-2.json', definitionId, name));
    await expect(page.getByText(`已导入「${name}」为第 1 版草稿`)).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/designer/${definitionId}$`));
    // The nested flowchart's line and its container are on the canvas with the outer nodes, and it validates.
    await expect(page.getByTestId('flow-node-g3jVTdvU3EK7V5JqRqfqjQ')).toContainText('Line 2');
    await expect(page.getByTestId('flow-node-eHAEEQ-Iu0GwM3mRxZin0Q')).toBeVisible();
    await expect(page.getByTestId('flow-node-dVUuwMm5XUiYpiYoGo5JKA')).toBeVisible();
    await expect(page.getByTestId('validation')).toContainText('校验通过', { timeout: scaled(15_000) });
    await page.getByRole('button', { name: '适应画布' }).click();
    await expect(page.locator('.react-flow__node')).toHaveCount(8); // 5 from Elsa, the inner line, 开始 and 分支结束
    await shot(page, 'elsa-imported-canvas');
  });

  await test.step('发布', async () => {
    await page
      .getByRole('toolbar', { name: '流程设计工具栏' })
      .getByRole('button', { name: /发\s*布/ })
      .click();
    await expect(page.getByText(/已发布第 1 版/)).toBeVisible();
  });

  await test.step('导出为 Elsa 3 JSON：下载的文件可读，节点是 Elsa 的类型', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '导出 Elsa' }).click();
    const file = await download;
    const text = readFileSync(await file.path(), 'utf8');
    const elsa = JSON.parse(text) as {
      definitionId: string;
      root: { type: string; activities: { id: string; type: string }[] };
    };
    expect(elsa.definitionId).toBe(definitionId);
    expect(elsa.root.type).toBe('Elsa.Flowchart');
    const types = elsa.root.activities.map((a) => a.type);
    expect(types).toContain('Elsa.Start');
    expect(types.filter((t) => t === 'Elsa.WriteLine')).toHaveLength(4);
    expect(types).toContain('Elsa.FlowJoin');
  });

  await test.step('发起事项；流程自动走完，时间线按 Elsa 的顺序记录日志', async () => {
    await page.goto('/start');
    await page.getByRole('button', { name: `发起「${name}」` }).click();
    await expect(page.getByRole('heading', { name: `发起：${name}` })).toBeVisible();
    const title = page.getByLabel('事项名称');
    if (await title.count()) await title.fill(`Elsa 导入流程试运行 ${stamp}`);
    await page.getByRole('button', { name: /提\s*交/ }).click();
    await expect(page).toHaveURL(/\/items\//);
    const timeline = page.getByTestId('item-timeline');
    await expect(timeline).toContainText('End');
    const text = (await timeline.textContent()) ?? '';
    const order = ['Start', 'Line 1', 'Line 2', 'End'].map((line) => text.indexOf(line));
    // Oldest first: Elsa's order, the nested flowchart's "Line 2" before the join lets "End" through.
    expect(
      order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1])),
      `timeline: ${text}`,
    ).toBe(true);
    await shot(page, 'elsa-item-timeline');
  });
});

test('导入含 HTTP 节点的 Elsa 文件：对话框逐个列出督办无法运行的节点，不保存', async ({ page }) => {
  const definitionId = `elsa-http-${stamp}`;
  await importOnList(page, elsaFile('import-and-publish--http-workflow.json', definitionId, `Elsa HTTP ${stamp}`));

  const problems = page.getByTestId('import-problems');
  await expect(problems).toBeVisible();
  await expect(page.locator('.ant-modal-confirm-title')).toHaveText('导入失败：以下节点督办无法运行');
  await expect(problems.getByRole('listitem').first()).toContainText('HTTP 节点督办不支持');
  await expect(problems).toContainText('Elsa.HttpEndpoint');
  await expect(page).toHaveURL(/\/designer$/);
  await shot(page, 'elsa-import-refused-dialog');

  // Nothing was saved.
  const response = await page.request.get(`/api/definitions/${definitionId}`);
  expect(response.status()).toBe(404);
});
