import { test, expect, seedBulk } from './fixtures';

test('a File-menu command opens the Backups & Restore dialog', async ({ app, host }) => {
  host.menu('backups.open');
  await expect(app.getByRole('dialog', { name: 'Backups & Restore' })).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(app.getByRole('dialog', { name: 'Backups & Restore' })).toBeHidden();
  host.menu('item.new');
  await expect(app.getByRole('dialog', { name: 'New item' })).toBeVisible();
  await app.getByRole('dialog', { name: 'New item' }).getByRole('button', { name: 'Cancel' }).click();
  host.menu('settings.open');
  await expect(app.getByRole('heading', { name: 'Settings' })).toBeVisible();
  host.menu('about.open');
  await expect(app.getByRole('dialog', { name: 'About BlockShelf' })).toContainText('blockshelf.db');
});

test('the theme setting survives a reload', async ({ app }) => {
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
  await app.getByRole('button', { name: 'Settings' }).click();
  await app.getByRole('radio', { name: 'Dark' }).check();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  // a fresh page with no local storage: the theme comes from the saved preference
  await app.evaluate(() => (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear());
  await app.reload();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await app.getByRole('button', { name: 'Settings' }).click();
  await expect(app.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await app.getByRole('radio', { name: 'Same as the system' }).check();
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await app.emulateMedia({ colorScheme: 'light' });
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('a 100k-lot inventory scrolls, jumps and searches', async ({ app, host }) => {
  seedBulk(host, 100_000);
  await app.reload();
  await expect(app.getByTestId('lot-count')).toHaveText('100,000 lots');
  const grid = app.getByRole('grid', { name: 'Inventory' });
  const body = grid.getByRole('rowgroup', { name: 'Lots' });
  await app.getByRole('button', { name: 'Part', exact: true }).click();
  await expect(app.getByRole('columnheader', { name: /Part/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(app.getByRole('row', { name: /p000000/ })).toBeVisible();
  // only a window of rows is in the page
  expect(await body.getByRole('row').count()).toBeLessThan(80);
  // keyboard paging and a jump to the end
  await body.click({ position: { x: 200, y: 10 } });
  await grid.press('PageDown');
  await grid.press('End');
  await expect(app.getByRole('row', { name: /p099999/ })).toBeVisible();
  // a scrollbar jump to the middle fetches that part by offset
  await grid.evaluate((el) => {
    el.scrollTop = el.scrollHeight / 2;
  });
  await expect(app.getByRole('row', { name: /p0(49|50)\d{3}/ }).first()).toBeVisible();
  await expect(body.locator('[aria-busy=true]')).toHaveCount(0);
  // search narrows 100k lots as you type
  await app.getByRole('searchbox', { name: 'Search inventory' }).fill('p077777');
  await expect(app.getByTestId('lot-count')).toHaveText('1 lot');
  await expect(app.getByRole('row', { name: /Bulk part 77777/ })).toBeVisible();
  await app.getByRole('searchbox', { name: 'Search inventory' }).fill('drawer 7');
  await expect(app.getByTestId('lot-count')).not.toHaveText('1 lot');
  await expect(body.getByRole('row').first()).toContainText('drawer 7');
});
