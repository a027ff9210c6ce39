// The inventory grid, ARIA grid pattern: one tab stop, arrows between cells, Enter opens the
// lot, Delete asks, Home/End and Page Up/Down move by the virtualised rows, header cells sort,
// and the row position is announced against the true total. Also the columns: short dates with
// the full date on hover and for readers, nothing cut off at 1280×800, the catalogue's name for
// unnamed lots, low stock said in text.
import type { Locator, Page } from '@playwright/test';
import { test, expect, seed, seedBulk } from './fixtures';

/** The active cell: the element the grid names as its active descendant. */
async function activeCell(page: Page): Promise<Locator> {
  const grid = page.getByRole('grid', { name: 'Inventory' });
  await expect(grid).toHaveAttribute('aria-activedescendant', /.+/);
  const id = await grid.getAttribute('aria-activedescendant');
  return page.locator(`[id="${id}"]`);
}

/** The active cell's row position (aria-rowindex, the header row is 1) and its text. */
async function active(page: Page): Promise<{ row: number; text: string; role: string | null }> {
  const cell = await activeCell(page);
  await expect(cell).toHaveCount(1);
  const row = await cell.evaluate((el) => Number(el.closest('[role=row]')!.getAttribute('aria-rowindex')));
  return { row, text: (await cell.innerText()).trim(), role: await cell.getAttribute('role') };
}

