// What the inventory table asks for while a person scrolls 100k lots: the first page with the
// total, the next page by keyset cursor, a scrollbar jump by offset, and search-as-you-type.
// Each figure is compared with the same page fetched by a raw prepared statement on the same
// connection (no contract validation, no envelope), and reported as a ratio.
//   nice npx tsx bench/ui-list.ts [lots]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/core';

const N = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-bench-ui-'));
const core = createCore({ dataDir: dir, logToFile: false });
const db = core.db.sqlite;
const owner = core.profiles.current().id;
const colors = db.prepare('SELECT id, name FROM colors WHERE id >= 0 AND id < 9999').all() as { id: number; name: string }[];
const ins = db.prepare(
  `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used, storage_location, notes, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, 0, ?, '', ?, ?)`,
);
const t0 = performance.now();
db.transaction(() => {
  for (let i = 0; i < N; i++) {
    const c = colors[i % colors.length]!;
    ins.run(
      owner,
      `p${String(i).padStart(6, '0')}`,
      c.id,
      c.name,
      `Bulk part ${i}`,
      i % 500,
      `Shelf ${Math.floor(i / 1000)} drawer ${i % 40}`,
      i,
      i,
    );
  }
})();
console.log(`seeded ${N} lots in ${(performance.now() - t0).toFixed(0)} ms`);

async function time(label: string, runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) await fn();
  const ms = (performance.now() - start) / runs;
  return ms;
}

const cols = `id, user_id, part_id, color_id, color_name, name, quantity_total, quantity_used, storage_location, notes, image_url, created_at, updated_at`;
const rawFirst = db.prepare(`SELECT ${cols} FROM inventory_items WHERE user_id = ? ORDER BY part_id, id LIMIT 101`);
const rawCount = db.prepare(`SELECT count(*) FROM inventory_items WHERE user_id = ?`).pluck();
const rawOffset = db.prepare(`SELECT ${cols} FROM inventory_items WHERE user_id = ? ORDER BY part_id, id LIMIT 101 OFFSET ?`);
const rawSearch = db.prepare(
  `SELECT ${cols} FROM inventory_items WHERE user_id = ? AND id IN (SELECT rowid FROM inventory_fts WHERE inventory_fts MATCH ?) ORDER BY part_id, id LIMIT 101`,
);

const rawSearchCount = db
  .prepare(
    `SELECT count(*) FROM inventory_items WHERE user_id = ? AND id IN (SELECT rowid FROM inventory_fts WHERE inventory_fts MATCH ?)`,
  )
  .pluck();
const rawLike = db.prepare(
  `SELECT ${cols} FROM inventory_items WHERE user_id = ? AND id IN (SELECT rowid FROM inventory_fts WHERE inventory_fts MATCH ?)
     AND storage_location LIKE ? ORDER BY part_id, id LIMIT 101`,
);

const first = await core.invoke('inventory.list', { sort: 'part', dir: 'asc', limit: 100 });
const cursor = first.ok ? (first.data as { nextCursor: string }).nextCursor : '';

const rows: [string, number, number][] = [];
rows.push([
  'first page + total',
  await time('ui', 50, () => core.invoke('inventory.list', { sort: 'part', dir: 'asc', limit: 100 })),
  await time('raw', 50, () => (rawFirst.all(owner), rawCount.get(owner))),
]);
rows.push([
  'next page (keyset)',
  await time('ui', 200, () =>
    core.invoke('inventory.list', { sort: 'part', dir: 'asc', limit: 100, after: cursor, withTotal: false }),
  ),
  await time('raw', 200, () => rawFirst.all(owner)),
]);
rows.push([
  `jump to the middle (offset ${N / 2})`,
  await time('ui', 20, () =>
    core.invoke('inventory.list', { sort: 'part', dir: 'asc', limit: 100, offset: N / 2, withTotal: false }),
  ),
  await time('raw', 20, () => rawOffset.all(owner, N / 2)),
]);
rows.push([
  'search "p0777" + total (trigram index)',
  await time('ui', 20, () => core.invoke('inventory.list', { sort: 'part', dir: 'asc', limit: 100, search: 'p0777' })),
  await time('raw', 20, () => (rawSearch.all(owner, '"p0777"'), rawSearchCount.get(owner, '"p0777"'))),
]);
rows.push([
  'search "drawer 17" + total (2-letter term: LIKE)',
  await time('ui', 5, () => core.invoke('inventory.list', { sort: 'part', dir: 'asc', limit: 100, search: 'drawer 17' })),
  await time('raw', 5, () => rawLike.all(owner, '"drawer"', '%17%')),
]);

console.log(`\n| step | contract call (ms) | raw statement (ms) | ratio |\n|---|---|---|---|`);
for (const [label, ui, raw] of rows)
  console.log(`| ${label} | ${ui.toFixed(2)} | ${raw.toFixed(2)} | ${(ui / raw).toFixed(1)}× |`);
core.close();
rmSync(dir, { recursive: true, force: true });
