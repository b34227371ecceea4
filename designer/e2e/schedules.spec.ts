import { expect as baseExpect, test } from '@playwright/test';
import { authFile } from './users';
import { scaled } from './timing';

test.describe.configure({ timeout: scaled(120_000) });
const expect = baseExpect.configure({ timeout: scaled(30_000) });

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

const literal = (value: unknown) => ({ typeName: 'Object', expression: { type: 'Literal', value } });

/** The next `count` Mondays after today in China time (a schedule set today counts from tomorrow). */
function nextMondays(count: number): string[] {
  const china = new Date(Date.now() + 8 * 3600_000);
  const day = new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate()));
  const out: string[] = [];
  while (out.length < count) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() === 1) out.push(day.toISOString().slice(0, 10));
  }
  return out;
}

test.describe('定期任务（管理员）', () => {
  test.use({ storageState: authFile('admin') });

  test('新建每周一的定期任务，列表显示规则和接下来的日期', async ({ page, request }) => {
    const stamp = Date.now();
    const definitionId = `e2e-weekly-${stamp}`;
    const procedure = `浏览器测试周督查 ${stamp}`;
    const imported = await request.post('/api/definitions/import?publish=true', {
      data: {
        definitionId,
        name: procedure,
        forms: [{ id: 'f', name: '周督查', fields: [{ key: 'title', label: '标题', type: 'text', required: true }] }],
        root: {
          type: 'Duban.Flowchart',
          id: 'flowchart',
          activities: [
            {
              id: 'start',
              type: 'Duban.Start',
              name: '开始',
              form: { typeName: 'String', expression: { type: 'Literal', value: 'f' } },
            },
            {
              id: 'collect',
              type: 'Duban.UserTask',
              name: '汇总',
              assignee: literal({ type: 'role', role: '督查员' }),
              outcomes: literal(['完成']),
            },
            { id: 'end', type: 'Duban.End', name: '结束' },
          ],
          connections: [
            { source: { activity: 'start', port: 'Done' }, target: { activity: 'collect' } },
            { source: { activity: 'collect', port: '完成' }, target: { activity: 'end' } },
          ],
        },
      },
    });
    expect(imported.ok(), await imported.text()).toBeTruthy();

    await page.goto('/');
    await page.getByRole('menuitem', { name: '定期任务' }).click();
    await expect(page.getByRole('heading', { name: '定期任务' })).toBeVisible();
    await page.getByRole('button', { name: '新建定期任务' }).click();
    const dialog = page.getByRole('dialog', { name: '新建定期任务' });
    const name = `周督查 ${stamp}`;
    await dialog.getByLabel('任务名称').fill(name);
    await dialog.getByLabel('发起的流程').click();
    // Other specs publish procedures too: search the list, as an administrator with many procedures would.
    await dialog.getByLabel('发起的流程').fill(procedure);
    await page.getByTitle(procedure).click();
    await dialog.getByRole('combobox', { name: '重复方式' }).click();
    await page.getByTitle('每周', { exact: true }).click();
    await dialog.getByRole('checkbox', { name: '遇节假日顺延至下一个工作日' }).uncheck();
    await expect(dialog.getByTestId('rule-text')).toHaveText('规则：每周周一');
    await dialog.getByRole('textbox', { name: '标题' }).fill('本周重大议定事项进展');

    const saved = page.waitForResponse((r) => r.url().endsWith('/api/schedules') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: '保存' }).click();
    expect((await saved).status()).toBe(201);
    await expect(dialog).toBeHidden();

    const row = page.getByRole('row').filter({ hasText: name });
    await expect(row).toContainText('每周周一');
    await expect(row).toContainText('系统管理员');
    const next = row.getByTestId(`next-${name}`);
    for (const date of nextMondays(5)) await expect(next).toContainText(date);
    await expect(row).toContainText('尚未运行');

    // Delete it again: the list is the administrator's, and the next run of this test adds its own.
    await row.getByRole('button', { name: '删除' }).click();
    await page.getByRole('button', { name: '删除', exact: true }).last().click();
    await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  });
});
