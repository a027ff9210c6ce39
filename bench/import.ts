// Import benchmark: generates a Rebrickable part-list CSV of N rows (default 1,000,000) in a temp
// folder, imports it through the real pipeline (stream → check → stage → apply in one
// transaction, in the import worker) in a child process, and prints rows/s, where the time goes,
// the longest event-loop stall of the thread that answers calls and the child's peak RSS (VmHWM). References in
// the same run: the same rows inserted with raw prepared statements in one transaction into
// (a) a migrated database (same indexes and FTS triggers) and (b) a bare table without indexes.
// Then the real Rebrickable catalogue (~170k rows) is imported.
//   npm run bench:import -- [--rows N] [--keep]
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { createCore } from '../src/main/core';
import { dataPaths } from '../src/main/paths';
import { generatedDb } from './generate';
import { checkRow, detect } from '../src/main/transfer/import';
import { sourceRows } from '../src/main/transfer/importing/sources';
import { colorMaps } from '../src/main/colors/maps';
import { summarize, type Timing } from './stats';

const args = process.argv.slice(2);
const rowsArg = args.indexOf('--rows');
const N = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 1_000_000;
const keep = args.includes('--keep');
const seedArg = args.indexOf('--seed');
const SEED = seedArg >= 0 ? Number(args[seedArg + 1]) : 0;
const childArg = args.indexOf('--child');
const parseOnly = args.includes('--parse-only');
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The catalogue step reads Rebrickable's downloads: ../shared/data beside the clone, else the shipped snapshot.
const rebrickableDir =
  [path.resolve(repoRoot, '../shared/data/rebrickable'), path.resolve(repoRoot, '../../shared/data/rebrickable')].find((d) =>
    existsSync(d),
  ) ?? path.join(repoRoot, 'resources/catalog');

