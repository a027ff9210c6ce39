// Migration 0001 (search and colours): the case-insensitive and available sort indexes, the
// FTS5 trigram search over lots kept in step by triggers, colour names kept in step with the
// colour table, and the shipped colour table. Upgrades a schema-1 database holding the real
// exports in three profiles (colours and categories from the Rebrickable download of the day).
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, ok } from '../../../helpers';
import {
  ALL,
  catalogColors,
  databaseAt,
  fillEra,
  freshSchema,
  listAll,
  openApp,
  preMigrationBackups,
  reread,
  schemaOf,
  snapshot,
  upgradeFrom,
  type EraLot,
  type Upgraded,
} from './fixture';

let up: Upgraded;
beforeAll(() => {
  up = upgradeFrom(1);
});
afterAll(() => {
  up.core.close();
  cleanupTempDirs();
});

const sql = () => up.core.db.sqlite;
const idOf = (i: number) => i + 1; // lots were inserted in order into an empty table

/** Lot ids of a profile where every term is in the name, part, colour or location (ASCII case-insensitive). */
function matching(lots: EraLot[], ownerId: number, text: string): number[] {
  const terms = text.toLowerCase().split(/\s+/);
  return lots
    .map((l, i) => ({ l, id: idOf(i) }))
    .filter(({ l }) => l.userId === ownerId)
    .filter(({ l }) => terms.every((t) => [l.name, l.partId, l.colorName, l.location].some((f) => f.toLowerCase().includes(t))))
    .map(({ id }) => id)
    .sort((a, b) => a - b);
}

async function found(ownerId: number, search: string): Promise<number[]> {
  return (await listAll(up.core, ownerId, { search })).sort((a, b) => a - b);
}

// Searches that name a part, a part name, a colour and a location of the real exports.
const SEARCHES = ['3957', 'Hinge', 'Reddish Brown', 'Bin drawer Antenna', 'Tile 2 x 2', 'Trans-Clear'];

