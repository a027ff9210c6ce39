// The whole state an undo must give back: every row of inventory_items (all columns), the
// Sets builds' rows (set_builds, set_build_takes), the maintained aggregates, and the search index checked against its content by FTS5 itself plus
// the rowids it answers for every lot's part number.
import type Database from 'better-sqlite3';
import { expect } from 'vitest';

export interface FullState {
  items: unknown[];
  stats: unknown[];
  locations: unknown[];
  colors: unknown[];
  search: unknown[];
  builds: unknown[];
  takes: unknown[];
}

export function fullState(db: Database.Database): FullState {
  db.prepare(`INSERT INTO inventory_fts (inventory_fts, rank) VALUES ('integrity-check', 1)`).run();
  const parts = db.prepare('SELECT DISTINCT part_id FROM inventory_items ORDER BY part_id LIMIT 200').pluck().all() as string[];
  const byPart = db.prepare(`SELECT rowid FROM inventory_fts WHERE inventory_fts MATCH ? ORDER BY rowid`).pluck();
  return {
    items: db.prepare('SELECT * FROM inventory_items ORDER BY id').all(),
    stats: db.prepare('SELECT * FROM inventory_stats ORDER BY user_id').all(),
    locations: db.prepare('SELECT * FROM inventory_location_stats ORDER BY user_id, location_key').all(),
    colors: db.prepare('SELECT * FROM inventory_color_stats ORDER BY user_id, color_id').all(),
    builds: db.prepare('SELECT * FROM set_builds ORDER BY id').all(),
    takes: db.prepare('SELECT * FROM set_build_takes ORDER BY id').all(),
    search: parts.filter((p) => p.length >= 3).map((p) => [p, byPart.all(`part_id:"${p.replace(/"/g, '""')}"`)]),
  };
}

export function expectState(db: Database.Database, want: FullState): void {
  expect(fullState(db)).toEqual(want);
}
