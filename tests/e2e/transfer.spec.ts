import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, seed, catalogDir, exportsDir } from './fixtures';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

test('File > Import… reads a real Rebrickable export, previews it and imports it', async ({ app, host }) => {
  host.desktop.queueOpen([path.join(exportsDir, 'rebrickable_parts_401016_5-Transport-Vehicles.csv')]);
  host.menu('import.open');
  const dialog = app.getByRole('dialog', { name: 'Import parts' });
  await expect(dialog.getByTestId('import-file')).toContainText('rebrickable_parts_401016_5-Transport-Vehicles.csv');
  await expect(dialog.getByLabel('Format')).toHaveValue('rebrickable-csv');
  await dialog.getByRole('button', { name: 'Check the file' }).click();
  await expect(dialog.getByTestId('import-preview')).toContainText(/rows read: [\d,]+ new lots/);
  await dialog.getByRole('button', { name: /^Import \d+ rows$/ }).click();
  await expect(dialog.getByRole('status')).toContainText(/Imported .*: \d+ new lots/);
  await dialog.getByRole('button', { name: 'Done' }).click();
  const lots = host.core.inventory.list(host.core.profiles.current().id, {}, { sort: 'part', dir: 'asc' }).total;
  expect(lots).toBeGreaterThan(100);
  await expect(app.getByTestId('lot-count')).toHaveText(`${lots.toLocaleString('en-US')} lots`);
});

test('an import with bad rows names file, row and field, and imports only when told to skip them', async ({ app, host }) => {
  host.desktop.queueOpen([path.join(repoRoot, 'tests/fixtures/ui/part-list-with-errors.csv')]);
  await app.keyboard.press('Escape');
  host.menu('import.open');
  const dialog = app.getByRole('dialog', { name: 'Import parts' });
  await dialog.getByRole('button', { name: 'Check the file' }).click();
  const problems = dialog.getByRole('alert');
  await expect(problems).toContainText('2 rows cannot be imported');
  await expect(problems).toContainText('part-list-with-errors.csv, row 3');
  await expect(problems).toContainText('part-list-with-errors.csv, row 5');
  const importButton = dialog.getByRole('button', { name: /^Import \d+ rows$/ });
  await expect(importButton).toBeDisabled();
  await dialog.getByRole('checkbox', { name: /Import the 2 good rows/ }).check();
  await dialog.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(dialog.getByRole('status')).toContainText('2 new lots');
  await expect(dialog.getByRole('status')).toContainText('2 invalid rows left out');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(app.getByTestId('lot-count')).toHaveText('2 lots');
});

test('File > Export… writes the inventory, or only the lots shown, to the chosen file', async ({ app, host }) => {
  seed(host, [
    { partId: '3001', colorId: 4, quantityTotal: 10, storageLocation: 'Drawer A', name: 'Brick 2 x 4' },
    { partId: '3003', colorId: 1, quantityTotal: 4, storageLocation: 'Drawer B', name: 'Brick 2 x 2' },
  ]);
  await app.reload();
  const out = path.join(host.core.dataDir, 'exported.csv');
  host.desktop.queueSave(out);
  host.menu('export.open');
  const dialog = app.getByRole('dialog', { name: 'Export parts' });
  await expect(dialog.getByRole('radio', { name: /Only the lots shown now/ })).toBeDisabled();
  await dialog.getByLabel('Format').selectOption('rebrickable-csv');
  await dialog.getByRole('button', { name: 'Choose where to save…' }).click();
  await expect(dialog.getByRole('status')).toContainText('Wrote 2 rows (2 lots)');
  expect(readFileSync(out, 'utf8')).toMatch(/^Part,Color,Quantity/);
  await dialog.getByRole('button', { name: 'Done' }).click();

  await app.getByRole('searchbox', { name: 'Search inventory' }).fill('3003');
  await expect(app.getByTestId('lot-count')).toHaveText('1 lot');
  const view = path.join(host.core.dataDir, 'view.csv');
  host.desktop.queueSave(view);
  host.menu('export.open');
  await dialog.getByRole('radio', { name: /Only the lots shown now/ }).check();
  await dialog.getByRole('button', { name: 'Choose where to save…' }).click();
  await expect(dialog.getByRole('status')).toContainText('Wrote 1 row (1 lot)');
  expect(existsSync(view)).toBe(true);
  expect(readFileSync(view, 'utf8')).toContain('3003');
  expect(readFileSync(view, 'utf8')).not.toContain('3001');
});

test('the add dialog looks parts up in the catalogue; an element id fills in part and colour', async ({ app, host }) => {
  for (const f of ['parts.csv.gz', 'elements.csv.gz']) {
    const token = host.core.files.register(path.join(catalogDir, f), 'read').token;
    const r = await host.core.invoke('catalog.import', { files: [token] });
    expect(r.ok).toBe(true);
  }
  await app.keyboard.press('Control+n');
  const dialog = app.getByRole('dialog', { name: 'New item' });
  await dialog.getByLabel('Part', { exact: true }).fill('3001');
  await expect(dialog.getByTestId('part-hint')).toHaveText('Brick 2 x 4');
  await dialog.getByLabel('Part', { exact: true }).fill('300121');
  await expect(dialog.getByTestId('part-hint')).toContainText('element 300121 is part 3001 in Red');
  await dialog.getByLabel('Name').focus();
  await expect(dialog.getByLabel('Part', { exact: true })).toHaveValue('3001');
  await expect(dialog.getByRole('combobox', { name: 'Colour', exact: true })).toHaveValue('Red');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(app.getByRole('row', { name: /Brick 2 x 4/ })).toContainText('Red');
});