const dir = childArg >= 0 ? args[childArg + 1]! : mkdtempSync(path.join(tmpdir(), 'bs-bench-import-'));
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
  console.log(
    `BlockShelf import benchmark — ${new Date().toISOString()}, Node ${process.version}, ${N.toLocaleString('en-US')} rows`,
  );
  let t = performance.now();
  await generate();
  console.log(
    `generated ${path.basename(file)}: ${(statSync(file).size / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  // --- the real pipeline, in a child process of its own (its peak RSS is the pipeline's)
  const runChild = (extra: string[]) => {
    const c = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', dir, '--rows', String(N), '--seed', String(SEED), ...extra],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 24,
      },
    );
    const line = c.stdout.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`a benchmark child failed: ${c.stdout}`);
    return JSON.parse(line) as Record<string, unknown>;
  };
  const r = { ...runChild(['--parse-only']), ...runChild([]) } as unknown as ChildResult;
  const total = r.readMs + r.applyMs;
  console.log(
    `pipeline: read+check+stage ${(r.readMs / 1000).toFixed(2)} s, apply ${(r.applyMs / 1000).toFixed(2)} s, ` +
      `total ${(total / 1000).toFixed(2)} s = ${fmt(N / (total / 1000))} rows/s; ${fmt(r.lots)} lots (${r.invalid} invalid); ` +
      `CPU read ${r.cpuRead.toFixed(1)} s + apply ${r.cpuApply.toFixed(1)} s = ${(r.cpuRead + r.cpuApply).toFixed(1)} s ` +
      `(${fmt(N / (r.cpuRead + r.cpuApply))} rows per CPU-second; the apply's CPU is the worker's and the main thread's); ` +
      `main-thread event-loop stall during the apply max ${r.applyStallMs.toFixed(0)} ms, during the read (preview) max ${r.readStallMs.toFixed(0)} ms, p99 ${r.readStallP99Ms.toFixed(0)} ms; ` +
      `peak RSS (VmHWM) when the import has returned ${fmt(r.vmHwmKb / 1000)} MB, after closing the core ${fmt(r.vmHwmAfterCloseKb / 1000)} MB; peak RSS by phase (MB): ${JSON.stringify(r.rssByPhase)}`,
  );
  console.log(
    `  read: parse + check alone ${(r.parseCheckMs / 1000).toFixed(2)} s (CPU ${r.cpuParseCheck.toFixed(1)} s), ` +
      `so staging (append, then the merge by sorting) ≈ ${((r.readMs - r.parseCheckMs) / 1000).toFixed(2)} s`,
  );
  console.log(
    `  apply (${r.bulk ? 'bulk' : 'ordinary'} mode), wall s by step: ` +
      Object.entries(r.timings)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ') +
      ` (match = lookups of existing lots; insert = rows + UNIQUE index; fts = search index; indexes = rebuild of the secondary indexes; ` +
      `totals = aggregates recomputed; commit = COMMIT and the WAL checkpoint it starts)`,
  );
  if (r.lots !== N) throw new Error(`expected ${N} lots, got ${r.lots}`);
  console.log(
    `  browsing during the apply${SEED ? ` (${fmt(SEED)} lots before the import)` : ''}: list page p50 ${r.listDuring.p50.toFixed(1)} / p95 ${r.listDuring.p95.toFixed(1)} / max ${r.listDuring.max.toFixed(0)} ms ` +
      `(${r.listDuring.runs} pages), search "brick" p50 ${r.searchDuring.p50.toFixed(1)} / p95 ${r.searchDuring.p95.toFixed(1)} / max ${r.searchDuring.max.toFixed(0)} ms`,
  );

  // --- reference (a): raw prepared statements into the same migrated schema, one transaction
  let cpu: NodeJS.CpuUsage;
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
  console.log(
    `reference (a) raw prepared INSERTs, same schema (10 indexes + FTS5 trigram trigger), no parsing: ${(tRef / 1000).toFixed(2)} s = ${fmt(N / (tRef / 1000))} rows/s; CPU ${cpuRef.toFixed(1)} s`,
  );

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
  console.log(
    `reference (b) raw prepared INSERTs, bare table: ${(tBare / 1000).toFixed(2)} s = ${fmt(N / (tBare / 1000))} rows/s; CPU ${cpuBare.toFixed(1)} s`,
  );
  console.log(
    `ratio pipeline / reference (a): ${(total / tRef).toFixed(2)}× wall, ${((r.cpuRead + r.cpuApply) / cpuRef).toFixed(2)}× CPU; ` +
      `apply alone / reference (a): ${(r.applyMs / tRef).toFixed(2)}× wall; reference (a) / (b): ${(tRef / tBare).toFixed(1)}× (cost of indexes + FTS)`,
  );

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
  const json = path.join(repoRoot, 'bench/results/import-latest.json');
  writeFileSync(
    json,
    `${JSON.stringify({ at: new Date().toISOString(), rows: N, seed: SEED, load: os.loadavg()[0], pipeline: r, rowsPerSecond: N / (total / 1000), reference: { rawMs: tRef, rawCpuS: cpuRef, bareMs: tBare, bareCpuS: cpuBare } }, null, 1)}\n`,
  );
  console.log(`wrote ${path.relative(repoRoot, json)}`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}

interface ChildResult {
  readMs: number;
  applyMs: number;
  cpuRead: number;
  cpuApply: number;
  parseCheckMs: number;
  cpuParseCheck: number;
  readStallMs: number;
  readStallP99Ms: number;
  applyStallMs: number;
  vmHwmKb: number;
  vmHwmAfterCloseKb: number;
  lots: number;
  invalid: number;
  bulk: boolean;
  rssByPhase: Record<string, number>;
  timings: Record<string, number>;
  listDuring: Timing;
  searchDuring: Timing;
}

/** Child mode --parse-only: parse + check alone (no database writes); prints one JSON line. */
async function parseCheck(): Promise<void> {
  const det = await detect(file, { token: 'x', name: 'big.csv', size: null }, {});
  const core = createCore({ dataDir: path.join(dir, 'parse'), logToFile: false });
  const colors = colorMaps(core.inventory.colors());
  core.close();
  const t = performance.now();
  const cpu = process.cpuUsage();
  let n = 0;
  for await (const batch of sourceRows(
    file,
    {},
    det,
    () => undefined,
    undefined,
    () => undefined,
  )) {
    for (const src of batch) if (checkRow(src, colors).lot) n++;
  }
  if (n !== N) throw new Error(`parse+check: ${n} rows`);
  process.stdout.write(
    `${JSON.stringify({ parseCheckMs: performance.now() - t, cpuParseCheck: cpuSec(process.cpuUsage(cpu)) })}\n`,
  );
}

/** Peak RSS seen in each phase (sampled every 20 ms; the main thread is free while the worker applies). */
const rssByPhase: Record<string, number> = {};
let phase = 'start';
const sampler = setInterval(() => {
  rssByPhase[phase] = Math.max(rssByPhase[phase] ?? 0, Math.round(process.memoryUsage().rss / 1e6));
}, 20);
sampler.unref();

/** The child: the real pipeline; prints one JSON line. */
async function child(): Promise<void> {
  // With --seed N the import lands in a database already holding N generated lots, so the
  // browsing measured during the apply reads a real inventory (the state before the import).
  const appDir = path.join(dir, 'app');
  if (SEED > 0) {
    mkdirSync(appDir, { recursive: true });
    copyFileSync(generatedDb(SEED).file, dataPaths(appDir).db);
  }
  const core = createCore({ dataDir: appDir, logToFile: false });
  const lotsBefore = core.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get() as number;
  core.events.on('import.progress', (e) => {
    if (e.phase !== 'done') phase = e.phase;
  });
  let t: number;
  let cpu: NodeJS.CpuUsage;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  t = performance.now();
  cpu = process.cpuUsage();
  const preview = await core.transfer.preview(file, { ownerId: 1, mode: 'add', jobId: 'bench' });
  const readMs = performance.now() - t;
  const cpuRead = cpuSec(process.cpuUsage(cpu));
  const readStallMs = loop.max / 1e6;
  const readStallP99Ms = loop.percentile(99) / 1e6;
  loop.reset();
  t = performance.now();
  cpu = process.cpuUsage();
  // What a user browsing meanwhile gets: a list page and a search every 50 ms while the worker
  // applies (answered from the last commit, so from the state before the import).
  const listDuring: number[] = [];
  const searchDuring: number[] = [];
  let applying = true;
  const browse = async () => {
    await new Promise((r) => setTimeout(r, 50));
    while (applying) {
      for (const [input, samples] of [
        [{ ownerId: 1, limit: 100 }, listDuring],
        [{ ownerId: 1, limit: 100, search: 'brick' }, searchDuring],
      ] as const) {
        const t1 = performance.now();
        const r = await core.invoke('inventory.list', input);
        if (!r.ok) throw new Error(`inventory.list during the apply: ${r.error.code} ${r.error.message}`);
        samples.push(performance.now() - t1);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const browsing = browse();
  await core.transfer.apply('bench', { canEdit: true });
  const applyMs = performance.now() - t;
  applying = false;
  await browsing;
  const cpuApply = cpuSec(process.cpuUsage(cpu));
  loop.disable();
  const last = core.transfer.lastApplyTimings();
  const lots = (core.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get() as number) - lotsBefore;
  const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
  const vmHwmKb = hwm();
  // Closing runs `PRAGMA optimize` and a TRUNCATE checkpoint of the import's WAL on the main
  // connection (through its memory map): measured apart, as the import is over by then.
  core.close();
  const vmHwmAfterCloseKb = hwm();
  const result: Omit<ChildResult, 'parseCheckMs' | 'cpuParseCheck'> = {
    readMs,
    applyMs,
    cpuRead,
    cpuApply,
    rssByPhase,
    readStallMs,
    readStallP99Ms,
    applyStallMs: loop.max / 1e6,
    vmHwmKb,
    vmHwmAfterCloseKb,
    lots,
    invalid: preview.invalidCount,
    bulk: last?.bulk ?? false,
    timings: last?.timings ?? {},
    listDuring: summarize(listDuring),
    searchDuring: summarize(searchDuring),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (childArg >= 0) {
  (parseOnly ? parseCheck() : child()).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else
  main().catch((e) => {
    console.error(e);
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = 1;
  });
