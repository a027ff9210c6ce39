// Benchmark of backups and restores on the generated inventories (bench/generate.ts, cached in
// $TMPDIR/blockshelf-bench), each operation in a child process of its own (bench/backup-op.ts)
// so that its peak memory is its own, next to a reference measured in the same run:
//   backup reference:  sqlite3 db ".backup tmp.db" && gzip -6 tmp.db   (the original shell script)
//   restore reference: gunzip -c tmp.db.gz > restored.db               (no check, nothing rebuilt)
// Reports medians over the runs of wall time, CPU time (user + system: the work itself, without
// the waits for a core on a shared machine), backup size, peak memory and the main thread's
// event-loop delay during the operation next to the same process idling.
//   npm run bench:backup [-- --sizes 10000,100000,1000000] [--runs 3] [--level N] [--json FILE]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generatedDb, REPO_ROOT } from './generate';

const { values } = parseArgs({
  options: { sizes: { type: 'string' }, runs: { type: 'string' }, level: { type: 'string' }, json: { type: 'string' } },
});
const SIZES = (values.sizes ?? '10000,100000,1000000').split(',').map(Number);
const RUNS = Number(values.runs ?? 3);
const tsx = path.join(REPO_ROOT, 'node_modules/tsx/dist/esm/index.mjs');
const opScript = path.join(REPO_ROOT, 'bench/backup-op.ts');
const MiB = 1048576;

interface OpResult {
  op: string;
  file?: string;
  bytes?: number;
  dbBytes?: number;
  wallMs: number;
  cpuMs: number;
  vmHwmMiB: number;
  maxRssMiB: number;
  loop: { maxMs: number; p99Ms: number };
  idle: { maxMs: number; p99Ms: number };
  phases: { phase: string; s: number; loopMaxMs: number }[];
  sampledPeak: { mib: number; anon: number; file: number; phase: string };
}

