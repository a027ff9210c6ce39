import { test, expect, seed, pickColor } from './fixtures';

test('adds a lot through the New item dialog', async ({ app, host }) => {
  await app.getByRole('button', { name: '+ New item' }).click();
  const dialog = app.getByRole('dialog', { name: 'New item' });
  await dialog.getByLabel('Part', { exact: true }).fill('3001');
  await dialog.getByLabel('Name').fill('Brick 2 x 4');
  await pickColor(app, 'Red');
  await dialog.getByLabel('Total quantity').fill('12');
  await dialog.getByLabel('Used').fill('2');
  await dialog.getByLabel('Location').fill('Drawer A1');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog).toBeHidden();
  const row = app.getByRole('row', { name: /Brick 2 x 4/ });
  await expect(row).toContainText('3001');
  await expect(row).toContainText('Red');
  await expect(row).toContainText('Drawer A1');
  await expect(row.getByRole('gridcell').nth(5)).toHaveText('10');
  expect(host.core.inventory.list(host.core.profiles.current().id, {}, { sort: 'part', dir: 'asc' }).total).toBe(1);
});

test('search as you type narrows the list', async ({ app, host }) => {
  seed(host, [
    { partId: '3001', colorId: 4, quantityTotal: 5, storageLocation: 'Drawer A1', name: 'Brick 2 x 4' },
    { partId: '3003', colorId: 1, quantityTotal: 8, storageLocation: 'Drawer B2', name: 'Brick 2 x 2' },
    { partId: '3068b', colorId: 0, quantityTotal: 30, storageLocation: 'Tiles bin', name: 'Tile 2 x 2' },
  ]);
  await app.reload();
  await expect(app.getByTestId('lot-count')).toHaveText('3 lots');
  await app.keyboard.press('Control+f');
  await expect(app.getByRole('searchbox', { name: 'Search inventory' })).toBeFocused();
  await app.keyboard.type('tile');
  await expect(app.getByTestId('lot-count')).toHaveText('1 lot');
  await expect(app.getByRole('row', { name: /Tile 2 x 2/ })).toBeVisible();
  await expect(app.getByRole('row', { name: /Brick 2 x 4/ })).toHaveCount(0);
  await app.getByRole('searchbox', { name: 'Search inventory' }).fill('drawer');
  await expect(app.getByTestId('lot-count')).toHaveText('2 lots');
});

test("a search typed quickly shows only the final text's rows, even when an earlier answer comes late", async ({ app, host }) => {
  seed(host, [
    { partId: '3001', colorId: 4, quantityTotal: 5, storageLocation: 'Drawer A1', name: 'Brick 2 x 4' },
    { partId: '3003', colorId: 1, quantityTotal: 8, storageLocation: 'Drawer B2', name: 'Brick 2 x 2' },
    { partId: '3068b', colorId: 0, quantityTotal: 30, storageLocation: 'Tiles bin', name: 'Tile 2 x 2' },
  ]);
  await app.reload();
  await expect(app.getByTestId('lot-count')).toHaveText('3 lots');
  // Answers for the texts on the way ("d", "dr", …, "drawer b": both drawers) arrive long after the final one.
  const late: Promise<void>[] = [];
  await app.route('**/__invoke', async (route) => {
    const body = route.request().postDataJSON() as { channel: string; input: { search?: string } };
    if (body.channel === 'inventory.list' && body.input.search !== undefined && body.input.search !== 'drawer b2') {
      const done = (async () => {
        const res = await route.fetch();
        await new Promise((r) => setTimeout(r, 1500));
        await route.fulfill({ response: res });
      })();
      late.push(done);
      await done;
      return;
    }
    await route.continue();
  });
  const box = app.getByRole('searchbox', { name: 'Search inventory' });
  await box.click();
  await app.keyboard.type('drawer b2', { delay: 90 });
  await expect(app.getByTestId('lot-count')).toHaveText('1 lot');
  const rows = app.getByRole('rowgroup', { name: 'Lots' }).getByRole('row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Brick 2 x 2');
  // the late answers to earlier texts have all come in: the list still shows the final text's rows
  expect(late.length).toBeGreaterThan(0);
  await Promise.all(late);
  await app.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await expect(app.getByTestId('lot-count')).toHaveText('1 lot');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Brick 2 x 2');
});

