// Undo journal benchmark: what recording costs and what undo takes, through the real core.
//   1. single edits: the same 2,000 quantity edits on a database of --base lots, with the
//      journal (the app) and without it (the write alone, same statements), per edit;
//   2. an import of --rows new lots (plus 1% changes of lots already there): time and database
//      size with the journal's entry against the same import with the journal left out;
//   3. undo of that import (in the history worker) and redo: wall time, the longest event-loop
//      stall of the thread that answers calls, and the database size after.
//   npm run bench:undo -- [--rows N] [--base N]
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createCore, type Core } from '../src/main/core';
import { createInventoryService } from '../src/main/inventory/service';

const args = process.argv.slice(2);
const num = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const ROWS = num('--rows', 100_000);
const BASE = num('--base', 10_000);
const EDITS = 2000;
const root = mkdtempSync(path.join(tmpdir(), 'bs-bench-undo-'));
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (c: Core) => {
  c.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return statSync(c.paths.db).size / 1e6;
};

async function csv(file: string, n: number, changed: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('part_id,color,quantity_total,storage_location\n');
  let buf = '';
  for (let i = 0; i < changed; i++) buf += `b${i},4,3,Base ${i % 50}\n`;
  for (let i = 0; i < n; i++) {
    buf += `n${i},${[0, 1, 4, 14, 15, 71, 72][i % 7]},${1 + (i % 40)},Drawer ${Math.floor(i / 5000)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

function seedBase(c: Core): void {
  const ins = c.db.sqlite.prepare(
    `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
       storage_location, notes, image_url, created_at, updated_at) VALUES (1, ?, 4, 'Red', '', 5, 0, ?, '', NULL, 1, 1)`,
  );
  c.db.sqlite.transaction(() => {
    for (let i = 0; i < BASE; i++) ins.run(`b${i}`, `Base ${i % 50}`);
  })();
}

async function importOnce(c: Core, file: string) {
  const token = c.files.register(file, 'read').token;
  const p = await c.invoke('import.preview', { file: token, mode: 'add' });
  if (!p.ok) throw new Error(p.error.message);
  const t = performance.now();
  const r = await c.invoke('import.apply', { importId: (p.data as { importId: string }).importId });
  if (!r.ok) throw new Error(r.error.message);
  return performance.now() - t;
}

async function main() {
  console.log(
    `BlockShelf undo benchmark — ${new Date().toISOString()}, Node ${process.version}, import ${fmt(ROWS)} rows on ${fmt(BASE)} lots`,
  );
  // 1. single edits
  const c1 = createCore({ dataDir: path.join(root, 'edits'), logToFile: false });
  seedBase(c1);
  const ids = c1.db.sqlite.prepare('SELECT id FROM inventory_items ORDER BY id LIMIT ?').pluck().all(EDITS) as number[];
  // The same service on the same connection, built without the journal: the write alone.
  const plain = createInventoryService({
    db: c1.db,
    now: Date.now,
    access: c1.access,
    viewer: () => c1.prefs.get(c1.profiles.current().id),
  });
  // Blocks of 100 edits, alternating with and without the journal (the machine's load and the
  // caches' warmth fall on both alike); the first block of each is a warm-up, not counted.
  let withMs = 0;
  let bareMs = 0;
  let t: number;
  const block = 100;
  for (let b = 0; b < ids.length / block; b++) {
    for (const journaled of [true, false]) {
      const inv = journaled ? c1.inventory : plain;
      t = performance.now();
      for (let i = b * block; i < (b + 1) * block; i++)
        inv.update(undefined, ids[i]!, { quantityTotal: (journaled ? 10 : 5000) + i });
      const ms = performance.now() - t;
      if (b > 0) {
        if (journaled) withMs += ms;
        else bareMs += ms;
      }
    }
  }
  const counted = ids.length - block;
  const withJournal = withMs / counted;
  const bare = bareMs / counted;
  const journalMb = mb(c1);
  const journalRows = c1.db.sqlite
    .prepare('SELECT avg(length(before) + length(after)) FROM history_rows')
    .pluck()
    .get() as number;
  console.log(
    `single edits (${fmt(EDITS)}, half with the journal, in alternating blocks): ${fmt(withJournal * 1000)} µs each through the service with the journal; ` +
      `${fmt(bare * 1000)} µs through the same service without it; journal ${fmt(journalRows)} bytes of images per edit (journal rows: before + after); db ${fmt(journalMb, 1)} MB`,
  );
  c1.close();

  // 2. import with and without the journal
  const file = path.join(root, 'big.csv');
  await csv(file, ROWS, Math.round(BASE / 100));
  const c2 = createCore({ dataDir: path.join(root, 'with'), logToFile: false });
  seedBase(c2);
  const base2 = mb(c2);
  const tWith = await importOnce(c2, file);
  const sizeWith = mb(c2);
  const c3 = createCore({ dataDir: path.join(root, 'without'), logToFile: false });
  seedBase(c3);
  // The same apply without the journal's entry (what the import cost before the journal).
  const tWithout = await (async () => {
    const token = c3.files.register(file, 'read').token;
    const p = await c3.invoke('import.preview', { file: token, mode: 'add' });
    if (!p.ok) throw new Error(p.error.message);
    const t0 = performance.now();
    await c3.transfer.apply((p.data as { importId: string }).importId, { journal: false, canEdit: true });
    return performance.now() - t0;
  })();
  const sizeWithout = mb(c3);
  c3.close();
  console.log(
    `import of ${fmt(ROWS)} new + ${fmt(BASE / 100)} changed lots: ${fmt(tWith / 1000, 2)} s with the journal, ${fmt(tWithout / 1000, 2)} s without; ` +
      `database ${fmt(base2, 1)} → ${fmt(sizeWith, 1)} MB with, ${fmt(sizeWithout, 1)} MB without (the journal: ${fmt(sizeWith - sizeWithout, 2)} MB)`,
  );

  // 3. undo and redo of the import (in the history worker), and the stall of this thread,
  // next to the same thread's stall while idle for 3 s (what the machine's load alone gives).
  const idle = monitorEventLoopDelay({ resolution: 5 });
  idle.enable();
  await new Promise((r) => setTimeout(r, 3000));
  idle.disable();
  console.log(`idle for 3 s: max stall ${fmt(idle.max / 1e6)} ms`);
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  t = performance.now();
  const u = await c2.invoke('history.undo', {});
  const tUndo = performance.now() - t;
  h.disable();
  if (!u.ok) throw new Error(u.error.message);
  const sizeUndone = mb(c2);
  const h2 = monitorEventLoopDelay({ resolution: 5 });
  h2.enable();
  t = performance.now();
  const r = await c2.invoke('history.redo', {});
  const tRedo = performance.now() - t;
  h2.disable();
  if (!r.ok) throw new Error(r.error.message);
  t = performance.now();
  await c2.invoke('history.undo', {});
  const tUndo2 = performance.now() - t;
  console.log(
    `undo of the import (${JSON.stringify(c2.history.lastStep())}): ${fmt(tUndo / 1000, 2)} s (max stall of the calling thread ${fmt(h.max / 1e6)} ms), database then ${fmt(sizeUndone, 1)} MB ` +
      `(the undone lots are kept for redo); redo ${fmt(tRedo / 1000, 2)} s (max stall ${fmt(h2.max / 1e6)} ms); second undo ${fmt(tUndo2 / 1000, 2)} s`,
  );
  c2.close();
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
