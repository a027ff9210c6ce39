// The shipped catalogue snapshot (resources/catalog) loaded on first start through createCore,
// in a worker, while calls keep answering; then sets, inventories and relationships read from it,
// re-imports, a newer inventory_parts download, and loads that are cancelled or fail.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { CatalogImportResult, CatalogStats, EventMap } from '../../../src/shared/contract';
import { catalogDir, cleanupTempDirs, makeCore, ok, repoRoot, tempDir } from '../../helpers';

/** The row counts of the April 2026 download (the table in the data README). */
const SNAPSHOT_COUNTS = {
  colors: 275,
  part_categories: 76,
  parts: 61_770,
  elements: 108_920,
  themes: 492,
  sets: 26_452,
  minifigs: 16_663,
  inventories: 45_032,
  inventory_parts: 0,
  inventory_sets: 4_936,
  inventory_minifigs: 24_894,
  part_relationships: 35_577,
};

const fixture = (f: string) => path.join(repoRoot, 'tests/fixtures/catalog', f);
const token = (core: Core, file: string) => core.files.register(file, 'read').token;
const importFiles = async (core: Core, files: string[]) =>
  ok<CatalogImportResult>(core.invoke('catalog.import', { files: files.map((f) => token(core, f)) }));
const byTable = (r: CatalogImportResult) => Object.fromEntries(r.files.map((f) => [f.table, f]));

/** Every lot, every column that a catalogue import must never change. */
const lots = (core: Core) =>
  core.db.sqlite
    .prepare(
      'SELECT id, user_id, part_id, color_id, name, quantity_total, quantity_used, storage_location, notes, created_at, updated_at FROM inventory_items ORDER BY id',
    )
    .all();

let core: Core;
let lotsBefore: unknown[];
const progress: EventMap['catalog.progress'][] = [];
const latencies: number[] = [];
let answeredWhileLoading = 0;

beforeAll(async () => {
  core = makeCore({ catalogDir });
  core.events.on('catalog.progress', (p) => progress.push(p));
  // createCore started the load; the thread that answers calls must stay free meanwhile.
  expect(core.catalog.status().state).toBe('loading');
  await ok(
    core.invoke('inventory.create', {
      lot: { partId: '3001', colorId: 4, quantityTotal: 7, quantityUsed: 2, name: 'My own name', storageLocation: 'Drawer A' },
    }),
  );
  await ok(core.invoke('inventory.create', { lot: { partId: '75c13', colorId: 0, quantityTotal: 1 } }));
  lotsBefore = lots(core);
  while (core.catalog.status().state === 'loading') {
    const t = performance.now();
    const r = await core.invoke('inventory.list', { limit: 50 });
    latencies.push(performance.now() - t);
    expect(r.ok).toBe(true);
    if (core.catalog.status().state === 'loading') answeredWhileLoading++;
    await new Promise((res) => setTimeout(res, 20));
  }
}, 180_000);

afterAll(() => {
  core.close();
  cleanupTempDirs();
});

