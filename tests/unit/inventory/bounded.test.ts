// Bounded searches and far jumps, on a real core with more lots than one walk may read.
// - A search tested lot by lot (short terms) reads at most WALK_BUDGET lots per walk: what it
//   returns always matches, in the right order, as a prefix of the full answer, and says when
//   it stopped early (incomplete + capped total).
// - A jump by offset seeks a sampled key and returns exactly the rows at that offset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { createJumps } from '../../../src/main/inventory/jump';
import { SORT_EXPR, WALK_BUDGET } from '../../../src/main/inventory/query';
import { TOTAL_CAP } from '../../../src/main/inventory/service';
import { SORT_KEYS, type SortKey } from '../../../src/shared/types';
import { fill, tempCore } from './fixture';

let core: Core;
let dispose: () => void;
const OWNER = 1;
let other: number;
const LOTS = WALK_BUDGET + 5000;

/** Adds one lot with plain SQL (the triggers keep the search index and counts in step). */
function addLot(ownerId: number, partId: string, name: string, location = 'Shelf', time = 1_600_000_000_000): number {
  const colorId = 1;
  const colorName = core.db.sqlite.prepare('SELECT name FROM colors WHERE id = ?').pluck().get(colorId) as string;
  return Number(
    core.db.sqlite
      .prepare(
        `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
        storage_location, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 0, ?, ?, ?)`,
      )
      .run(ownerId, partId, colorId, colorName, name, location, time, time).lastInsertRowid,
  );
}

beforeAll(() => {
  ({ core, dispose } = tempCore());
  fill(core, OWNER, LOTS, 21);
  other = core.profiles.create('Other').id;
  fill(core, other, 500, 22);
  // A rare two-letter string: at the start and the end of the part order, in another case,
  // in a location, and in another profile (never shown).
  // The early and late lots are first and last by part, name and time.
  addLot(OWNER, '0001zq', 'Aaa early lot', 'Shelf', 1_500_000_000_000);
  addLot(OWNER, '9999', 'Zzz late lot ZQ', 'Shelf', 1_800_000_000_000);
  addLot(OWNER, '9998', 'Zzz stored late', 'Box zQ', 1_800_000_000_001);
  addLot(OWNER, 'ZQ', 'Exact part');
  addLot(other, '0002zq', 'Not mine');
}, 60_000);
afterAll(() => dispose());

function reference(
  search: string,
  sort: SortKey,
  dir: 'asc' | 'desc',
  extra: { colorId?: number; location?: string } = {},
): number[] {
  const where = ['user_id = @owner'];
  const params: Record<string, unknown> = { owner: OWNER, exact: search.trim() };
  search
    .trim()
    .split(/\s+/)
    .forEach((t, i) => {
      params[`t${i}`] = `%${t}%`;
      where.push(`(name LIKE @t${i} OR part_id LIKE @t${i} OR color_name LIKE @t${i} OR storage_location LIKE @t${i})`);
    });
  if (extra.colorId !== undefined) {
    where.push('color_id = @color');
    params.color = extra.colorId;
  }
  if (extra.location !== undefined) {
    where.push('storage_location = @loc COLLATE NOCASE');
    params.loc = extra.location;
  }
  return core.db.sqlite
    .prepare(
      `SELECT id FROM inventory_items WHERE ${where.join(' AND ')}
        ORDER BY (part_id = @exact COLLATE NOCASE) DESC, ${SORT_EXPR[sort]} ${dir}, id ${dir}`,
    )
    .pluck()
    .all(params) as number[];
}

function pages(q: { search: string; colorId?: number; location?: string }, sort: SortKey, dir: 'asc' | 'desc', limit = 100) {
  const ids: number[] = [];
  const all = [];
  let after: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = core.inventory.list(OWNER, { ...q, sort, dir, limit, ...(after ? { after } : {}) }, { sort, dir });
    all.push(page);
    ids.push(...page.items.map((l) => l.id));
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  return { ids, pages: all };
}

