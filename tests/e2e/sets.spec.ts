// The Sets view against the real core with the shipped catalogue loaded (tests/e2e/fixtures.ts,
// `catalog: true`) and, where a set's parts must be known, Rebrickable's inventory_parts rows
// of tests/fixtures/catalog/inventory_parts.csv imported as the app imports them.
//
// Set 915-1 "6 bricks with 16 and 20 studs and 3 Angle Bricks White/Red": its newest inventory
// (version 2, id 85879) in the fixture lists 3007 White ×3, 3006 Red ×3 and 2357 Red ×3 — 9
// pieces. The lots seeded below give these figures, worked out by hand:
//   3007 White: need 3, have 2 (Drawer A)            → owned 2, short 1
//   3006 Red:   need 3, have 0                       → owned 0, short 3
//   2357 Red:   need 3, have 5 − 3 used = 2 (Box 2)  → owned 2, short 1
//   needed 9, owned 4, 4 / 9 = 44.4 %; with "Count used parts" 2357 has 5 → owned 5, 55.6 %.
//   Pick list by location: Box 2 — 2357 Red take 2; Drawer A — 3007 White take 2.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { test, expect, seed, SCREENSHOT_DIR } from './fixtures';
import type { Host } from './host';
import { unwrap } from '../../src/shared/errors';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const INVENTORY_PARTS = path.join(repoRoot, 'tests/fixtures/catalog/inventory_parts.csv');
const SET = '915-1';
const SET_NAME = '6 bricks with 16 and 20 studs and 3 Angle Bricks White/Red';

test.use({ catalog: true });

/** The fixture's inventory_parts rows, through the contract call Update catalogue… makes. */
async function importSetParts(host: Host) {
  const token = host.core.files.register(INVENTORY_PARTS, 'read').token;
  unwrap(await host.core.invoke('catalog.import', { files: [token] }));
}

function seedLots(host: Host) {
  seed(host, [
    { partId: '3007', colorId: 15, quantityTotal: 2, storageLocation: 'Drawer A', name: 'Brick 2 x 8' },
    { partId: '2357', colorId: 4, quantityTotal: 5, quantityUsed: 3, storageLocation: 'Box 2', name: 'Brick 2 x 2 Corner' },
  ]);
}

