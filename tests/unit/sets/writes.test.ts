// Part out, mark as built, take apart and the missing-parts export through createCore: part out
// then build gives 100 %, the exact inventory before and after each write (every column of every
// lot and the maintained totals), a refusal with the shortfall that changes nothing, and exactly
// the shortfall written to a BrickLink wanted list or a Rebrickable CSV.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { BuildRecord, BuildReport, ExportMissingResult, PartOutResult } from '../../../src/shared/contract';
import { cleanupTempDirs, ok } from '../../helpers';
import { addLot, catalogCore, fixture, freshProfile, inventoryRows, outFile, readToken, writeToken } from './helpers';

const PACK = '5026469771003-1';
let core: Core;
// Rows written and kept: SQLite's total_changes() also counts what a refused write's transaction
// rolled back (the operation journal opens its entry before the write runs), so count what stays.
const changes = () =>
  core.db.sqlite
    .prepare(
      'SELECT (SELECT count(*) FROM history_ops) + (SELECT count(*) FROM history_rows) + (SELECT count(*) FROM set_builds)',
    )
    .pluck()
    .get() as number;
interface LotView {
  part: string;
  color: number;
  total: number;
  used: number;
  loc: string;
  name: string;
}
const lots = (owner: number): LotView[] =>
  core.db.sqlite
    .prepare(
      'SELECT part_id AS part, color_id AS color, quantity_total AS total, quantity_used AS used, storage_location AS loc, name FROM inventory_items WHERE user_id = ? ORDER BY part_id, color_id, storage_location',
    )
    .all(owner) as LotView[];
const events: { ownerId: number | null; reason: string }[] = [];

beforeAll(async () => {
  core = await catalogCore();
  core.events.on('data.changed', (e) => events.push(e));
}, 180_000);
afterAll(() => {
  core.close();
  cleanupTempDirs();
});