describe('first start loads the shipped snapshot in the background', () => {
  it('answered calls while it ran, and none waited on it', () => {
    expect(answeredWhileLoading).toBeGreaterThan(5);
    // A load on this thread would hold calls for seconds; a busy test machine adds some slack.
    expect(Math.max(...latencies)).toBeLessThan(250);
    expect(progress.some((p) => p.phase === 'reading' && p.percent > 0 && p.percent < 90)).toBe(true);
    expect(progress.some((p) => p.phase === 'applying')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', percent: 100 });
    expect(progress.at(-1)!.error).toBeUndefined();
  });

  it('ends with every row of every shipped file, and records the snapshot date', async () => {
    expect(await ok<CatalogStats>(core.invoke('catalog.stats', {}))).toEqual(SNAPSHOT_COUNTS);
    // The stored counts agree with the tables themselves.
    for (const [table, n] of Object.entries(SNAPSHOT_COUNTS)) {
      expect(core.db.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(n);
    }
    const manifest = JSON.parse(readFileSync(path.join(catalogDir, 'manifest.json'), 'utf8')) as {
      snapshot: string;
      rows: Record<string, number>;
    };
    expect(manifest.rows).toEqual(Object.fromEntries(Object.entries(SNAPSHOT_COUNTS).filter(([k]) => k !== 'inventory_parts')));
    expect(await ok(core.invoke('catalog.status', {}))).toMatchObject({
      state: 'ready',
      snapshot: '2026-04-02',
      shipped: '2026-04-02',
      error: null,
    });
    expect(core.catalog.pendingSnapshot()).toBeNull();
  });

  it('left the lots exactly as they were', () => {
    expect(lots(core)).toEqual(lotsBefore);
  });

  it('holds a set with its name, year, theme and part count, and finds it by name', () => {
    const set = core.db.sqlite
      .prepare(
        `SELECT s.name, s.year, s.num_parts AS numParts, t.name AS theme FROM sets s JOIN themes t ON t.id = s.theme_id WHERE set_num = '75331-1'`,
      )
      .get();
    expect(set).toEqual({ name: 'The Razor Crest', year: 2022, numParts: 6187, theme: 'Ultimate Collector Series' });
    const found = core.db.sqlite.prepare(`SELECT set_num FROM sets_fts WHERE sets_fts MATCH '"razor" AND "crest"'`).pluck().all();
    expect(found).toContain('75331-1');
  });

  it('picks a set’s newest inventory through the (set_num, version) index', () => {
    const newest = `SELECT id, version FROM inventories WHERE set_num = ? ORDER BY version DESC LIMIT 1`;
    expect(core.db.sqlite.prepare(newest).get('215-2')).toEqual({ id: 24263, version: 8 });
    expect(core.db.sqlite.prepare(newest).get('75331-1')).toEqual({ id: 138319, version: 1 });
    const plan = core.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${newest}`).all('215-2') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX inventories_set_version_uq/);
  });

  it('knows how parts relate, both ways (3001pr0012 is a print of 3001)', async () => {
    const r = await ok(core.invoke('catalog.lookup', { query: '3001pr0012' }));
    expect(r.relations.parents).toEqual([{ relType: 'P', partNum: '3001', name: 'Brick 2 x 4' }]);
    const base = await ok(core.invoke('catalog.lookup', { query: '3001' }));
    expect(base.relations.childCount).toBe(
      core.db.sqlite.prepare(`SELECT count(*) FROM part_relationships WHERE parent_part_num = '3001'`).pluck().get(),
    );
    expect(base.relations.childCount).toBeGreaterThan(20);
    expect(base.relations.children).toHaveLength(20);
    const plan = core.db.sqlite
      .prepare(`EXPLAIN QUERY PLAN SELECT child_part_num FROM part_relationships WHERE parent_part_num = ?`)
      .all('3001') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/INDEX part_relationships_parent_idx/);
  });
});

describe('catalogue imports over the snapshot', () => {
  it('re-importing the shipped files changes nothing', async () => {
    const files = Object.keys(SNAPSHOT_COUNTS)
      .filter((k) => k !== 'inventory_parts')
      .map((k) => path.join(catalogDir, `${k}.csv.gz`));
    const r = await importFiles(core, files);
    expect(r.ignored).toEqual([]);
    for (const f of r.files) {
      expect(f, f.table).toMatchObject({
        rows: SNAPSHOT_COUNTS[f.table],
        inserted: 0,
        updated: 0,
        removed: 0,
        skipped: 0,
        unchanged: SNAPSHOT_COUNTS[f.table],
      });
    }
    expect(await ok<CatalogStats>(core.invoke('catalog.stats', {}))).toEqual(SNAPSHOT_COUNTS);
    expect(lots(core)).toEqual(lotsBefore);
  }, 120_000);

  it('imports inventory_parts (known by its header, whatever the name), then a newer one replaces a listed inventory’s rows', async () => {
    const dir = tempDir();
    const renamed = path.join(dir, 'download-1.csv.gz');
    writeFileSync(renamed, gzipSync(readFileSync(fixture('inventory_parts.csv'))));
    const first = byTable(await importFiles(core, [renamed]));
    expect(first.inventory_parts).toMatchObject({ rows: 14, inserted: 14, updated: 0, unchanged: 0, removed: 0 });

    // 915-1 has two inventories: version 2 (85879) is the newest.
    const partsOf = (setNum: string) =>
      core.db.sqlite
        .prepare(
          `SELECT ip.part_num AS part, ip.color_id AS color, ip.quantity AS qty, ip.is_spare AS spare FROM inventory_parts ip
            WHERE ip.inventory_id = (SELECT id FROM inventories WHERE set_num = ? ORDER BY version DESC LIMIT 1)
            ORDER BY ip.part_num, ip.color_id, ip.is_spare`,
        )
        .all(setNum);
    expect(partsOf('915-1')).toEqual([
      { part: '2357', color: 4, qty: 3, spare: 0 },
      { part: '3006', color: 4, qty: 3, spare: 0 },
      { part: '3007', color: 15, qty: 3, spare: 0 },
    ]);
    const makerOf = core.db.sqlite.prepare(
      `SELECT DISTINCT i.set_num FROM inventory_parts ip JOIN inventories i ON i.id = ip.inventory_id WHERE ip.part_num = ? ORDER BY 1`,
    );
    expect(makerOf.pluck().all('3001pr0012')).toEqual(['1390-1']);
    const other = core.db.sqlite
      .prepare(`SELECT * FROM inventory_parts WHERE inventory_id <> 85879 ORDER BY inventory_id, part_num, color_id, is_spare`)
      .all();

    const newer = byTable(await importFiles(core, [fixture('inventory_parts_newer.csv')]));
    expect(newer.inventory_parts).toMatchObject({ rows: 3, inserted: 1, updated: 1, unchanged: 1, removed: 1 });
    expect(partsOf('915-1')).toEqual([
      { part: '2357', color: 15, qty: 3, spare: 0 },
      { part: '3006', color: 4, qty: 4, spare: 0 },
      { part: '3007', color: 15, qty: 3, spare: 0 },
    ]);
    // Inventories the newer file does not list keep their rows.
    expect(
      core.db.sqlite
        .prepare(`SELECT * FROM inventory_parts WHERE inventory_id <> 85879 ORDER BY inventory_id, part_num, color_id, is_spare`)
        .all(),
    ).toEqual(other);
    expect((await ok(core.invoke('catalog.stats', {}))).inventory_parts).toBe(14);
    const plan = core.db.sqlite
      .prepare(`EXPLAIN QUERY PLAN SELECT inventory_id FROM inventory_parts WHERE part_num = ? AND color_id = ?`)
      .all('3001', 4) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/INDEX inventory_parts_part_color_idx/);
    expect(lots(core)).toEqual(lotsBefore);
  });

  it('skips, and counts, sub-set rows whose inventory or set is missing', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sub.csv');
    writeFileSync(file, 'inventory_id,set_num,quantity\n999999999,75331-1,1\n138319,no-such-set-1,1\n');
    const r = byTable(await importFiles(core, [file]));
    expect(r.inventory_sets).toMatchObject({ rows: 2, inserted: 0, skipped: 2 });
    expect((await ok(core.invoke('catalog.stats', {}))).inventory_sets).toBe(SNAPSHOT_COUNTS.inventory_sets);
  });
});

describe('a load that does not finish leaves the catalogue as it was', () => {
  const counts = (c: Core) =>
    Object.fromEntries(
      Object.keys(SNAPSHOT_COUNTS).map((t) => [t, c.db.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get()]),
    );

  it('cancelled while applying: every kind applied so far is rolled back', async () => {
    const c = makeCore({ catalogDir });
    try {
      const before = counts(c);
      expect(before.parts).toBe(0);
      // The worker has its own connection to the file: a restore must not swap it meanwhile.
      let swapped = false;
      expect(() => c.reopen({ swap: () => void (swapped = true) })).toThrow(/catalogue is being updated/);
      expect(swapped).toBe(false);
      c.events.on('catalog.progress', (p) => {
        if (p.phase === 'applying' && p.item === 'sets') c.catalog.cancelLoad();
      });
      const done = new Promise<EventMap['catalog.progress']>((res) =>
        c.events.on('catalog.progress', (p) => p.phase === 'done' && res(p)),
      );
      expect((await done).error).toMatch(/cancelled/);
      expect(counts(c)).toEqual(before);
      expect(c.catalog.status()).toMatchObject({ state: 'failed', snapshot: null });
      expect(c.catalog.pendingSnapshot()).not.toBeNull();
    } finally {
      c.close();
    }
  }, 120_000);

  it('a damaged file in the snapshot fails the load, names the row, and changes nothing', async () => {
    const dir = tempDir();
    for (const f of [
      'manifest.json',
      ...Object.keys(SNAPSHOT_COUNTS)
        .filter((k) => k !== 'inventory_parts')
        .map((k) => `${k}.csv.gz`),
    ]) {
      copyFileSync(path.join(catalogDir, f), path.join(dir, f));
    }
    writeFileSync(path.join(dir, 'inventory_minifigs.csv.gz'), gzipSync('inventory_id,fig_num,quantity\n1,fig-000001,one\n'));
    const c = makeCore({ catalogDir: dir });
    try {
      const before = counts(c);
      await expect(c.catalog.startSnapshotLoad()).rejects.toThrow('inventory_minifigs.csv.gz:2: quantity: “one” is not a number');
      expect(counts(c)).toEqual(before);
      expect(c.catalog.status()).toMatchObject({ state: 'failed', snapshot: null, error: expect.stringContaining('quantity') });
    } finally {
      c.close();
    }
  }, 120_000);
});
