import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { SORT_KEYS, type Lot, type SortKey } from '../../../src/shared/types';
import { cleanupTempDirs, frozenClock, makeCore, ok } from '../../helpers';

let core: Core;
let clock: ReturnType<typeof frozenClock>;

beforeEach(() => {
  clock = frozenClock();
  core = makeCore({ now: clock });
});
afterEach(() => {
  core.close();
  cleanupTempDirs();
});

const create = (lot: Record<string, unknown>, onDuplicate?: 'ask' | 'merge' | 'reject') =>
  core.invoke('inventory.create', { lot, ...(onDuplicate ? { onDuplicate } : {}) } as never);

async function seed(): Promise<void> {
  const rows: [string, number, number, number, string, string][] = [
    ['3001', 4, 10, 2, 'Drawer A', 'Brick 2 x 4'],
    ['3001', 4, 5, 0, 'Drawer B', 'Brick 2 x 4'],
    ['3003', 0, 40, 40, 'Bin 7', 'Brick 2 x 2'],
    ['3024', 15, 100, 3, 'drawer a', 'Plate 1 x 1'],
    ['3068b', 71, 2, 1, '', 'Tile 2 x 2'],
    ['99206', 72, 7, 0, 'Box Technic', 'plate special'],
    ['3626cpb2683', 14, 1, 0, 'Minifig heads', 'Minifig Head'],
  ];
  for (const [partId, colorId, total, used, loc, name] of rows) {
    clock.advance(1000);
    const r = await ok(create({ partId, colorId, quantityTotal: total, quantityUsed: used, storageLocation: loc, name }));
    expect(r.status).toBe('created');
  }
}

function expected(lots: Lot[], sort: SortKey, dir: 'asc' | 'desc'): number[] {
  const val = (l: Lot): string | number => {
    switch (sort) {
      case 'name':
        return l.name.toLowerCase();
      case 'part':
        return l.partId;
      case 'color':
        return l.colorName;
      case 'total':
        return l.quantityTotal;
      case 'used':
        return l.quantityUsed;
      case 'available':
        return l.quantityAvailable;
      case 'location':
        return l.storageLocation.toLowerCase();
      case 'created':
        return l.createdAt;
      case 'updated':
        return l.updatedAt;
    }
  };
  const sorted = [...lots].sort((a, b) => {
    const x = val(a);
    const y = val(b);
    const c = x < y ? -1 : x > y ? 1 : a.id - b.id;
    return dir === 'asc' ? c : -c;
  });
  return sorted.map((l) => l.id);
}

