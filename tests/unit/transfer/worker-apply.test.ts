// The apply runs in a worker thread on its own connection: while its transaction is open, reads
// answer from the last commit and writes are refused; cancel, a terminated worker and a killed
// process leave exactly the rows and aggregates there were; a bulk apply's recomputed aggregates
// equal what the triggers give.
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ImportPreview, ImportResult } from '../../../src/shared/contract';
import type { Core } from '../../../src/main/core';
import { createCore } from '../../../src/main/core';
import { applyStage, detect, dropStage, stageFile } from '../../../src/main/transfer/import';
import { cleanup, importFile, newCore, ok, repoRoot, tempDir, token } from './helpers';

const cores: Core[] = [];
const core = (c: Core = newCore()) => {
  cores.push(c);
  return c;
};
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});
afterAll(cleanup);

const HEADER = 'Part,Color,Quantity,Notes,Location,IsUsed,IsStickered';
const csv = (rows: string[]) => {
  const f = path.join(tempDir(), 'list.csv');
  writeFileSync(f, [HEADER, ...rows].join('\n'));
  return f;
};
/** 50,000 rows: distinct lots, locations in mixed case (one location key spelled two ways). */
const bigRows = (n = 50_000, from = 0) =>
  Array.from({ length: n }, (_, k) => {
    const i = k + from;
    return `p${i},${[4, 15, 1, 0][i % 4]},${1 + (i % 30)},,${i % 2 ? 'Bin' : 'BIN'} ${i % 50},${i % 3 ? 'False' : 'True'},False`;
  });

/** Every lot and every aggregate row, as the database holds them. */
function snapshot(sqlite: Database.Database) {
  const all = (sql: string) => sqlite.prepare(sql).all();
  return {
    lots: all(`SELECT * FROM inventory_items ORDER BY id`),
    stats: all(`SELECT * FROM inventory_stats ORDER BY user_id`),
    locations: all(`SELECT * FROM inventory_location_stats ORDER BY user_id, location_key`),
    colors: all(`SELECT * FROM inventory_color_stats ORDER BY user_id, color_id`),
    fts: sqlite.prepare(`SELECT count(*) FROM inventory_fts`).pluck().get(),
  };
}

/** The aggregates as GROUP BY over the lots gives them (locations named as their first lot). */
function grouped(sqlite: Database.Database) {
  const all = (sql: string) => sqlite.prepare(sql).all();
  return {
    stats: all(`SELECT user_id, count(*) AS lots, sum(quantity_total) AS quantity_total, sum(quantity_used) AS quantity_used
                  FROM inventory_items GROUP BY user_id ORDER BY user_id`),
    locations: all(`SELECT user_id, location_key, storage_location, lots, quantity FROM (
                      SELECT user_id, lower(storage_location) AS location_key, storage_location, min(id), count(*) AS lots,
                             sum(quantity_total) AS quantity FROM inventory_items GROUP BY user_id, lower(storage_location))
                     ORDER BY user_id, location_key`),
    colors: all(`SELECT user_id, color_id, max(color_name) AS color_name, count(*) AS lots, sum(quantity_total) AS quantity
                   FROM inventory_items GROUP BY user_id, color_id ORDER BY user_id, color_id`),
  };
}

async function seeded(): Promise<Core> {
  const c = core();
  const first = await importFile(
    c,
    csv(['3001,4,5,,Bin 1,False,False', '3002,15,2,,bin 1,False,False', '3003,0,7,,Shelf,True,False']),
  );
  expect(first.result!.ok).toBe(true);
  return c;
}

