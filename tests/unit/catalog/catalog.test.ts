import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { CatalogImportResult, CatalogLookup, CatalogPart, CatalogStats } from '../../../src/shared/contract';
import { cleanup, newCore, ok, catalogDir, tempDir, token } from '../transfer/helpers';

const rb = (f: string) => path.join(catalogDir, f);
const FILES = ['colors.csv.gz', 'part_categories.csv.gz', 'parts.csv.gz', 'elements.csv.gz', 'themes.csv.gz'];

let core: Core;
let first: CatalogImportResult;
beforeAll(async () => {
  core = newCore();
  const progress: string[] = [];
  core.events.on('import.progress', (e) => progress.push(e.phase));
  first = ok<CatalogImportResult>(await core.invoke('catalog.import', { files: FILES.map((f) => token(core, rb(f))) }));
  expect(progress.some((p) => p.startsWith('catalog:reading:parts'))).toBe(true);
});
afterAll(() => {
  core.close();
  cleanup();
});

describe('catalogue import of the real Rebrickable downloads', () => {
  it('reads every row: exact counts', async () => {
    const rows = Object.fromEntries(first.files.map((f) => [f.table, f.rows]));
    expect(rows).toEqual({ colors: 275, part_categories: 76, parts: 61770, elements: 108920, themes: 492 });
    expect(first.ignored).toEqual([]);
    expect(ok<CatalogStats>(await core.invoke('catalog.stats', {}))).toMatchObject({
      colors: 275,
      part_categories: 76,
      parts: 61770,
      elements: 108920,
      themes: 492,
      sets: 0,
    });
  });

  it('re-importing the same download changes nothing; a renamed part is updated, lots untouched', async () => {
    ok(await core.invoke('inventory.create', { lot: { partId: '3001', colorId: 4, quantityTotal: 7, name: 'My own name' } }));
    const dir = tempDir();
    const parts = gunzipSync(readFileSync(rb('parts.csv.gz'))).toString('utf8');
    const renamed = parts.replace(/^3001,Brick 2 x 4,/m, '3001,Brick 2 x 4 (renamed),');
    expect(renamed).not.toBe(parts);
    writeFileSync(path.join(dir, 'parts.csv'), renamed);
    const again = ok<CatalogImportResult>(
      await core.invoke('catalog.import', { files: [token(core, path.join(dir, 'parts.csv'))] }),
    );
    expect(again.files[0]).toMatchObject({ table: 'parts', rows: 61770, inserted: 0, updated: 1, unchanged: 61769 });
    expect(core.catalog.part('3001')?.name).toBe('Brick 2 x 4 (renamed)');
    const lot = core.db.sqlite.prepare(`SELECT name, quantity_total AS q FROM inventory_items WHERE part_id = '3001'`).get();
    expect(lot).toEqual({ name: 'My own name', q: 7 });
  });

  it('reads a .zip holding the files', async () => {
    const dir = tempDir();
    copyFileSync(rb('colors.csv.gz'), path.join(dir, 'colors.csv.gz'));
    writeFileSync(path.join(dir, 'part_categories.csv'), gunzipSync(readFileSync(rb('part_categories.csv.gz'))));
    execFileSync('python3', [
      '-c',
      `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED); [z.write(f, f.split('/')[-1]) for f in sys.argv[2:]]; z.close()`,
      path.join(dir, 'rb.zip'),
      path.join(dir, 'colors.csv.gz'),
      path.join(dir, 'part_categories.csv'),
    ]);
    const r = ok<CatalogImportResult>(await core.invoke('catalog.import', { files: [token(core, path.join(dir, 'rb.zip'))] }));
    expect(r.files.map((f) => [f.table, f.rows, f.unchanged])).toEqual([
      ['colors', 275, 275],
      ['part_categories', 76, 76],
    ]);
  });

  it('a colour rename reaches lots and the colour cache', async () => {
    const dir = tempDir();
    const colors = gunzipSync(readFileSync(rb('colors.csv.gz')))
      .toString('utf8')
      .replace(/^4,Red,/m, '4,Bright Red,');
    writeFileSync(path.join(dir, 'colors.csv'), colors);
    await core.invoke('catalog.import', { files: [token(core, path.join(dir, 'colors.csv'))] });
    expect(core.inventory.colors().find((c) => c.id === 4)?.name).toBe('Bright Red');
    expect(core.db.sqlite.prepare(`SELECT color_name FROM inventory_items WHERE color_id = 4`).pluck().get()).toBe('Bright Red');
  });

  it('reads real CSV quoting: commas, doubled quotes and line breaks in a field, CRLF, a BOM', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'figs.csv');
    writeFileSync(
      file,
      '\uFEFFfig_num,name,num_parts,img_url\r\n"fig-900001","Pilot, with ""Helmet""\nand Visor",4,\r\nfig-900002,Plain,3,https://x.example/f.jpg\r\n',
    );
    const r = ok<CatalogImportResult>(await core.invoke('catalog.import', { files: [token(core, file)] }));
    expect(r.files).toMatchObject([{ table: 'minifigs', rows: 2, inserted: 2 }]);
    const figs = core.db.sqlite
      .prepare(`SELECT fig_num, name, num_parts, img_url FROM minifigs WHERE fig_num LIKE 'fig-9000%' ORDER BY 1`)
      .all();
    expect(figs).toEqual([
      { fig_num: 'fig-900001', name: 'Pilot, with "Helmet"\nand Visor', num_parts: 4, img_url: null },
      { fig_num: 'fig-900002', name: 'Plain', num_parts: 3, img_url: 'https://x.example/f.jpg' },
    ]);
  });

  it('import.cancel stops a catalogue import, and nothing of it is kept', async () => {
    const before = ok<CatalogStats>(await core.invoke('catalog.stats', {}));
    const jobId = 'cat-cancel-test';
    let asked = false;
    const off = core.events.on('import.progress', (e) => {
      if (e.id === jobId && !asked) {
        asked = true;
        void core.invoke('import.cancel', { jobId });
      }
    });
    const r = await core.invoke('catalog.import', {
      jobId,
      files: ['themes.csv.gz', 'sets.csv.gz', 'minifigs.csv.gz'].map((f) => token(core, rb(f))),
    });
    off();
    expect(asked).toBe(true);
    expect(r).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(ok<CatalogStats>(await core.invoke('catalog.stats', {}))).toEqual(before);
    expect(core.db.sqlite.prepare('SELECT count(*) FROM sets').pluck().get()).toBe(0);
  });

  it('a file that is not a catalogue table is reported by line', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'parts.csv'), 'part_num,name,part_cat_id\n3001,Brick,notanumber\n');
    const r = await core.invoke('catalog.import', { files: [token(core, path.join(dir, 'parts.csv'))] });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'parts.csv:2: part_cat_id: “notanumber” is not a number' },
    });
  });
});

