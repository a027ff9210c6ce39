// Undo and redo through the real core, for each kind of operation: do → undo gives back every
// row of inventory_items, the aggregates and the search index exactly; undo → redo gives the
// state after the operation. Then conflicts, the redo branch, the bounds, lots' history and
// deleted lots, the worker path, and the journal's entry in the import worker.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { LotHistoryEntry } from '../../../src/shared/contract';
import { cleanupTempDirs, frozenClock, makeCore, ok, tempDir } from '../../helpers';
import { fixture, importFile } from '../transfer/helpers';
import { expectState, fullState } from './state';

afterEach(cleanupTempDirs);

function core(opts: Parameters<typeof makeCore>[0] = {}): Core {
  const clock = frozenClock();
  return makeCore({ now: () => (clock.advance(1000), clock()), ...opts });
}

async function add(c: Core, partId: string, colorId: number, qty: number, loc = '', name?: string) {
  const r = await ok(
    c.invoke('inventory.create', {
      lot: { partId, colorId, quantityTotal: qty, storageLocation: loc, ...(name ? { name } : {}) },
      onDuplicate: 'merge',
    }),
  );
  if (r.status === 'duplicate') throw new Error('unexpected');
  return r.lot;
}

/** Some lots in a few locations and colours (each its own operation). */
async function seed(c: Core) {
  const a = await add(c, '3001', 4, 12, 'Box A', 'Brick 2 x 4');
  const b = await add(c, '3023', 0, 5, 'box a');
  const d = await add(c, '3069b', 71, 7, 'Drawer 2');
  return { a, b, d };
}

/** Does `op`, then checks undo → exactly the state before, redo → exactly the state after. */
async function roundTrip(c: Core, op: () => Promise<unknown>, label: RegExp) {
  const before = fullState(c.db.sqlite);
  await op();
  const after = fullState(c.db.sqlite);
  expect(after).not.toEqual(before);
  const st = await ok(c.invoke('history.state', {}));
  expect(st.undo?.label).toMatch(label);
  const undone = await ok(c.invoke('history.undo', {}));
  expect(undone.done.map((o) => o.label)).toEqual([st.undo!.label]);
  expectState(c.db.sqlite, before);
  expect(undone.state.redo?.label).toBe(st.undo!.label);
  await ok(c.invoke('history.redo', {}));
  expectState(c.db.sqlite, after);
  // And once more: the second undo of the same operation is as exact as the first.
  await ok(c.invoke('history.undo', {}));
  expectState(c.db.sqlite, before);
  await ok(c.invoke('history.redo', {}));
  expectState(c.db.sqlite, after);
}

