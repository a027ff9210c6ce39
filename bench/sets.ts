// "Which sets can I build?" and the other Sets calls at 10k lots against the full catalogue:
// `npm run bench:sets [-- --runs=5]`.
//
// Rebrickable's inventory_parts download (about 1.3 million rows) is not to be had here, so one of
// realistic size is generated in its exact format (inventory_id,part_num,color_id,quantity,
// is_spare,img_url): every inventory of the shipped snapshot gets rows, a set about
// num_parts^0.8 of them (75331-1's 6,187 parts: ~1,070 rows), a minifigure num_parts (at most 8),
// quantities adding up to num_parts, about 4 % spares, part/colour combinations drawn from the
// real elements with the skew the generated inventories use (so lots and sets share their common
// parts as real ones do). It is imported through the catalogue importer into a copy of the
// generated 10k-lot database; both are cached beside the other benchmark files.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { createCore, type Core } from '../src/main/core';
import { unwrap } from '../src/shared/errors';
import type { BuildableResult } from '../src/shared/contract';
import { MIGRATIONS_DIR, REPO_ROOT, copyDb, generatedDb, loadCatalogue, rng } from './generate';
import { summarize, type Timing } from './stats';

const args = process.argv.slice(2);
const RUNS = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
const LOTS = 10_000;
const log = (s: string) => process.stderr.write(`${s}\n`);
const CATALOG = path.join(REPO_ROOT, 'resources/catalog');
try {
  os.setPriority(10);
} catch {
  // not permitted
}

