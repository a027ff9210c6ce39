// Migration 0002 (catalogue search): an FTS5 word index over part names, filled from the parts
// already in the catalogue. Upgrades a schema-2 database holding Rebrickable's full catalogue
// download (parts, elements, categories, colours) and the real exports in three profiles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, ok } from '../../../helpers';
import {
  ALL,
  freshSchema,
  listAll,
  preMigrationBackups,
  readCatalog,
  reread,
  schemaOf,
  upgradeFrom,
  type Upgraded,
} from './fixture';

let up: Upgraded;
const parts = readCatalog('parts');
beforeAll(() => {
  up = upgradeFrom(2, { parts: true });
});
afterAll(() => {
  up.core.close();
  cleanupTempDirs();
});

const sql = () => up.core.db.sqlite;

/** Words of a name as the unicode61 tokenizer sees them (lower case, no diacritics). */
const tokens = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** Part numbers whose name holds every word, the last one as a prefix unless it is a number. */
function namesMatching(query: string): string[] {
  const words = tokens(query);
  const last = words.at(-1)!;
  return parts
    .filter((p) => {
      const t = tokens(p.name!);
      return (
        words.slice(0, -1).every((w) => t.includes(w)) &&
        (/^\d+$/.test(last) ? t.includes(last) : t.some((x) => x.startsWith(last)))
      );
    })
    .map((p) => p.part_num!)
    .sort();
}

const QUERIES = [
  'Hinge Plate 1 x 2 Locking',
  'Minifig Helmet',
  'Hat Cowboy',
  'Tile Round 2 x 2 with Bottom Stud Hold',
  'Slope Curved 4 x 1 Doub',
];

describe('0002_catalog_search on a schema-2 database with the catalogue and lots', () => {
  it('holds the whole catalogue download and the lots before the upgrade', () => {
    expect(up.before.parts!.rows).toHaveLength(parts.length);
    expect(parts.length).toBeGreaterThan(60_000);
    expect(up.before.elements!.rows.length).toBeGreaterThan(100_000);
    expect(up.before.inventory_items!.rows).toHaveLength(up.lots.length);
    for (const q of QUERIES) expect(namesMatching(q).length, q).toBeGreaterThan(0);
    for (const q of QUERIES) expect(namesMatching(q).length, q).toBeLessThan(200);
  });

  it('took a pre-migration backup of the schema-2 file, catalogue included', () => {
    const backups = preMigrationBackups(up.dataDir);
    expect(backups).toHaveLength(1);
    expect(backups[0]!.manifest).toMatchObject({ reason: 'pre-migration', schemaVersion: 2, lots: up.lots.length, profiles: 3 });
    expect(backups[0]!.userVersion).toBe(2);
    expect(backups[0]!.tables).toEqual(Object.keys(up.before));
    expect(backups[0]!.tables).not.toContain('parts_fts');
  });

  it('migrated to the newest schema, which is object for object what a new database gets', () => {
    expect(up.core.lastMigration).toEqual({ from: 2, to: ALL.length, applied: ALL.slice(2).map((m) => m.tag) });
    expect(schemaOf(sql())).toEqual(freshSchema());
  });

  it('kept every row of every table with the same values', () => {
    expect(reread(sql(), up.before)).toEqual(up.before);
  });

  it('the name index holds every catalogue part once, with its number and name', () => {
    expect(sql().prepare('SELECT count(*) FROM parts_fts').pluck().get()).toBe(parts.length);
    expect(sql().prepare('SELECT count(DISTINCT part_num) FROM parts_fts').pluck().get()).toBe(parts.length);
    expect(
      sql()
        .prepare('SELECT count(*) FROM parts_fts f LEFT JOIN parts p ON p.part_num = f.part_num WHERE p.name IS NOT f.name')
        .pluck()
        .get(),
    ).toBe(0);
    sql().prepare("INSERT INTO parts_fts (parts_fts, rank) VALUES ('integrity-check', 1)").run();
  });

  it('catalog.search finds exactly the parts whose names hold the words', async () => {
    for (const q of QUERIES) {
      const found = await ok(up.core.invoke('catalog.search', { query: q, limit: 200 }));
      expect(found.map((p) => p.partNum).sort(), q).toEqual(namesMatching(q));
    }
    // Numbers are whole words: 1 x 2 does not find 1 x 20.
    const plates = await ok(up.core.invoke('catalog.search', { query: 'Plate 1 x 2', limit: 200 }));
    expect(plates.length).toBeGreaterThan(0);
    for (const p of plates) expect(tokens(p.name)).toEqual(expect.arrayContaining(['plate', '1', 'x', '2']));
  });

  it('the app’s other catalogue and inventory calls work on the upgraded data', async () => {
    expect(await ok(up.core.invoke('catalog.stats', {}))).toMatchObject({
      colors: 275,
      part_categories: readCatalog('part_categories').length,
      parts: parts.length,
      elements: up.before.elements!.rows.length,
      sets: 0,
    });
    const lot = up.lots.find((l) => l.partId === '3068b')!;
    const looked = await ok(up.core.invoke('catalog.lookup', { query: '3068b' }));
    expect(looked).toMatchObject({ matchedBy: 'part', part: { partNum: '3068b', name: lot.name } });
    // Lots inserted at schema 2 went through the lot search triggers of 0001.
    const tiles = up.lots
      .map((l, i) => ({ l, id: i + 1 }))
      .filter(
        ({ l }) => l.userId === 2 && [l.partId, l.name, l.colorName, l.location].some((f) => f.toLowerCase().includes('3068b')),
      );
    expect(tiles.length).toBeGreaterThan(1);
    expect((await listAll(up.core, 2, { search: '3068b' })).sort((a, b) => a - b)).toEqual(tiles.map((t) => t.id));
  });
});
