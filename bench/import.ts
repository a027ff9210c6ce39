// Import benchmark: generates a Rebrickable part-list CSV of N rows (default 1,000,000) in a temp
// folder, imports it through the real pipeline (stream → check → stage → apply in one
// transaction), and prints rows/s, the longest event-loop stall and peak memory. References in
// the same run: the same rows inserted with raw prepared statements in one transaction into
// (a) a migrated database (same indexes and FTS triggers) and (b) a bare table without indexes.
// Then the real Rebrickable catalogue (~170k rows) is imported.
//   npm run bench:import -- [--rows N] [--keep]
import { createWriteStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createCore } from '../src/main/core';

const args = process.argv.slice(2);
const rowsArg = args.indexOf('--rows');
const N = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 1_000_000;
const keep = args.includes('--keep');
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The catalogue step reads Rebrickable's downloads: ../shared/data beside the clone, else the shipped snapshot.
const rebrickableDir =
  [path.resolve(repoRoot, '../shared/data/rebrickable'), path.resolve(repoRoot, '../../shared/data/rebrickable')].find((d) => existsSync(d)) ??
  path.join(repoRoot, 'resources/catalog');

const dir = mkdtempSync(path.join(tmpdir(), 'bs-bench-import-'));
const file = path.join(dir, 'big.csv');
const colors = [0, 1, 4, 14, 15, 71, 72, 19, 2, 25];

function row(i: number): [string, number, number, string, string] {
  // Distinct (part, colour, location) for every row, so each row becomes one lot.
  const part = `${3000 + (i % 5000)}${i % 3 === 0 ? 'b' : ''}`;
  const color = colors[Math.floor(i / 5000) % colors.length]!;
  const loc = `Drawer ${Math.floor(i / 50_000)} | shelf ${i % 7}`;
  return [part, color, 1 + (i % 40), i % 11 === 0 ? 'note, with comma' : '', loc];
}

async function generate(): Promise<void> {
  const out = createWriteStream(file);
  out.write('Part,Color,Quantity,Notes,Location,IsUsed,IsStickered\n');
  let buf = '';
  for (let i = 0; i < N; i++) {
    const [p, c, q, n, l] = row(i);
    buf += `${p},${c},${q},${n.includes(',') ? `"${n}"` : n},${l},${i % 5 === 0 ? 'True' : 'False'},False\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

const cpuSec = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main() {
  console.log(`BlockShelf import benchmark — ${new Date().toISOString()}, Node ${process.version}, ${N.toLocaleString('en-US')} rows`);
  let t = performance.now();
  await generate();
  console.log(`generated ${path.basename(file)}: ${(statSync(file).size / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // --- the real pipeline
  const core = createCore({ dataDir: path.join(dir, 'app'), logToFile: false });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let peakRss = process.memoryUsage().rss;
  const mem = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  loop.enable();
  t = performance.now();
  let cpu = process.cpuUsage();
  const preview = await core.transfer.preview(file, { ownerId: 1, mode: 'add', jobId: 'bench' });
  const tRead = performance.now() - t;
  const cpuRead = cpuSec(process.cpuUsage(cpu));
  cpu = process.cpuUsage();
  const result = await core.transfer.apply('bench', { canEdit: true });
  const total = performance.now() - t;
  const cpuApply = cpuSec(process.cpuUsage(cpu));
  loop.disable();
  clearInterval(mem);
  const lots = core.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get() as number;
  core.close();
  const maxStall = loop.max / 1e6;
  console.log(
    `pipeline: read+check+stage ${(tRead / 1000).toFixed(2)} s, apply ${((total - tRead) / 1000).toFixed(2)} s, ` +
      `total ${(total / 1000).toFixed(2)} s = ${fmt(N / (total / 1000))} rows/s; ${fmt(lots)} lots (${preview.invalidCount} invalid); ` +
      `CPU read ${cpuRead.toFixed(1)} s + apply ${cpuApply.toFixed(1)} s = ${(cpuRead + cpuApply).toFixed(1)} s (${fmt(N / (cpuRead + cpuApply))} rows per CPU-second); ` +
      `max event-loop stall ${maxStall.toFixed(0)} ms (p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms); peak RSS ${fmt(peakRss / 1e6)} MB`,
  );
  if (result.created !== N) throw new Error(`expected ${N} lots, got ${result.created}`);

  // --- reference (a): raw prepared statements into the same migrated schema, one transaction
  const refCore = createCore({ dataDir: path.join(dir, 'ref'), logToFile: false });
  const sqlite = refCore.db.sqlite;
  const insert = sqlite.prepare(
    `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
       storage_location, notes, image_url, created_at, updated_at) VALUES (1, ?, ?, 'x', '', ?, ?, ?, ?, NULL, 1, 1)`,
  );
  t = performance.now();
  cpu = process.cpuUsage();
  sqlite.transaction(() => {
    for (let i = 0; i < N; i++) {
      const [p, c, q, n, l] = row(i);
      insert.run(p, c, q, i % 5 === 0 ? q : 0, l, n);
    }
  })();
  const tRef = performance.now() - t;
  const cpuRef = cpuSec(process.cpuUsage(cpu));
  refCore.close();
  console.log(`reference (a) raw prepared INSERTs, same schema (10 indexes + FTS5 trigram trigger), no parsing: ${(tRef / 1000).toFixed(2)} s = ${fmt(N / (tRef / 1000))} rows/s; CPU ${cpuRef.toFixed(1)} s`);

  // --- reference (b): a bare table, no indexes, no triggers
  const bare = new Database(path.join(dir, 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = NORMAL');
  bare.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, part TEXT, color INT, qty INT, used INT, loc TEXT, notes TEXT)');
  const ins = bare.prepare('INSERT INTO t (part, color, qty, used, loc, notes) VALUES (?, ?, ?, ?, ?, ?)');
  t = performance.now();
  cpu = process.cpuUsage();
  bare.transaction(() => {
    for (let i = 0; i < N; i++) {
      const [p, c, q, n, l] = row(i);
      ins.run(p, c, q, 0, l, n);
    }
  })();
  const tBare = performance.now() - t;
  const cpuBare = cpuSec(process.cpuUsage(cpu));
  bare.close();
  console.log(`reference (b) raw prepared INSERTs, bare table: ${(tBare / 1000).toFixed(2)} s = ${fmt(N / (tBare / 1000))} rows/s; CPU ${cpuBare.toFixed(1)} s`);
  console.log(`ratio pipeline / reference (a): ${(total / tRef).toFixed(2)}×; reference (a) / (b): ${(tRef / tBare).toFixed(1)}× (cost of indexes + FTS)`);

  // --- the catalogue
  {
    const rb = rebrickableDir;
    const files = readdirSync(rb).filter((f) => /^(colors|part_categories|parts|elements)\.csv\.gz$/.test(f));
    const cat = createCore({ dataDir: path.join(dir, 'cat'), logToFile: false });
    const c = await cat.catalog.importFiles(files.map((f) => path.join(rb, f)));
    const again = await cat.catalog.importFiles(files.map((f) => path.join(rb, f)));
    cat.close();
    const rows = c.files.reduce((s, f) => s + f.rows, 0);
    console.log(
      `catalogue: ${fmt(rows)} rows into an empty database in ${(c.durationMs / 1000).toFixed(2)} s; re-import (all unchanged) ${(again.durationMs / 1000).toFixed(2)} s`,
    );
  }
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}

main().catch((e) => {
  console.error(e);
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = 1;
});
