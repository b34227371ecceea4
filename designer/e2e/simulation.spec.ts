import path from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { authFile, screenshotDir } from './users';
import { scaled } from './timing';

/**
 * 模拟运行 (issue 21, docs/decisions/045): an administrator opens the shipped 督办事项 procedure in the designer, sets a
 * scenario by clicking — registered Monday 2026-03-02, 法制处 four working days late — runs it, and reads the time line:
 * the step given to 法制处 with its deadline, the rungs of the chasing ladder, the deductions and the unit's score.
 * Nothing is written to the real data, so the test leaves nothing the other specs see.
 */

const expect = baseExpect.configure({ timeout: scaled(30_000) });
test.describe.configure({ timeout: scaled(90_000) });
test.use({ storageState: authFile('admin') });

/** Opens the antd select labelled `label` and picks `text` (as a person does, on the list shown). */
async function choose(page: Page, label: string, text: string) {
  await page.locator('.ant-select', { has: page.getByRole('combobox', { name: label }) }).click();
  // One closed a moment ago may still be on screen, fading out (antd's *-leave classes).
  const list = page.locator('.ant-select-dropdown:visible:not([class*="-leave"])').last();
  await list.locator('.ant-select-item-option').filter({ hasText: text }).first().click();
}

test('a scenario runs on the draft and its time line shows deadlines, chasing and deductions', async ({ page }) => {
  await page.goto('/designer/demo-supervision');
  await page.getByRole('button', { name: '模拟运行' }).click();
  const drawer = page.getByRole('dialog', { name: '模拟运行' });

  const start = drawer.getByLabel('登记日期');
  await start.click();
  await start.fill('2026-03-02');
  await page.locator('.ant-picker-cell[title="2026-03-02"]').click();
  await choose(page, '承办单位', '法制处');
  await drawer.getByText(/不会写入任何真实事项/).click(); // closes the list
  await drawer.getByText('先选择承办单位').waitFor({ state: 'detached' });
  await choose(page, '法制处的办理情形', '逾期办结');
  await drawer.getByRole('spinbutton', { name: '法制处的工作日数' }).fill('4');
  await drawer.getByRole('button', { name: '运行模拟' }).click();

  const timeline = drawer.getByLabel('模拟时间线');
  await expect(timeline).toContainText('登记「模拟事项」');
  await expect(timeline).toContainText('承办：交法制处办理');
  await expect(timeline.getByText(/催办：.*（法制处）/).first()).toBeVisible();
  await expect(timeline.getByText(/法制处扣 [\d.]+ 分/).first()).toBeVisible();
  await expect(timeline).toContainText('红灯');
  await expect(drawer.getByRole('row', { name: /展开行 法制处/ })).toBeVisible();
  // The drawer scrolls inside the window: a tall window shows the whole time line in the screenshot.
  await page.setViewportSize({ width: 1366, height: 2000 });
  await page.screenshot({ path: path.join(screenshotDir, 'simulation-timeline.png'), animations: 'disabled' });

  // Kept with the procedure, then run again on the draft: the same figures. (Removed again, so a rerun starts clean.)
  await drawer.getByLabel('场景名称').fill('法制处逾期 4 个工作日');
  await drawer.getByRole('button', { name: '保存当前情形为场景' }).click();
  const saved = drawer.getByRole('listitem', { name: '场景：法制处逾期 4 个工作日' });
  await expect(saved).toContainText('按第 ');
  await drawer.getByRole('button', { name: '在最新草稿上检查全部' }).click();
  await expect(saved.getByText('结果未变')).toBeVisible();
  await saved.screenshot({ path: path.join(screenshotDir, 'simulation-saved-scenario.png'), animations: 'disabled' });
  await saved.getByRole('button', { name: '删除' }).click();
  await page
    .getByRole('tooltip')
    .getByRole('button', { name: /确\s?定|OK/ })
    .click();
  await expect(saved).toHaveCount(0);
});