describe('part out', () => {
  it('adds the set into a location, merging with the same part, colour and location, in one step', async () => {
    const owner = await freshProfile(core, 'Part out');
    await addLot(core, '3001', 15, 2, 'Bin 1', 1); // merges
    await addLot(core, '3005', 1, 7, 'Bin 2'); // another location: untouched
    // The exact inventory before the part out: taking the step back (the undo journal) must give
    // exactly this again (`expect(inventoryRows(core, owner)).toEqual(before)`).
    const before = inventoryRows(core, owner);
    events.length = 0;
    const r = await ok<PartOutResult>(core.invoke('sets.partOut', { source: { setNum: PACK }, location: 'Bin 1' }));
    expect(r).toMatchObject({ location: 'Bin 1', created: 4, merged: 1, pieces: 16, unmatched: [] });
    expect(events).toEqual([{ ownerId: owner, reason: 'sets.partOut' }]);
    expect(lots(owner)).toEqual([
      { part: '3001', color: 15, total: 7, used: 1, loc: 'Bin 1', name: 'Brick 2 x 4' },
      { part: '3005', color: 1, total: 8, used: 0, loc: 'Bin 1', name: 'Brick 1 x 1' },
      { part: '3005', color: 1, total: 7, used: 0, loc: 'Bin 2', name: 'Brick 1 x 1' },
      { part: '3069bpr0001', color: 15, total: 1, used: 0, loc: 'Bin 1', name: 'Tile 1 x 2 with Zebra Stripes Print' },
      { part: '3626c', color: 14, total: 1, used: 0, loc: 'Bin 1', name: 'Minifig Head [Plain] [Hollow Stud]' },
      { part: '973c00', color: 272, total: 1, used: 0, loc: 'Bin 1', name: 'Null Torso / Null Arms / Null Hands' },
    ]);
    // The lots that existed keep every other column; only the new ones are new.
    const after = inventoryRows(core, owner) as { lots: { id: number; quantity_total: number; updated_at: number }[] };
    const old = (before as { lots: { id: number; quantity_total: number }[] }).lots;
    expect(after.lots.filter((l) => old.some((o) => o.id === l.id)).map((l) => [l.id, l.quantity_total])).toEqual([
      [old[0]!.id, 7],
      [old[1]!.id, 7],
    ]);
    // Then it builds: 100 %.
    const b = await ok<BuildReport>(core.invoke('sets.build', { source: { setNum: PACK } }));
    expect([b.needed, b.owned, b.pct, b.missing]).toEqual([16, 16, 100, []]);
  });

  it('multiplies by a quantity and adds spares when asked', async () => {
    const owner = await freshProfile(core, 'Part out twice');
    const r = await ok<PartOutResult>(
      core.invoke('sets.partOut', { source: { setNum: PACK }, location: 'Tub', options: { quantity: 2, spares: true } }),
    );
    expect(r.pieces).toBe(38);
    expect(lots(owner)).toContainEqual({ part: '3023', color: 4, total: 6, used: 0, loc: 'Tub', name: 'Plate 1 x 2' });
  });

  it('refuses a list with unmatched lines unless told to skip them, changing nothing', async () => {
    const owner = await freshProfile(core, 'Part out bad');
    const before = inventoryRows(core, owner);
    const n = changes();
    const r = await core.invoke('sets.partOut', { source: { file: readToken(core, fixture('list-bad.csv')) }, location: 'X' });
    expect(r.ok ? null : r.error.code).toBe('invalid-input');
    expect(r.ok ? '' : r.error.message).toMatch(
      /list-bad\.csv: 3 lines could not be matched \(first: line 3, 3001: .*unknown colour/,
    );
    expect(changes()).toBe(n);
    expect(inventoryRows(core, owner)).toEqual(before);
    const s = await ok<PartOutResult>(
      core.invoke('sets.partOut', {
        source: { file: readToken(core, fixture('list-bad.csv')) },
        location: 'X',
        skipUnmatched: true,
      }),
    );
    expect([s.created, s.pieces, s.unmatched.length]).toEqual([1, 2, 3]);
  });

  it('refuses a quantity over the limit without adding anything', async () => {
    const owner = await freshProfile(core, 'Part out full');
    await addLot(core, '3005', 1, 9_999_995, 'Full');
    const before = inventoryRows(core, owner);
    const r = await core.invoke('sets.partOut', { source: { setNum: PACK }, location: 'Full' });
    expect(r.ok ? null : r.error.message).toMatch(/3005 in Blue at “Full” would exceed 10000000; nothing was added/);
    expect(inventoryRows(core, owner)).toEqual(before);
  });
});

describe('mark as built and take apart', () => {
  it('moves the pick list into used, totals unchanged; taking apart gives back the exact inventory', async () => {
    const owner = await freshProfile(core, 'Builder');
    await addLot(core, '3001', 15, 3, 'Drawer 2');
    await addLot(core, '3001', 15, 4, 'Drawer 10', 1);
    await addLot(core, '3005', 1, 8, 'Drawer 1');
    await addLot(core, '3069bpr0001', 15, 1, 'Tiles');
    await addLot(core, '3626c', 14, 1, 'Heads');
    await addLot(core, '973c00', 272, 3, 'Torsos', 2);
    await addLot(core, '3023', 4, 5, 'Plates');
    const before = inventoryRows(core, owner);
    const totals = () => (inventoryRows(core, owner) as { lots: { quantity_total: number }[] }).lots.map((l) => l.quantity_total);
    const totalsBefore = totals();
    const report = await ok<BuildReport>(core.invoke('sets.build', { source: { setNum: PACK } }));
    expect(report.pct).toBe(100);
    events.length = 0;
    const rec = await ok<BuildRecord>(core.invoke('sets.markBuilt', { source: { setNum: PACK } }));
    expect(events).toEqual([{ ownerId: owner, reason: 'sets.markBuilt' }]);
    expect(rec).toMatchObject({ ownerId: owner, source: { kind: 'set', id: PACK }, quantity: 1, pieces: 16 });
    // What the pick list chose, lot by lot.
    expect(rec.takes.map((t) => [t.partId, t.colorId, t.location, t.quantity]).sort()).toEqual(
      report.pick.map((p) => [p.partId, p.colorId, p.location, p.take]).sort(),
    );
    expect(totals()).toEqual(totalsBefore);
    expect(lots(owner).map((l) => [l.part, l.loc, l.used])).toEqual([
      ['3001', 'Drawer 10', 3], // 1 used before + 2
      ['3001', 'Drawer 2', 3],
      ['3005', 'Drawer 1', 8],
      ['3023', 'Plates', 0],
      ['3069bpr0001', 'Tiles', 1],
      ['3626c', 'Heads', 1],
      ['973c00', 'Torsos', 3],
    ]);
    // Only one 3001 is still free (6 were, 5 went into use).
    const again = await core.invoke('sets.build', { source: { setNum: PACK } });
    expect(again.ok && again.data.owned).toBe(1);
    const builds = await ok(core.invoke('sets.builds', {}));
    expect(builds.map((b) => b.id)).toEqual([rec.id]);

    events.length = 0;
    const apart = await ok(core.invoke('sets.takeApart', { source: { setNum: PACK } }));
    expect(apart.pieces).toBe(16);
    expect(events).toEqual([{ ownerId: owner, reason: 'sets.takeApart' }]);
    expect(inventoryRows(core, owner)).toEqual(before);
    expect(await ok(core.invoke('sets.builds', {}))).toEqual([]);
    const none = await core.invoke('sets.takeApart', { source: { setNum: PACK } });
    expect(none.ok ? null : none.error.message).toBe(`${PACK} is not marked as built in this inventory.`);
  });

  it('refuses with the shortfall when pieces are missing, changing nothing', async () => {
    const owner = await freshProfile(core, 'Short');
    await addLot(core, '3001', 15, 5, 'A');
    await addLot(core, '3005', 1, 6, 'B');
    const before = inventoryRows(core, owner);
    const n = changes();
    const r = await core.invoke('sets.markBuilt', { source: { setNum: PACK } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('conflict');
    // Part numbers in natural order (973 before 3005).
    expect(r.error.message).toBe(
      'Not built: 5 pieces are missing in 4 lines: 973c00 in Dark Blue (need 1, have 0), 3005 in Blue (need 8, have 6), ' +
        '3069bpr0001 in White (need 1, have 0), 3626c in Yellow (need 1, have 0). Nothing was changed.',
    );
    expect(r.error.details?.missing).toEqual([
      expect.objectContaining({ partId: '973c00', missing: 1 }),
      { partId: '3005', colorId: 1, colorName: 'Blue', name: 'Brick 1 x 1', need: 8, have: 6, missing: 2 },
      expect.objectContaining({ partId: '3069bpr0001', missing: 1 }),
      expect.objectContaining({ partId: '3626c', missing: 1 }),
    ]);
    expect(changes()).toBe(n);
    expect(inventoryRows(core, owner)).toEqual(before);
    expect(await ok(core.invoke('sets.builds', {}))).toEqual([]);
  });

  it('builds a file list, finds it again by its lines to take it apart, and refuses when a lot was changed since', async () => {
    const owner = await freshProfile(core, 'File build');
    const a = await addLot(core, '3001', 4, 6, 'A');
    await addLot(core, '3023', 15, 3, 'B');
    await addLot(core, '3069b', 0, 2, 'C');
    const before = inventoryRows(core, owner);
    const src = () => ({ file: readToken(core, fixture('list-a.csv')) });
    const rec = await ok<BuildRecord>(core.invoke('sets.markBuilt', { source: src() }));
    expect(rec.source).toEqual({ kind: 'file', id: 'list-a.csv', name: 'list-a.csv', format: 'rebrickable-csv' });
    // Someone frees pieces of lot A by hand: taking apart would need 6 in use, 2 are.
    await ok(core.invoke('inventory.update', { id: a.id, patch: { quantityUsed: 2 } }));
    const mid = inventoryRows(core, owner);
    const r = await core.invoke('sets.takeApart', { source: src() });
    expect(r.ok ? null : r.error.message).toMatch(
      /the lot of 3001 in colour 4 at “A” has 2 in use, the build took 6\. Nothing was changed\./,
    );
    expect(inventoryRows(core, owner)).toEqual(mid);
    await ok(core.invoke('inventory.update', { id: a.id, patch: { quantityUsed: 6 } }));
    await ok(core.invoke('sets.takeApart', { buildId: rec.id }));
    const after = inventoryRows(core, owner) as { lots: { id: number; quantity_used: number }[] };
    // Lot A was edited meanwhile (a new updated_at); the used counts are back as they were.
    expect(after.lots.map((l) => l.quantity_used)).toEqual([0, 0, 0]);
    expect((before as { stats: unknown }).stats).toEqual((after as unknown as { stats: unknown }).stats);
  });

  it('refuses to take apart when a lot it took from was deleted', async () => {
    await freshProfile(core, 'Deleted lot');
    const a = await addLot(core, '3001', 4, 1, 'A');
    const list = outFile('one.csv');
    (await import('node:fs')).writeFileSync(list, 'Part,Color,Quantity\n3001,4,1\n');
    const rec = await ok<BuildRecord>(core.invoke('sets.markBuilt', { source: { file: readToken(core, list) } }));
    await ok(core.invoke('inventory.update', { id: a.id, patch: { quantityUsed: 0 } }));
    await ok(core.invoke('inventory.delete', { id: a.id }));
    const r = await core.invoke('sets.takeApart', { buildId: rec.id });
    expect(r.ok ? null : r.error.message).toMatch(/the lot of 3001 in colour 4 at “A” it took 1 from is gone/);
    expect((await ok(core.invoke('sets.builds', {}))).map((b) => b.id)).toEqual([rec.id]);
  });
});

describe('missing parts export', () => {
  it('writes exactly the shortfall as a BrickLink wanted list with BrickLink colour ids', async () => {
    await freshProfile(core, 'Export');
    await addLot(core, '3001', 15, 4, 'A');
    await addLot(core, '3005', 1, 8, 'B');
    const file = outFile('missing.xml');
    const r = await ok<ExportMissingResult>(
      core.invoke('sets.exportMissing', { source: { setNum: PACK }, file: writeToken(core, file), format: 'bricklink-xml' }),
    );
    expect(r).toEqual({ file: 'missing.xml', format: 'bricklink-xml', lines: 4, pieces: 4, skipped: [], complete: false });
    const xml = readFileSync(file, 'utf8');
    const items = [
      ...xml.matchAll(
        /<ITEM>\s*<ITEMTYPE>P<\/ITEMTYPE>\s*<ITEMID>([^<]+)<\/ITEMID>\s*<COLOR>(\d+)<\/COLOR>\s*<MINQTY>(\d+)<\/MINQTY>/g,
      ),
    ].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    // White 15 → BrickLink 1, Yellow 14 → 3, Dark Blue 272 → 63.
    expect(items).toEqual([
      ['973c00', 63, 1],
      ['3001', 1, 1],
      ['3069bpr0001', 1, 1],
      ['3626c', 3, 1],
    ]);
  });

  it('writes the shortfall as a Rebrickable CSV that reads back as the same list', async () => {
    await freshProfile(core, 'Export CSV');
    await addLot(core, '3001', 15, 4, 'A');
    const file = outFile('missing.csv');
    const r = await ok<ExportMissingResult>(
      core.invoke('sets.exportMissing', { source: { setNum: PACK }, file: writeToken(core, file), format: 'rebrickable-csv' }),
    );
    expect([r.lines, r.pieces]).toEqual([5, 12]);
    const back = await ok(core.invoke('sets.parts', { source: { file: readToken(core, file) } }));
    expect(back.lines.map((l) => [l.partId, l.colorId, l.quantity])).toEqual([
      ['973c00', 272, 1],
      ['3001', 15, 1],
      ['3005', 1, 8],
      ['3069bpr0001', 15, 1],
      ['3626c', 14, 1],
    ]);
  });
});