test('arrows, Page Up/Down, Home/End, Enter and Delete in a grid of 3,163 lots', async ({ app, host }) => {
  seedBulk(host, 3163);
  host.core.prefs.set(host.core.profiles.current().id, { sortKey: 'part', sortDir: 'asc' });
  await app.reload();
  const grid = app.getByRole('grid', { name: 'Inventory' });
  await expect(app.getByTestId('lot-count')).toHaveText('3,163 lots');
  // The reader's "row N of 3,164" counts the header row too; every row says where it is.
  await expect(grid).toHaveAttribute('aria-rowcount', '3164');
  await expect(grid).toHaveAttribute('aria-colcount', '9');
  await expect(grid.getByRole('row').nth(1)).toHaveAttribute('aria-rowindex', '2');

  await app.getByRole('searchbox', { name: 'Search inventory' }).press('ArrowDown');
  await expect(grid).toBeFocused();
  expect(await active(app)).toMatchObject({ row: 2, text: 'Bulk part 0', role: 'gridcell' });
  for (let i = 0; i < 11; i++) await grid.press('ArrowDown');
  expect(await active(app)).toMatchObject({ row: 13, text: 'Bulk part 11' });
  await grid.press('ArrowRight');
  expect((await active(app)).text).toBe('p000011');
  await grid.press('ArrowRight');
  await grid.press('ArrowRight');
  expect(await active(app)).toMatchObject({ row: 13, text: '77' }); // Total: (11 * 7) % 500
  for (let i = 0; i < 10; i++) await grid.press('ArrowRight');
  expect(await (await activeCell(app)).evaluate((el) => Array.from(el.parentElement!.children).indexOf(el))).toBe(8);
  await grid.press('Control+Home');
  expect(await active(app)).toMatchObject({ row: 2, text: 'Bulk part 0' });

  // The active cell is outlined while the grid has focus.
  const outline = await (await activeCell(app)).evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe('solid');

  // Page Down moves by a screenful of rows and keeps the row in view; End reaches the last row.
  await grid.press('PageDown');
  const paged = await active(app);
  expect(paged.row).toBeGreaterThan(10);
  await expect(await activeCell(app)).toBeInViewport();
  await grid.press('PageUp');
  expect((await active(app)).row).toBe(2);
  await grid.press('End');
  expect(await active(app)).toMatchObject({ row: 3164, text: 'Bulk part 3162' });
  await expect(await activeCell(app)).toBeInViewport();
  await grid.press('PageUp');
  expect((await active(app)).row).toBeLessThan(3164);
  await grid.press('Home');
  expect(await active(app)).toMatchObject({ row: 2, text: 'Bulk part 0' });
  await expect(await activeCell(app)).toBeInViewport();

  // Enter opens the active lot; Delete asks to delete it.
  await grid.press('ArrowDown');
  await grid.press('Enter');
  const edit = app.getByRole('dialog', { name: 'Edit lot' });
  await expect(edit.getByLabel('Part', { exact: true })).toHaveValue('p000001');
  await app.keyboard.press('Escape');
  await expect(edit).toBeHidden();
  await expect(grid).toBeFocused();
  await grid.press('Delete');
  const ask = app.getByRole('alertdialog', { name: 'Delete lot?' });
  await expect(ask).toContainText('p000001');
  await ask.getByRole('button', { name: 'Cancel' }).click();

  // Up from the first row reaches the header row: Enter sorts by the active column.
  await grid.press('Home');
  await grid.press('ArrowUp');
  expect(await active(app)).toMatchObject({ row: 1, role: 'columnheader' });
  expect((await active(app)).text).toMatch(/^Name/);
  await grid.press('Enter');
  await expect(app.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');
  await grid.press('Enter');
  await expect(app.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'descending');
  expect((await active(app)).role).toBe('columnheader');
  await grid.press('ArrowDown');
  expect(await active(app)).toMatchObject({ row: 2, text: 'Bulk part 999' });
});

test('a search with a capped count says the total is unknown rather than a wrong one', async ({ app, host }) => {
  seedBulk(host, 3000);
  await app.reload();
  const grid = app.getByRole('grid', { name: 'Inventory' });
  await expect(grid).toHaveAttribute('aria-rowcount', '3001');
  await app.getByRole('searchbox', { name: 'Search inventory' }).fill('bulk');
  await expect(app.getByTestId('lot-count')).toHaveText('1,000+ lots');
  await expect(grid).toHaveAttribute('aria-rowcount', '-1');
});

test('dates are short and whole at 1280×800, with the full date on hover and for readers', async ({ app, host }) => {
  seed(host, [
    { partId: '3001', colorId: 4, quantityTotal: 3, name: 'Today brick' },
    { partId: '3002', colorId: 4, quantityTotal: 3, name: 'Yesterday brick' },
    { partId: '3003', colorId: 4, quantityTotal: 3, name: 'Old brick' },
  ]);
  const db = host.core.db.sqlite;
  const now = Date.now();
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  db.prepare("UPDATE inventory_items SET updated_at = ?, created_at = ? WHERE part_id = '3002'").run(
    yesterday.getTime(),
    yesterday.getTime(),
  );
  db.prepare("UPDATE inventory_items SET updated_at = ?, created_at = ? WHERE part_id = '3003'").run(
    Date.UTC(2019, 11, 24, 12, 0),
    Date.UTC(2019, 11, 24, 12, 0),
  );
  await app.reload();
  expect(app.viewportSize()).toEqual({ width: 1280, height: 800 });
  const header = app.getByRole('columnheader');
  await expect(header.nth(7)).toHaveText(/Updated/);
  await expect(header.nth(8)).toHaveText(/Added/);

  const cells = (name: RegExp) => app.getByRole('row', { name }).getByRole('gridcell');
  await expect(cells(/Today brick/).nth(7)).toHaveText(/^today \d{1,2}:\d{2}/);
  await expect(cells(/Yesterday brick/).nth(7)).toHaveText(/^yesterday/);
  await expect(cells(/Old brick/).nth(8)).toHaveText(/^Dec 24, 2019/);
  // The full date and time: the tooltip, and the text a reader gets.
  const old = cells(/Old brick/).nth(7);
  await expect(old).toHaveAttribute('title', /Tuesday, December 24, 2019 at \d/);
  await expect(old).toHaveText('Dec 24, 2019');
  await expect(old).toHaveAccessibleDescription(/^Tuesday, December 24, 2019 at \d/);
  // In the active row a reader reads the full date as the cell's text.
  await old.click();
  await expect(old).toHaveAccessibleName(/^Tuesday, December 24, 2019 at \d/);
  await expect(old.locator('[aria-hidden=true]')).toHaveText('Dec 24, 2019');

  // Nothing in the date columns is cut off.
  const clipped = await app.evaluate(() =>
    Array.from(document.querySelectorAll('.grid-row > .date'))
      .filter((el) => el.scrollWidth > el.clientWidth)
      .map((el) => `${el.textContent}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
  const counted = await app.locator('.grid-row > .date').count();
  expect(counted).toBe(6);
  expect(clipped).toEqual([]);
});

test('a lot without a name shows the catalogue’s name, else its part number, muted', async ({ app, host }) => {
  seed(host, [
    { partId: '3001', colorId: 4, quantityTotal: 3 },
    { partId: 'zz-mystery', colorId: 4, quantityTotal: 1 },
    { partId: '3003', colorId: 1, quantityTotal: 0, name: 'Named' },
  ]);
  host.core.db.sqlite.prepare("INSERT OR REPLACE INTO parts (part_num, name) VALUES ('3001', 'Brick 2 x 4')").run();
  host.core.prefs.set(host.core.profiles.current().id, { sortKey: 'part', sortDir: 'asc', lowStockThreshold: 1 });
  await app.reload();
  const rows = app.getByRole('rowgroup', { name: 'Lots' }).getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0).getByRole('gridcell').first()).toHaveText('Brick 2 x 4');
  const mystery = rows.nth(2).getByRole('gridcell').first();
  await expect(mystery).toHaveText('zz-mystery');
  await expect(mystery).toHaveClass(/muted/);
  // Low stock and none available are said in text (and an icon), not only in colour.
  await expect(rows.nth(1).getByRole('gridcell').nth(5)).toHaveText(/0, none available/);
  await expect(rows.nth(2).getByRole('gridcell').nth(5)).toHaveText(/1, low stock/);
  await expect(rows.nth(0).getByRole('gridcell').nth(5)).toHaveText('3');
});
