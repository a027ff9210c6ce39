// app.info's counts come from the maintained aggregates: they must equal a GROUP BY over
// inventory_items after every kind of write, and reading them must not touch inventory_items.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { AppInfo, CreateOutcome, Lot, Profile } from '../../../src/shared/types';
import { cleanup, exportsDir, importFile, newCore, ok } from '../transfer/helpers';

afterEach(cleanup);

/** The counts as the old app.info worked them out: by counting every lot of the profile. */
function counted(core: Core, ownerId: number): AppInfo['counts'] {
  return core.db.sqlite
    .prepare(
      `SELECT (SELECT count(*) FROM inventory_items WHERE user_id = @id) AS lots,
              (SELECT coalesce(sum(quantity_total), 0) FROM inventory_items WHERE user_id = @id) AS quantityTotal,
              (SELECT count(*) FROM (SELECT 1 FROM inventory_items WHERE user_id = @id AND storage_location <> ''
                 GROUP BY storage_location COLLATE NOCASE)) AS locations,
              (SELECT count(*) FROM users) AS profiles`,
    )
    .get({ id: ownerId }) as AppInfo['counts'];
}

async function expectCountsMatch(core: Core): Promise<AppInfo['counts']> {
  const info = ok<AppInfo>(await core.invoke('app.info', {}));
  expect(info.counts).toEqual(counted(core, info.profile.id));
  return info.counts;
}

const create = async (core: Core, lot: object) =>
  ok<CreateOutcome & { lot: Lot }>(await core.invoke('inventory.create', { lot, onDuplicate: 'merge' })).lot;

describe('app.info counts', () => {
  it('equal a GROUP BY over inventory_items after adds, edits, deletes and an import', async () => {
    const core = newCore();
    try {
      expect(await expectCountsMatch(core)).toEqual({ lots: 0, quantityTotal: 0, locations: 0, profiles: 1 });

      const a = await create(core, { partId: '3001', colorId: 4, quantityTotal: 5, storageLocation: 'Bin A' });
      await create(core, { partId: '3001', colorId: 4, quantityTotal: 2, storageLocation: 'Bin A' }); // merged
      const b = await create(core, { partId: '3002', colorId: 0, quantityTotal: 7, storageLocation: 'bin a' }); // same place, other case
      const c = await create(core, { partId: '3003', colorId: 1, quantityTotal: 1, storageLocation: 'Drawer 2' });
      await create(core, { partId: '3004', colorId: 1, quantityTotal: 3 }); // no location
      expect(await expectCountsMatch(core)).toEqual({ lots: 4, quantityTotal: 18, locations: 2, profiles: 1 });

      ok(await core.invoke('inventory.update', { id: a.id, patch: { quantityTotal: 40, storageLocation: 'Shelf' } }));
      ok(await core.invoke('inventory.update', { id: c.id, patch: { storageLocation: '' } }));
      expect(await expectCountsMatch(core)).toEqual({ lots: 4, quantityTotal: 51, locations: 2, profiles: 1 });

      ok<Lot>(await core.invoke('inventory.delete', { id: b.id }));
      expect(await expectCountsMatch(core)).toEqual({ lots: 3, quantityTotal: 44, locations: 1, profiles: 1 });
      ok(await core.invoke('history.undo', {}));
      await expectCountsMatch(core);

      const { result } = await importFile(core, path.join(exportsDir, 'rebrickable_parts_401014_3-1-Round-Curved.csv'), {
        skipInvalid: true,
      });
      expect(result?.ok).toBe(true);
      const afterImport = await expectCountsMatch(core);
      expect(afterImport.lots).toBeGreaterThan(4);

      // Another profile's lots count for that profile only.
      const kid = ok<Profile>(await core.invoke('profiles.create', { name: 'Kid' }));
      expect((await expectCountsMatch(core)).profiles).toBe(2);
      ok(await core.invoke('profiles.switch', { id: kid.id }));
      await create(core, { partId: '3001', colorId: 4, quantityTotal: 9, storageLocation: 'Box' });
      expect(await expectCountsMatch(core)).toEqual({ lots: 1, quantityTotal: 9, locations: 1, profiles: 2 });
    } finally {
      core.close();
    }
  });

  it('reads only the aggregates: no statement it runs touches inventory_items', async () => {
    const core = newCore();
    try {
      await create(core, { partId: '3001', colorId: 4, quantityTotal: 5, storageLocation: 'Bin A' });
      const seen: string[] = [];
      const db = core.db;
      const stmt = db.stmt.bind(db);
      const prepare = db.sqlite.prepare.bind(db.sqlite);
      db.stmt = (sql: string) => (seen.push(sql), stmt(sql));
      db.sqlite.prepare = ((sql: string) => (seen.push(sql), prepare(sql))) as typeof db.sqlite.prepare;
      try {
        ok(await core.invoke('app.info', {}));
      } finally {
        db.stmt = stmt;
        db.sqlite.prepare = prepare;
      }
      const counting = seen.filter((s) => /inventory_stats|inventory_location_stats/.test(s));
      expect(counting.length).toBeGreaterThan(0);
      for (const sql of seen) expect(sql).not.toMatch(/\binventory_items\b/);
      for (const sql of counting) {
        const plan = (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ id: 1 }) as { detail: string }[]).map((r) => r.detail);
        expect(plan.join('\n')).not.toMatch(/inventory_items/);
        // Each aggregate is sought by its primary key, never scanned.
        expect(plan.filter((d) => /^SCAN (inventory_stats|inventory_location_stats)\b/.test(d))).toEqual([]);
      }
    } finally {
      core.close();
    }
  });
});
