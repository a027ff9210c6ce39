// Bulk apply: big imports drop the non-unique secondary indexes of inventory_items, load the
// rows and rebuild the indexes, all inside the one transaction. These tests force the bulk path
// on small files (the size rule is a speed matter) and compare it with the ordinary path.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { applyStage, detect, droppableIndexes, dropStage, stageFile } from '../../../src/main/transfer/import';
import { cleanup, lots, newCore, ok, tempDir } from './helpers';

const cores: Core[] = [];
const core = () => {
  const c = newCore();
  cores.push(c);
  return c;
};
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});
afterAll(cleanup);

const csv = (rows: string[]) => {
  const f = path.join(tempDir(), 'list.csv');
  writeFileSync(f, ['Part,Color,Quantity,Notes,Location,IsUsed,IsStickered', ...rows].join('\n'));
  return f;
};

/** The schema as text: every index and trigger (and table) with its SQL, by name. */
const schema = (c: Core) =>
  c.db.sqlite.prepare(`SELECT type, name, tbl_name AS tbl, sql FROM sqlite_master ORDER BY type, name`).all();
const indexNames = (c: Core) =>
  c.db.sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'inventory_items' ORDER BY name`)
    .pluck()
    .all();
const allLots = (c: Core) =>
  c.db.sqlite
    .prepare(
      `SELECT user_id, part_id, color_id, color_name, name, quantity_total, quantity_used, storage_location, notes, image_url,
              created_at, updated_at FROM inventory_items ORDER BY user_id, part_id, color_id, storage_location`,
    )
    .all();
const checkIntegrity = (c: Core) => {
  expect(c.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  c.db.sqlite.exec(`INSERT INTO inventory_fts (inventory_fts) VALUES ('integrity-check')`);
};

async function apply(c: Core, file: string, mode: 'add' | 'replace', opts: Parameters<typeof applyStage>[5]) {
  const sqlite = c.db.sqlite;
  const det = await detect(file, { token: 'x', name: 'list.csv', size: null }, {});
  const colors = sqlite.prepare('SELECT id, name FROM colors').all() as { id: number; name: string }[];
  const stage = await stageFile(sqlite, file, det, { colors });
  try {
    return await applyStage(sqlite, stage, 1, mode, 1_700_000_000_000, opts);
  } finally {
    dropStage(sqlite, stage.table);
  }
}

/** An inventory of 400 lots, then a file of 3,000 rows: 200 of them match existing lots. */
async function seeded(): Promise<{ c: Core; file: string }> {
  const c = core();
  const first: string[] = [];
  for (let i = 0; i < 400; i++) first.push(`p${i},${i % 2 ? 4 : 15},${1 + (i % 9)},note ${i},Bin ${i % 13},False,False`);
  await apply(c, csv(first), 'add', { bulkIndexes: false });
  const rows: string[] = [];
  for (let i = 200; i < 3200; i++)
    rows.push(`p${i},${i % 2 ? 4 : 15},${2 + (i % 5)},,Bin ${i % 13},${i % 7 === 0 ? 'True' : 'False'},False`);
  return { c, file: csv(rows) };
}

describe('bulk apply (indexes dropped and rebuilt in the same transaction)', () => {
  it('finds the non-unique CREATE INDEX indexes and keeps the UNIQUE one', () => {
    const c = core();
    const ix = droppableIndexes(c.db.sqlite, 'inventory_items');
    expect(ix.length).toBeGreaterThanOrEqual(5);
    const unique = c.db.sqlite
      .prepare(`SELECT name FROM pragma_index_list('inventory_items') WHERE "unique" = 1`)
      .pluck()
      .all() as string[];
    expect(unique.length).toBeGreaterThan(0);
    for (const u of unique) expect(ix.map((i) => i.name)).not.toContain(u);
    for (const i of ix) expect(i.sql).toMatch(/^CREATE INDEX/i);
  });

  it.each(['add', 'replace'] as const)(
    '%s: the same lots as the ordinary path, the same schema, a sound database',
    async (mode) => {
      const plain = await seeded();
      const bulk = await seeded();
      const before = schema(bulk.c);
      const all = indexNames(bulk.c);
      let during: unknown[] = [];
      const a = await apply(plain.c, plain.file, mode, { bulkIndexes: false, chunk: 700 });
      const b = await apply(bulk.c, bulk.file, mode, {
        bulkIndexes: true,
        chunk: 700,
        beforeReindex: () => (during = indexNames(bulk.c)),
      });
      expect(b).toEqual(a);
      expect(a).toMatchObject({ created: 2800 });
      // The bulk path really ran without the droppable indexes, and only without them.
      const dropped = droppableIndexes(bulk.c.db.sqlite, 'inventory_items').map((i) => i.name);
      expect(during).toEqual(all.filter((n) => !dropped.includes(n as string)));
      expect(during.length).toBeLessThan(all.length);
      expect(schema(bulk.c)).toEqual(before);
      expect(allLots(bulk.c)).toEqual(allLots(plain.c));
      checkIntegrity(bulk.c);
      // Searching and sorting, which use the rebuilt indexes, see the new lots.
      const found = ok<{ items: { partId: string }[] }>(await bulk.c.invoke('inventory.list', { search: 'p3199' }));
      expect(found.items.map((l) => l.partId)).toEqual(['p3199']);
      const byQty = ok<{ items: { quantityTotal: number }[] }>(
        await bulk.c.invoke('inventory.list', { sort: 'total', dir: 'desc', limit: 1 }),
      );
      expect(byQty.items[0]!.quantityTotal).toBe(Math.max(...lots(bulk.c).map((l) => Number(l.quantityTotal))));
    },
  );

  it('follows the schema it finds: indexes and triggers added by a later migration', async () => {
    const { c, file } = await seeded();
    c.db.sqlite.exec(`
      CREATE INDEX later_partial_idx ON inventory_items (user_id, notes) WHERE notes <> '';
      CREATE INDEX "later expr idx" ON inventory_items (user_id, lower(part_id), quantity_total - quantity_used);
      CREATE UNIQUE INDEX later_unique_idx ON inventory_items (id, user_id);
      CREATE TABLE later_counts (user_id INTEGER PRIMARY KEY, lots INTEGER NOT NULL);
      INSERT INTO later_counts SELECT user_id, count(*) FROM inventory_items GROUP BY user_id;
      CREATE TRIGGER later_counts_ai AFTER INSERT ON inventory_items BEGIN
        UPDATE later_counts SET lots = lots + 1 WHERE user_id = new.user_id;
      END;`);
    const before = schema(c);
    let during: unknown[] = [];
    const r = await apply(c, file, 'add', { bulkIndexes: true, beforeReindex: () => (during = indexNames(c)) });
    expect(during).not.toContain('later_partial_idx');
    expect(during).not.toContain('later expr idx');
    expect(during).toContain('later_unique_idx');
    expect(schema(c)).toEqual(before);
    expect(c.db.sqlite.prepare('SELECT lots FROM later_counts WHERE user_id = 1').pluck().get()).toBe(400 + r.created);
    expect(
      c.db.sqlite
        .prepare(`SELECT count(*) FROM inventory_items INDEXED BY later_partial_idx WHERE user_id = 1 AND notes <> ''`)
        .pluck()
        .get(),
    ).toBe(400);
    checkIntegrity(c);
  });

  it('keeps the planner statistics of the rebuilt indexes', async () => {
    const { c, file } = await seeded();
    c.db.sqlite.exec('ANALYZE');
    const stat = () => c.db.sqlite.prepare(`SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx`).all();
    const before = stat();
    const shape = schema(c);
    expect(before.length).toBeGreaterThan(3);
    await apply(c, file, 'add', { bulkIndexes: true });
    expect(stat()).toEqual(before);
    expect(schema(c)).toEqual(shape);
  });

  it('a failure just before the rebuild leaves data and schema exactly as before', async () => {
    const { c, file } = await seeded();
    c.db.sqlite.exec('ANALYZE');
    const before = {
      schema: schema(c),
      lots: allLots(c),
      stat: c.db.sqlite.prepare('SELECT * FROM sqlite_stat1 ORDER BY idx').all(),
    };
    await expect(
      apply(c, file, 'add', {
        bulkIndexes: true,
        beforeReindex: () => {
          throw new Error('disk I/O error');
        },
      }),
    ).rejects.toThrow('disk I/O error');
    expect(c.db.sqlite.inTransaction).toBe(false);
    expect(schema(c)).toEqual(before.schema);
    expect(allLots(c)).toEqual(before.lots);
    expect(c.db.sqlite.prepare('SELECT * FROM sqlite_stat1 ORDER BY idx').all()).toEqual(before.stat);
    checkIntegrity(c);
  });

  it('a cancel in the middle of a bulk apply leaves data and schema exactly as before', async () => {
    const { c, file } = await seeded();
    const before = { schema: schema(c), lots: allLots(c) };
    const ac = new AbortController();
    let chunks = 0;
    await expect(
      apply(c, file, 'replace', {
        bulkIndexes: true,
        chunk: 500,
        signal: ac.signal,
        progress: (phase, done) => {
          if (phase === 'applying' && done > 0 && ++chunks === 3) ac.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(chunks).toBe(3);
    expect(schema(c)).toEqual(before.schema);
    expect(allLots(c)).toEqual(before.lots);
    checkIntegrity(c);
    // The inventory still works normally afterwards, indexes and search included.
    ok(await c.invoke('inventory.create', { lot: { partId: 'after', colorId: 0, quantityTotal: 1, storageLocation: 'Attic' } }));
    expect(ok<{ items: unknown[] }>(await c.invoke('inventory.list', { search: 'Attic' })).items).toHaveLength(1);
    checkIntegrity(c);
  });

  it('a cancel while the indexes are being rebuilt rolls back too', async () => {
    const { c, file } = await seeded();
    const before = { schema: schema(c), lots: allLots(c) };
    const ac = new AbortController();
    await expect(
      apply(c, file, 'add', {
        bulkIndexes: true,
        signal: ac.signal,
        progress: (phase, done) => {
          if (phase === 'indexing' && done === 2) ac.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(schema(c)).toEqual(before.schema);
    expect(allLots(c)).toEqual(before.lots);
    checkIntegrity(c);
  });
});