describe('inventory service', () => {
  it('creates a lot with the colour name and the available quantity', async () => {
    const r = await ok(
      create({ partId: ' 3001 ', colorId: 4, quantityTotal: 10, quantityUsed: 3, storageLocation: ' Drawer A ' }),
    );
    expect(r.status).toBe('created');
    if (r.status === 'duplicate') throw new Error('unexpected');
    expect(r.lot).toMatchObject({
      partId: '3001',
      colorId: 4,
      colorName: 'Red',
      quantityTotal: 10,
      quantityUsed: 3,
      quantityAvailable: 7,
      storageLocation: 'Drawer A',
      createdAt: clock(),
      updatedAt: clock(),
    });
  });

  it('rejects bad lots with field-level errors and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ colorId: 4, quantityTotal: 1 }, 'lot.partId'],
      [{ partId: '3001', quantityTotal: 1 }, 'lot.colorId'],
      [{ partId: '3001', colorId: 4, quantityTotal: -1 }, 'lot.quantityTotal'],
      [{ partId: '3001', colorId: 4, quantityTotal: 1.5 }, 'lot.quantityTotal'],
      [{ partId: '3001', colorId: 4, quantityTotal: 2, quantityUsed: 3 }, 'lot.quantityUsed'],
      [{ partId: 'x'.repeat(65), colorId: 4, quantityTotal: 1 }, 'lot.partId'],
      [{ partId: '3001', colorId: 4, quantityTotal: 1, storageLocation: 'y'.repeat(201) }, 'lot.storageLocation'],
      [{ partId: '3001', colorId: 424242, quantityTotal: 1 }, 'colorId'],
    ];
    for (const [lot, field] of cases) {
      const r = await create(lot);
      expect(r.ok, JSON.stringify(lot)).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('invalid-input');
      expect(r.error.fields?.map((f) => f.field)).toContain(field);
    }
    expect((await ok(core.invoke('inventory.list', {}))).total).toBe(0);
  });

  it('asks about a duplicate lot, then merges or rejects it as the caller chooses', async () => {
    await ok(create({ partId: '3001', colorId: 4, quantityTotal: 12, storageLocation: 'Drawer A' }));
    await ok(create({ partId: '3001', colorId: 4, quantityTotal: 3, storageLocation: 'Drawer B' }));

    const asked = await ok(
      create({ partId: '3001', colorId: 4, quantityTotal: 5, quantityUsed: 1, storageLocation: 'Drawer A' }),
    );
    expect(asked.status).toBe('duplicate');
    if (asked.status !== 'duplicate') throw new Error('unexpected');
    expect(asked.existing.quantityTotal).toBe(12);
    expect(asked.elsewhere).toEqual([expect.objectContaining({ storageLocation: 'Drawer B', quantityTotal: 3 })]);

    const rejected = await create({ partId: '3001', colorId: 4, quantityTotal: 5, storageLocation: 'Drawer A' }, 'reject');
    expect(!rejected.ok && rejected.error.code).toBe('conflict');
    expect(!rejected.ok && rejected.error.message).toMatch(/already have 12 of 3001 in Red/);

    const merged = await ok(
      create({ partId: '3001', colorId: 4, quantityTotal: 5, quantityUsed: 1, storageLocation: 'Drawer A' }, 'merge'),
    );
    expect(merged.status).toBe('merged');
    if (merged.status === 'duplicate') throw new Error('unexpected');
    expect(merged.lot).toMatchObject({ quantityTotal: 17, quantityUsed: 1, storageLocation: 'Drawer A' });
    expect((await ok(core.invoke('inventory.list', {}))).total).toBe(2);

    const where = await ok(core.invoke('inventory.whereIs', { partId: '3001', colorId: 4 }));
    expect(where.map((p) => [p.storageLocation, p.quantityTotal])).toEqual([
      ['Drawer A', 17],
      ['Drawer B', 3],
    ]);
  });

  it('updates a lot, refusing used > total, a clash with another lot and a stale edit', async () => {
    const a = await ok(create({ partId: '3001', colorId: 4, quantityTotal: 10, storageLocation: 'A' }));
    const b = await ok(create({ partId: '3001', colorId: 4, quantityTotal: 10, storageLocation: 'B' }));
    if (a.status === 'duplicate' || b.status === 'duplicate') throw new Error('unexpected');
    clock.advance(5000);
    const updated = await ok(core.invoke('inventory.update', { id: a.lot.id, patch: { quantityUsed: 4, colorId: 0 } }));
    expect(updated).toMatchObject({ quantityUsed: 4, quantityAvailable: 6, colorName: 'Black', updatedAt: clock() });

    const tooMany = await core.invoke('inventory.update', { id: a.lot.id, patch: { quantityTotal: 3 } });
    expect(!tooMany.ok && tooMany.error.fields?.[0]?.field).toBe('quantityUsed');

    const clash = await core.invoke('inventory.update', { id: b.lot.id, patch: { colorId: 0, storageLocation: 'A' } });
    expect(!clash.ok && clash.error.code).toBe('conflict');

    const stale = await core.invoke('inventory.update', {
      id: a.lot.id,
      patch: { quantityTotal: 20 },
      expectedUpdatedAt: a.lot.updatedAt,
    });
    expect(!stale.ok && stale.error.code).toBe('conflict');
    expect((await ok(core.invoke('inventory.get', { id: a.lot.id }))).quantityTotal).toBe(10);

    const missing = await core.invoke('inventory.update', { id: 999, patch: { quantityTotal: 1 } });
    expect(!missing.ok && missing.error.code).toBe('not-found');
  });

  it('deletes a lot and puts it back exactly with undo', async () => {
    const c = await ok(
      create({ partId: '3001', colorId: 4, quantityTotal: 10, quantityUsed: 2, storageLocation: 'A', notes: 'n' }),
    );
    if (c.status === 'duplicate') throw new Error('unexpected');
    await ok(core.invoke('inventory.delete', { id: c.lot.id }));
    expect((await ok(core.invoke('inventory.list', { search: '3001' }))).total).toBe(0);
    const undone = await ok(core.invoke('history.undo', {}));
    expect(undone.done.map((o) => o.label)).toEqual(['Delete 3001 Red: 10 at A']);
    expect(await ok(core.invoke('inventory.get', { id: c.lot.id }))).toEqual(c.lot);
    expect((await ok(core.invoke('inventory.list', { search: '3001' }))).items.map((l) => l.id)).toEqual([c.lot.id]);
    // The next undo is the add before it, not the delete again.
    expect((await ok(core.invoke('history.state', {}))).undo?.label).toBe('Add 3001 Red: 10 at A');
  });

  it('sorts by every key in both directions, with keyset pages that add up to the whole list', async () => {
    await seed();
    const all = (await ok(core.invoke('inventory.list', { limit: 1000 }))).items;
    expect(all).toHaveLength(7);
    for (const sort of SORT_KEYS) {
      for (const dir of ['asc', 'desc'] as const) {
        const full = await ok(core.invoke('inventory.list', { sort, dir, limit: 1000 }));
        expect(
          full.items.map((l) => l.id),
          `${sort} ${dir}`,
        ).toEqual(expected(all, sort, dir));
        const paged: number[] = [];
        let after: string | undefined;
        let pages = 0;
        do {
          const page = await ok(core.invoke('inventory.list', { sort, dir, limit: 2, ...(after ? { after } : {}) }));
          expect(page.total).toBe(7);
          paged.push(...page.items.map((l) => l.id));
          after = page.nextCursor ?? undefined;
          pages++;
        } while (after);
        expect(paged, `${sort} ${dir} paged`).toEqual(full.items.map((l) => l.id));
        expect(pages).toBe(4);
        const byOffset = await ok(core.invoke('inventory.list', { sort, dir, limit: 3, offset: 2 }));
        expect(byOffset.items.map((l) => l.id)).toEqual(full.items.slice(2, 5).map((l) => l.id));
      }
    }
  });

  it('searches case-insensitively for substrings of name, part, colour and location', async () => {
    await seed();
    const parts = async (search: string) =>
      (await ok(core.invoke('inventory.list', { search, sort: 'part', dir: 'asc' }))).items.map(
        (l) => `${l.partId}@${l.storageLocation}`,
      );
    expect(await parts('DRAWER')).toEqual(['3001@Drawer A', '3001@Drawer B', '3024@drawer a']);
    expect(await parts('brick')).toEqual(['3001@Drawer A', '3001@Drawer B', '3003@Bin 7']);
    expect(await parts('bluish')).toEqual(['3068b@', '99206@Box Technic']); // Light/Dark Bluish Gray
    expect(await parts('cpb26')).toEqual(['3626cpb2683@Minifig heads']); // inside a part number
    expect(await parts('7')).toEqual(['3003@Bin 7']); // a term too short for the trigram index
    expect(await parts('bin 7')).toEqual(['3003@Bin 7']);
    expect(await parts('technic special')).toEqual(['99206@Box Technic']); // every word must match
    expect(await parts('nothing-like-this')).toEqual([]);
    // An exact part number ranks first, whatever the sort.
    const ranked = await ok(core.invoke('inventory.list', { search: '3001', sort: 'total', dir: 'desc' }));
    expect(ranked.items.map((l) => l.partId)).toEqual(['3001', '3001']);
    const mixed = await ok(core.invoke('inventory.list', { search: '300', sort: 'total', dir: 'desc' }));
    expect(mixed.items.map((l) => l.partId)).toEqual(['3003', '3001', '3001']);
    const exactFirst = await ok(core.invoke('inventory.list', { search: '3003', sort: 'name', dir: 'desc' }));
    expect(exactFirst.items[0]?.partId).toBe('3003');
  });

  it('keeps search in step with updates and deletes', async () => {
    await seed();
    const hit = (await ok(core.invoke('inventory.list', { search: 'Minifig heads' }))).items[0]!;
    await ok(core.invoke('inventory.update', { id: hit.id, patch: { storageLocation: 'Shelf 9', name: 'Smiley' } }));
    expect((await ok(core.invoke('inventory.list', { search: 'Minifig heads' }))).total).toBe(0);
    expect((await ok(core.invoke('inventory.list', { search: 'shelf 9' }))).items.map((l) => l.id)).toEqual([hit.id]);
    expect((await ok(core.invoke('inventory.list', { search: 'smiley' }))).total).toBe(1);
    await ok(core.invoke('inventory.update', { id: hit.id, patch: { colorId: 0 } }));
    expect((await ok(core.invoke('inventory.list', { search: 'black' }))).items.map((l) => l.id)).toContain(hit.id);
    await ok(core.invoke('inventory.delete', { id: hit.id }));
    expect((await ok(core.invoke('inventory.list', { search: 'shelf 9' }))).total).toBe(0);
    const integrity = core.db.sqlite.prepare("INSERT INTO inventory_fts(inventory_fts, rank) VALUES ('integrity-check', 1)");
    expect(() => integrity.run()).not.toThrow();
  });

  it('filters by location (any case) and by colour', async () => {
    await seed();
    const byLoc = await ok(core.invoke('inventory.list', { location: 'DRAWER A', sort: 'part', dir: 'asc' }));
    expect(byLoc.items.map((l) => l.partId)).toEqual(['3001', '3024']);
    expect(byLoc.total).toBe(2);
    const byColor = await ok(core.invoke('inventory.list', { colorId: 4 }));
    expect(byColor.items.map((l) => l.storageLocation).sort()).toEqual(['Drawer A', 'Drawer B']);
    const both = await ok(core.invoke('inventory.list', { colorId: 4, location: 'drawer b', search: 'brick' }));
    expect(both.items.map((l) => l.storageLocation)).toEqual(['Drawer B']);
  });

  it('summarises the inventory for the dashboard', async () => {
    await seed();
    await ok(core.invoke('preferences.set', { lowStockThreshold: 1 }));
    const s = await ok(core.invoke('inventory.summary', {}));
    expect(s).toMatchObject({ lots: 7, quantityTotal: 165, quantityUsed: 46, quantityAvailable: 119, locations: 5 });
    expect(s.topColors[0]).toMatchObject({ colorName: 'White', quantity: 100 });
    // "Drawer A" and "drawer a" are one location.
    expect(s.topLocations[0]).toMatchObject({ lots: 2, quantity: 110 });
    expect(s.topLocations[0]!.storageLocation.toLowerCase()).toBe('drawer a');
    expect(s.lowStock.map((l) => l.quantityAvailable)).toEqual([0, 1, 1]);
    expect(s.lowStockThreshold).toBe(1);
    expect(s.recent[0]?.partId).toBe('3626cpb2683');
    const locs = await ok(core.invoke('inventory.locations', { prefix: 'dr' }));
    expect(locs).toEqual([
      { storageLocation: 'Drawer A', lots: 2 },
      { storageLocation: 'Drawer B', lots: 1 },
    ]);
  });

  it('fills in the catalogue name when a lot is added without one', async () => {
    core.db.sqlite.prepare("INSERT INTO parts (part_num, name) VALUES ('3001', 'Brick 2 x 4')").run();
    const r = await ok(create({ partId: '3001', colorId: 4, quantityTotal: 1 }));
    expect(r.status === 'created' && r.lot.name).toBe('Brick 2 x 4');
  });
});
