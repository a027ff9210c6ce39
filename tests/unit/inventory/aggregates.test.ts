// The maintained aggregates (inventory_stats, inventory_location_stats, inventory_color_stats)
// and the FTS index must equal a fresh computation after every kind of write: the service's
// create / merge / update / delete / undo, the CSV bulk import, a profile delete cascade, a
// colour rename, a database migrated from before the aggregates, and a restored backup file.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { loadMigrations, migrate } from '../../../src/main/db/migrate';
import { BULK_FTS_MIN_LOTS } from '../../../src/main/transfer/import';
import { importFile } from '../transfer/helpers';
import { MIGRATIONS, fill, tempCore } from './fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function fresh() {
  const t = tempCore();
  cleanups.push(t.dispose);
  return t;
}

type Row = Record<string, unknown>;
const all = (db: Database.Database, sql: string) => db.prepare(sql).all() as Row[];

/** Maintained aggregates next to the same figures computed from the lots right now. */
export function expectInStep(db: Database.Database): void {
  expect(
    all(db, 'SELECT user_id, lots, quantity_total, quantity_used FROM inventory_stats WHERE lots <> 0 ORDER BY user_id'),
  ).toEqual(
    all(
      db,
      `SELECT user_id, count(*) AS lots, sum(quantity_total) AS quantity_total, sum(quantity_used) AS quantity_used
         FROM inventory_items GROUP BY user_id ORDER BY user_id`,
    ),
  );
  expect(
    all(db, 'SELECT count(*) AS n FROM inventory_stats WHERE lots = 0 AND (quantity_total <> 0 OR quantity_used <> 0)'),
  ).toEqual([{ n: 0 }]);
  expect(all(db, 'SELECT user_id, location_key, lots, quantity FROM inventory_location_stats ORDER BY 1, 2')).toEqual(
    all(
      db,
      `SELECT user_id, lower(storage_location) AS location_key, count(*) AS lots, sum(quantity_total) AS quantity
         FROM inventory_items GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
  );
  // The shown spelling is one of the group's spellings.
  expect(
    all(
      db,
      `SELECT s.user_id FROM inventory_location_stats s WHERE NOT EXISTS (SELECT 1 FROM inventory_items i
         WHERE i.user_id = s.user_id AND i.storage_location = s.storage_location)`,
    ),
  ).toEqual([]);
  expect(all(db, 'SELECT user_id, color_id, color_name, lots, quantity FROM inventory_color_stats ORDER BY 1, 2')).toEqual(
    all(
      db,
      `SELECT user_id, color_id, max(color_name) AS color_name, count(*) AS lots, sum(quantity_total) AS quantity
         FROM inventory_items GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
  );
  // FTS5 compares its index with the content table and throws when they differ.
  db.prepare("INSERT INTO inventory_fts (inventory_fts, rank) VALUES ('integrity-check', 1)").run();
  for (const term of ['brick', 'drawer', 'black', '300']) {
    expect(
      db.prepare('SELECT count(*) FROM inventory_fts WHERE inventory_fts MATCH ?').pluck().get(`"${term}"`),
      `search "${term}"`,
    ).toBe(
      db
        .prepare(
          'SELECT count(*) FROM inventory_items WHERE name LIKE @t OR part_id LIKE @t OR color_name LIKE @t OR storage_location LIKE @t',
        )
        .pluck()
        .get({ t: `%${term}%` }),
    );
  }
}

function summaryMatches(core: Core, ownerId: number): void {
  const s = core.inventory.summary(ownerId, 2, 5);
  const fresh = core.db.sqlite
    .prepare(
      `SELECT count(*) AS lots, coalesce(sum(quantity_total), 0) AS t, coalesce(sum(quantity_used), 0) AS u,
         (SELECT count(DISTINCT lower(storage_location)) FROM inventory_items WHERE user_id = @o AND storage_location <> '') AS locs
       FROM inventory_items WHERE user_id = @o`,
    )
    .get({ o: ownerId }) as { lots: number; t: number; u: number; locs: number };
  expect([s.lots, s.quantityTotal, s.quantityUsed, s.locations]).toEqual([fresh.lots, fresh.t, fresh.u, fresh.locs]);
}

describe('maintained aggregates stay in step', () => {
  it('through every service write: create, merge, update, delete, undo', async () => {
    const { core } = fresh();
    const inv = core.inventory;
    const me = core.access();
    fill(core, me.ownerId, 300, 3);
    expectInStep(core.db.sqlite);

    const a = inv.create(me, { partId: '3001', colorId: 4, quantityTotal: 10, quantityUsed: 2, storageLocation: 'Box Z' });
    expect(a.status).toBe('created');
    expectInStep(core.db.sqlite);
    const m = inv.create(me, { partId: '3001', colorId: 4, quantityTotal: 5, storageLocation: 'Box Z' }, 'merge');
    expect(m.status).toBe('merged');
    expectInStep(core.db.sqlite);
    const id = a.status === 'created' ? a.lot.id : 0;

    inv.update(me, id, { quantityTotal: 40, quantityUsed: 39 });
    expectInStep(core.db.sqlite);
    inv.update(me, id, { storageLocation: 'box z' }); // same group, other spelling
    expectInStep(core.db.sqlite);
    inv.update(me, id, { storageLocation: 'Shelf 9' }); // moves to a new location
    expectInStep(core.db.sqlite);
    inv.update(me, id, { colorId: 1 }); // other colour (colour name follows)
    expectInStep(core.db.sqlite);
    inv.update(me, id, { partId: '3002', name: 'Brick 2 x 3' });
    expectInStep(core.db.sqlite);

    inv.remove(me, id);
    expectInStep(core.db.sqlite);
    expect(
      core.db.sqlite.prepare("SELECT count(*) FROM inventory_location_stats WHERE location_key = 'shelf 9'").pluck().get(),
    ).toBe(0);
    await core.history.undo(); // the delete, put back by the journal
    expectInStep(core.db.sqlite);
    summaryMatches(core, me.ownerId);

    // Delete everything: the aggregates empty out too.
    for (const lot of [...inv.iterate(me.ownerId)]) inv.remove(me, lot.id);
    expectInStep(core.db.sqlite);
    expect(inv.summary(me.ownerId, 2).lots).toBe(0);
    expect(inv.list(me.ownerId, {}, { sort: 'name', dir: 'asc' }).total).toBe(0);
  });

  it('through the import (small and bulk, add and replace)', async () => {
    const { core, dir } = fresh();
    const me = core.access();
    fill(core, me.ownerId, 200, 4);
    const write = (name: string, n: number) => {
      const rows = ['Part,Color,Quantity,Notes,Location,IsUsed,IsStickered'];
      for (let i = 0; i < n; i++) {
        rows.push(`${3000 + (i % 400)},${i % 7},${i + 1},,Bin ${i % 11},${i % 3 === 0 ? 'True' : 'False'},False`);
      }
      const file = path.join(dir, name);
      writeFileSync(file, `${rows.join('\n')}\n`);
      return file;
    };
    const small = write('small.csv', 150);
    // Big enough for the import's bulk path (search index filled in one statement).
    const big = write('big.csv', BULK_FTS_MIN_LOTS + 500);
    for (const [file, mode] of [
      [small, 'add'],
      [small, 'add'], // all merge
      [small, 'replace'],
      [big, 'add'],
      [big, 'replace'],
    ] as const) {
      const { preview, result } = await importFile(core, file, { mode });
      expect(preview.ok, JSON.stringify(preview)).toBe(true);
      expect(result?.ok, JSON.stringify(result)).toBe(true);
      expectInStep(core.db.sqlite);
    }
    summaryMatches(core, me.ownerId);
  });

  it('through a profile delete (cascade) and a colour rename', () => {
    const { core } = fresh();
    const other = core.profiles.create('Second');
    fill(core, 1, 150, 5);
    fill(core, other.id, 150, 6);
    expectInStep(core.db.sqlite);
    core.profiles.remove(other.id);
    expect(core.db.sqlite.prepare('SELECT count(*) FROM inventory_items WHERE user_id = ?').pluck().get(other.id)).toBe(0);
    expectInStep(core.db.sqlite);
    for (const t of ['inventory_stats', 'inventory_location_stats', 'inventory_color_stats']) {
      expect(core.db.sqlite.prepare(`SELECT count(*) FROM ${t} WHERE user_id = ?`).pluck().get(other.id), t).toBe(0);
    }
    core.db.sqlite.prepare("UPDATE colors SET name = 'Jet Black' WHERE id = 0").run();
    expectInStep(core.db.sqlite);
    expect(core.inventory.summary(1, 2, 50).topColors.map((c) => c.colorName)).toContain('Jet Black');
  });

  it('in a database made before the aggregates existed (an older backup): the migration backfills', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-old-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'blockshelf.db');
    const old = new Database(file);
    const all = loadMigrations(MIGRATIONS);
    const perf = all.find((m) => m.tag.endsWith('_perf_aggregates'))!;
    const before = all.filter((m) => m.idx < perf.idx);
    migrate(old, before);
    old.prepare("INSERT INTO users (id, name, created_at) VALUES (1, 'Me', 0), (2, 'You', 0)").run();
    const ins = old.prepare(`INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total,
      quantity_used, storage_location, created_at, updated_at) VALUES (?, ?, ?, 'c', 'Brick', ?, ?, ?, 0, 0)`);
    for (let i = 0; i < 120; i++)
      ins.run(1 + (i % 2), `p${i % 30}`, i % 5, i + 1, i % 3, ['A', 'a', 'B', ''][Math.floor(i / 2) % 4]);
    old.close();
    const core = createCore({ dataDir: dir, migrationsDir: MIGRATIONS, logToFile: false });
    cleanups.push(() => core.close());
    expect(core.lastMigration.applied).toContain(perf.tag);
    expectInStep(core.db.sqlite);
    summaryMatches(core, 1);
    // The colour names of the old rows were placeholders: the aggregate keeps the rows' own.
    expect(core.inventory.list(1, { location: 'a' }, { sort: 'name', dir: 'asc' }).total).toBe(30);
  });

  it('through a backup and a restore with the backup engine', async () => {
    const { core } = fresh();
    fill(core, 1, 300, 12);
    const b = await core.backup.create('manual');
    const lotsAtBackup = core.inventory.summary(1, 2).lots;
    fill(core, 1, 120, 13); // changes after the backup
    expect(core.inventory.summary(1, 2).lots).toBeGreaterThan(lotsAtBackup);
    const r = await core.invoke('backup.restore', { backupId: b.id });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expectInStep(core.db.sqlite);
    expect(core.inventory.summary(1, 2).lots).toBe(lotsAtBackup);
    expect(core.inventory.list(1, {}, { sort: 'name', dir: 'asc' }).total).toBe(lotsAtBackup);
    core.inventory.create(core.access(), { partId: '3003', colorId: 2, quantityTotal: 3, storageLocation: 'After' });
    expectInStep(core.db.sqlite);
  });

  it('after restoring a backup file: the aggregates travel with the data', async () => {
    const { core, dir } = fresh();
    fill(core, 1, 250, 9);
    const backup = path.join(dir, 'backup.db');
    await core.db.sqlite.backup(backup);
    const lotsAtBackup = core.inventory.summary(1, 2).lots;
    fill(core, 1, 100, 10); // changes after the backup
    core.close();
    for (const ext of ['', '-wal', '-shm']) rmSync(core.paths.db + ext, { force: true });
    copyFileSync(backup, core.paths.db);
    const restored = createCore({ dataDir: dir, migrationsDir: MIGRATIONS, logToFile: false });
    cleanups.push(() => restored.close());
    expectInStep(restored.db.sqlite);
    expect(restored.inventory.summary(1, 2).lots).toBe(lotsAtBackup);
    expect(restored.inventory.list(1, {}, { sort: 'name', dir: 'asc' }).total).toBe(lotsAtBackup);
    // and keep in step with writes after the restore
    const me = restored.access();
    restored.inventory.create(me, { partId: '3003', colorId: 2, quantityTotal: 3, storageLocation: 'New' });
    expectInStep(restored.db.sqlite);
  });
});