describe('a search tested lot by lot reads a bounded number of lots', () => {
  it('a rare short term: what is shown matches, in order, a prefix of the whole answer, flagged incomplete', () => {
    for (const sort of ['part', 'name', 'updated'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const want = reference('zq', sort, dir);
        expect(want.length).toBe(4);
        const { ids, pages: got } = pages({ search: 'zq' }, sort, dir);
        const first = got[0]!;
        // The exact part number comes first, whatever the sort.
        expect(first.items[0]?.partId).toBe('ZQ');
        expect(ids, `${sort} ${dir}`).toEqual(want.slice(0, ids.length));
        expect(
          ids.length,
          `${sort} ${dir}: ${JSON.stringify(got.map((p) => [p.items.map((l) => l.partId), p.incomplete]))}`,
        ).toBeLessThan(want.length); // the walk could not reach every match
        expect(got.at(-1)!.incomplete).toBe(true);
        expect(got.at(-1)!.nextCursor).toBeNull();
        expect(first.totalCapped).toBe(true);
        expect(first.total).toBe(first.items.length);
      }
    }
  });

  it('upper and lower case find the same lots; another profile never shows', () => {
    const lower = pages({ search: 'zq' }, 'part', 'asc').ids;
    const upper = pages({ search: 'ZQ' }, 'part', 'asc').ids;
    expect(upper).toEqual(lower);
    expect(lower).toContain(core.db.sqlite.prepare("SELECT id FROM inventory_items WHERE part_id = '0001zq'").pluck().get());
    const mine = core.db.sqlite.prepare('SELECT id FROM inventory_items WHERE user_id = ?').pluck().all(OWNER) as number[];
    const ownSet = new Set(mine);
    expect(lower.every((id) => ownSet.has(id))).toBe(true);
  });

  it('a common short term pages through as before, complete and in order', () => {
    for (const search of ['x', '2']) {
      const want = reference(search, 'name', 'asc');
      const { ids, pages: got } = pages({ search }, 'name', 'asc', 500);
      expect(ids.length).toBeGreaterThan(1000);
      expect(ids).toEqual(want.slice(0, ids.length));
      expect(got[0]!.totalCapped).toBe(true);
      expect(got[0]!.total).toBe(TOTAL_CAP);
      if (ids.length < want.length) expect(got.at(-1)!.incomplete).toBe(true);
      else expect(got.some((p) => p.incomplete)).toBe(false);
    }
  });

  it('a short term with a colour or location of up to the budget reads that set whole: complete and exact', () => {
    for (const extra of [{ colorId: 5 }, { location: 'BIN 7' }]) {
      for (const search of ['zq', 'x 1', '3']) {
        const want = reference(search, 'total', 'desc', extra);
        const { ids, pages: got } = pages({ search, ...extra }, 'total', 'desc', 97);
        expect(ids, `${search} ${JSON.stringify(extra)}`).toEqual(want);
        expect(got.some((p) => p.incomplete)).toBe(false);
        if (!got[0]!.totalCapped) expect(got[0]!.total).toBe(want.length);
      }
    }
  });

  it('a long word with a rare short term: the count and the walk stop at the budget', () => {
    const want = reference('brick zq', 'part', 'asc');
    const { ids, pages: got } = pages({ search: 'brick zq' }, 'part', 'asc');
    expect(ids).toEqual(want.slice(0, ids.length));
    expect(got[0]!.totalCapped).toBe(true);
    expect(got.at(-1)!.incomplete).toBe(true);
  });

  it('an offset inside a bounded search agrees with the reference', () => {
    const want = reference('1', 'color', 'asc');
    const page = core.inventory.list(
      OWNER,
      { search: '1', sort: 'color', dir: 'asc', limit: 50, offset: 300 },
      { sort: 'color', dir: 'asc' },
    );
    expect(page.items.map((l) => l.id)).toEqual(want.slice(300, 350));
  });
});

describe('far jumps by offset seek a sampled key and land on the exact row', () => {
  const order = (sort: SortKey, dir: 'asc' | 'desc') =>
    core.db.sqlite
      .prepare(`SELECT id FROM inventory_items WHERE user_id = ? ORDER BY ${SORT_EXPR[sort]} ${dir}, id ${dir}`)
      .pluck()
      .all(OWNER) as number[];

  it('every sort key, both directions, many offsets (small sample step)', () => {
    const jumps = createJumps(core.db, { step: 37, minOffset: 0, schedule: () => {} });
    for (const sort of SORT_KEYS) {
      jumps.build(OWNER, sort);
      for (const dir of ['asc', 'desc'] as const) {
        const want = order(sort, dir);
        for (const offset of [37, 38, 74, 999, 5000, 12_345, want.length - 150, want.length - 37, want.length - 1]) {
          const got = jumps.page(OWNER, sort, dir, offset, 101);
          expect(got, `${sort} ${dir} ${offset}`).toBeDefined();
          expect(
            got!.map((l) => l.id),
            `${sort} ${dir} ${offset}`,
          ).toEqual(want.slice(offset, offset + 101));
        }
      }
    }
  });

  it('a stale sample is never used: after a write the jump falls back until the sample is read again', () => {
    const queued: (() => void)[] = [];
    const jumps = createJumps(core.db, { step: 50, minOffset: 0, schedule: (fn) => queued.push(fn) });
    jumps.build(OWNER, 'name');
    expect(jumps.page(OWNER, 'name', 'asc', 6000, 10)).toBeDefined();
    const id = addLot(OWNER, '0000', 'Aaaa first by name');
    try {
      expect(jumps.page(OWNER, 'name', 'asc', 6000, 10)).toBeUndefined();
      // The background slices bring it back, exact for the new data.
      for (let i = 0; i < 1000 && queued.length; i++) queued.shift()!();
      const got = jumps.page(OWNER, 'name', 'asc', 6000, 10);
      expect(got?.map((l) => l.id)).toEqual(order('name', 'asc').slice(6000, 6010));
    } finally {
      core.db.sqlite.prepare('DELETE FROM inventory_items WHERE id = ?').run(id);
    }
  });

  it('through the service: offsets agree with the plain order, cold (OFFSET) and warm (sample)', () => {
    for (const [sort, dir] of [
      ['used', 'asc'],
      ['name', 'desc'],
      ['available', 'desc'],
    ] as const) {
      const want = order(sort, dir);
      const at = (offset: number) =>
        core.inventory.list(OWNER, { sort, dir, limit: 100, offset }, { sort, dir }).items.map((l) => l.id);
      const offsets = [4096, 10_000, want.length - 60];
      const cold = offsets.map(at);
      core.inventory.jumps.build(OWNER, sort);
      const warm = offsets.map(at);
      offsets.forEach((o, i) => {
        expect(cold[i]).toEqual(want.slice(o, o + 100));
        expect(warm[i]).toEqual(want.slice(o, o + 100));
      });
    }
  });
});