function runOp(args: string[]): OpResult {
  const r = spawnSync(process.execPath, ['--import', tsx, opScript, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
  });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`${args[0]} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return JSON.parse(line) as OpResult;
}

/** Wall and CPU time (children included) of a shell command, via /usr/bin/time. */
function timedShell(cmd: string): { wallMs: number; cpuMs: number } {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIMES %e %U %S', 'sh', '-c', cmd], { encoding: 'utf8' });
  const m = /TIMES ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { wallMs: Number(m[1]) * 1000, cpuMs: (Number(m[2]) + Number(m[3])) * 1000 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
const load = () => os.loadavg()[0]!.toFixed(1);

const report: Record<string, unknown>[] = [];
console.log(
  `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, ${RUNS} runs per figure, medians`,
);
for (const size of SIZES) {
  const g = generatedDb(size, (s) => console.log(s));
  const base = path.join(os.tmpdir(), 'blockshelf-bench-backup', String(size));
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const db = path.join(base, 'blockshelf.db');
  const sourceBytes = statSync(g.file).size;
  const rows: Record<string, number[]> = {};
  const add = (k: string, v: number) => (rows[k] ??= []).push(v);
  const loads: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Every run starts from the generated file (a restore leaves a rebuilt, smaller one).
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    copyFileSync(g.file, db);
    loads.push(load());
    // Reference: the original script's backup, and a restore that is only an unpack.
    const ref = path.join(base, 'ref.db');
    rmSync(ref, { force: true });
    rmSync(`${ref}.gz`, { force: true });
    const rb = timedShell(`sqlite3 "${db}" ".backup '${ref}'" && gzip -6 "${ref}"`);
    const refBytes = statSync(`${ref}.gz`).size;
    const rr = timedShell(`gunzip -c "${ref}.gz" > "${path.join(base, 'ref-restored.db')}"`);
    rmSync(`${ref}.gz`, { force: true });
    rmSync(path.join(base, 'ref-restored.db'), { force: true });

    const b = runOp(['backup', base, ...(values.level ? [values.level] : [])]);
    const r = runOp(['restore', base, b.file!]);
    rmSync(b.file!, { force: true });
    rmSync(`${b.file!}.json`, { force: true });
    const pre = (r as unknown as { preRestoreFile: string }).preRestoreFile;
    rmSync(pre, { force: true });
    rmSync(`${pre}.json`, { force: true });

    add('refBackupMs', rb.wallMs);
    add('refBackupCpuMs', rb.cpuMs);
    add('refBytes', refBytes);
    add('refRestoreMs', rr.wallMs);
    add('refRestoreCpuMs', rr.cpuMs);
    add('backupMs', b.wallMs);
    add('backupCpuMs', b.cpuMs);
    add('bytes', b.bytes!);
    add('dbBytes', b.dbBytes!);
    add('backupHwmMiB', b.vmHwmMiB);
    add('backupLoopMax', b.loop.maxMs);
    add('backupLoopP99', b.loop.p99Ms);
    add('backupIdleMax', b.idle.maxMs);
    add('backupIdleP99', b.idle.p99Ms);
    add('restoreMs', r.wallMs);
    add('restoreCpuMs', r.cpuMs);
    add('restoreHwmMiB', r.vmHwmMiB);
    add('restoreLoopMax', r.loop.maxMs);
    add('restoreLoopP99', r.loop.p99Ms);
    add('restoreIdleMax', r.idle.maxMs);
    add('restoreIdleP99', r.idle.p99Ms);
    console.log(
      `  ${size.toLocaleString('en')} run ${run + 1} (load ${loads.at(-1)}): ref backup ${(rb.wallMs / 1000).toFixed(2)} s (cpu ${(rb.cpuMs / 1000).toFixed(2)}) ${(refBytes / MiB).toFixed(1)} MiB | ` +
        `backup ${(b.wallMs / 1000).toFixed(2)} s (cpu ${(b.cpuMs / 1000).toFixed(2)}) ${(b.bytes! / MiB).toFixed(1)} MiB, peak ${b.vmHwmMiB.toFixed(0)} MiB, loop max ${b.loop.maxMs.toFixed(0)} / p99 ${b.loop.p99Ms.toFixed(1)} ms (idle ${b.idle.maxMs.toFixed(0)} / ${b.idle.p99Ms.toFixed(1)}) | ` +
        `restore ${(r.wallMs / 1000).toFixed(2)} s (cpu ${(r.cpuMs / 1000).toFixed(2)}), peak ${r.vmHwmMiB.toFixed(0)} MiB, loop max ${r.loop.maxMs.toFixed(0)} / p99 ${r.loop.p99Ms.toFixed(1)} ms (idle ${r.idle.maxMs.toFixed(0)} / ${r.idle.p99Ms.toFixed(1)}) | ref restore ${(rr.wallMs / 1000).toFixed(2)} s`,
    );
    const peakOf = (o: OpResult) =>
      `peak sampled in ${o.sampledPeak.phase}: ${o.sampledPeak.anon.toFixed(0)} MiB anonymous + ${o.sampledPeak.file.toFixed(0)} MiB file-backed`;
    console.log(
      `    backup phases: ${b.phases.map((p) => `${p.phase} ${p.s.toFixed(2)} s (loop max ${p.loopMaxMs.toFixed(0)} ms)`).join(', ')}; ${peakOf(b)}`,
    );
    console.log(
      `    restore phases: ${r.phases.map((p) => `${p.phase} ${p.s.toFixed(2)} s (loop max ${p.loopMaxMs.toFixed(0)} ms)`).join(', ')}; ${peakOf(r)}`,
    );
  }
  const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]));
  report.push({ size, sourceBytes, loads, runs: RUNS, medians: m, all: rows });
  const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `${size.toLocaleString('en')} lots (${(sourceBytes / MiB).toFixed(0)} MiB database), medians of ${RUNS}:\n` +
      `  backup  ${f(m.backupMs!)} (CPU ${f(m.backupCpuMs!)}) vs reference ${f(m.refBackupMs!)} (CPU ${f(m.refBackupCpuMs!)}): ratio ${(m.backupMs! / m.refBackupMs!).toFixed(2)} wall, ${(m.backupCpuMs! / m.refBackupCpuMs!).toFixed(2)} CPU\n` +
      `  size    ${(m.bytes! / MiB).toFixed(1)} MiB (unpacked ${(m.dbBytes! / MiB).toFixed(1)} MiB) vs reference ${(m.refBytes! / MiB).toFixed(1)} MiB: ratio ${(m.bytes! / m.refBytes!).toFixed(3)}\n` +
      `  restore ${f(m.restoreMs!)} (CPU ${f(m.restoreCpuMs!)}) vs reference gunzip ${f(m.refRestoreMs!)}\n` +
      `  peak memory: backup ${m.backupHwmMiB!.toFixed(0)} MiB, restore ${m.restoreHwmMiB!.toFixed(0)} MiB (VmHWM of the process)\n` +
      `  event-loop delay max / p99: backup ${m.backupLoopMax!.toFixed(0)} / ${m.backupLoopP99!.toFixed(1)} ms (idle ${m.backupIdleMax!.toFixed(0)} / ${m.backupIdleP99!.toFixed(1)}), restore ${m.restoreLoopMax!.toFixed(0)} / ${m.restoreLoopP99!.toFixed(1)} ms (idle ${m.restoreIdleMax!.toFixed(0)} / ${m.restoreIdleP99!.toFixed(1)})`,
  );
  rmSync(base, { recursive: true, force: true });
}
writeFileSync(
  values.json ?? path.join(REPO_ROOT, 'bench/results/backup-latest.json'),
  `${JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, node: process.version, report }, null, 2)}\n`,
);
