// A large import applies in the background: while its worker holds the transaction open, the
// table scrolls and searches (showing the inventory as it was), the import's progress is shown,
// and the rows refresh when it commits.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, seedBulk } from './fixtures';

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
