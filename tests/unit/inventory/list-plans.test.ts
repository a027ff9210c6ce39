// Every way of fetching a list page (walk a sort index, seek a location/colour/search set and
// sort it, exact part numbers first) must give exactly the order of one plain ORDER BY, page
// after page, with the right total. The service picks the plan from maintained counts, so the
// cases below are sized to take each plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SORT_EXPR } from '../../../src/main/inventory/query';
import { TOTAL_CAP } from '../../../src/main/inventory/service';
import { SORT_KEYS, type SortKey } from '../../../src/shared/types';
import type { Core } from '../../../src/main/core';
import { COMMON_COLOR, COMMON_LOCATION, fill, tempCore } from './fixture';

let core: Core;
let dispose: () => void;
const OWNER = 1;

beforeAll(() => {
  ({ core, dispose } = tempCore());
  fill(core, OWNER, 4000, 7);
  const other = core.profiles.create('Other');
  fill(core, other.id, 300, 8); // another profile's lots never show up
});
afterAll(() => dispose());

interface Q {
  search?: string;
  location?: string;
  colorId?: number;
}

/** The reference: one straightforward statement, no plan choices. */
function reference(q: Q, sort: SortKey, dir: 'asc' | 'desc'): number[] {
  const where = ['user_id = @owner'];
  const params: Record<string, unknown> = { owner: OWNER };
  const terms = (q.search ?? '').trim().split(/\s+/).filter(Boolean);
  terms.forEach((t, i) => {
    params[`t${i}`] = `%${t}%`;
    where.push(`(name LIKE @t${i} OR part_id LIKE @t${i} OR color_name LIKE @t${i} OR storage_location LIKE @t${i})`);
  });
  if (q.location !== undefined) {
    where.push('storage_location = @loc COLLATE NOCASE');
    params.loc = q.location;
  }
  if (q.colorId !== undefined) {
    where.push('color_id = @color');
    params.color = q.colorId;
  }
  let order = `${SORT_EXPR[sort]} ${dir}, id ${dir}`;
  if (terms.length) {
    order = `(part_id = @exact COLLATE NOCASE) DESC, ${order}`;
    params.exact = q.search!.trim();
  }
  return core.db.sqlite
    .prepare(`SELECT id FROM inventory_items WHERE ${where.join(' AND ')} ORDER BY ${order}`)
    .pluck()
    .all(params) as number[];
}

function pageThrough(q: Q, sort: SortKey, dir: 'asc' | 'desc', limit: number) {
  const ids: number[] = [];
  let after: string | undefined;
  let first: { total: number; totalCapped?: boolean } | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = core.inventory.list(OWNER, { ...q, sort, dir, limit, ...(after ? { after } : {}) }, { sort, dir });
    first ??= page;
    ids.push(...page.items.map((l) => l.id));
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  return { ids, first: first! };
}

const exactPart = () =>
  core.db.sqlite
    .prepare(
      "SELECT part_id FROM inventory_items WHERE user_id = 1 AND part_id LIKE '%pr%' GROUP BY part_id ORDER BY count(*) DESC LIMIT 1",
    )
    .pluck()
    .get() as string;

const cases: [string, () => Q][] = [
  ['no filter', () => ({})],
  ['busy location, other case (walk)', () => ({ location: 'DRAWER Ä' })],
  ['busy location, non-ASCII letter in other case (no match, as NOCASE)', () => ({ location: COMMON_LOCATION.toLowerCase() })],
  ['small location (seek and sort)', () => ({ location: 'Bin 7' })],
  ['no location', () => ({ location: '' })],
  ['common colour (walk)', () => ({ colorId: COMMON_COLOR })],
  ['rare colour (seek and sort)', () => ({ colorId: 5 })],
  ['location and colour', () => ({ location: COMMON_LOCATION, colorId: COMMON_COLOR })],
  ['common word (walk, exact first)', () => ({ search: 'brick' })],
  ['two words', () => ({ search: 'plate 1' })],
  ['rare word (FTS seek)', () => ({ search: 'minifig' })],
  ['exact part number ranks first', () => ({ search: exactPart().toUpperCase() })],
  ['short term only', () => ({ search: 'x' })],
  ['common word and a short term', () => ({ search: 'brick 2' })],
  ['rare word and a short term', () => ({ search: 'minifig 3' })],
  ['non-ASCII term (FTS only)', () => ({ search: 'brïck' })],
  ['search and colour', () => ({ search: 'tile', colorId: COMMON_COLOR })],
  ['search and location', () => ({ search: 'brick', location: COMMON_LOCATION })],
  ['nothing matches', () => ({ search: 'zzzzqq' })],
];

