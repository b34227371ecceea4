import { expect, type Locator, type Page } from '@playwright/test';
import { scaled } from './timing';

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Picks `option` in an antd Select or TreeSelect as a person does: open the list, click the option, see it chosen.
 *
 * On a loaded machine each of these can miss: the list opens later than one try waits, a second click on the select
 * closes it again, and the list may move or re-render under the pointer (it repositions when a validation message
 * appears above the select, or when the panel scrolls it into view) so that the option clicked is detached. So the
 * whole step is retried until the select shows the option — it never clicks an open select, and never clicks an option
 * that is already chosen (in a multiple select a second click would remove it).
 */
export async function pickOption(page: Page, select: Locator, option: string) {
  // One list closed a moment ago may still be on screen, fading out (antd's *-leave classes).
  const dropdown = page.locator('.ant-select-dropdown:visible:not([class*="-leave"])').last();
  const choice = dropdown
    .locator(`.ant-select-item-option[title=${JSON.stringify(option)}]`)
    .or(dropdown.locator('.ant-select-tree-title', { hasText: exactly(option) }))
    .first();
  const chosen = select
    .locator('.ant-select-selection-item')
    .filter({ hasText: exactly(option) })
    .first();
  await expect(async () => {
    if (await chosen.isVisible()) return;
    if (!(await select.evaluate((el) => el.classList.contains('ant-select-open'))))
      await select.click({ timeout: scaled(5000) });
    await choice.click({ timeout: scaled(5000) });
    await expect(chosen).toBeVisible({ timeout: scaled(3000) });
  }).toPass({ timeout: scaled(60_000) });
}

/** Picks `option` in the antd Select or TreeSelect inside `scope` whose combobox is named `label`. */
export async function pick(page: Page, scope: Page | Locator, label: string, option: string) {
  const select = scope
    .locator('.ant-select')
    .filter({ has: page.getByRole('combobox', { name: label, exact: true }) })
    .first();
  await pickOption(page, select, option);
}
