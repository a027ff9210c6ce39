// Every list shape must be served by an index: no full scan of inventory_items, and no temp
// b-tree for ORDER BY on the plain list (keyset paging seeks inside the sort index).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { countSql, listSql, parseSearch, SORT_EXPR } from '../../../src/main/inventory/query';
import { SORT_KEYS } from '../../../src/shared/types';
import { cleanupTempDirs, makeCore } from '../../helpers';

let core: Core;
beforeAll(() => {
  core = makeCore();
});
afterAll(() => {
  core.close();
  cleanupTempDirs();
});

function plan(sql: string): string {
  const n = (sql.match(/\?/g) ?? []).length;
  const rows = core.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(n).fill(1)) as { detail: string }[];
  return rows.map((r) => r.detail).join(' | ');
}

const INDEX_FOR: Record<string, string> = {
  name: 'inventory_items_user_name_idx',
  part: 'inventory_items_user_part_idx',
  color: 'inventory_items_user_color_name_idx',
  total: 'inventory_items_user_total_idx',
  used: 'inventory_items_user_used_idx',
  available: 'inventory_items_user_available_idx',
  location: 'inventory_items_user_location_idx',
  created: 'inventory_items_user_created_idx',
  updated: 'inventory_items_user_updated_idx',
};

describe('query plans', () => {
  it('has a sort expression and an index for every sort key', () => {
    expect(Object.keys(SORT_EXPR).sort()).toEqual([...SORT_KEYS].sort());
    expect(Object.keys(INDEX_FOR).sort()).toEqual([...SORT_KEYS].sort());
  });

  for (const sort of SORT_KEYS) {
    for (const dir of ['asc', 'desc'] as const) {
      it(`list by ${sort} ${dir}: first and later pages seek in ${INDEX_FOR[sort]}`, () => {
        const first = plan(listSql({ sort, dir }));
        expect(first).toContain(`USING INDEX ${INDEX_FOR[sort]} (user_id=?)`);
        const later = plan(listSql({ sort, dir, cursor: true }));
        // user_id=? AND <key> (<|>) ? : a range seek, not a walk from the first row.
        expect(later).toMatch(new RegExp(`USING INDEX ${INDEX_FOR[sort]} \\(user_id=\\? AND \\S+[<>]\\?\\)`));
        for (const p of [first, later]) {
          expect(p).not.toMatch(/SCAN inventory_items/);
          expect(p).not.toMatch(/TEMP B-TREE/);
        }
      });
    }
  }

  it('filters by location through the location index', () => {
    const p = plan(listSql({ sort: 'name', dir: 'asc', location: true }));
    expect(p).toContain('USING INDEX inventory_items_user_location_idx (user_id=? AND storage_location=?)');
    expect(p).not.toMatch(/SCAN inventory_items/);
  });

  it('searches through the FTS index', () => {
    const p = plan(listSql({ sort: 'name', dir: 'asc', search: parseSearch('brick') }));
    expect(p).toMatch(/SCAN inventory_fts VIRTUAL TABLE INDEX 0:M/);
    expect(p).not.toMatch(/SCAN inventory_items/);
  });

  it('counts without scanning the table', () => {
    expect(plan(countSql({}))).toMatch(/USING COVERING INDEX \S+ \(user_id=\?\)/);
  });

  it('finds a duplicate lot and "where is this part?" by the unique index', () => {
    const dup = plan(
      'SELECT id FROM inventory_items WHERE user_id = ? AND part_id = ? AND color_id = ? AND storage_location = ?',
    );
    expect(dup).toMatch(/USING (COVERING )?INDEX inventory_items_user_part_color_location_uq/);
    expect(dup).toContain(
      'inventory_items_user_part_color_location_uq (user_id=? AND part_id=? AND color_id=? AND storage_location=?)',
    );
    const where = plan('SELECT id FROM inventory_items WHERE user_id = ? AND part_id = ? AND color_id = ?');
    expect(where).toContain('inventory_items_user_part_color_location_uq (user_id=? AND part_id=? AND color_id=?)');
  });
});
