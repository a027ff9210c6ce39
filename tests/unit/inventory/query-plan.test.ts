// EXPLAIN QUERY PLAN for every query shape the inventory runs: each must seek its index, never
// scan inventory_items, and sort in a temp b-tree only where the shape sorts a small set by
// design (a location, a rare colour, a few search matches, one part's placements). The SQL is
// captured from the service while it runs, so the test checks exactly what the app executes,
// both on a fresh database (no sqlite_stat1) and after ANALYZE on skewed data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { createJumps } from '../../../src/main/inventory/jump';
import { SORT_EXPR, SORT_INDEX, listSql, parseSearch } from '../../../src/main/inventory/query';
import { SORT_KEYS } from '../../../src/shared/types';
import { COMMON_COLOR, COMMON_LOCATION, fill, tempCore } from './fixture';

let core: Core;
let dispose: () => void;
beforeAll(() => {
  ({ core, dispose } = tempCore());
  fill(core, 1, 4000, 11);
});
afterAll(() => dispose());

function planOfSql(sql: string): { sql: string; plan: string[] } {
  // Plans do not depend on the values: bind NULL to every parameter.
  const names = [...new Set(sql.match(/@\w+/g) ?? [])].map((n) => n.slice(1));
  const params = names.length
    ? [Object.fromEntries(names.map((n) => [n, null]))]
    : Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
  const rows = core.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return { sql, plan: rows.map((r) => r.detail) };
}

/** Runs `fn` and returns the plan of every statement it ran through the statement cache. */
function plansOf(fn: () => unknown): { sql: string; plan: string[] }[] {
  const seen = new Set<string>();
  const orig = core.db.stmt.bind(core.db);
  core.db.stmt = (sqlText: string) => {
    seen.add(sqlText);
    return orig(sqlText);
  };
  try {
    fn();
  } finally {
    core.db.stmt = orig;
  }
  return [...seen].map(planOfSql);
}

const inv = () => core.inventory;
const cursorOf = (q: object) => inv().list(1, { ...q, limit: 30 }, { sort: 'name', dir: 'asc' }).nextCursor!;

function expectNoScan(p: { sql: string; plan: string[] }) {
  for (const line of p.plan) {
    expect(line, `${p.sql}\n${p.plan.join('\n')}`).not.toMatch(/^SCAN inventory_items\b/);
    expect(line, `${p.sql}\n${p.plan.join('\n')}`).not.toMatch(
      /^SCAN (inventory_stats|inventory_location_stats|inventory_color_stats)\b/,
    );
  }
}

function listPlans(q: object) {
  return plansOf(() => inv().list(1, q, { sort: 'name', dir: 'asc' })).filter((p) =>
    /FROM inventory_items (INDEXED|NOT)/.test(p.sql),
  );
}