describe('locations list from the maintained aggregate', () => {
  it('groups spellings case-insensitively, filters by prefix (also case-insensitively), counts lots', () => {
    const { core } = fresh();
    const me = core.access();
    const add = (partId: string, storageLocation: string) =>
      core.inventory.create(me, { partId, colorId: 0, quantityTotal: 1, storageLocation }, 'reject');
    add('3001', 'Bin 3');
    add('3002', 'BIN 3');
    add('3003', 'Bin 4');
    add('3004', 'Drawer %');
    add('3005', 'Bin_5');
    add('3006', '');
    expect(core.inventory.locations(me.ownerId)).toEqual([
      { storageLocation: 'Bin 3', lots: 2 },
      { storageLocation: 'Bin 4', lots: 1 },
      { storageLocation: 'Bin_5', lots: 1 },
      { storageLocation: 'Drawer %', lots: 1 },
    ]);
    expect(core.inventory.locations(me.ownerId, 'bIN').map((l) => l.storageLocation)).toEqual(['Bin 3', 'Bin 4', 'Bin_5']);
    expect(core.inventory.locations(me.ownerId, 'bIN 4').map((l) => l.storageLocation)).toEqual(['Bin 4']);
    expect(core.inventory.locations(me.ownerId, 'bin_').map((l) => l.storageLocation)).toEqual(['Bin_5']);
    expect(core.inventory.locations(me.ownerId, 'drawer %').map((l) => l.storageLocation)).toEqual(['Drawer %']);
    expect(core.inventory.locations(me.ownerId, 'x')).toEqual([]);
    expect(core.inventory.summary(me.ownerId, 2).locations).toBe(4);
  });
});
