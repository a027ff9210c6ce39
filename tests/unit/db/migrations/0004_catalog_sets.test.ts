// Migration 0004 (the rest of the catalogue): themes, sets, minifigs, inventories and their rows,
// part relationships, the set name index and catalog_meta. Upgrades a schema-3 database holding
// the catalogue an older app imported (parts, elements, categories, colours) and the real
// exports in three profiles; then the shipped snapshot loads over it and the lots stay as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogDir, cleanupTempDirs, ok } from '../../../helpers';
import { ALL, freshSchema, readCatalog, reread, schemaOf, upgradeFrom, type Upgraded } from './fixture';

let up: Upgraded;
beforeAll(() => {
  up = upgradeFrom(3, { parts: true });
});
afterAll(() => {
  up.core.close();
  cleanupTempDirs();
});

const sql = () => up.core.db.sqlite;
const NEW_TABLES = [
  'catalog_meta',
  'themes',
  'sets',
  'minifigs',
  'inventories',
  'inventory_parts',
  'inventory_sets',
  'inventory_minifigs',
  'part_relationships',
  'sets_fts',
];

describe('0004_catalog_sets on a schema-3 database with a catalogue and lots', () => {
  it('migrated to the newest schema, which is object for object what a new database gets', () => {
    expect(up.core.lastMigration).toEqual({ from: 3, to: ALL.length, applied: ALL.slice(3).map((m) => m.tag) });
    expect(schemaOf(sql())).toEqual(freshSchema());
    for (const t of NEW_TABLES)
      expect(
        up.oldSchema.some((o) => o.name === t),
        t,
      ).toBe(false);
  });

  it('kept every row of every table, and the new tables start empty', () => {
    expect(reread(sql(), up.before)).toEqual(up.before);
    for (const t of NEW_TABLES) expect(sql().prepare(`SELECT count(*) FROM ${t}`).pluck().get(), t).toBe(0);
  });

  it('wants the shipped snapshot (no snapshot recorded), which loads over the old catalogue without touching a lot', async () => {
    expect(up.core.catalog.pendingSnapshot(catalogDir)?.manifest.snapshot).toBe('2026-04-02');
    const r = await up.core.catalog.loadSnapshot({ dir: catalogDir });
    const byTable = Object.fromEntries(r!.files.map((f) => [f.table, f]));
    // The parts were there already (the same download, stored untrimmed by the fixture): only
    // names with stray edge characters (two Duplo roofs end in U+FEFF) are updated; sets are new.
    const untrimmed = readCatalog('parts').filter((p) => p.name !== p.name!.trim()).length;
    expect(untrimmed).toBe(2);
    expect(byTable.parts).toMatchObject({ rows: 61_770, inserted: 0, updated: untrimmed, unchanged: 61_770 - untrimmed });
    expect(byTable.sets).toMatchObject({ rows: 26_452, inserted: 26_452 });
    expect(reread(sql(), { inventory_items: up.before.inventory_items! })).toEqual({
      inventory_items: up.before.inventory_items,
    });
    expect(await ok(up.core.invoke('catalog.stats', {}))).toMatchObject({
      parts: 61_770,
      sets: 26_452,
      part_relationships: 35_577,
    });
    expect(up.core.catalog.pendingSnapshot(catalogDir)).toBeNull();
  }, 120_000);
});