describe('each kind of operation: do → undo → redo, exact', () => {
  it('add (the profile’s first lot: no totals row is left behind)', async () => {
    const c = core();
    await roundTrip(c, () => add(c, '3001', 4, 12, 'Box A'), /^Add 3001 Red: 12 at Box A$/);
    c.close();
  });

  it('add to an existing lot (merge)', async () => {
    const c = core();
    await seed(c);
    await roundTrip(c, () => add(c, '3001', 4, 8, 'Box A'), /^Add 8 to 3001 Red at Box A: total 12 → 20$/);
    c.close();
  });

  it('edit a quantity, and a move to a new location', async () => {
    const c = core();
    const { a, b } = await seed(c);
    await roundTrip(
      c,
      () => c.invoke('inventory.update', { id: a.id, patch: { quantityTotal: 20 } }),
      /^Edit 3001 Red: total 12 → 20$/,
    );
    await roundTrip(
      c,
      () => c.invoke('inventory.update', { id: b.id, patch: { storageLocation: 'Shelf 9' } }),
      /^Move 3023 Black: box a → Shelf 9$/,
    );
    c.close();
  });

  it('delete (the last lot of a location and of a colour)', async () => {
    const c = core();
    const { d } = await seed(c);
    await roundTrip(c, () => c.invoke('inventory.delete', { id: d.id }), /^Delete 3069b Light Bluish Gray: 7 at Drawer 2$/);
    c.close();
  });

  it('import (add): new lots by their batch, changed lots by their before-images', async () => {
    const c = core();
    await seed(c);
    await roundTrip(
      c,
      async () => {
        const { result } = await importFile(c, fixture('blockshelf.csv'), { mode: 'add' });
        expect(result?.ok).toBe(true);
      },
      /^Import blockshelf\.csv: 4 lots$/,
    );
    c.close();
  });

  it('import (replace) of lots that are there', async () => {
    const c = core();
    await importFile(c, fixture('blockshelf.csv'), { mode: 'add' });
    const csv = path.join(tempDir(), 'again.csv');
    writeFileSync(csv, 'part_id,color,quantity_total,storage_location\n3001,Red,99,Drawer 1\n3003,Red,2,Drawer 1\n');
    await roundTrip(
      c,
      async () => expect((await importFile(c, csv, { mode: 'replace' })).result?.ok).toBe(true),
      /^Import again\.csv: 2 lots \(replace\)$/,
    );
    c.close();
  });

  it('filling in names from the catalogue', async () => {
    const c = core();
    c.db.sqlite.prepare(`INSERT INTO parts (part_num, name) VALUES ('3001', 'Brick 2 x 4'), ('3023', 'Plate 1 x 2')`).run();
    await add(c, '3001', 4, 1, 'X');
    await add(c, '3023', 4, 1, 'X');
    c.db.sqlite.prepare(`UPDATE inventory_items SET name = ''`).run();
    await roundTrip(c, () => c.invoke('catalog.fillNames', {}), /^Fill in names from the catalogue: 2 lots$/);
    c.close();
  });

  it('an import of many lots, undone in bulk (delete triggers set aside, search index and totals rebuilt), exactly', async () => {
    const c = core();
    await seed(c);
    // A location spelled two ways, named after the lot that made its totals row first.
    await add(c, '3004', 4, 2, 'BOX A');
    const csv = path.join(tempDir(), 'many.csv');
    const rows = ['part_id,color,quantity_total,storage_location', '3001,Red,3,Box A', '3023,Black,1,BOX A'];
    for (let i = 0; i < 25_000; i++)
      rows.push(`m${i},${[0, 1, 4, 15][i % 4]},${1 + (i % 7)},${i % 3 ? `Bin ${i % 40}` : 'box A'}`);
    writeFileSync(csv, `${rows.join('\n')}\n`);
    await roundTrip(
      c,
      async () => expect((await importFile(c, csv, { mode: 'add' })).result?.ok).toBe(true),
      /^Import many\.csv: 25002 lots$/,
    );
    expect(c.history.lastStep()).toEqual({ lots: 25_002, bulk: false, worker: true }); // the redo
    await ok(c.invoke('history.undo', {}));
    expect(c.history.lastStep()).toEqual({ lots: 25_002, bulk: true, worker: true });
    c.close();
  }, 120_000);

  it('a big operation is stepped in a worker on its own connection, with the same result', async () => {
    const c = core({ historyWorkerMinLots: 2 });
    await seed(c);
    await roundTrip(
      c,
      async () => expect((await importFile(c, fixture('blockshelf.csv'), { mode: 'add' })).result?.ok).toBe(true),
      /^Import blockshelf\.csv/,
    );
    expect(c.history.lastStep()).toMatchObject({ worker: true, bulk: false });
    c.close();
  });
});