async function openSet(app: Page, query: string, setNum: string, name: string) {
  await app.getByRole('button', { name: 'Sets', exact: true }).click();
  // The view comes back as it was left: go to the search.
  await app.getByRole('navigation', { name: 'Sets' }).getByRole('button', { name: 'Find a set' }).click();
  await app.getByRole('searchbox', { name: 'Search sets' }).fill(query);
  await app.getByRole('button', { name: `${setNum} ${name}`, exact: true }).click();
  await expect(app.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** The inventory table as text: name, part, colour, total, used, available, location of each lot. */
async function inventoryRows(app: Page): Promise<string[]> {
  await app.getByRole('button', { name: 'Inventory', exact: true }).click();
  const rows = app.getByRole('rowgroup', { name: 'Lots' }).getByRole('row');
  await expect(rows.first()).toBeVisible();
  const out: string[] = [];
  for (const row of await rows.all()) {
    const cells = await row.getByRole('gridcell').allInnerTexts();
    // The figures only: the available cell also says "low stock" / "none available" in words.
    out.push(
      cells
        .slice(0, 7)
        .map((c) => c.split('\n')[0]!.replace(/^[▼⊘]/, ''))
        .join(' | '),
    );
  }
  return out.sort();
}

function rowsOf(table: ReturnType<Page['getByTestId']>) {
  return table.locator('tbody tr');
}

test('search 75331 and open The Razor Crest (2022) with its details; its parts are not known and it says how to get them', async ({
  app,
}) => {
  await app.getByRole('button', { name: 'Sets', exact: true }).click();
  await expect(app.getByRole('heading', { level: 1, name: 'Find a set' })).toBeVisible();
  await expect(app.getByTestId('set-count')).toHaveText(/^[\d,]+ sets$/);
  const all = Number((await app.getByTestId('set-count').innerText()).replace(/\D/g, ''));
  expect(all).toBeGreaterThan(20_000);
  await app.getByRole('searchbox', { name: 'Search sets' }).fill('75331');
  await expect(app.getByTestId('set-count')).toHaveText('1 set');
  const row = app.getByRole('table', { name: 'Sets found' }).locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('The Razor Crest');
  await expect(row).toContainText('2022');
  await expect(row).toContainText('6,187');
  await app.getByRole('button', { name: '75331-1 The Razor Crest' }).click();

  await expect(app.getByRole('heading', { level: 1, name: 'The Razor Crest' })).toBeFocused();
  const facts = app.getByTestId('set-facts');
  await expect(facts).toContainText('75331-1');
  await expect(facts).toContainText('2022');
  await expect(facts).toContainText('Star Wars');
  await expect(facts).toContainText('6,187');
  const unknown = app.getByTestId('parts-unknown');
  await expect(unknown).toContainText('not known');
  await expect(unknown).toContainText('inventory_parts');
  await expect(unknown.getByRole('button', { name: 'Update catalogue…' })).toBeVisible();
  await expect(app.getByTestId('missing-table')).toHaveCount(0);
  await expect(app.getByTestId('pick-table')).toHaveCount(0);
  await expect(app.getByRole('heading', { name: /Minifigures/ })).toBeVisible();

  await app.getByRole('button', { name: '← Back' }).click();
  await expect(app.getByRole('searchbox', { name: 'Search sets' })).toHaveValue('75331');
});

test('a set whose parts arrive with Update catalogue… shows the owned share, the missing table and the pick list; options match again', async ({
  app,
  host,
}) => {
  seedLots(host);
  await openSet(app, SET, SET, SET_NAME);
  await expect(app.getByTestId('parts-unknown')).toBeVisible();
  host.desktop.queueOpen([INVENTORY_PARTS]);
  await app.getByRole('button', { name: 'Update catalogue…' }).click();

  await expect(app.getByTestId('fig-needed')).toHaveText('9');
  await expect(app.getByTestId('fig-owned')).toHaveText('4');
  await expect(app.getByTestId('fig-pct')).toHaveText('44.4 %');
  await expect(app.getByTestId('fig-missing')).toHaveText('5 pieces in 3 lines');
  await expect(app.getByRole('progressbar', { name: 'Owned' })).toHaveAttribute('aria-valuetext', '4 of 9 pieces (44.4 %)');
  await expect(app.getByTestId('parts-unknown')).toHaveCount(0);

  const missing = rowsOf(app.getByTestId('missing-table'));
  await expect(missing).toHaveCount(3);
  const missingText = (await missing.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  expect(missingText[0]).toMatch(/^2357 .*Red 3 2 1$/);
  expect(missingText[1]).toMatch(/^3006 .*Red 3 0 3$/);
  expect(missingText[2]).toMatch(/^3007 .*White 3 2 1$/);

  const pick = rowsOf(app.getByTestId('pick-table'));
  await expect(pick).toHaveCount(2);
  const pickText = (await pick.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  expect(pickText[0]).toMatch(/^Box 2 2357 .*Red 2$/);
  expect(pickText[1]).toMatch(/^Drawer A 3007 .*White 2$/);

  await app.getByRole('checkbox', { name: 'Count used parts' }).check();
  await expect(app.getByTestId('fig-owned')).toHaveText('5');
  await expect(app.getByTestId('fig-pct')).toHaveText('55.6 %');
  await expect(rowsOf(app.getByTestId('missing-table'))).toHaveCount(2);
  await app.getByRole('checkbox', { name: 'Count used parts' }).uncheck();
  await expect(app.getByTestId('fig-pct')).toHaveText('44.4 %');
});

test('pictures of the set and its parts; Labels… prints one label per part of the set with where the pick list finds it', async ({
  app,
  host,
}) => {
  seedLots(host);
  await importSetParts(host);
  await app.getByRole('button', { name: 'Sets', exact: true }).click();
  await app.getByRole('navigation', { name: 'Sets' }).getByRole('button', { name: 'Find a set' }).click();
  await app.getByRole('searchbox', { name: 'Search sets' }).fill(SET);
  // The results show each set's picture (a placeholder: downloads are not allowed here) once they rest.
  await expect(app.locator(`.sets-results img[data-picture="set/${SET}"]`)).toBeVisible();
  await app.getByRole('button', { name: `${SET} ${SET_NAME}`, exact: true }).click();
  await expect(app.getByRole('heading', { level: 1, name: SET_NAME })).toBeVisible();
  await expect(app.getByRole('img', { name: `Picture of ${SET} ${SET_NAME}` })).toBeVisible();
  // Part pictures in their colours in the missing table and the pick list.
  const missing = app.getByTestId('missing-table');
  await expect(missing.locator('img[data-picture="part/3006/4"]')).toHaveCount(1);
  await expect(missing.locator('img[data-picture]')).toHaveCount(3);
  await expect(app.getByTestId('pick-table').locator('img[data-picture="part/3007/15"]')).toHaveCount(1);
  // A picture that loaded is an image (the placeholder), never a broken one.
  await expect
    .poll(() => missing.locator('img[data-picture="part/3006/4"]').evaluate((i: HTMLImageElement) => i.naturalWidth))
    .toBeGreaterThan(0);

  await app.getByRole('button', { name: 'Labels…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Print labels' });
  await expect(dialog.getByRole('radio', { name: `The parts of ${SET} ${SET_NAME}` })).toBeChecked();
  await expect(dialog.getByTestId('labels-summary')).toHaveText('3 labels on 1 page. The first page:');
  const cells = dialog.getByTestId('label-cell');
  await expect(cells).toHaveCount(3);
  await expect(cells.filter({ hasText: '3007' })).toContainText('Drawer A');
  await expect(cells.filter({ hasText: '2357' })).toContainText('Box 2');
  await expect(cells.filter({ hasText: '3006' })).not.toContainText('location');

  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'blockshelf-e2e-setlabels-')), 'set.pdf');
  try {
    host.desktop.queueSave(out);
    await dialog.getByRole('button', { name: 'Save PDF…' }).click();
    await expect(app.getByText('Saved 3 labels (1 page) to set.pdf.')).toBeVisible();
    const text = execFileSync('pdftotext', ['-raw', out, '-'], { encoding: 'utf8' });
    for (const part of ['3007', '3006', '2357', 'Drawer A', 'Box 2']) expect(text).toContain(part);
  } finally {
    rmSync(path.dirname(out), { recursive: true, force: true });
  }
});

test('Mark as built is refused with the shortfall; Export missing… writes exactly the shortfall', async ({ app, host }) => {
  await importSetParts(host);
  seedLots(host);
  await openSet(app, SET, SET, SET_NAME);
  await expect(app.getByTestId('fig-pct')).toHaveText('44.4 %');

  await app.getByRole('button', { name: 'Mark as built' }).click();
  const refused = app.getByTestId('build-refused');
  await expect(refused).toContainText('Not marked as built');
  await expect(refused).toContainText('3006 Red: need 3, have 0, short 3');
  await expect(refused).toContainText('3007 White: need 3, have 2, short 1');
  await expect(refused).toContainText('2357 Red: need 3, have 2, short 1');
  expect(
    host.core.inventory.list(host.core.profiles.current().id, {}, { sort: 'part', dir: 'asc' }).items.map((l) => l.quantityUsed),
  ).toEqual([3, 0]);

  const csv = path.join(host.core.dataDir, 'missing.csv');
  host.desktop.queueSave(csv);
  await app.getByRole('button', { name: 'Export missing…' }).click();
  const dialog = app.getByRole('dialog', { name: `Export missing parts of ${SET} ${SET_NAME}` });
  await dialog.getByRole('radio', { name: 'Rebrickable part list (CSV)' }).check();
  await dialog.getByRole('button', { name: 'Export…' }).click();
  await expect(dialog.getByTestId('export-missing-result')).toContainText('Wrote 3 lines (5 pieces)');
  const lines = readFileSync(csv, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toMatch(/^Part,Color,Quantity/);
  expect(
    lines
      .slice(1)
      .map((l) => l.split(',').slice(0, 3).join(','))
      .sort(),
  ).toEqual(['2357,4,1', '3006,4,3', '3007,15,1']);

  const xml = path.join(host.core.dataDir, 'missing.xml');
  host.desktop.queueSave(xml);
  await dialog.getByRole('radio', { name: 'BrickLink wanted list (XML)' }).check();
  await dialog.getByRole('button', { name: 'Export…' }).click();
  await expect(dialog.getByTestId('export-missing-result')).toContainText(`Wrote 3 lines (5 pieces) to`);
  const wanted = readFileSync(xml, 'utf8');
  expect(wanted.match(/<ITEM>/g)).toHaveLength(3);
  // BrickLink's colour ids: Red is 5 and White 1 there.
  expect(wanted).toMatch(/<ITEMID>3006<\/ITEMID>\s*<COLOR>5<\/COLOR>\s*<MINQTY>3<\/MINQTY>/);
  expect(wanted).toMatch(/<ITEMID>3007<\/ITEMID>\s*<COLOR>1<\/COLOR>\s*<MINQTY>1<\/MINQTY>/);
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
});

test('part out into a location gives 100 %; mark built then take apart gives back the inventory', async ({ app, host }) => {
  await importSetParts(host);
  seedLots(host);
  await openSet(app, SET, SET, SET_NAME);
  await expect(app.getByTestId('fig-pct')).toHaveText('44.4 %');

  await app.getByRole('button', { name: 'Part out…' }).click();
  const dialog = app.getByRole('dialog', { name: `Part out ${SET} ${SET_NAME}` });
  // The location suggests the locations the inventory has.
  await expect(dialog.locator('datalist option')).toHaveCount(2);
  await dialog.getByLabel('Location').fill('Drawer A');
  await dialog.getByRole('button', { name: 'Part out', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(app.getByRole('status').filter({ hasText: 'Parted out' })).toContainText(
    'Parted out 915-1 into Drawer A: 9 pieces, 2 new lots, 1 lot grown.',
  );
  await expect(app.getByTestId('fig-pct')).toHaveText('100 %');
  await expect(app.getByTestId('fig-owned')).toHaveText('9');
  await expect(app.getByTestId('missing-table')).toHaveCount(0);

  const before = await inventoryRows(app);
  // 3007 White grew in Drawer A; 2357 and 3006 Red are new lots there, named from the catalogue.
  expect(before).toEqual([
    'Brick 2 x 10 | 3006 | Red | 3 | 0 | 3 | Drawer A',
    'Brick 2 x 2 Corner | 2357 | Red | 3 | 0 | 3 | Drawer A',
    'Brick 2 x 2 Corner | 2357 | Red | 5 | 3 | 2 | Box 2',
    'Brick 2 x 8 | 3007 | White | 5 | 0 | 5 | Drawer A',
  ]);

  await openSet(app, SET, SET, SET_NAME);
  await app.getByRole('button', { name: 'Mark as built' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Marked' })).toContainText(
    'Marked 915-1 as built: 9 pieces moved into use.',
  );
  const built = rowsOf(app.getByTestId('builds-table'));
  await expect(built).toHaveCount(1);
  await expect(built).toContainText('9');
  // Every piece is in use now: free pieces no longer cover the set.
  await expect(app.getByTestId('fig-pct')).not.toHaveText('100 %');

  const whileBuilt = await inventoryRows(app);
  expect(whileBuilt).not.toEqual(before);
  const used = whileBuilt.reduce((n, r) => n + Number(r.split(' | ')[4]), 0);
  expect(used).toBe(3 + 9);

  await app.getByRole('button', { name: 'Sets', exact: true }).click();
  await expect(app.getByRole('heading', { level: 1, name: SET_NAME })).toBeVisible();
  await app.getByRole('navigation', { name: 'Sets' }).getByRole('button', { name: 'Built' }).click();
  const all = rowsOf(app.getByTestId('all-builds'));
  await expect(all).toHaveCount(1);
  await all.getByRole('button', { name: /^Take apart 915-1/ }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Took' })).toContainText('Took 915-1 apart: 9 pieces are free again.');
  await expect(app.getByText('Nothing is marked as built.')).toBeVisible();

  expect(await inventoryRows(app)).toEqual(before);
});

test('Can I build… a file lists its unmatched lines by line number and reason', async ({ app, host }) => {
  seed(host, [{ partId: '3001', colorId: 4, quantityTotal: 5, storageLocation: 'Tub 1' }]);
  await app.getByRole('button', { name: 'Sets', exact: true }).click();
  host.desktop.queueOpen([path.join(repoRoot, 'tests/fixtures/sets/ui-list.csv')]);
  await app.getByRole('navigation', { name: 'Sets' }).getByRole('button', { name: 'Can I build…' }).click();
  await expect(app.getByRole('heading', { level: 1, name: 'Can I build ui-list.csv?' })).toBeVisible();
  // 3001 Red ×2 and 3003 Black ×4 (the spare left out): 2 of 6 owned.
  await expect(app.getByTestId('fig-needed')).toHaveText('6');
  await expect(app.getByTestId('fig-owned')).toHaveText('2');
  await expect(app.getByTestId('fig-pct')).toHaveText('33.3 %');
  const unmatched = rowsOf(app.getByTestId('unmatched-table'));
  await expect(unmatched).toHaveCount(1);
  await expect(unmatched.locator('td').first()).toHaveText('4');
  await expect(unmatched).toContainText('99999');
  await expect(unmatched).toContainText(/colour/);
  await expect(rowsOf(app.getByTestId('pick-table'))).toContainText('Tub 1');

  // File → Can I Build… from another view opens the same report.
  await app.getByRole('button', { name: 'Inventory', exact: true }).click();
  host.desktop.queueOpen([path.join(repoRoot, 'tests/fixtures/sets/part-list.csv')]);
  host.menu('sets.canBuild');
  await expect(app.getByRole('heading', { level: 1, name: 'Can I build part-list.csv?' })).toBeVisible();
  await expect(app.getByTestId('fig-needed')).toHaveText('6');
  await expect(app.getByTestId('unmatched-table')).toHaveCount(0);
});

test('Which sets can I build? ranks the sets with known parts by the owned share and opens one', async ({ app, host }) => {
  await importSetParts(host);
  seedLots(host);
  await app.getByRole('button', { name: 'Sets', exact: true }).click();
  await app.getByRole('navigation', { name: 'Sets' }).getByRole('button', { name: 'Which sets can I build?' }).click();
  await app.getByRole('button', { name: 'Find sets' }).click();
  const table = app.getByTestId('buildable-table');
  const rows = rowsOf(table);
  await expect(rows.first()).toContainText(SET);
  await expect(rows.first().getByRole('progressbar')).toHaveAttribute('aria-valuetext', '4 of 9 pieces (44.4 %)');
  // Each ranked set shows its picture.
  await expect(rows.first().locator(`img[data-picture="set/${SET}"]`)).toBeVisible();
  await expect(app.getByTestId('buildable-count')).toContainText(/with known parts/);

  await app.getByLabel('Minimum owned (%)').fill('50');
  await app.getByRole('button', { name: 'Find sets' }).click();
  await expect(app.getByText('No set reaches the minimum owned share.')).toBeVisible();

  await app.getByLabel('Minimum owned (%)').fill('40');
  await app.getByRole('button', { name: 'Find sets' }).click();
  await expect(rows).toHaveCount(1);
  await rows
    .first()
    .getByRole('button', { name: `${SET} ${SET_NAME}` })
    .click();
  await expect(app.getByRole('heading', { level: 1, name: SET_NAME })).toBeVisible();
  await expect(app.getByTestId('fig-pct')).toHaveText('44.4 %');
  await app.getByRole('button', { name: '← Back' }).click();
  await expect(rows).toHaveCount(1);
});

test('keyboard only: search, open the set, part out through the dialog', async ({ app, host }) => {
  await importSetParts(host);
  const focused = () =>
    app.evaluate<string>(
      `(() => { const el = document.activeElement; return el ? el.getAttribute('aria-label') || (el.textContent || '').trim().slice(0, 30) || el.id : ''; })()`,
    );
  for (let i = 0; i < 10 && (await focused()) !== 'Sets'; i++) await app.keyboard.press('Tab');
  expect(await focused()).toBe('Sets');
  await app.keyboard.press('Enter');
  const search = app.getByRole('searchbox', { name: 'Search sets' });
  for (let i = 0; i < 15; i++) {
    if (await search.evaluate((el) => el === document.activeElement)) break;
    await app.keyboard.press('Tab');
  }
  await expect(search).toBeFocused();
  await app.keyboard.type(SET);
  await expect(app.getByTestId('set-count')).toHaveText('1 set');
  await app.keyboard.press('ArrowDown');
  await expect(app.getByRole('button', { name: `${SET} ${SET_NAME}` })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { level: 1, name: SET_NAME })).toBeFocused();
  await expect(app.getByTestId('fig-pct')).toHaveText('0 %');
  await app.keyboard.press('Tab');
  await expect(app.getByRole('button', { name: 'Part out…' })).toBeFocused();
  await app.keyboard.press('Enter');
  const dialog = app.getByRole('dialog', { name: `Part out ${SET} ${SET_NAME}` });
  await expect(dialog.getByLabel('Location')).toBeFocused();
  await app.keyboard.type('Shelf 9');
  await app.keyboard.press('Tab');
  await expect(dialog.getByLabel('Copies')).toBeFocused();
  await app.keyboard.press('Control+a');
  await app.keyboard.type('2');
  await app.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(app.getByTestId('fig-pct')).toHaveText('100 %');
  const lots = host.core.inventory.list(host.core.profiles.current().id, {}, { sort: 'part', dir: 'asc' }).items;
  expect(lots.map((l) => [l.partId, l.colorId, l.quantityTotal, l.storageLocation])).toEqual([
    ['2357', 4, 6, 'Shelf 9'],
    ['3006', 4, 6, 'Shelf 9'],
    ['3007', 15, 6, 'Shelf 9'],
  ]);
  // Ctrl+F in the Sets view goes back to the set search.
  await app.keyboard.press('Control+f');
  await expect(app.getByRole('searchbox', { name: 'Search sets' })).toBeFocused();
  await expect(app.getByRole('searchbox', { name: 'Search sets' })).toHaveValue(SET);
});

test('screenshots of the Sets screens in light and dark', async ({ app, host }) => {
  await importSetParts(host);
  seedLots(host);
  for (const theme of ['light', 'dark'] as const) {
    host.core.prefs.set(host.core.profiles.current().id, { theme });
    await app.reload();
    await expect(app.locator('html')).toHaveAttribute('data-theme', theme);
    const shot = (name: string) => app.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${theme}.png`), fullPage: true });
    await app.getByRole('button', { name: 'Sets', exact: true }).click();
    await app.getByRole('searchbox', { name: 'Search sets' }).fill('razor crest');
    await expect(app.getByRole('button', { name: '75331-1 The Razor Crest' })).toBeVisible();
    await shot('sets-search');
    await app.getByRole('button', { name: '75331-1 The Razor Crest' }).click();
    await expect(app.getByTestId('parts-unknown')).toBeVisible();
    await shot('sets-parts-unknown');
    await openSet(app, SET, SET, SET_NAME);
    await expect(app.getByTestId('fig-pct')).toHaveText('44.4 %');
    await shot('sets-set-page');
    await app.getByRole('button', { name: 'Part out…' }).click();
    await expect(app.getByRole('dialog')).toBeVisible();
    await shot('sets-part-out');
    await app.keyboard.press('Escape');
    await app.getByRole('navigation', { name: 'Sets' }).getByRole('button', { name: 'Which sets can I build?' }).click();
    await app.getByRole('button', { name: 'Find sets' }).click();
    await expect(app.getByTestId('buildable-table')).toBeVisible();
    await shot('sets-buildable');
  }
});

test('the lot editor shows where related parts are (prints, moulds…) when asked, from the shipped relationships', async ({
  app,
  host,
}) => {
  seed(host, [
    { partId: '3001', colorId: 4, quantityTotal: 6, storageLocation: 'Drawer A', name: 'Brick 2 x 4' },
    { partId: '3001pr0012', colorId: 4, quantityTotal: 2, storageLocation: 'Drawer B', name: 'Printed brick' },
    { partId: '3002', colorId: 4, quantityTotal: 9, storageLocation: 'Drawer C', name: 'Brick 2 x 3' },
  ]);
  await app.reload();
  await app.getByRole('grid', { name: 'Inventory' }).getByRole('row').filter({ hasText: 'Drawer A' }).dblclick();
  const dialog = app.getByRole('dialog', { name: 'Edit lot' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('related-places')).toHaveCount(0);
  await dialog.getByRole('checkbox', { name: /Show where related parts are/ }).check();
  const related = dialog.getByTestId('related-places');
  await expect(related).toContainText('3001pr0012 — print of 3001: Drawer B (2)');
  await expect(related).not.toContainText('Drawer C');
});
