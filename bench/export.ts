// Export benchmark: every export format of the generated inventory (bench/generate.ts, cached in
// $TMPDIR/blockshelf-bench), each in a child process of its own so that its peak memory is its
// own. Prints wall and CPU time, lots per second, the file's size, the child's peak resident
// memory (VmHWM, which counts memory-mapped database pages too, and the anonymous part of the
// sampled peak), the main thread's event-loop delay during the export next to the same process
// idling, and the latency of list pages asked for while the export runs. Reference in the same
// run: the sqlite3 CLI writing the same columns as CSV.
//   npm run bench:export [-- --sizes=1000000] [-- --formats=blockshelf-csv,xlsx] [-- --json=FILE]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createCore } from '../src/main/core';
import { silentLogger } from '../src/main/log';
import { EXPORT_FORMATS, type ExportFormat } from '../src/shared/contract';
import { generatedDb, REPO_ROOT } from './generate';
import { summarize, type Timing } from './stats';

const args = process.argv.slice(2);
const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const MiB = 1048576;
const IDLE_MS = 2000;

export interface ExportOpResult {
  format: ExportFormat;
  lots: number;
  bytes: number;
  wallMs: number;
  cpuMs: number;
  vmHwmMiB: number;
  /** The largest resident set sampled (every 20 ms), split into anonymous and file-backed memory. */
  sampledPeak: { mib: number; anon: number; file: number };
  loop: { maxMs: number; p99Ms: number };
  idle: { maxMs: number; p99Ms: number };
  /** inventory.list (first page, default sort) asked every 50 ms while the export runs. */
  listDuring: Timing;
}

function status(): string {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return '';
  }
}
const kib = (t: string, k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(t)?.[1] ?? NaN);

