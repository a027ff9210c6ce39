// Migration 0003 (performance and aggregates): sort indexes that carry color_id and a location
// fingerprint, and per-profile, per-location and per-colour aggregates kept by triggers and
// backfilled from the lots already there. Upgrades a schema-3 database holding the real exports
// in three profiles (one without lots) and checks the backfill against GROUP BY counts, the
// indexes and the plans of the list queries the app runs on the upgraded file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SORT_EXPR, SORT_INDEX } from '../../../../src/main/inventory/query';
import { SORT_KEYS } from '../../../../src/shared/types';
import { cleanupTempDirs, ok } from '../../../helpers';
import {
  ALL,
  freshSchema,
  listAll,
  planOf,
  preMigrationBackups,
  reread,
  schemaOf,
  statementsOf,
  upgradeFrom,
  type Upgraded,
} from './fixture';

let up: Upgraded;
beforeAll(() => {
  up = upgradeFrom(3);
});
afterAll(() => {
  up.core.close();
  cleanupTempDirs();
});

const sql = () => up.core.db.sqlite;
const rows = (q: string) => sql().prepare(q).all();

const byHand = {
  profiles: () =>
    rows(`SELECT u.id AS user_id, count(i.id) AS lots, coalesce(sum(i.quantity_total), 0) AS quantity_total,
            coalesce(sum(i.quantity_used), 0) AS quantity_used
          FROM users u LEFT JOIN inventory_items i ON i.user_id = u.id GROUP BY u.id ORDER BY u.id`),
  locations: () =>
    rows(`SELECT user_id, lower(storage_location) AS location_key, count(*) AS lots, sum(quantity_total) AS quantity
          FROM inventory_items GROUP BY user_id, lower(storage_location) ORDER BY user_id, location_key`),
  colors: () =>
    rows(`SELECT user_id, color_id, color_name, count(*) AS lots, sum(quantity_total) AS quantity
          FROM inventory_items GROUP BY user_id, color_id ORDER BY user_id, color_id`),
};
const maintained = {
  // A profile without lots has no row: it counts as zero.
  profiles: () =>
    rows(`SELECT u.id AS user_id, coalesce(s.lots, 0) AS lots, coalesce(s.quantity_total, 0) AS quantity_total,
            coalesce(s.quantity_used, 0) AS quantity_used
          FROM users u LEFT JOIN inventory_stats s ON s.user_id = u.id ORDER BY u.id`),
  locations: () =>
    rows('SELECT user_id, location_key, lots, quantity FROM inventory_location_stats ORDER BY user_id, location_key'),
  colors: () =>
    rows('SELECT user_id, color_id, color_name, lots, quantity FROM inventory_color_stats ORDER BY user_id, color_id'),
};

function expectAggregatesInStep() {
  expect(maintained.profiles()).toEqual(byHand.profiles());
  expect(maintained.locations()).toEqual(byHand.locations());
  expect(maintained.colors()).toEqual(byHand.colors());
}