describe('list pages agree with a plain ORDER BY, across every plan', () => {
  for (const [label, make] of cases) {
    it(label, () => {
      const q = make();
      for (const sort of SORT_KEYS) {
        for (const dir of ['asc', 'desc'] as const) {
          const want = reference(q, sort, dir);
          const { ids, first } = pageThrough(q, sort, dir, 97);
          expect(ids, `${label} ${sort} ${dir}`).toEqual(want);
          if (first.totalCapped) {
            expect(first.total).toBe(TOTAL_CAP);
            expect(want.length).toBeGreaterThan(TOTAL_CAP);
          } else {
            expect(first.total, `${label} ${sort} ${dir} total`).toBe(want.length);
          }
        }
      }
    });
  }

  it('takes each plan at least once (the cases above are not all the same plan)', () => {
    const texts = new Set<string>();
    const orig = core.db.stmt.bind(core.db);
    core.db.stmt = (sqlText: string) => {
      texts.add(sqlText);
      return orig(sqlText);
    };
    try {
      for (const [, make] of cases)
        core.inventory.list(OWNER, { ...make(), sort: 'name', limit: 50 }, { sort: 'name', dir: 'asc' });
    } finally {
      core.db.stmt = orig;
    }
    const all = [...texts].join('\n');
    for (const idx of [
      'INDEXED BY inventory_items_user_name_idx',
      'INDEXED BY inventory_items_user_location_idx',
      'INDEXED BY inventory_items_user_color_idx',
      'INDEXED BY inventory_items_user_part_nocase_idx',
      'NOT INDEXED',
    ]) {
      expect(all).toContain(idx);
    }
  });

  it('offset pages (scrollbar jumps) agree too', () => {
    for (const q of [{}, { search: 'brick' }, { colorId: COMMON_COLOR }, { location: 'Bin 7' }] as Q[]) {
      const want = reference(q, 'name', 'asc');
      const page = core.inventory.list(
        OWNER,
        { ...q, sort: 'name', dir: 'asc', limit: 40, offset: 120 },
        { sort: 'name', dir: 'asc' },
      );
      expect(page.items.map((l) => l.id)).toEqual(want.slice(120, 160));
    }
  });

  it('a capped total is flagged and never smaller than what was seen', () => {
    const page = core.inventory.list(OWNER, { search: 'brick', sort: 'name', limit: 10 }, { sort: 'name', dir: 'asc' });
    const all = reference({ search: 'brick' }, 'name', 'asc').length;
    if (all > TOTAL_CAP) {
      expect(page.totalCapped).toBe(true);
      expect(page.total).toBe(TOTAL_CAP);
    } else {
      expect(page.total).toBe(all);
    }
    const plain = core.inventory.list(OWNER, { sort: 'name', limit: 10 }, { sort: 'name', dir: 'asc' });
    expect(plain.totalCapped).toBe(false);
    expect(plain.total).toBe(4000 - countIgnored());
  });
});

function countIgnored(): number {
  // INSERT OR IGNORE may have dropped a duplicate (part, colour, location) in the fixture.
  return 4000 - (core.db.sqlite.prepare('SELECT count(*) FROM inventory_items WHERE user_id = 1').pluck().get() as number);
}