/** Child: one export through the real core (the transfer service's exportTo, as the app runs it). */
async function child(dataDir: string, format: ExportFormat, out: string): Promise<void> {
  const core = createCore({ dataDir, logger: silentLogger, logToFile: false, readOnly: true });
  const delays = (h: ReturnType<typeof monitorEventLoopDelay>) => ({ maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6 });
  const idle = monitorEventLoopDelay({ resolution: 1 });
  idle.enable();
  await new Promise((r) => setTimeout(r, IDLE_MS));
  idle.disable();
  let peak = { mib: 0, anon: 0, file: 0 };
  const sampler = setInterval(() => {
    const t = status();
    const anon = kib(t, 'RssAnon') / 1024;
    const file = kib(t, 'RssFile') / 1024;
    if (anon + file > peak.mib) peak = { mib: anon + file, anon, file };
  }, 20);
  const listSamples: number[] = [];
  let running = true;
  const probe = async () => {
    while (running) {
      const t = performance.now();
      const r = await core.invoke('inventory.list', { ownerId: 1, limit: 100 });
      if (!r.ok) throw new Error(`inventory.list during the export: ${r.error.message}`);
      listSamples.push(performance.now() - t);
      await new Promise((res) => setTimeout(res, 50));
    }
  };
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const probing = probe();
  const result = await core.transfer.exportTo(out, { ownerId: 1, format });
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  running = false;
  await probing;
  h.disable();
  clearInterval(sampler);
  const hwm = kib(status(), 'VmHWM') / 1024;
  core.close();
  const r: ExportOpResult = {
    format,
    lots: result.lots,
    bytes: statSync(out).size,
    wallMs,
    cpuMs: (c.user + c.system) / 1000,
    vmHwmMiB: hwm,
    sampledPeak: peak,
    loop: delays(h),
    idle: delays(idle),
    listDuring: summarize(listSamples),
  };
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

/** Wall and CPU time (children included) of a shell command, via /usr/bin/time. */
function timedShell(cmd: string): { wallMs: number; cpuMs: number } {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIMES %e %U %S', 'sh', '-c', cmd], { encoding: 'utf8' });
  const m = /TIMES ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { wallMs: Number(m[1]) * 1000, cpuMs: (Number(m[2]) + Number(m[3])) * 1000 };
}

async function main(): Promise<void> {
  try {
    os.setPriority(10); // the machine is shared
  } catch {
    // not permitted: run at normal priority
  }
  const sizes = (arg('sizes') ?? '1000000').split(',').map(Number);
  const formats = (arg('formats')?.split(',') ?? EXPORT_FORMATS) as ExportFormat[];
  const report: {
    size: number;
    load: string;
    reference: { wallMs: number; cpuMs: number; bytes: number };
    ops: ExportOpResult[];
  }[] = [];
  console.log(`BlockShelf export benchmark — ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs`);
  for (const size of sizes) {
    const g = generatedDb(size, (s) => console.log(s));
    const base = path.join(os.tmpdir(), 'blockshelf-bench-export', String(size));
    rmSync(base, { recursive: true, force: true });
    mkdirSync(base, { recursive: true });
    const db = path.join(base, 'blockshelf.db');
    copyFileSync(g.file, db);
    const refOut = path.join(base, 'ref.csv');
    const reference = {
      ...timedShell(
        `sqlite3 -readonly -csv -header "${db}" "SELECT name, part_id, color_id, quantity_total, quantity_used, storage_location, image_url, notes FROM inventory_items WHERE user_id = 1 ORDER BY id" > "${refOut}"`,
      ),
      bytes: statSync(refOut).size,
    };
    rmSync(refOut, { force: true });
    const load = os.loadavg()[0]!.toFixed(1);
    console.log(
      `${size.toLocaleString('en')} lots (load ${load}): reference sqlite3 -csv ${(reference.wallMs / 1000).toFixed(2)} s (CPU ${(reference.cpuMs / 1000).toFixed(2)} s), ${(reference.bytes / MiB).toFixed(1)} MiB`,
    );
    const ops: ExportOpResult[] = [];
    for (const format of formats) {
      const out = path.join(base, `out-${format}`);
      const c = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', base, format, out], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      const line = c.stdout.split('\n').find((l) => l.startsWith('{'));
      if (c.status !== 0 || !line) throw new Error(`export ${format} failed (${c.status}): ${c.stdout}\n${c.stderr}`);
      const r = JSON.parse(line) as ExportOpResult;
      rmSync(out, { force: true });
      ops.push(r);
      console.log(
        `  ${format.padEnd(15)} ${(r.wallMs / 1000).toFixed(2)} s (CPU ${(r.cpuMs / 1000).toFixed(2)} s) = ${Math.round(r.lots / (r.wallMs / 1000)).toLocaleString('en')} lots/s, ` +
          `${(r.bytes / MiB).toFixed(1)} MiB, ×${(r.wallMs / reference.wallMs).toFixed(1)} the reference; peak RSS ${r.vmHwmMiB.toFixed(0)} MiB ` +
          `(sampled ${r.sampledPeak.anon.toFixed(0)} anonymous + ${r.sampledPeak.file.toFixed(0)} file-backed); ` +
          `event loop max ${r.loop.maxMs.toFixed(0)} / p99 ${r.loop.p99Ms.toFixed(1)} ms (idle ${r.idle.maxMs.toFixed(0)} / ${r.idle.p99Ms.toFixed(1)}); ` +
          `list during it p50 ${r.listDuring.p50.toFixed(1)} / p95 ${r.listDuring.p95.toFixed(1)} ms (${r.listDuring.runs} pages)`,
      );
    }
    report.push({ size, load, reference, ops });
    rmSync(base, { recursive: true, force: true });
  }
  const json = arg('json') ?? path.join(REPO_ROOT, 'bench/results/export-latest.json');
  writeFileSync(json, `${JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, report }, null, 1)}\n`);
  console.log(`wrote ${path.relative(REPO_ROOT, json)}`);
}

const childArg = args.indexOf('--child');
if (childArg >= 0) {
  const [dir, format, out] = args.slice(childArg + 1);
  child(dir!, format as ExportFormat, out!).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
