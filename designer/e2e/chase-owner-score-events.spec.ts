import path from 'node:path';
import {
  expect as baseExpect,
  test,
  type APIRequestContext,
  type Browser,
  type Locator,
  type Page,
} from '@playwright/test';
import { baseURL } from '../playwright.config';
import { authFile, screenshotDir, type DemoUser } from './users';
import { scaled } from './timing';

/**
 * Issue 14's last screens (docs/decisions/027), as the office uses them:
 * - 督查设置 → 考核规则: the 考核事件 card renames a shipped event and adds the organization's own 逾期未报告; the year's
 *   points then list it and the administrator sets them;
 * - 督查设置 → 催办阶梯: 由谁办理 — one rung for the item's 专人, one for a named person;
 * - an item's page: the office names the 专人 on the 催办 card, records a manual 考核记录 (逾期未报告) against 法制处 and
 *   revokes it with a reason: it stays listed as 已撤销 and no longer counts in 法制处's score.
 *
 * Independent of other specs: it starts its own item, and puts back what it changed in the organization's settings
 * (the ladder, the year's rules, the shipped event's name) whatever happens; the own event stays (a used one cannot be
 * removed) under a name no other spec looks for.
 */

test.describe.configure({ timeout: scaled(180_000) });
const expect = baseExpect.configure({ timeout: scaled(30_000) });

const expected4xx = /Failed to load resource: the server responded with a status of 40[01]/;

async function screenshot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

async function open(browser: Browser, user: DemoUser) {
  const context = await browser.newContext({ storageState: authFile(user) });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected4xx.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors, close: () => context.close() };
}

/** Picks the option of the open drop-down that shows `text` (antd's list, as a person sees it). */
async function choose(page: Page, text: string) {
  // The drop-down just opened: one closed a moment ago may still be on screen, fading out (antd's *-leave classes).
  const list = page.locator('.ant-select-dropdown:visible:not([class*="-leave"])').last();
  const option = list.locator('.ant-select-item-option').filter({ hasText: text }).first();
  await expect(list).toBeVisible();
  // The list renders only what is in view: scroll it down until the option is there.
  for (let i = 0; i < 20 && (await option.count()) === 0; i++) {
    await list.locator('.rc-virtual-list-holder').hover();
    await page.mouse.wheel(0, 160);
    // Wait for the option to be rendered, not for a fixed time; not there yet means scroll on.
    await option.waitFor({ state: 'attached', timeout: scaled(250) }).catch(() => undefined);
  }
  await option.click();
}

/** Opens the drop-down of the Select labelled `label` (its visible box: the input inside is covered by the value). */
async function openSelect(scope: Locator, label: string) {
  await scope
    .locator('.ant-select')
    .filter({ has: scope.page().getByRole('combobox', { name: label, exact: true }) })
    .click();
}

interface ScoreEvent {
  key: string;
  name: string;
  adds?: boolean;
  builtIn?: boolean;
}

/** yyyy-MM-dd a month from today in China. */
function inAMonth(): string {
  const d = new Date(Date.now() + 8 * 3600_000 + 30 * 86400_000);
  return d.toISOString().slice(0, 10);
}

async function deducted(api: APIRequestContext, year: number): Promise<number> {
  const response = await api.get(`/api/scoring/${year}/units/fzc`);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { deducted: number }).deducted;
}