describe('the apply in its worker', () => {
  it('reads answer with the state before the import while it runs, and the new state after', async () => {
    const c = await seeded();
    const before = snapshot(c.db.sqlite);
    const p = ok<ImportPreview>(await c.invoke('import.preview', { file: token(c, csv(bigRows())), jobId: 'big' }));
    const events: string[] = [];
    c.events.on('data.changed', (e) => events.push(e.reason));
    const held = c.transfer.holdNextApply();
    const applying = c.invoke('import.apply', { importId: p.importId });
    const run = await held;
    await run.held; // the worker's transaction holds its first rows now
    const list = ok<{ total: number; items: unknown[] }>(await c.invoke('inventory.list', {}));
    expect(list.total).toBe(3);
    const summary = ok<{ lots: number; quantityTotal: number; locations: number }>(await c.invoke('inventory.summary', {}));
    expect(summary).toMatchObject({ lots: 3, quantityTotal: 14, locations: 2 });
    expect((await c.invoke('app.info', {})).ok).toBe(true);
    expect(ok<{ items: unknown[] }>(await c.invoke('inventory.list', { search: 'p100' })).items).toHaveLength(0);
    const write = await c.invoke('inventory.create', {
      lot: { partId: '3004', colorId: 4, quantityTotal: 1, storageLocation: 'B' },
    });
    expect(write).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(write.ok ? '' : write.error.message).toMatch(/import is being applied/);
    expect(snapshot(c.db.sqlite)).toEqual(before);
    run.release();
    const r = ok<ImportResult>(await applying);
    expect(r.created).toBe(50_000);
    expect(events).toContain('import');
    expect(ok<{ total: number }>(await c.invoke('inventory.list', {})).total).toBe(50_003);
    expect(ok<{ lots: number }>(await c.invoke('inventory.summary', {})).lots).toBe(50_003);
    expect(ok<{ items: unknown[] }>(await c.invoke('inventory.list', { search: 'p1000' })).items.length).toBeGreaterThan(0);
    expect(
      (await c.invoke('inventory.create', { lot: { partId: '3004', colorId: 4, quantityTotal: 1, storageLocation: 'B' } })).ok,
    ).toBe(true);
  }, 120_000);

  it('cancel mid-apply leaves exactly the old rows and aggregates', async () => {
    const c = await seeded();
    const before = snapshot(c.db.sqlite);
    const p = ok<ImportPreview>(await c.invoke('import.preview', { file: token(c, csv(bigRows())), jobId: 'big' }));
    const held = c.transfer.holdNextApply();
    const applying = c.invoke('import.apply', { importId: p.importId });
    await (
      await held
    ).held;
    expect(await c.invoke('import.cancel', { jobId: 'big' })).toMatchObject({ ok: true });
    expect(await applying).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(snapshot(c.db.sqlite)).toEqual(before);
    expect(c.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(
      (await c.invoke('inventory.create', { lot: { partId: '3004', colorId: 4, quantityTotal: 1, storageLocation: 'B' } })).ok,
    ).toBe(true);
  }, 120_000);

  it('a worker terminated mid-apply leaves exactly the old rows; the next import works', async () => {
    const c = await seeded();
    const before = snapshot(c.db.sqlite);
    const p = ok<ImportPreview>(await c.invoke('import.preview', { file: token(c, csv(bigRows())), jobId: 'big' }));
    const held = c.transfer.holdNextApply();
    const applying = c.invoke('import.apply', { importId: p.importId });
    const run = await held;
    await run.held;
    await run.terminate();
    const r = await applying;
    expect(r.ok).toBe(false);
    expect(snapshot(c.db.sqlite)).toEqual(before);
    expect(c.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const again = await importFile(c, csv(bigRows(2000, 70_000)));
    expect(again.result).toMatchObject({ ok: true, data: { created: 2000 } });
  }, 120_000);

  it('SIGKILL of a process importing leaves exactly the old rows', async () => {
    const c = await seeded();
    const dataDir = c.dataDir;
    const before = snapshot(c.db.sqlite);
    c.close();
    cores.splice(cores.indexOf(c), 1);
    const file = csv(bigRows(150_000));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'tests/unit/transfer/import-child.ts'), dataDir, file],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const exit = new Promise<string | null>((r) => child.on('exit', (_code, sig) => r(sig)));
    await new Promise<void>((resolve, reject) => {
      const on = (d: Buffer) => {
        out += d.toString();
        if (out.includes('applying\n')) resolve();
        if (out.includes('done')) reject(new Error(`finished before it was killed: ${out}`));
      };
      child.stdout.on('data', on);
      child.stderr.on('data', on);
      void exit.then(() => reject(new Error(`exited early: ${out}`)));
    });
    child.kill('SIGKILL');
    expect(await exit).toBe('SIGKILL');
    expect(readdirSync(path.join(dataDir, 'import-stage')).length).toBeGreaterThan(0);
    const after = core(createCore({ dataDir, logToFile: false }));
    expect(snapshot(after.db.sqlite)).toEqual(before);
    // The killed process's stage file is cleaned up by the next start.
    expect(readdirSync(path.join(dataDir, 'import-stage'))).toEqual([]);
    expect(after.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 240_000);
});

describe('aggregates after a bulk apply', () => {
  async function applyFile(c: Core, file: string, bulkIndexes: boolean) {
    const sqlite = c.db.sqlite;
    const det = await detect(file, { token: 'x', name: 'list.csv', size: null }, {});
    const colors = sqlite.prepare('SELECT id, name FROM colors').all() as { id: number; name: string }[];
    const stage = await stageFile(sqlite, file, det, { colors });
    try {
      return await applyStage(sqlite, stage, 1, 'add', 1_700_000_000_000, { bulkIndexes });
    } finally {
      dropStage(sqlite, stage.table);
    }
  }

  it('equal GROUP BY over the lots, and what the triggers give on the ordinary path', async () => {
    const seed = csv(['p1,4,5,,Bin 1,False,False', 'p2,15,2,,bin 1,False,False', 'p3,0,7,,Shelf,True,False']);
    const file = csv([...bigRows(20_000), 'p1,4,3,,Bin 1,False,False']);
    const bulk = await seeded();
    const plain = await seeded();
    await applyFile(bulk, seed, true);
    await applyFile(plain, seed, false);
    await applyFile(bulk, file, true);
    await applyFile(plain, file, false);
    const a = snapshot(bulk.db.sqlite);
    const b = snapshot(plain.db.sqlite);
    expect(a.stats).toEqual(b.stats);
    expect(a.locations).toEqual(b.locations);
    expect(a.colors).toEqual(b.colors);
    const g = grouped(bulk.db.sqlite);
    expect(a.stats).toEqual(g.stats);
    expect(a.locations).toEqual(g.locations);
    expect(a.colors).toEqual(g.colors);
    // The triggers are back: a write after the import keeps the aggregates in step.
    bulk.db.sqlite.prepare(`UPDATE inventory_items SET quantity_total = quantity_total + 1 WHERE id = 1`).run();
    expect(snapshot(bulk.db.sqlite).stats).toEqual(grouped(bulk.db.sqlite).stats);
  }, 120_000);
});

describe('the stage merge', () => {
  it('merges in the read worker: sums, first non-empty notes, lots in order of first row', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const k = (i * 7919) % 1500; // every lot four times, far apart
      rows.push(
        `q${k},${[4, 15][k % 2]},${1 + (i % 5)},${i % 3 === 0 ? `note ${i}` : ''},${k % 2 ? 'Bin' : 'bin'} ${k % 9},${i % 4 ? 'False' : 'True'},False`,
      );
    }
    const file = csv(rows);
    const c = core();
    const sqlite = c.db.sqlite;
    const det = await detect(file, { token: 'x', name: 'list.csv', size: null }, {});
    const colors = sqlite.prepare('SELECT id, name FROM colors').all() as { id: number; name: string }[];
    const stage = await stageFile(sqlite, file, det, { colors });
    const lots = sqlite.prepare(`SELECT * FROM ${stage.table}.lots ORDER BY id`).all() as Record<string, unknown>[];
    dropStage(sqlite, stage.table);
    expect(lots).toHaveLength(1500);
    // Quantities summed over the four rows of each lot.
    const sums = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const k = (i * 7919) % 1500;
      const key = `q${k}`;
      sums.set(key, (sums.get(key) ?? 0) + 1 + (i % 5));
    }
    for (const l of lots) expect(l.qty).toBe(sums.get(l.part_id as string));
    // In order of first appearance, with the first non-empty note of the file's rows.
    const first = lots[0]!;
    expect(first).toMatchObject({ id: 1, first_row: 2, part_id: 'q0', notes: 'note 0', rows: 4 });
    const firstRows = lots.map((l) => l.first_row as number);
    expect([...firstRows].sort((a, b) => a - b)).toEqual(firstRows);
  }, 60_000);
});
