import path from 'node:path';
import { expect as baseExpect, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { authFile, screenshotDir } from './users';
import { scaled } from './timing';

/**
 * 通知 in the browser (issue 20, docs/decisions/040): the office sends a 督查整改建议书 to 法制处; 法制处's liaison sees the
 * bell's unread count, opens the notification center, clicks the message and lands on the task, and the message is read.
 */

const expect = baseExpect.configure({ timeout: scaled(30_000) });

test('新待办提醒：铃铛显示未读数，点开通知进入待办', async ({ browser, playwright }) => {
  const title = `通知演示 ${Date.now().toString(36)}`;
  const ducha = await playwright.request.newContext({ baseURL, storageState: authFile('ducha') });
  const started = await ducha.post('/api/instances', {
    data: {
      definitionId: 'enterprise-inspection-rectification',
      data: {
        title,
        source: '周督查（端到端测试）',
        problem: '档案室消防通道堆放纸箱，影响疏散。',
        unit: 'fzc',
        requirement: '清理消防通道，建立每日巡查制度。',
        deadline: new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10),
      },
    },
  });
  expect(started.status(), await started.text()).toBe(201);
  await ducha.dispose();

  const context = await browser.newContext({ storageState: authFile('fazhi') });
  const page = await context.newPage();
  await page.goto('/');
  const bell = page.getByRole('button', { name: /^通知（\d+ 条未读）$/ });
  await expect(bell).toBeVisible();
  const unread = Number(/（(\d+) 条未读）/.exec((await bell.getAttribute('aria-label')) ?? '')?.[1]);
  expect(unread).toBeGreaterThan(0);

  await bell.click();
  const drawer = page.getByRole('dialog', { name: '通知' });
  const message = drawer.getByRole('link').filter({ hasText: title });
  await expect(message).toHaveAttribute('aria-label', /^未读 新待办：/);
  await page.screenshot({ path: path.join(screenshotDir, 'notifications-bell.png') });

  await message.click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await expect(page.getByText(title).first()).toBeVisible();
  // Opened is read: the bell counts one fewer.
  await expect(page.getByRole('button', { name: unread > 1 ? `通知（${unread - 1} 条未读）` : '通知' })).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'notifications-task.png') });
  await context.close();
});