describe('the journal', () => {
  it('undoes in order, several steps at once, and a new change drops the redo branch', async () => {
    const c = core();
    const empty = fullState(c.db.sqlite);
    await seed(c);
    const three = fullState(c.db.sqlite);
    const r = await ok(c.invoke('history.undo', { steps: 3 }));
    expect(r.done.map((o) => o.label)).toEqual([
      'Add 3069b Light Bluish Gray: 7 at Drawer 2',
      'Add 3023 Black: 5 at box a',
      'Add 3001 Red: 12 at Box A',
    ]);
    expectState(c.db.sqlite, empty);
    await ok(c.invoke('history.redo', { steps: 2 }));
    expect((await ok(c.invoke('history.state', {}))).redo?.label).toBe('Add 3069b Light Bluish Gray: 7 at Drawer 2');
    await add(c, '3003', 1, 1);
    expect((await ok(c.invoke('history.state', {}))).redo).toBeNull();
    const nothing = await c.invoke('history.redo', {});
    expect(nothing).toMatchObject({ ok: false, error: { code: 'not-found', message: 'There is nothing to redo.' } });
    // Undo of the last one and redo put the same lots back.
    await ok(c.invoke('history.undo', {}));
    await ok(c.invoke('history.redo', {}));
    expect(fullState(c.db.sqlite).items).not.toEqual(three.items);
    c.close();
  });

  it('refuses to undo an operation whose lot another profile changed since, and changes nothing', async () => {
    const c = core();
    const owner = await ok(c.invoke('profiles.current', {}));
    const guest = await ok(c.invoke('profiles.create', { name: 'Guest' }));
    const lot = await add(c, '3001', 4, 12, 'Box A');
    await ok(c.invoke('inventory.update', { id: lot.id, patch: { quantityTotal: 20 } }));
    const grant = await ok(c.invoke('collabs.grant', { collaboratorId: guest.id, canEdit: true, canDelete: true }));
    c.profiles.switchTo(guest.id);
    await ok(c.invoke('collabs.accept', { id: grant.id }));
    await ok(c.invoke('inventory.update', { id: lot.id, patch: { storageLocation: 'Shelf' } }));
    c.profiles.switchTo(owner.id);
    const before = fullState(c.db.sqlite);
    const r = await c.invoke('history.undo', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!r.ok) {
      expect(r.error.message).toBe(
        '“Edit 3001 Red: total 12 → 20” cannot be undone: lot 3001 was changed since by “Move 3001 Red: Box A → Shelf” (Guest), which is still in effect. Undo that first. Nothing was changed.',
      );
    }
    expectState(c.db.sqlite, before);
    // The guest undoes theirs; then the owner's undo goes through.
    c.profiles.switchTo(guest.id);
    expect((await ok(c.invoke('history.undo', {}))).done[0]!.label).toBe('Move 3001 Red: Box A → Shelf');
    c.profiles.switchTo(owner.id);
    await ok(c.invoke('history.undo', {}));
    expect((await ok(c.invoke('inventory.get', { id: lot.id }))).quantityTotal).toBe(12);
    // The guest's redo would now overwrite the owner's undo: refused too.
    c.profiles.switchTo(guest.id);
    const redo = await c.invoke('history.redo', {});
    expect(redo).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!redo.ok)
      expect(redo.error.message).toMatch(
        /changed before it by “Edit 3001 Red: total 12 → 20” \(My collection\), which is undone/,
      );
    c.close();
  });

  it('keeps the last N operations and D days (a setting), and sweeps what falls off', async () => {
    const clock = frozenClock();
    const c = makeCore({ now: clock });
    expect(await ok(c.invoke('history.settings', {}))).toEqual({ maxOps: 1000, maxDays: 90 });
    await ok(c.invoke('history.configure', { maxOps: 10 }));
    for (let i = 0; i < 15; i++) {
      clock.advance(1000);
      await add(c, `${3000 + i}`, 4, 1);
    }
    const list = await ok(c.invoke('history.list', { limit: 100 }));
    expect(list.map((o) => o.label)).toEqual(Array.from({ length: 10 }, (_, i) => `Add ${3014 - i} Red: 1`));
    const r = await ok(c.invoke('history.undo', { steps: 20 }));
    expect(r.done).toHaveLength(10);
    expect((await c.invoke('history.undo', {})).ok).toBe(false);
    // Older than maxDays: gone with the next operation.
    await ok(c.invoke('history.redo', { steps: 10 }));
    clock.advance(91 * 86_400_000);
    await add(c, '9999', 4, 1);
    expect((await ok(c.invoke('history.list', {}))).map((o) => o.label)).toEqual(['Add 9999 Red: 1']);
    await new Promise((r) => setTimeout(r, 200));
    expect(c.db.sqlite.prepare(`SELECT count(*) FROM history_ops WHERE state = 'dropped'`).pluck().get()).toBe(0);
    expect(c.db.sqlite.prepare(`SELECT count(*) FROM history_rows`).pluck().get()).toBe(1);
    c.close();
  });

  it('is kept across restarts', async () => {
    const dir = tempDir();
    const c = makeCore({ dataDir: dir });
    const lot = await add(c, '3001', 4, 12, 'Box A');
    await ok(c.invoke('inventory.update', { id: lot.id, patch: { quantityTotal: 20 } }));
    c.close();
    const again = makeCore({ dataDir: dir });
    expect((await ok(again.invoke('history.state', {}))).undo?.label).toBe('Edit 3001 Red: total 12 → 20');
    await ok(again.invoke('history.undo', {}));
    expect((await ok(again.invoke('inventory.get', { id: lot.id }))).quantityTotal).toBe(12);
    again.close();
  });

  it('a lot’s history, old → new, and a deleted lot found by its part and colour', async () => {
    const c = core();
    const lot = await add(c, '3001', 4, 12, 'Box A');
    await ok(c.invoke('inventory.update', { id: lot.id, patch: { quantityTotal: 20 } }));
    await ok(c.invoke('inventory.update', { id: lot.id, patch: { storageLocation: 'Shelf' } }));
    const h = await ok(c.invoke('history.lot', { id: lot.id }));
    expect(h.map((e) => [e.op.label, e.change, e.changes.map((x) => `${x.field}: ${x.old} → ${x.new}`)])).toEqual([
      ['Move 3001 Red: Box A → Shelf', 'changed', ['location: Box A → Shelf']],
      ['Edit 3001 Red: total 12 → 20', 'changed', ['total: 12 → 20']],
      ['Add 3001 Red: 12 at Box A', 'created', []],
    ]);
    await ok(c.invoke('inventory.delete', { id: lot.id }));
    const found = await ok(c.invoke('history.deleted', { search: '3001 red' }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ lot: { id: lot.id, quantityTotal: 20, storageLocation: 'Shelf' } });
    expect(found[0]!.op.label).toBe('Delete 3001 Red: 20 at Shelf');
    expect((await ok(c.invoke('history.lot', { id: lot.id })))[0]).toMatchObject({ change: 'deleted', after: null });
    expect(await ok(c.invoke('history.deleted', { search: 'blue' }))).toEqual([]);
    // Undo of the delete puts it back: no longer among the deleted.
    await ok(c.invoke('history.undo', {}));
    expect(await ok(c.invoke('history.deleted', {}))).toEqual([]);
    c.close();
  });

  it('a new lot that gets a deleted lot’s id has only its own history; the deleted one’s stays findable', async () => {
    const c = core();
    await add(c, '3023', 0, 5, 'Box B');
    const old = await add(c, '3001', 4, 12, 'Box A');
    await ok(c.invoke('inventory.update', { id: old.id, patch: { quantityTotal: 20 } }));
    await ok(c.invoke('inventory.delete', { id: old.id }));
    // The deleted lot had the highest id: SQLite gives the next lot the same one.
    const fresh = await add(c, '3069b', 71, 3, 'Drawer');
    expect(fresh.id).toBe(old.id);
    await ok(c.invoke('inventory.update', { id: fresh.id, patch: { storageLocation: 'Shelf' } }));
    const line = (e: LotHistoryEntry) => [e.op.label, e.change, e.changes.map((x) => `${x.field}: ${x.old} → ${x.new}`)];
    expect((await ok(c.invoke('history.lot', { id: fresh.id }))).map(line)).toEqual([
      ['Move 3069b Light Bluish Gray: Drawer → Shelf', 'changed', ['location: Drawer → Shelf']],
      ['Add 3069b Light Bluish Gray: 3 at Drawer', 'created', []],
    ]);
    const found = await ok(c.invoke('history.deleted', { search: '3001 red' }));
    expect(found.map((d) => [d.lot.id, d.lot.partId, d.op.label])).toEqual([[old.id, '3001', 'Delete 3001 Red: 20 at Box A']]);
    expect((await ok(c.invoke('history.lot', { id: old.id, until: found[0]!.op.id }))).map(line)).toEqual([
      ['Delete 3001 Red: 20 at Box A', 'deleted', []],
      ['Edit 3001 Red: total 12 → 20', 'changed', ['total: 12 → 20']],
      ['Add 3001 Red: 12 at Box A', 'created', []],
    ]);
    // Once the new lot's creation is undone, the latest creation in effect is the deleted lot's:
    // its history shows, followed by the undone changes (marked so) until a new change drops them.
    await ok(c.invoke('history.undo', { steps: 2 }));
    expect((await ok(c.invoke('history.lot', { id: old.id }))).map((e) => [e.op.kind, e.change, e.op.state])).toEqual([
      ['move', 'changed', 'undone'],
      ['add', 'created', 'undone'],
      ['delete', 'deleted', 'done'],
      ['edit', 'changed', 'done'],
      ['add', 'created', 'done'],
    ]);
    expect(await ok(c.invoke('history.deleted', { search: '3001 red' }))).toHaveLength(1);
    c.close();
  });

  it('an import’s lots have a history before it is ever undone (the batch and the lot as it is)', async () => {
    const c = core();
    await importFile(c, fixture('blockshelf.csv'), { mode: 'add' });
    const id = c.db.sqlite.prepare(`SELECT id FROM inventory_items WHERE part_id = '3001'`).pluck().get() as number;
    await ok(c.invoke('inventory.update', { id, patch: { quantityTotal: 11 } }));
    const h = await ok(c.invoke('history.lot', { id }));
    expect(h.map((e) => [e.op.kind, e.change, e.changes.map((x) => `${x.field}: ${x.old} → ${x.new}`)])).toEqual([
      ['edit', 'changed', ['total: 10 → 11']],
      ['import', 'created', []],
    ]);
    expect(h[1]!.after).toMatchObject({ quantityTotal: 10 });
    c.close();
  });

  it('a profile delete takes its operations off the journal', async () => {
    const c = core();
    const me = await ok(c.invoke('profiles.current', {}));
    const other = await ok(c.invoke('profiles.create', { name: 'Other' }));
    c.profiles.switchTo(other.id);
    await add(c, '3001', 4, 1);
    c.profiles.switchTo(me.id);
    await ok(c.invoke('profiles.delete', { id: other.id }));
    expect(
      c.db.sqlite.prepare(`SELECT count(*) FROM history_ops WHERE owner_id = ? AND state <> 'dropped'`).pluck().get(other.id),
    ).toBe(0);
    c.close();
  });

  it('a write that changes nothing records nothing; a refused write records nothing', async () => {
    const c = core();
    await add(c, '3001', 4, 1, 'A');
    const n = () => c.db.sqlite.prepare('SELECT count(*) FROM history_ops').pluck().get();
    expect(n()).toBe(1);
    await c.invoke('inventory.create', { lot: { partId: '3001', colorId: 4, quantityTotal: 1, storageLocation: 'A' } });
    await c.invoke('inventory.update', { id: 999, patch: { quantityTotal: 2 } });
    expect(n()).toBe(1);
    c.close();
  });
});