describe('0001_search_and_colors on a schema-1 database with lots', () => {
  it('fills the old database the way it is tested (ids in insert order, three profiles, used lots, a part and colour in two places)', () => {
    const items = up.before.inventory_items!;
    expect(items.rows).toHaveLength(up.lots.length);
    expect(items.rows.map((r) => r[0])).toEqual(up.lots.map((_, i) => idOf(i)));
    expect(new Set(up.lots.map((l) => l.userId))).toEqual(new Set([1, 2]));
    expect(up.lots.filter((l) => l.used > 0).length).toBeGreaterThan(500);
    const places = new Map<string, Set<string>>();
    for (const l of up.lots.filter((x) => x.userId === 1)) {
      const k = `${l.partId}/${l.colorId}`;
      places.set(k, (places.get(k) ?? new Set()).add(l.location));
    }
    expect([...places.values()].filter((s) => s.size > 1).length).toBeGreaterThanOrEqual(3);
    for (const q of SEARCHES) expect(matching(up.lots, 1, q).length, q).toBeGreaterThan(0);
  });

  it('took a pre-migration backup of the schema-1 file before changing it', () => {
    const backups = preMigrationBackups(up.dataDir);
    expect(backups).toHaveLength(1);
    const [b] = backups;
    expect(b!.manifest).toMatchObject({
      reason: 'pre-migration',
      schemaVersion: 1,
      lots: up.lots.length,
      profiles: 3,
      integrity: 'ok',
    });
    expect(b!.userVersion).toBe(1);
    expect(b!.migrations).toBe(1);
    expect(b!.lots).toBe(up.lots.length);
    expect(b!.tables).toEqual(Object.keys(up.before));
  });

  it('migrated to the newest schema, which is object for object what a new database gets', () => {
    expect(up.core.lastMigration).toEqual({ from: 1, to: ALL.length, applied: ALL.slice(1).map((m) => m.tag) });
    expect(schemaOf(sql())).toEqual(freshSchema());
  });

  it('kept every row of every table with the same values', () => {
    expect(reread(sql(), up.before)).toEqual(up.before);
  });

  it('the colour table is the shipped one and every lot’s colour name matches it', () => {
    const shipped = sql().prepare('SELECT id, name, rgb, is_trans AS isTrans FROM colors ORDER BY id').all();
    expect(shipped).toEqual(catalogColors().sort((a, b) => a.id - b.id));
    expect(
      sql()
        .prepare('SELECT count(*) FROM inventory_items i JOIN colors c ON c.id = i.color_id WHERE i.color_name IS NOT c.name')
        .pluck()
        .get(),
    ).toBe(0);
  });

  it('has the sort indexes it adds, on the right expressions', () => {
    const idx = (name: string) =>
      (sql().prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(name) as string).replace(/[`"]/g, '');
    expect(idx('inventory_items_user_name_idx')).toMatch(/\(user_id, name COLLATE NOCASE, id\b/);
    expect(idx('inventory_items_user_location_idx')).toMatch(/\(user_id, storage_location COLLATE NOCASE, id\b/);
    expect(idx('inventory_items_user_available_idx')).toMatch(/\(user_id, \(quantity_total - quantity_used\), id\b/);
  });

  // Migration 0001 creates inventory_fts as an external-content table but never fills it from
  // the lots already there (no 'rebuild'), so lots made before the upgrade are missing from the
  // index: search does not find them and the index fails its own integrity check. Released
  // migrations are not edited; these fail until a later migration rebuilds the index.
  it.fails('the search index holds every lot made before the upgrade', () => {
    expect(sql().prepare('SELECT count(*) FROM inventory_fts_docsize').pluck().get()).toBe(up.lots.length);
    sql().prepare("INSERT INTO inventory_fts (inventory_fts, rank) VALUES ('integrity-check', 1)").run();
  });

  it.fails('search finds lots made before the upgrade by part, name, colour and location', async () => {
    for (const q of SEARCHES) expect(await found(1, q), q).toEqual(matching(up.lots, 1, q));
  });

  it.fails('a lot made before the upgrade can be moved to another location', async () => {
    const lot = await ok(up.core.invoke('inventory.get', { id: idOf(0) }));
    await ok(up.core.invoke('inventory.update', { id: lot.id, patch: { storageLocation: 'Shelf 9' } }));
  });

  it('the app lists, reads and places the upgraded lots with their old values', async () => {
    for (const ownerId of [1, 2, 3]) {
      const mine = up.lots.map((l, i) => ({ l, id: idOf(i) })).filter(({ l }) => l.userId === ownerId);
      expect(await listAll(up.core, ownerId, { sort: 'part', dir: 'asc' })).toEqual(
        [...mine].sort((a, b) => (a.l.partId < b.l.partId ? -1 : a.l.partId > b.l.partId ? 1 : a.id - b.id)).map((x) => x.id),
      );
    }
    const i = up.lots.findIndex((l) => l.used > 0 && l.used < l.total && l.notes !== '');
    const l = up.lots[i]!;
    expect(await ok(up.core.invoke('inventory.get', { id: idOf(i) }))).toMatchObject({
      ownerId: l.userId,
      partId: l.partId,
      colorId: l.colorId,
      colorName: l.colorName,
      name: l.name,
      quantityTotal: l.total,
      quantityUsed: l.used,
      quantityAvailable: l.total - l.used,
      storageLocation: l.location,
      notes: l.notes,
      createdAt: l.createdAt,
      updatedAt: l.updatedAt,
    });
    // A part and colour kept in several places: where-is lists each of them.
    const twice = up.lots.find(
      (a) => a.userId === 1 && up.lots.some((b) => b !== a && b.userId === 1 && b.partId === a.partId && b.colorId === a.colorId),
    )!;
    const placements = await ok(
      up.core.invoke('inventory.whereIs', { ownerId: 1, partId: twice.partId, colorId: twice.colorId }),
    );
    expect(placements.map((p) => p.storageLocation).sort()).toEqual(
      up.lots
        .filter((b) => b.userId === 1 && b.partId === twice.partId && b.colorId === twice.colorId)
        .map((b) => b.location)
        .sort(),
    );
  });

  it('once the index is rebuilt, search finds exactly the lots that contain the terms, per profile', async () => {
    sql().prepare("INSERT INTO inventory_fts (inventory_fts) VALUES ('rebuild')").run();
    for (const q of SEARCHES) expect(await found(1, q), q).toEqual(matching(up.lots, 1, q));
    expect(await found(2, 'Tile 2 x 2')).toEqual(matching(up.lots, 2, 'Tile 2 x 2'));
    expect(await found(3, 'Tile')).toEqual([]);
  });

  it('a new lot and a renamed colour reach the search index through the triggers', async () => {
    await ok(up.core.invoke('profiles.switch', { id: 3 }));
    const made = await ok(
      up.core.invoke('inventory.create', {
        ownerId: 3,
        lot: { partId: '3001', colorId: 4, quantityTotal: 9, storageLocation: 'Attic crate' },
      }),
    );
    expect(made).toMatchObject({ status: 'created' });
    expect(await found(3, 'Attic')).toHaveLength(1);
    const redLots = up.lots.filter((l) => l.colorId === 4).length + 1;
    expect(await found(1, 'Scarlet')).toEqual([]);
    sql().prepare("UPDATE colors SET name = 'Scarlet' WHERE id = 4").run();
    expect(
      sql().prepare("SELECT count(*) FROM inventory_items WHERE color_id = 4 AND color_name = 'Scarlet'").pluck().get(),
    ).toBe(redLots);
    expect((await found(1, 'Scarlet')).length + (await found(2, 'Scarlet')).length + (await found(3, 'Scarlet')).length).toBe(
      redLots,
    );
    sql().prepare("INSERT INTO inventory_fts (inventory_fts, rank) VALUES ('integrity-check', 1)").run();
  });
});

// A schema-1 database whose colour table came from a download that named a colour otherwise than
// the shipped table (Rebrickable renames colours now and then).
describe('0001_search_and_colors when the old colour table names a colour differently', () => {
  function oldWithRenamedColor() {
    const old = databaseAt(1);
    fillEra(old.sqlite);
    old.sqlite.prepare("UPDATE colors SET name = 'Lt Bluish Gray' WHERE id = 71").run();
    old.sqlite.prepare("UPDATE inventory_items SET color_name = 'Lt Bluish Gray' WHERE color_id = 71").run();
    const before = snapshot(old.sqlite);
    old.sqlite.close();
    return { ...old, before };
  }

  // The shipped colour upsert renames the colour, its trigger renames the lots' colour_name, and
  // the search trigger then deletes from inventory_fts entries that were never indexed (see
  // above): SQLite reports the FTS index as corrupt and the whole upgrade is refused.
  it.fails('upgrades, and the lots take the shipped colour name', async () => {
    const old = oldWithRenamedColor();
    const core = openApp(old.dataDir);
    try {
      expect(core.db.sqlite.prepare('SELECT DISTINCT color_name FROM inventory_items WHERE color_id = 71').pluck().all()).toEqual(
        ['Light Bluish Gray'],
      );
    } finally {
      core.close();
    }
  });

  it('a refused upgrade leaves the file exactly as it was, with its backup beside it', () => {
    const old = oldWithRenamedColor();
    expect(() => openApp(old.dataDir)).toThrow(/0001_search_and_colors failed/);
    const db = new Database(old.file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(snapshot(db)).toEqual(old.before);
    } finally {
      db.close();
    }
    expect(preMigrationBackups(old.dataDir).map((b) => b.lots)).toEqual([old.before.inventory_items!.rows.length]);
  });
});