function cacheDir(): string {
  const dir = process.env.BLOCKSHELF_BENCH_CACHE ?? path.join(os.tmpdir(), 'blockshelf-bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}

const readGz = (file: string) =>
  parse(gunzipSync(readFileSync(path.join(CATALOG, file))), { from_line: 2, relax_column_count: true }) as string[][];

/** inventory_parts.csv.gz of realistic size for every inventory of the shipped snapshot. */
function generateInventoryParts(file: string): number {
  const { combos } = loadCatalogue();
  const size = new Map<string, number>();
  for (const r of readGz('sets.csv.gz')) size.set(r[0]!, Number(r[4]));
  for (const r of readGz('minifigs.csv.gz')) size.set(r[0]!, -Math.max(1, Number(r[2])));
  const rand = rng(1234);
  const out: string[] = ['inventory_id,part_num,color_id,quantity,is_spare,img_url'];
  let rows = 0;
  for (const [id, , setNum] of readGz('inventories.csv.gz')) {
    const n = size.get(setNum!) ?? 0;
    const fig = n < 0;
    const pieces = Math.abs(n);
    if (pieces === 0) continue;
    const lines = fig ? Math.min(8, pieces) : Math.max(1, Math.min(pieces, Math.round(pieces ** 0.8)));
    const seen = new Set<string>();
    let left = pieces;
    for (let i = 0; i < lines; i++) {
      const c = combos[Math.floor(combos.length * rand() ** 2.2)]!;
      const spare = !fig && rand() < 0.04;
      const key = `${c.partId},${c.colorId},${spare ? 'True' : 'False'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const q =
        i === lines - 1 ? Math.max(1, left) : Math.max(1, Math.min(left - (lines - i - 1), 1 + Math.floor(rand() ** 3 * 12)));
      left -= spare ? 0 : q;
      out.push(`${id},${c.partId},${c.colorId},${q},${spare ? 'True' : 'False'},`);
      rows++;
    }
  }
  writeFileSync(file, gzipSync(out.join('\n') + '\n'));
  return rows;
}

async function preparedDb(): Promise<{ dataDir: string; rows: number; cached: boolean }> {
  const base = generatedDb(LOTS, log);
  const key = path.basename(base.file, '.db');
  const dataDir = path.join(cacheDir(), `sets-${key}`);
  const marker = path.join(dataDir, 'ready.json');
  if (existsSync(marker)) return { dataDir, rows: JSON.parse(readFileSync(marker, 'utf8')).rows as number, cached: true };
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  copyDb(base.file, path.join(dataDir, 'blockshelf.db'));
  const core = createCore({ dataDir, migrationsDir: MIGRATIONS_DIR, logToFile: false, catalogDir: CATALOG });
  log('loading the shipped catalogue…');
  while (core.catalog.status().state === 'loading') await new Promise((r) => setTimeout(r, 200));
  const csv = path.join(cacheDir(), 'inventory_parts.bench.csv.gz');
  const tmp = `${csv}.tmp`;
  const rows = generateInventoryParts(tmp);
  renameSync(tmp, csv);
  log(`generated inventory_parts: ${rows.toLocaleString('en')} rows; importing…`);
  const t = performance.now();
  unwrap(await core.invoke('catalog.import', { files: [core.files.register(csv, 'read').token] }));
  log(`imported in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  core.close();
  writeFileSync(marker, JSON.stringify({ rows }));
  return { dataDir, rows, cached: false };
}

/**
 * Wall and CPU time per call (the CPU time of the whole process: the worker's work plus the main
 * thread's, which mostly waits). On a shared machine the wall time holds the waits for a core;
 * the CPU time is what a call costs.
 */
async function timeAsync(fn: () => Promise<unknown>, runs: number): Promise<Timing> {
  await fn();
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const c = summarize(cpu);
  return { ...summarize(samples), cpuP50: c.p50, cpuP95: c.p95 };
}

/** The longest wait of a small call on the thread that answers calls while `job` runs. */
async function stallDuring(core: Core, job: Promise<unknown>): Promise<number> {
  let done = false;
  void job.finally(() => (done = true));
  let worst = 0;
  while (!done) {
    const t = performance.now();
    await core.invoke('inventory.list', { limit: 50 });
    worst = Math.max(worst, performance.now() - t);
    await new Promise((r) => setTimeout(r, 5));
  }
  return worst;
}

async function main(): Promise<void> {
  const db = await preparedDb();
  const core = createCore({ dataDir: db.dataDir, migrationsDir: MIGRATIONS_DIR, logToFile: false });
  const stats = unwrap(await core.invoke('catalog.stats', {}));
  const results: Record<string, Timing & { note?: string }> = {};
  const ask = async (input: Record<string, unknown>) => unwrap(await core.invoke('sets.buildable', input)) as BuildableResult;
  // The first run on a catalogue also counts the pieces of every inventory (kept for later runs).
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const first = await ask({});
  const cold = {
    wallMs: Math.round(performance.now() - t0),
    cpuMs: Math.round((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000),
  };
  log(`buildable: ${first.considered} sets with known parts; top: ${first.items[0]?.setNum} ${first.items[0]?.pct.toFixed(1)} %`);
  results['buildable, no options'] = await timeAsync(() => ask({}), RUNS);
  results['buildable, min 50 %'] = await timeAsync(() => ask({ minPct: 50 }), RUNS);
  results['buildable, one theme (Star Wars)'] = await timeAsync(() => ask({ themeId: 158 }), RUNS);
  results['buildable, ignore colour'] = await timeAsync(() => ask({ options: { ignoreColor: true } }), RUNS);
  results['buildable, every option'] = await timeAsync(
    () => ask({ options: { countUsed: true, ignorePrints: true, moulds: true, alternates: true, ignoreColor: true } }),
    RUNS,
  );
  const stall = await stallDuring(core, ask({ options: { ignorePrints: true, moulds: true, alternates: true } }));
  results['sets.build 75331-1 (6,187 parts)'] = await timeAsync(
    async () => unwrap(await core.invoke('sets.build', { source: { setNum: '75331-1' } })),
    RUNS,
  );
  results['sets.build 75331-1, every option'] = await timeAsync(
    async () =>
      unwrap(
        await core.invoke('sets.build', {
          source: { setNum: '75331-1' },
          options: { countUsed: true, ignorePrints: true, moulds: true, alternates: true, ignoreColor: true },
        }),
      ),
    RUNS,
  );
  results['sets.get 75331-1'] = await timeAsync(async () => unwrap(await core.invoke('sets.get', { setNum: '75331-1' })), RUNS);
  results['sets.search "star destroyer"'] = await timeAsync(
    async () => unwrap(await core.invoke('sets.search', { query: 'star destroyer' })),
    RUNS,
  );
  core.close();
  const report = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    lots: LOTS,
    inventoryParts: stats.inventory_parts,
    setsWithKnownParts: first.considered,
    firstRun: cold,
    maxStallMs: Math.round(stall),
    results,
  };
  mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(REPO_ROOT, `bench/results/sets-${report.date}.json`), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write('\n| call | CPU p50 ms | CPU p95 ms | wall p50 ms | wall p95 ms |\n|---|---|---|---|---|\n');
  for (const [k, v] of Object.entries(results)) {
    const ms = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(0));
    process.stdout.write(`| ${k} | ${ms(v.cpuP50)} | ${ms(v.cpuP95)} | ${ms(v.p50)} | ${ms(v.p95)} |\n`);
  }
}

void main();