test('sorts by a column header, both ways', async ({ app, host }) => {
  seed(host, [
    { partId: 'A1', colorId: 4, quantityTotal: 5, name: 'Middle' },
    { partId: 'B2', colorId: 1, quantityTotal: 50, name: 'Most' },
    { partId: 'C3', colorId: 0, quantityTotal: 1, name: 'Least' },
  ]);
  await app.reload();
  const names = () => app.locator('.grid-body [role=row] [role=gridcell]:first-child').allTextContents();
  await app.getByRole('button', { name: 'Total' }).click();
  await expect(app.getByRole('columnheader', { name: /Total/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(names).toEqual(['Least', 'Middle', 'Most']);
  await app.getByRole('button', { name: /Total/ }).click();
  await expect(app.getByRole('columnheader', { name: /Total/ })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(names).toEqual(['Most', 'Middle', 'Least']);
  // the sort is a preference: it survives a reload
  await app.reload();
  await expect.poll(names).toEqual(['Most', 'Middle', 'Least']);
});

test('edit shows a validation error at the field, then saves', async ({ app, host }) => {
  seed(host, [{ partId: '3001', colorId: 4, quantityTotal: 10, quantityUsed: 2, name: 'Brick 2 x 4' }]);
  await app.reload();
  await app.getByRole('row', { name: /Brick 2 x 4/ }).click();
  await app.getByRole('grid', { name: 'Inventory' }).press('Enter');
  const dialog = app.getByRole('dialog', { name: 'Edit lot' });
  await dialog.getByLabel('Used').fill('15');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Used')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText('used must not exceed total')).toBeVisible();
  await dialog.getByLabel('Total quantity').fill('abc');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('total must be a whole number')).toBeVisible();
  await dialog.getByLabel('Total quantity').fill('20');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const row = app.getByRole('row', { name: /Brick 2 x 4/ });
  await expect(row.getByRole('gridcell').nth(3)).toHaveText('20');
  await expect(row.getByRole('gridcell').nth(4)).toHaveText('15');
});

test('a duplicate offers to add to the existing lot and shows where else it is stored', async ({ app, host }) => {
  seed(host, [
    { partId: '3001', colorId: 4, quantityTotal: 10, storageLocation: 'Drawer A1', name: 'Brick 2 x 4' },
    { partId: '3001', colorId: 4, quantityTotal: 3, storageLocation: 'Spares box', name: 'Brick 2 x 4' },
  ]);
  await app.reload();
  await app.keyboard.press('Control+n');
  const dialog = app.getByRole('dialog', { name: 'New item' });
  await dialog.getByLabel('Part', { exact: true }).fill('3001');
  await pickColor(app, 'Red');
  await dialog.getByLabel('Total quantity').fill('5');
  await dialog.getByLabel('Location').fill('Drawer A1');
  await dialog.getByRole('button', { name: 'Add' }).click();
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText('You already have 10 of 3001 Red at “Drawer A1”');
  await expect(alert).toContainText('Also stored in: Spares box (3)');
  await expect(dialog.getByRole('button', { name: 'Keep as a separate location' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Add to the existing lot' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.getByTestId('lot-count')).toHaveText('2 lots');
  const row = app.getByRole('row', { name: /Drawer A1/ });
  await expect(row.getByRole('gridcell').nth(3)).toHaveText('15');
});

test('delete asks first, then Undo puts the lot back', async ({ app, host }) => {
  seed(host, [
    { partId: '3001', colorId: 4, quantityTotal: 10, name: 'Brick 2 x 4' },
    { partId: '3003', colorId: 1, quantityTotal: 4, name: 'Brick 2 x 2' },
  ]);
  await app.reload();
  await app.getByRole('row', { name: /Brick 2 x 2/ }).click();
  await app.getByRole('grid', { name: 'Inventory' }).press('Delete');
  const ask = app.getByRole('alertdialog', { name: 'Delete lot?' });
  await expect(ask).toContainText('3003 Blue');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(app.getByTestId('lot-count')).toHaveText('2 lots');
  await app.getByRole('grid', { name: 'Inventory' }).press('Delete');
  await app.getByRole('alertdialog', { name: 'Delete lot?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(app.getByTestId('lot-count')).toHaveText('1 lot');
  await expect(app.getByRole('row', { name: /Brick 2 x 2/ })).toHaveCount(0);
  await app.getByRole('status').getByRole('button', { name: 'Undo' }).click();
  await expect(app.getByTestId('lot-count')).toHaveText('2 lots');
  await expect(app.getByRole('row', { name: /Brick 2 x 2/ })).toBeVisible();
});