describe('0003_perf_aggregates on a schema-3 database with lots', () => {
  it('holds the lots of two profiles before the upgrade, and no aggregates', () => {
    expect(up.before.inventory_items!.rows).toHaveLength(up.lots.length);
    expect(up.lots.filter((l) => l.userId === 1).length).toBeGreaterThan(4000);
    expect(up.lots.filter((l) => l.userId === 2).length).toBeGreaterThan(1000);
    expect(up.oldSchema.map((o) => o.name)).not.toContain('inventory_stats');
    expect(up.oldSchema.find((o) => o.name === 'inventory_items')!.sql).not.toContain('location_fp');
  });

  it('took a pre-migration backup of the schema-3 file before changing it', () => {
    const backups = preMigrationBackups(up.dataDir);
    expect(backups).toHaveLength(1);
    expect(backups[0]!.manifest).toMatchObject({ reason: 'pre-migration', schemaVersion: 3, lots: up.lots.length, profiles: 3 });
    expect(backups[0]!.userVersion).toBe(3);
    expect(backups[0]!.migrations).toBe(3);
    expect(backups[0]!.lots).toBe(up.lots.length);
    expect(backups[0]!.tables).toEqual(Object.keys(up.before));
  });

  it('migrated to the newest schema, which is object for object what a new database gets', () => {
    expect(up.core.lastMigration).toEqual({ from: 3, to: ALL.length, applied: ALL.slice(3).map((m) => m.tag) });
    expect(schemaOf(sql())).toEqual(freshSchema());
  });

  it('kept every row of every table with the same values', () => {
    expect(reread(sql(), up.before)).toEqual(up.before);
  });

  it('backfilled the aggregates: per profile, per location and per colour they equal GROUP BY counts', () => {
    const perProfile = byHand.profiles() as { user_id: number; lots: number }[];
    expect(perProfile.map((p) => p.lots)).toEqual([1, 2, 3].map((u) => up.lots.filter((l) => l.userId === u).length));
    expectAggregatesInStep();
    // The display name of a location group is the location as written.
    expect(rows('SELECT count(*) AS n FROM inventory_location_stats WHERE lower(storage_location) <> location_key')).toEqual([
      { n: 0 },
    ]);
    expect(rows('SELECT count(*) AS n FROM inventory_stats WHERE user_id = 3')).toEqual([{ n: 0 }]);
  });

  it('has a sort index for every key that carries color_id (and the location fingerprint)', () => {
    for (const key of SORT_KEYS) {
      const text = (
        sql().prepare('SELECT sql FROM sqlite_master WHERE type = ? AND name = ?').pluck().get('index', SORT_INDEX[key]) as
          string | undefined
      )
        ?.replace(/[`"]/g, '')
        .replace(/\s*,\s*/g, ', ');
      expect(text, key).toBeDefined();
      const expr = SORT_EXPR[key].replace(/[()]/g, '');
      expect(text!.replace(/[()]/g, ''), key).toContain(`user_id, ${expr}, id, color_id`);
      if (key !== 'location') expect(text, key).toMatch(/, color_id, location_fp\)$/);
    }
    expect(rows("SELECT name FROM pragma_table_xinfo('inventory_items') WHERE name = 'location_fp' AND hidden = 2")).toHaveLength(
      1,
    );
  });

  for (const stats of ['without planner statistics', 'after ANALYZE'] as const) {
    it(`the app's list queries seek their index, never scan inventory_items (${stats})`, async () => {
      if (stats === 'after ANALYZE') sql().exec('ANALYZE');
      await ok(up.core.invoke('profiles.switch', { id: 1 }));
      const busy = up.lots.find((l) => l.userId === 1 && l.location !== '')!;
      const checked: string[] = [];
      for (const sort of SORT_KEYS) {
        for (const dir of ['asc', 'desc'] as const) {
          const texts = await statementsOf(up.core, async () => {
            const first = await ok(up.core.invoke('inventory.list', { ownerId: 1, sort, dir, limit: 50 }));
            await ok(up.core.invoke('inventory.list', { ownerId: 1, sort, dir, limit: 50, after: first.nextCursor! }));
          });
          const lists = texts.filter((t) => /FROM inventory_items/.test(t));
          expect(lists.length, `${sort} ${dir}`).toBeGreaterThanOrEqual(2);
          for (const t of lists) {
            const plan = planOf(sql(), t).join('\n');
            expect(plan, t).not.toMatch(/^SCAN inventory_items\b/m);
            expect(plan, t).not.toContain('TEMP B-TREE');
            expect(plan, t).toContain(`USING INDEX ${SORT_INDEX[sort]} (user_id=?`);
            checked.push(t);
          }
        }
      }
      // Filters and the dashboard: a location, a colour, a search, the summary, the locations.
      const texts = await statementsOf(up.core, async () => {
        await ok(up.core.invoke('inventory.list', { ownerId: 1, location: busy.location, sort: 'total', limit: 50 }));
        await ok(up.core.invoke('inventory.list', { ownerId: 1, colorId: 0, sort: 'updated', limit: 50 }));
        await ok(up.core.invoke('inventory.list', { ownerId: 1, colorId: 1050, sort: 'name', limit: 50 }));
        await ok(up.core.invoke('inventory.list', { ownerId: 1, search: 'Hinge', sort: 'name', limit: 50 }));
        await ok(up.core.invoke('inventory.summary', { ownerId: 1 }));
        await ok(up.core.invoke('inventory.locations', { ownerId: 1 }));
      });
      expect(texts.length).toBeGreaterThan(6);
      for (const t of texts) {
        const plan = planOf(sql(), t).join('\n');
        expect(plan, t).not.toMatch(/^SCAN (inventory_items|inventory_stats|inventory_location_stats|inventory_color_stats)\b/m);
      }
      expect(checked.length).toBeGreaterThanOrEqual(SORT_KEYS.length * 2 * 2);
    });
  }

  it('inventory.list pages through every lot of a profile in the order of each sort key', async () => {
    for (const ownerId of [1, 2, 3]) {
      for (const sort of SORT_KEYS) {
        for (const dir of ['asc', 'desc'] as const) {
          const expected = sql()
            .prepare(`SELECT id FROM inventory_items NOT INDEXED WHERE user_id = ? ORDER BY ${SORT_EXPR[sort]} ${dir}, id ${dir}`)
            .pluck()
            .all(ownerId);
          expect(await listAll(up.core, ownerId, { sort, dir }), `${ownerId} ${sort} ${dir}`).toEqual(expected);
        }
      }
    }
  });

  it('inventory.summary and inventory.locations answer from the backfilled aggregates', async () => {
    for (const ownerId of [1, 2, 3]) {
      await ok(up.core.invoke('profiles.switch', { id: ownerId }));
      const mine = up.lots.filter((l) => l.userId === ownerId);
      const s = await ok(up.core.invoke('inventory.summary', { ownerId, top: 10 }));
      const total = mine.reduce((a, l) => a + l.total, 0);
      const used = mine.reduce((a, l) => a + l.used, 0);
      expect(s).toMatchObject({ lots: mine.length, quantityTotal: total, quantityUsed: used, quantityAvailable: total - used });
      expect(s.locations).toBe(new Set(mine.filter((l) => l.location !== '').map((l) => l.location.toLowerCase())).size);
      expect(s.topColors).toEqual(
        rows(`SELECT color_id AS colorId, color_name AS colorName, sum(quantity_total) AS quantity, count(*) AS lots
              FROM inventory_items WHERE user_id = ${ownerId} GROUP BY color_id ORDER BY quantity DESC, colorName LIMIT 10`),
      );
      expect(s.topLocations).toEqual(
        rows(`SELECT min(storage_location) AS storageLocation, count(*) AS lots, sum(quantity_total) AS quantity
              FROM inventory_items WHERE user_id = ${ownerId} AND storage_location <> ''
              GROUP BY lower(storage_location) ORDER BY lots DESC, storageLocation LIMIT 10`),
      );
      const locations = await ok(up.core.invoke('inventory.locations', { ownerId, limit: 5000 }));
      expect(locations).toEqual(
        rows(`SELECT min(storage_location) AS storageLocation, count(*) AS lots FROM inventory_items
              WHERE user_id = ${ownerId} AND storage_location <> '' GROUP BY lower(storage_location) ORDER BY lower(storage_location)`),
      );
    }
  });

  it('after the upgrade the triggers keep the aggregates in step with the app’s writes', async () => {
    await ok(up.core.invoke('profiles.switch', { id: 1 }));
    const lot = up.lots.findIndex((l) => l.userId === 1 && l.used === 0 && l.location !== '');
    await ok(
      up.core.invoke('inventory.update', { id: lot + 1, patch: { quantityUsed: 1, storageLocation: 'Shelf 12', colorId: 1050 } }),
    );
    const made = await ok(
      up.core.invoke('inventory.create', {
        ownerId: 1,
        lot: { partId: '3001', colorId: 4, quantityTotal: 6, storageLocation: 'Shelf 12' },
      }),
    );
    expect(made.status).toBe('created');
    await ok(up.core.invoke('inventory.delete', { id: 2 }));
    expectAggregatesInStep();
    await ok(up.core.invoke('profiles.delete', { id: 2 }));
    expectAggregatesInStep();
    expect(rows('SELECT count(*) AS n FROM inventory_location_stats WHERE user_id = 2')).toEqual([{ n: 0 }]);
  });
});