describe('the journal and backups', () => {
  it('travels in a (compact) backup and comes back with a restore, which itself cannot be undone', async () => {
    const c = core();
    const lot = await add(c, '3001', 4, 12, 'Box A');
    await ok(c.invoke('inventory.update', { id: lot.id, patch: { quantityTotal: 20 } }));
    const b = await c.backup.create('manual');
    const rows = c.db.sqlite.prepare('SELECT * FROM history_rows ORDER BY op_id, lot_id').all();
    await ok(c.invoke('inventory.update', { id: lot.id, patch: { quantityTotal: 30 } }));
    await ok(c.invoke('backup.restore', { backupId: b.id }));
    // The restored file's journal: its operations and every row image, as they were.
    expect(c.db.sqlite.prepare('SELECT * FROM history_rows ORDER BY op_id, lot_id').all()).toEqual(rows);
    const list = await ok(c.invoke('history.list', {}));
    expect(list.map((o) => [o.label, o.state])).toEqual([
      ['Restore of a backup', 'mark'],
      ['Edit 3001 Red: total 12 → 20', 'done'],
      ['Add 3001 Red: 12 at Box A', 'done'],
    ]);
    const r = await c.invoke('history.undo', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!r.ok) {
      expect(r.error.message).toBe(
        '“Edit 3001 Red: total 12 → 20” was made before “Restore of a backup”, which cannot be undone; nothing was changed. The backup made before the restore holds the data as it was.',
      );
    }
    // Changes after the restore are undone as usual.
    await ok(c.invoke('inventory.update', { id: lot.id, patch: { quantityUsed: 2 } }));
    await ok(c.invoke('history.undo', {}));
    expect((await ok(c.invoke('inventory.get', { id: lot.id }))).quantityUsed).toBe(0);
    c.close();
  }, 60_000);
});