test('考核事件、催办阶梯的由谁办理、事项专人与考核记录的登记和撤销', async ({ browser, playwright }) => {
  // The year as the server counts it (China); the rules of that year are what the entry counts under.
  const year = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
  const admin = await playwright.request.newContext({ baseURL, storageState: authFile('admin') });
  const ducha = await playwright.request.newContext({ baseURL, storageState: authFile('ducha') });

  // What this test changes, to put back afterwards.
  const eventsBefore = (await (await admin.get('/api/scoring/events')).json()) as ScoreEvent[];
  const rulesBefore = (await (await admin.get(`/api/scoring/${year}/rules`)).json()) as { isDefault: boolean };
  const ladderBefore = (await (await admin.get('/api/chasing/ladder')).json()) as {
    isDefault: boolean;
    rungs: unknown[];
  };
  const renamed = eventsBefore.find((e) => e.key === 'bulletin')!;
  expect(renamed, 'the shipped 通报批评 event').toBeTruthy();
  const taken = new Set(eventsBefore.map((e) => e.name));
  let own = '逾期未报告';
  for (let n = 2; taken.has(own); n++) own = `逾期未报告${n}`;

  let item: string | undefined;
  const adminPage = await open(browser, 'admin');
  const duchaPage = await open(browser, 'ducha');
  try {
    // ---- 考核规则: rename a shipped event, add the organization's own, set its points for the year ----
    const page = adminPage.page;
    await page.goto(`/settings?tab=rules&year=${year}`);
    const events = page.getByTestId('score-events');
    const index = eventsBefore.indexOf(renamed) + 1;
    await expect(events.getByLabel(`考核事件名称 ${index}`)).toHaveValue(renamed.name);
    await events.getByLabel(`考核事件名称 ${index}`).fill('全厅通报批评');
    await events.getByRole('button', { name: '新增考核事件' }).click();
    const added = eventsBefore.length + 1;
    await events.getByLabel(`考核事件名称 ${added}`).fill(own);
    await expect(events.getByLabel(`扣分或加分 ${added}`).first()).toContainText('扣分');
    await events.getByRole('button', { name: '保存考核事件' }).click();
    await expect(page.getByText('已保存考核事件')).toBeVisible();

    const rules = page.getByTestId('rules-tab');
    await expect(rules.getByLabel('全厅通报批评扣分')).toBeVisible();
    const points = rules.getByLabel(`${own}扣分`);
    await expect(points).toBeVisible();
    await points.fill('2');
    await rules.getByRole('button', { name: '保存', exact: true }).click();
    await expect(rules.getByText('本单位自定义')).toBeVisible();
    await expect(points).toHaveValue('2.00');
    await screenshot(page, 'score-events-rules-tab');

    // ---- 催办阶梯: 由谁办理 — the last rung for the item's 专人, the first for a named person ----
    await page.getByRole('tab', { name: '催办阶梯' }).click();
    const ladder = page.getByTestId('ladder-tab');
    const rungs = ladder.locator('.ladder-rung');
    // 由谁办理 (the Select whose input the field's label points at)
    const who = '.ant-select:has(input[id$="-who"])';
    await expect(rungs.first()).toBeVisible();
    await rungs.last().locator(who).click();
    await choose(page, '事项专人（未指定专人时按办理角色）');
    await rungs.first().locator(who).click();
    await choose(page, '指定人员：李厅长');
    await ladder.getByRole('button', { name: '保存', exact: true }).click();
    await expect(page.getByText('催办阶梯已保存')).toBeVisible();
    const saved = (await (await admin.get('/api/chasing/ladder')).json()) as {
      rungs: { itemOwner?: boolean; person?: string | null }[];
    };
    expect(saved.rungs.at(-1)!.itemOwner).toBe(true);
    expect(saved.rungs[0].person).toBeTruthy();
    await page.reload();
    await expect(rungs.last().locator(who)).toContainText('事项专人（未指定专人时按办理角色）');
    await expect(rungs.first().locator(who)).toContainText('指定人员：');
    await screenshot(page, 'ladder-rung-for-item-owner');

    // ---- The item page: an item of its own with 法制处 at work ----
    const started = await ducha.post('/api/instances', {
      data: {
        definitionId: 'enterprise-inspection-rectification',
        data: {
          title: `专人与考核记录演示 ${Date.now().toString(36)}`,
          source: '周督查（端到端测试）',
          problem: '值班记录不全。',
          unit: 'fzc',
          requirement: '补齐值班记录，建立交接班制度。',
          deadline: inAMonth(),
        },
      },
    });
    expect(started.status(), await started.text()).toBe(201);
    item = ((await started.json()) as { id: string }).id;
    const before = await deducted(ducha, year);

    const office = duchaPage.page;
    await office.goto(`/items/${item}`);
    const panel = office.getByTestId('chase-panel');
    await openSelect(panel, '专人');
    await choose(office, '王督查');
    await expect(office.getByText('已指定专人')).toBeVisible();
    await expect(panel.getByTestId('item-owner')).toContainText('由专人办理的催办交给此人');

    const entries = panel.getByTestId('score-entries');
    await entries.getByRole('button', { name: '登记考核记录' }).click();
    const dialog = office.getByRole('dialog', { name: '登记考核记录' });
    await openSelect(dialog, '单位');
    await choose(office, '法制处');
    await openSelect(dialog, '考核事件');
    await choose(office, `${own}（扣分）`);
    await dialog.getByLabel('事由').fill('催办通知下发后逾期三个工作日未报告办理情况');
    await dialog.getByRole('button', { name: '登记' }).click();
    await expect(office.getByText('已登记考核记录')).toBeVisible();
    await expect(entries.getByText(`法制处：${own}`)).toBeVisible();
    expect(await deducted(ducha, year), 'the entry costs 法制处 the 2 points of the year').toBeCloseTo(before + 2, 2);
    await screenshot(office, 'item-owner-and-score-entry');

    await entries.getByRole('button', { name: '撤销' }).click();
    const revoke = office.getByRole('dialog', { name: '撤销考核记录' });
    await revoke.getByLabel('撤销理由').fill('登记有误，该单位已按期报告');
    await revoke.getByRole('button', { name: '撤销' }).click();
    await expect(office.getByText('已撤销考核记录')).toBeVisible();
    await expect(entries.getByText('已撤销：登记有误，该单位已按期报告')).toBeVisible();
    await expect(entries.getByText(`法制处：${own}`)).toBeVisible();
    await expect(entries.getByRole('button', { name: '撤销' })).toHaveCount(0);
    expect(await deducted(ducha, year), 'a revoked entry no longer counts').toBeCloseTo(before, 2);
    await screenshot(office, 'score-entry-revoked');

    expect(adminPage.errors, 'browser console errors (admin)').toEqual([]);
    expect(duchaPage.errors, 'browser console errors (office)').toEqual([]);
  } finally {
    if (item) await ducha.post(`/api/instances/${item}/cancel`, { data: { reason: '浏览器测试结束' } });
    // The shipped event's name back; the own event stays (used by the entry), under its test name.
    // The own event goes too unless an entry used it (then it cannot be removed and stays under its name).
    const now = (await (await admin.get('/api/scoring/events')).json()) as ScoreEvent[];
    const back = now.map((e) => ({ key: e.key, name: e.key === renamed.key ? renamed.name : e.name, adds: !!e.adds }));
    const without = await admin.put('/api/scoring/events', { data: { events: back.filter((e) => e.name !== own) } });
    if (without.status() !== 200) await admin.put('/api/scoring/events', { data: { events: back } });
    if (rulesBefore.isDefault) await admin.delete(`/api/scoring/${year}/rules`);
    if (ladderBefore.isDefault) await admin.put('/api/chasing/ladder', { data: { rungs: null } });
    else await admin.put('/api/chasing/ladder', { data: { rungs: ladderBefore.rungs } });
    await adminPage.close();
    await duchaPage.close();
    await admin.dispose();
    await ducha.dispose();
  }
});
