// Benchmark: BlockShelf's backup (online copy + integrity and foreign-key check + gzip + fsync
// + manifest) against what the original shell script did:
//   sqlite3 db ".backup tmp.db" && gzip -6 tmp.db
// on a database of 1,000,000 lots, in one run. Prints both times, the ratio, the size ratio and
// the largest event-loop delay in this process while BlockShelf's backup ran.
//   npm run bench:backup [-- --lots N] [--runs N]
// The database is built once and kept in the system temp folder (blockshelf-bench-<N>).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEFAULT_GZIP_LEVEL } from '../src/main/backup/fsutil';
import { createCore } from '../src/main/core';
import { silentLogger } from '../src/main/log';

const { values } = parseArgs({ options: { lots: { type: 'string' }, runs: { type: 'string' }, level: { type: 'string' } } });
const LOTS = Number(values.lots ?? 1_000_000);
const RUNS = Number(values.runs ?? 2);
const LEVEL = Number(values.level ?? DEFAULT_GZIP_LEVEL);

const base = path.join(os.tmpdir(), `blockshelf-bench-${LOTS}`);
const dbFile = path.join(base, 'blockshelf.db');
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

const doneMarker = path.join(base, 'built');

function build(): void {
  if (existsSync(doneMarker) && existsSync(dbFile)) return;
  // A build that was interrupted is started again from scratch.
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  console.log(`building a database of ${LOTS.toLocaleString('en')} lots in ${base} (once)…`);
  const t = performance.now();
  const core = createCore({ dataDir: base, logger: silentLogger });
  const sqlite = core.db.sqlite;
  const colors = sqlite.prepare('SELECT id, name FROM colors WHERE id >= 0 ORDER BY id LIMIT 80').all() as { id: number; name: string }[];
  const ins = sqlite.prepare(
    `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
       storage_location, notes, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const locs = Array.from({ length: 400 }, (_, i) => `Drawer ${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26) + 1} - ${['Tiles', 'Plates', 'Bricks', 'Slopes', 'Technic'][i % 5]}`);
  const batch = 50_000;
  for (let start = 0; start < LOTS; start += batch) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(LOTS, start + batch); i++) {
        const c = colors[i % colors.length]!;
        const total = (i % 97) + 1;
        ins.run(`${3000 + (i % 12_000)}${i >= 12_000 ? `pb${Math.floor(i / 12_000)}` : ''}`, c.id, c.name, `Brick ${i % 311} x ${i % 7}`, total, i % 3 === 0 ? i % Math.min(total, 5) : 0, locs[i % locs.length]!, i % 10 === 0 ? `note ${i}` : '', 1_700_000_000_000 + i, 1_700_000_000_000 + i);
      }
    })();
  }
  core.close();
  writeFileSync(doneMarker, new Date().toISOString());
  console.log(`built in ${((performance.now() - t) / 1000).toFixed(1)} s, ${mb(statSync(dbFile).size)}`);
}

function reference(): { ms: number; bytes: number } {
  const tmp = path.join(base, 'ref-tmp.db');
  rmSync(tmp, { force: true });
  rmSync(`${tmp}.gz`, { force: true });
  const t = performance.now();
  execFileSync('sh', ['-c', `sqlite3 "${dbFile}" ".backup '${tmp}'" && gzip -6 "${tmp}"`]);
  const ms = performance.now() - t;
  const bytes = statSync(`${tmp}.gz`).size;
  rmSync(`${tmp}.gz`, { force: true });
  return { ms, bytes };
}

async function blockshelf(): Promise<{ ms: number; bytes: number; maxDelayMs: number; p99DelayMs: number; dbBytes: number }> {
  const core = createCore({ dataDir: base, logger: silentLogger, backup: { gzipLevel: LEVEL } });
  core.prefs.setConfig({ backupDir: null });
  try {
    const h = monitorEventLoopDelay({ resolution: 5 });
    // Time and largest event-loop delay of each phase.
    const phases: { phase: string; start: number; maxDelay: number }[] = [];
    const ph = monitorEventLoopDelay({ resolution: 5 });
    ph.enable();
    const off = core.events.on('backup.progress', (p) => {
      const last = phases.at(-1);
      if (last?.phase === p.phase) return;
      if (last) last.maxDelay = ph.max / 1e6;
      ph.reset();
      phases.push({ phase: p.phase, start: performance.now(), maxDelay: 0 });
    });
    h.enable();
    const t = performance.now();
    const b = await core.backup.create('manual');
    const ms = performance.now() - t;
    h.disable();
    ph.disable();
    off();
    console.log(
      '  phases: ' +
        phases
          .map((p, i) => `${p.phase} ${(((phases[i + 1]?.start ?? t + ms) - p.start) / 1000).toFixed(2)} s (max delay ${p.maxDelay.toFixed(0)} ms)`)
          .join(', '),
    );
    rmSync(b.file, { force: true });
    rmSync(`${b.file}.json`, { force: true });
    return { ms, bytes: b.sizeBytes, dbBytes: b.dbBytes, maxDelayMs: h.max / 1e6, p99DelayMs: h.percentile(99) / 1e6 };
  } finally {
    core.close();
  }
}

/** The event-loop delay of this process doing nothing for `ms`: what the machine's load alone causes. */
async function idleDelay(ms: number): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await new Promise((r) => setTimeout(r, ms));
  h.disable();
  return h.max / 1e6;
}

build();
// Leftover backups of interrupted bench runs would be pruned into the figures: start clean.
for (const n of existsSync(path.join(base, 'backups')) ? readdirSync(path.join(base, 'backups')) : []) rmSync(path.join(base, 'backups', n), { force: true });
console.log(`database: ${mb(statSync(dbFile).size)}, ${LOTS.toLocaleString('en')} lots; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}`);
const rows: { ref: number; ours: number; refBytes: number; ourBytes: number; delay: number; p99: number }[] = [];
for (let r = 0; r < RUNS; r++) {
  const ref = reference();
  const idle = await idleDelay(5000);
  console.log(`  idle event-loop delay over 5 s (machine load alone): max ${idle.toFixed(1)} ms`);
  const ours = await blockshelf();
  rows.push({ ref: ref.ms, ours: ours.ms, refBytes: ref.bytes, ourBytes: ours.bytes, delay: ours.maxDelayMs, p99: ours.p99DelayMs });
  console.log(
    `run ${r + 1}: sqlite3 .backup + gzip -6: ${(ref.ms / 1000).toFixed(2)} s, ${mb(ref.bytes)} | BlockShelf (copy + integrity_check + foreign_key_check + gzip -${LEVEL} + fsync): ${(ours.ms / 1000).toFixed(2)} s, ${mb(ours.bytes)} | ratio ${(ours.ms / ref.ms).toFixed(2)}, size ratio ${(ours.bytes / ref.bytes).toFixed(3)}, event-loop delay max ${ours.maxDelayMs.toFixed(1)} ms (p99 ${ours.p99DelayMs.toFixed(1)} ms)`,
  );
}
const best = (k: 'ref' | 'ours') => Math.min(...rows.map((x) => x[k]));
const ratio = best('ours') / best('ref');
const maxDelay = Math.max(...rows.map((x) => x.delay));
console.log(
  `\nbest of ${RUNS}: reference ${(best('ref') / 1000).toFixed(2)} s, BlockShelf ${(best('ours') / 1000).toFixed(2)} s, ratio ${ratio.toFixed(2)} (target ≤ 1.0), size ratio ${(rows[0]!.ourBytes / rows[0]!.refBytes).toFixed(3)}, max event-loop delay ${maxDelay.toFixed(1)} ms (target ≤ 50 ms)`,
);