function suite(label: string) {
  describe(label, () => {
    it('has a sort expression and an index for every sort key', () => {
      expect(Object.keys(SORT_EXPR).sort()).toEqual([...SORT_KEYS].sort());
      expect(Object.keys(SORT_INDEX).sort()).toEqual([...SORT_KEYS].sort());
    });

    for (const sort of SORT_KEYS) {
      for (const dir of ['asc', 'desc'] as const) {
        it(`list by ${sort} ${dir}: first page and cursor pages walk ${SORT_INDEX[sort]} without sorting`, () => {
          const after = inv().list(1, { sort, dir, limit: 30 }, { sort, dir }).nextCursor!;
          const plans = [...listPlans({ sort, dir, limit: 30 }), ...listPlans({ sort, dir, limit: 30, after })];
          expect(plans.length).toBeGreaterThanOrEqual(2);
          for (const p of plans) {
            expectNoScan(p);
            expect(p.plan.join('\n')).toContain(`SEARCH inventory_items USING INDEX ${SORT_INDEX[sort]} (user_id=?`);
            expect(p.plan.join('\n')).not.toContain('TEMP B-TREE');
          }
          // The run of equal values after a cursor is a seek on (key, id), not a scan from its start.
          const ties = plans.find((p) => / = @cvalue AND id [<>] @cid/.test(p.sql));
          expect(ties?.plan.join('\n')).toMatch(/AND id[<>]\?\)/);
          // After the run: user_id=? AND <key> (<|>) ? : a range seek, not a walk from the first row.
          const rest = planOfSql(listSql({ sort, dir, driver: 'sort', cursor: 'after' }));
          expect(rest.plan.join('\n')).toMatch(new RegExp(`USING INDEX ${SORT_INDEX[sort]} \\(user_id=\\? AND \\S+[<>]\\?\\)`));
        });
      }
    }

    it('a common colour walks the sort index, testing color_id on the index entry (no sort)', () => {
      for (const q of [
        { colorId: COMMON_COLOR, sort: 'updated' },
        { colorId: COMMON_COLOR, sort: 'updated', after: '' },
      ]) {
        const qq =
          q.after === ''
            ? {
                ...q,
                after: inv().list(1, { colorId: COMMON_COLOR, sort: 'updated', limit: 30 }, { sort: 'name', dir: 'asc' })
                  .nextCursor!,
              }
            : q;
        for (const p of listPlans({ ...qq, limit: 30 })) {
          expectNoScan(p);
          expect(p.plan.join('\n')).toContain(`USING INDEX ${SORT_INDEX.updated}`);
          expect(p.plan.join('\n')).not.toContain('TEMP B-TREE');
        }
      }
    });

    it('a rare colour seeks inventory_items_user_color_idx and sorts only its rows', () => {
      for (const p of listPlans({ colorId: 5, sort: 'name', limit: 30 })) {
        expectNoScan(p);
        expect(p.plan.join('\n')).toContain('USING INDEX inventory_items_user_color_idx (user_id=? AND color_id=?)');
      }
    });

    it('a small location seeks inventory_items_user_location_idx; a busy one walks the sort index', () => {
      for (const p of listPlans({ location: 'Bin 3', sort: 'total', limit: 30 })) {
        expectNoScan(p);
        expect(p.plan.join('\n')).toContain('USING INDEX inventory_items_user_location_idx (user_id=? AND storage_location=?)');
      }
      const busy = listPlans({
        location: COMMON_LOCATION,
        sort: 'total',
        limit: 30,
        after: cursorOf({ location: COMMON_LOCATION, sort: 'total' }),
      });
      expect(busy.length).toBeGreaterThan(0);
      for (const p of busy) {
        expectNoScan(p);
        expect(p.plan.join('\n')).toContain(`USING INDEX ${SORT_INDEX.total} (user_id=?`);
        expect(p.plan.join('\n')).not.toContain('TEMP B-TREE');
        // the fingerprint in the index entry is tested before the row is read
        expect(p.sql).toContain('location_fp = ');
      }
      // Sorted by location, the location filter is a range of the sort index itself.
      for (const p of listPlans({ location: 'Bin 3', sort: 'location', limit: 30 })) {
        expectNoScan(p);
        expect(p.plan.join('\n')).toContain('USING INDEX inventory_items_user_location_idx (user_id=? AND storage_location=?)');
      }
    });

    it('a rare search term looks its FTS matches up by rowid (the probe found them all: no second FTS query)', () => {
      const all = plansOf(() => inv().list(1, { search: 'minifig', sort: 'name', limit: 30 }, { sort: 'name', dir: 'asc' }));
      const probe = all.filter((p) => p.sql.includes('inventory_fts AS f'));
      expect(probe.length).toBe(1);
      expect(probe[0]!.plan.join('\n')).toMatch(/SCAN f VIRTUAL TABLE INDEX 0:M/);
      const pages = all.filter((p) => /FROM inventory_items NOT INDEXED/.test(p.sql));
      expect(pages.length).toBeGreaterThan(0);
      for (const p of pages) {
        expectNoScan(p);
        expect(p.plan.join('\n')).toMatch(/SEARCH inventory_items USING INTEGER PRIMARY KEY \(rowid=\?\)/);
        expect(p.plan.join('\n')).toMatch(/json_each VIRTUAL TABLE/);
      }
    });

    it('a common search term: exact part numbers by their index, then a walk of the sort index', () => {
      const first = listPlans({ search: 'brick', sort: 'updated', limit: 30 });
      const after = listPlans({
        search: 'brick',
        sort: 'updated',
        limit: 30,
        after: inv().list(1, { search: 'brick', sort: 'updated', limit: 30 }, { sort: 'name', dir: 'asc' }).nextCursor!,
      });
      const all = [...first, ...after];
      expect(
        all.some((p) => p.plan.join('\n').includes('USING INDEX inventory_items_user_part_nocase_idx (user_id=? AND part_id=?)')),
      ).toBe(true);
      const walks = all.filter((p) => p.sql.includes(`INDEXED BY ${SORT_INDEX.updated}`));
      expect(walks.length).toBeGreaterThan(0);
      for (const p of all) expectNoScan(p);
      for (const p of walks) expect(p.plan.join('\n')).not.toContain('TEMP B-TREE');
    });

    it('search probes and capped counts walk the FTS index and look rows up by rowid', () => {
      const plans = plansOf(() =>
        inv().list(1, { search: 'brick 2', colorId: COMMON_COLOR, limit: 30 }, { sort: 'name', dir: 'asc' }),
      );
      const fts = plans.filter((p) => p.sql.includes('inventory_fts AS f'));
      expect(fts.length).toBeGreaterThan(0);
      for (const p of fts) {
        expectNoScan(p);
        expect(p.plan.join('\n')).toMatch(/SCAN f VIRTUAL TABLE INDEX 0:M/);
        expect(p.plan.join('\n')).toMatch(/SEARCH i USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      }
    });

    it('a search tested lot by lot walks a bounded co-routine of the sort index (LIMIT @budget), rows by rowid', () => {
      const d = { sort: 'name' as const, dir: 'asc' as const };
      const after = inv().list(1, { search: 'x', sort: 'total', limit: 30 }, d).nextCursor!;
      const plans = [
        ...plansOf(() => inv().list(1, { search: 'zq', sort: 'total', limit: 30 }, d)),
        ...plansOf(() => inv().list(1, { search: 'x', sort: 'total', dir: 'desc', limit: 30 }, d)),
        ...plansOf(() => inv().list(1, { search: 'x', sort: 'total', limit: 30, after }, d)),
        ...plansOf(() => inv().list(1, { search: 'brick zq', sort: 'total', limit: 30 }, d)),
        ...plansOf(() => inv().list(1, { search: 'zq', colorId: COMMON_COLOR, sort: 'total', limit: 30 }, d)),
        ...plansOf(() => inv().list(1, { search: 'zq', location: COMMON_LOCATION, sort: 'total', limit: 30 }, d)),
      ];
      for (const p of plans) expectNoScan(p);
      const bounded = plans.filter((p) => p.sql.includes('AS wid'));
      // first page, its end probe, ties and rest after a cursor, bounded counts by walk, FTS, colour and location
      expect(bounded.length).toBeGreaterThanOrEqual(8);
      for (const p of bounded) {
        const text = p.plan.join('\n');
        expect(p.sql).toMatch(/LIMIT @budget( \+ 1)?\)/);
        expect(text, p.sql).toMatch(
          /SEARCH inventory_items USING (COVERING )?INDEX (inventory_items_user_total_idx|inventory_items_user_color_idx|inventory_items_user_location_idx) \(user_id=\?|SCAN inventory_fts VIRTUAL TABLE/,
        );
        if (/ AS i /.test(p.sql)) expect(text).toMatch(/SEARCH i USING INTEGER PRIMARY KEY \(rowid=\?\)/);
        expect(text).not.toContain('TEMP B-TREE');
      }
      expect(bounded.some((p) => /SCAN inventory_fts VIRTUAL TABLE/.test(p.plan.join('\n')))).toBe(true);
      expect(bounded.some((p) => p.plan.join('\n').includes('inventory_items_user_color_idx'))).toBe(true);
      // after a cursor the walk seeks the cursor's run and then the keys after it
      expect(
        bounded.some((p) =>
          /inventory_items_user_total_idx \(user_id=\? AND quantity_total=\? AND id>\?\)/.test(p.plan.join('\n')),
        ),
      ).toBe(true);
      const rest = planOfSql(
        listSql({
          sort: 'total',
          dir: 'asc',
          search: parseSearch('x'),
          driver: 'sort',
          segment: 'rest',
          cursor: 'after',
          budget: true,
        }),
      );
      expect(rest.sql).toContain('LIMIT @budget)');
      expect(rest.plan.join('\n')).toMatch(/inventory_items_user_total_idx \(user_id=\? AND quantity_total>\?\)/);
      expect(rest.plan.join('\n')).not.toContain('TEMP B-TREE');
    });

    for (const sort of SORT_KEYS) {
      it(`a far jump by ${sort}: the sample is read and the page sought on ${SORT_INDEX[sort]}, never scanned or sorted`, () => {
        const jumps = createJumps(core.db, { step: 50, minOffset: 0, schedule: () => {} });
        const plans = plansOf(() => {
          jumps.build(1, sort);
          for (const dir of ['asc', 'desc'] as const)
            for (const o of [120, 2000, 3900]) expect(jumps.page(1, sort, dir, o, 30)).toBeDefined();
        }).filter((p) => p.sql.includes('inventory_items'));
        expect(plans.length).toBeGreaterThanOrEqual(6);
        for (const p of plans) {
          expectNoScan(p);
          const text = p.plan.join('\n');
          if (p.sql.includes('inventory_stats')) continue;
          expect(text, p.sql).toContain(`INDEX ${SORT_INDEX[sort]} (user_id=?`);
          expect(text, p.sql).not.toContain('TEMP B-TREE');
          if (/ = @(value|cvalue)/.test(p.sql)) expect(text, p.sql).toMatch(/=\? AND id[<>]\?\)/);
        }
      });
    }

    it('duplicate lookup and where-is seek the (user, part, colour, location) index', () => {
      const lot = inv().list(1, { limit: 1 }, { sort: 'name', dir: 'asc' }).items[0]!;
      const plans = plansOf(() => {
        inv().create(
          core.access(1),
          { partId: lot.partId, colorId: lot.colorId, quantityTotal: 1, storageLocation: lot.storageLocation },
          'ask',
        );
        inv().placements(1, lot.partId);
        inv().placements(1, lot.partId, lot.colorId);
      }).filter((p) => p.sql.includes('inventory_items'));
      expect(plans.length).toBeGreaterThanOrEqual(3);
      for (const p of plans) {
        expectNoScan(p);
        expect(p.plan.join('\n')).toMatch(
          /USING (COVERING )?INDEX inventory_items_user_part_color_location_uq \(user_id=\? AND part_id=\?|USING INTEGER PRIMARY KEY/,
        );
      }
    });

    it('dashboard and locations read maintained aggregates by key; low stock and recent walk their index', () => {
      const plans = plansOf(() => {
        inv().summary(1, 2, 10);
        inv().locations(1);
        inv().locations(1, 'bin');
      });
      expect(plans.length).toBeGreaterThanOrEqual(8);
      for (const p of plans) {
        expectNoScan(p);
        const text = p.plan.join('\n');
        if (p.sql.includes('FROM inventory_items')) expect(text, p.sql).not.toContain('TEMP B-TREE');
        if (p.sql.includes('inventory_location_stats'))
          expect(text).toMatch(
            /SEARCH inventory_location_stats USING (PRIMARY KEY|(COVERING )?INDEX sqlite_autoindex_inventory_location_stats_1) \(user_id=\?/,
          );
        if (p.sql.includes('inventory_color_stats'))
          expect(text).toMatch(
            /SEARCH inventory_color_stats USING (PRIMARY KEY|(COVERING )?INDEX sqlite_autoindex_inventory_color_stats_1) \(user_id=\?/,
          );
      }
      const prefix = plans.find((p) => p.sql.includes('location_key >= ?'))!;
      expect(prefix.plan.join('\n')).toContain('(user_id=? AND location_key>? AND location_key<?)');
    });

    it('a page of unnamed lots looks their catalogue names up by the parts key, in one statement', () => {
      const db = core.db.sqlite;
      db.prepare("INSERT OR IGNORE INTO parts (part_num, name) VALUES ('3001', 'Brick 2 x 4'), ('3002', 'Brick 2 x 3')").run();
      db.prepare("UPDATE inventory_items SET name = '' WHERE user_id = 1 AND part_id IN ('3001', '3002', '3003')").run();
      const plans = plansOf(() => inv().list(1, { search: '300', sort: 'part' }, { sort: 'part', dir: 'asc' })).filter((p) =>
        p.sql.includes('JOIN parts'),
      );
      expect(plans).toHaveLength(1);
      expect(plans[0]!.plan.join('\n')).toMatch(/SEARCH p USING (COVERING )?INDEX sqlite_autoindex_parts_1 \(part_num=\?\)/);
      expect(plans[0]!.plan.join('\n')).not.toMatch(/SCAN (parts|p)\b/);
    });

    it('no aggregate over inventory_items is left on the list or dashboard path', () => {
      const plans = plansOf(() => {
        inv().list(1, {}, { sort: 'name', dir: 'asc' });
        inv().list(1, { location: COMMON_LOCATION }, { sort: 'name', dir: 'asc' });
        inv().list(1, { colorId: COMMON_COLOR }, { sort: 'name', dir: 'asc' });
        inv().summary(1, 2, 10);
      });
      for (const p of plans) expect(p.sql, p.sql).not.toMatch(/count\(\*\)[\s\S]*FROM inventory_items WHERE user_id = \? *$/m);
      for (const p of plans) expect(p.sql).not.toMatch(/sum\(quantity_total\)[\s\S]*FROM inventory_items/);
    });
  });
}

suite('without planner statistics (a fresh database)');

describe('after ANALYZE', () => {
  it('collects statistics on the skewed data', () => {
    core.db.sqlite.exec('ANALYZE');
    core.db.sqlite.pragma('optimize');
    expect(
      core.db.sqlite.prepare("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'inventory_items'").pluck().get(),
    ).toBeGreaterThan(5);
  });
});
suite('with planner statistics');