describe('lookup and search', () => {
  const look = async (q: string) => ok<CatalogLookup>(await core.invoke('catalog.lookup', { query: q }));

  it('finds a part by number', async () => {
    expect(await look('3023')).toMatchObject({
      matchedBy: 'part',
      part: { partNum: '3023', name: 'Plate 1 x 2', categoryName: 'Plates' },
    });
  });

  it('falls back from a suffixed number to its base part (3684c → 3684)', async () => {
    expect(await look('3684c')).toMatchObject({ matchedBy: 'part-suffix', part: { partNum: '3684' } });
  });

  it('resolves an element id to its part and colour', async () => {
    expect(await look('4190230')).toMatchObject({
      matchedBy: 'element',
      part: { partNum: '973c26h01pr0391' },
      colorId: 19,
      colorName: 'Tan',
    });
  });

  it('says so when nothing matches', async () => {
    expect(await look('zzz-not-a-part')).toMatchObject({ matchedBy: 'none', part: null });
  });

  it('searches names by words, "1x2" as Rebrickable writes it', async () => {
    const found = ok<CatalogPart[]>(await core.invoke('catalog.search', { query: 'plate 1x2', limit: 5 }));
    expect(found[0]).toMatchObject({ partNum: '3023', name: 'Plate 1 x 2' });
    for (const p of found) for (const w of [/\bplate/, /\b1\b/, /\bx\b/, /\b2\b/]) expect(p.name.toLowerCase()).toMatch(w);
    const byNumber = ok<CatalogPart[]>(await core.invoke('catalog.search', { query: '3068' }));
    expect(byNumber.map((p) => p.partNum)).toContain('3068b');
  });

  it('fills in missing lot names, with the suffix fallback', async () => {
    ok(await core.invoke('inventory.create', { lot: { partId: '3684c', colorId: 0, quantityTotal: 1 } }));
    core.db.sqlite.prepare(`UPDATE inventory_items SET name = ''`).run();
    const r = ok<{ updated: number; stillMissing: number }>(await core.invoke('catalog.fillNames', {}));
    expect(r).toEqual({ updated: 2, stillMissing: 0 });
    const names = core.db.sqlite.prepare(`SELECT part_id AS p, name FROM inventory_items ORDER BY part_id`).all();
    expect(names).toEqual([
      { p: '3001', name: 'Brick 2 x 4 (renamed)' },
      { p: '3684c', name: core.catalog.part('3684')!.name },
    ]);
  });
});
