// A large import applies in the background: while its worker holds the transaction open, the
// table scrolls and searches (showing the inventory as it was), the import's progress is shown,
// and the rows refresh when it commits. The import dialog can be closed meanwhile: the status
// line keeps the progress and the cancel, and a toast says how the import ended.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, pickColor, seedBulk } from './fixtures';
import type { Host } from './host';

const ROWS = 100_000;

test('a 100,000-row import runs while the table is scrolled and searched; rows refresh when it commits', async ({
  app,
  host,
}) => {
  test.setTimeout(240_000);
  seedBulk(host, 3000);
  await app.reload();
  await expect(app.getByTestId('lot-count')).toHaveText('3,000 lots');

  const file = path.join(host.core.dataDir, 'big.csv');
  const lines = ['Part,Color,Quantity,Notes,Location,IsUsed,IsStickered'];
  for (let i = 0; i < ROWS; i++)
    lines.push(`imp${String(i).padStart(6, '0')},${[4, 15, 1, 0][i % 4]},${1 + (i % 20)},,Crate ${i % 90},False,False`);
  writeFileSync(file, lines.join('\n'));
  const t = host.core.files.register(file, 'read').token;
  const preview = await host.core.invoke('import.preview', { file: t, jobId: 'bg' });
  expect(preview.ok).toBe(true);
  const importId = preview.ok ? (preview.data as { importId: string }).importId : '';

  // Hold the worker inside its transaction once the first rows are in, so the test can act mid-apply.
  const held = host.core.transfer.holdNextApply();
  const applying = host.core.invoke('import.apply', { importId });
  const run = await held;
  await run.held;

  await expect(app.getByTestId('import-status')).toContainText(/Importing: applying [\d,]+ of 100,000/);
  // Scroll the table and search it: the inventory as it was before the import.
  await app.getByRole('row', { name: /Bulk part 2999\b/ }).hover();
  await app.mouse.wheel(0, 20_000);
  await expect(app.getByRole('row', { name: /Bulk part 2999\b/ })).toHaveCount(0);
  await expect(app.getByRole('row', { name: /Bulk part \d+/ }).first()).toBeVisible();
  await expect(app.getByTestId('lot-count')).toHaveText('3,000 lots');
  const search = app.getByRole('searchbox', { name: 'Search inventory' });
  await search.fill('Bulk part 2999');
  await expect(app.getByRole('row', { name: /Bulk part 2999/ })).toBeVisible();
  await search.fill('imp000123');
  await expect(app.getByTestId('lot-count')).toHaveText('0 lots');

  run.release();
  const r = await applying;
  expect(r).toMatchObject({ ok: true, data: { created: ROWS } });
  // data.changed refreshes the table: the new lot is found now, and the status is gone.
  await expect(app.getByRole('row', { name: /imp000123/ })).toBeVisible({ timeout: 30_000 });
  await expect(app.getByTestId('import-status')).toHaveCount(0);
  await search.fill('');
  await expect(app.getByTestId('lot-count')).toHaveText('103,000 lots', { timeout: 30_000 });
});

/** A Rebrickable part list of `n` new lots, in the data folder. */
function partList(host: Host, name: string, n: number, prefix: string): string {
  const file = path.join(host.core.dataDir, name);
  const lines = ['Part,Color,Quantity,Notes,Location,IsUsed,IsStickered'];
  for (let i = 0; i < n; i++)
    lines.push(`${prefix}${String(i).padStart(6, '0')},${[4, 15, 1, 0][i % 4]},${1 + (i % 20)},,Crate ${i % 90},False,False`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

/** Picks `file` in the import dialog, checks it and starts the apply, held inside its transaction. */
async function startHeldImport(app: Page, host: Host, file: string, rows: string) {
  const held = host.core.transfer.holdNextApply();
  host.desktop.queueOpen([file]);
  host.menu('import.open');
  const dialog = app.getByRole('dialog', { name: 'Import parts' });
  await dialog.getByRole('button', { name: 'Check the file' }).click();
  await expect(dialog.getByTestId('import-preview')).toBeVisible({ timeout: 60_000 });
  await dialog.getByRole('button', { name: `Import ${rows} rows` }).click();
  const run = await held;
  await run.held;
  return { dialog, run };
}

test('the import dialog closes while the import applies; browsing, the status line, cancel and the end', async ({
  app,
  host,
}) => {
  test.setTimeout(240_000);
  seedBulk(host, 3000);
  await app.reload();
  await expect(app.getByTestId('lot-count')).toHaveText('3,000 lots');

  // 1. Close the dialog mid-apply: the window is usable, the status line shows the progress.
  const big = partList(host, 'big.csv', 50_000, 'imp');
  const first = await startHeldImport(app, host, big, '50,000');
  await expect(first.dialog.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await first.dialog.getByRole('button', { name: 'Continue in the background' }).click();
  await expect(first.dialog).toHaveCount(0);
  const status = app.getByTestId('import-status');
  await expect(status).toContainText(/Importing: applying [\d,]+ of 50,000/);
  const search = app.getByRole('searchbox', { name: 'Search inventory' });
  await search.fill('Bulk part 2999');
  await expect(app.getByRole('row', { name: /Bulk part 2999/ })).toBeVisible();
  await search.fill('');
  await expect(app.getByTestId('lot-count')).toHaveText('3,000 lots');

  // A change meanwhile is refused politely, and what was typed stays in the dialog.
  await app.getByRole('button', { name: '+ New item' }).click();
  const item = app.getByRole('dialog', { name: 'New item' });
  await item.getByLabel('Part', { exact: true }).fill('3001');
  await pickColor(app, 'Red');
  await item.getByLabel('Total quantity').fill('4');
  await item.getByRole('button', { name: 'Add' }).click();
  await expect(item.getByTestId('save-wait')).toContainText(
    'Not saved yet: An import is being applied; changes can be made again when it has finished',
  );
  await expect(item.getByRole('alert')).toHaveCount(0);
  await expect(item.getByLabel('Part', { exact: true })).toHaveValue('3001');
  await item.getByRole('button', { name: 'Cancel' }).click();

  // 2. Cancel from the status line: nothing is imported, and a toast says so.
  await status.getByRole('button', { name: 'Cancel import' }).click();
  await expect(app.getByText('Import of big.csv stopped. Nothing was imported.')).toBeVisible({ timeout: 30_000 });
  await expect(status).toHaveCount(0);
  expect(host.core.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get()).toBe(3000);

  // 3. Closed again mid-apply, this time it commits: views refresh and a toast gives the result.
  const small = partList(host, 'small.csv', 5_000, 'bg');
  const second = await startHeldImport(app, host, small, '5,000');
  await app.keyboard.press('Escape');
  await expect(second.dialog).toHaveCount(0);
  await expect(status).toContainText('Importing: applying');
  second.run.release();
  await expect(app.getByText(/Imported small\.csv: 5,000 new lots/)).toBeVisible({ timeout: 60_000 });
  await expect(status).toHaveCount(0);
  await expect(app.getByTestId('lot-count')).toHaveText('8,000 lots', { timeout: 30_000 });
  await search.fill('bg000123');
  await expect(app.getByRole('row', { name: /bg000123/ })).toBeVisible();
});
