import { test, expect, seed } from './fixtures';

test('edit a quantity, move the lot, Ctrl+Z twice restores both; the history panel lists them', async ({ app, host }) => {
  seed(host, [{ partId: '3001', colorId: 4, quantityTotal: 10, storageLocation: 'Drawer A1', name: 'Brick 2 x 4' }]);
  await app.reload();
  const row = app.getByRole('row', { name: /Brick 2 x 4/ });
  const lots = app.getByRole('rowgroup', { name: 'Lots' });
  const edit = async (label: string, value: string) => {
    await row.click();
    await lots.press('Enter');
    const dialog = app.getByRole('dialog', { name: 'Edit lot' });
    await dialog.getByLabel(label).fill(value);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
  };
  await edit('Total quantity', '20');
  await expect(row.getByRole('gridcell').nth(3)).toHaveText('20');
  await edit('Location', 'Shelf 9');
  await expect(row).toContainText('Shelf 9');
  await expect(app.getByRole('button', { name: 'Undo Move 3001 Red: Drawer A1 → Shelf 9' })).toBeEnabled();

  // Ctrl+Z in a text field is the field's own undo: the lot stays as it is.
  const search = app.getByRole('searchbox', { name: 'Search inventory' });
  await search.fill('brick');
  await search.press('Control+z');
  await expect(row).toContainText('Shelf 9');
  await search.fill('');

  await row.click();
  await lots.press('Control+z');
  await expect(row).toContainText('Drawer A1');
  await expect(app.getByText('Undone: Move 3001 Red: Drawer A1 → Shelf 9')).toBeVisible();
  await lots.press('Control+z');
  await expect(row.getByRole('gridcell').nth(3)).toHaveText('10');
  const lot = host.core.inventory.list(undefined, {}, { sort: 'part', dir: 'asc' }).items[0]!;
  expect([lot.quantityTotal, lot.storageLocation]).toEqual([10, 'Drawer A1']);

  // The lot's page lists both changes, old → new, marked undone.
  await row.click();
  await lots.press('Enter');
  const dialog = app.getByRole('dialog', { name: 'Edit lot' });
  const history = dialog.getByRole('region', { name: 'History' });
  await expect(history.getByRole('listitem')).toHaveCount(3);
  await expect(history.getByRole('listitem').nth(0)).toContainText('location: Drawer A1 → Shelf 9');
  await expect(history.getByRole('listitem').nth(0)).toContainText('Move 3001 Red: Drawer A1 → Shelf 9');
  await expect(history.getByRole('listitem').nth(0)).toContainText('undone');
  await expect(history.getByRole('listitem').nth(1)).toContainText('total: 10 → 20');
  await expect(history.getByRole('listitem').nth(2)).toContainText('Created with 10 at Drawer A1');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Redo (Ctrl+Shift+Z, and Ctrl+Y) brings both back.
  await row.click();
  await lots.press('Control+Shift+z');
  await expect(row.getByRole('gridcell').nth(3)).toHaveText('20');
  await lots.press('Control+y');
  await expect(row).toContainText('Shelf 9');
});

test('a deleted lot is found with its history', async ({ app, host }) => {
  seed(host, [{ partId: '3001', colorId: 4, quantityTotal: 7, storageLocation: 'Box', name: 'Brick 2 x 4' }]);
  await app.reload();
  await app.getByRole('row', { name: /Brick 2 x 4/ }).click();
  await app.getByRole('rowgroup', { name: 'Lots' }).press('Delete');
  await app.getByRole('alertdialog', { name: 'Delete lot?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(app.getByTestId('lot-count')).toHaveText('0 lots');
  await app.getByRole('button', { name: 'Deleted lots…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Deleted lots' });
  await dialog.getByLabel('Find a deleted lot').fill('3001 red');
  await dialog.getByRole('button', { name: /3001 Red: 7 at Box/ }).click();
  await expect(
    dialog
      .getByRole('region', { name: /History of lot/ })
      .getByRole('listitem')
      .first(),
  ).toContainText('Deleted');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await app.getByRole('button', { name: /^Undo Delete 3001 Red/ }).click();
  await expect(app.getByTestId('lot-count')).toHaveText('1 lot');
});
