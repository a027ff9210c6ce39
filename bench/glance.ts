// One table of every performance target with the figure measured for it, read from the newest
// results each benchmark wrote into bench/results/, and written into docs/PERFORMANCE.md between
// markers. `npm run bench` runs all the benchmarks and then this; `npm run bench:glance` only
// re-renders the table from the results already there.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './generate';
import type { Timing } from './stats';

const RESULTS = path.join(REPO_ROOT, 'bench', 'results');
const START = '<!-- glance:start (written by npm run bench) -->';
const END = '<!-- glance:end -->';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function read(name: string): Json | null {
  const file = path.join(RESULTS, name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : null;
}

/** The newest file whose name matches (results carry their date in the name). */
function newest(re: RegExp): Json | null {
  if (!existsSync(RESULTS)) return null;
  const f = readdirSync(RESULTS)
    .filter((n) => re.test(n))
    .sort()
    .at(-1);
  return f ? read(f) : null;
}

interface Row {
  area: string;
  target: string;
  measured: string;
  met: boolean | null;
  where: string;
}

const ms = (n: number) => (n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`);
const s = (msv: number) => `${(msv / 1000).toFixed(1)} s`;
const mib = (n: number) => `${Math.round(n)} MiB`;
const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '?');

export function glanceRows(): Row[] {
  const rows: Row[] = [];
  const lists = read('latest.json');
  if (lists) {
    const big = (lists.sizes as Json[]).at(-1)!;
    const at = `${(big.size as number).toLocaleString('en')} lots, ${day(lists.machine.date)}`;
    const worst = (group: string) => {
      const ops = (big.ops as { group: string; service: Timing }[]).filter((o) => o.group === group);
      if (!ops.length) return null;
      return {
        wall: Math.max(...ops.map((o) => o.service.p95)),
        cpu: Math.max(...ops.map((o) => o.service.cpuP95 ?? NaN)),
      };
    };
    const add = (area: string, group: string, target: number) => {
      const w = worst(group);
      if (!w) return;
      rows.push({
        area,
        target: `p95 ≤ ${target} ms`,
        measured: `worst shape p95 ${ms(w.wall)} wall, ${ms(w.cpu)} CPU`,
        met: w.cpu <= target,
        where: `lists (${at})`,
      });
    };
    add('list page, any sort and depth', 'list', 10);
    add('filters (colour, location, both)', 'filter', 10);
    add('search', 'search', 20);
    add('short search (1–2 characters)', 'short search', 50);
    add('far jump (scrollbar)', 'far jump', 10);
    add('dashboard', 'dashboard', 50);
    add('start-up to first page', 'start-up', 300);
  }
  const imp = read('import-latest.json');
  if (imp) {
    const p = imp.pipeline as Json;
    const at = `${(imp.rows as number).toLocaleString('en')} rows, ${day(imp.at)}`;
    rows.push({
      area: 'import speed',
      target: '100,000 rows/s',
      measured: `${Math.round(imp.rowsPerSecond as number).toLocaleString('en')} rows/s; CPU ${(
        ((p.cpuRead as number) + (p.cpuApply as number)) /
        (imp.reference.rawCpuS as number)
      ).toFixed(2)}× raw prepared inserts into the same schema`,
      met: (imp.rowsPerSecond as number) >= 100_000,
      where: `import (${at})`,
    });
    rows.push({
      area: 'main thread during an import',
      target: 'no task over ~50 ms',
      measured: `event-loop delay max ${ms(p.readStallMs as number)} while reading, ${ms(p.applyStallMs as number)} while applying`,
      met: Math.max(p.readStallMs as number, p.applyStallMs as number) <= 50,
      where: `import (${at})`,
    });
    if (p.listDuring)
      rows.push({
        area: 'browsing during an import',
        target: 'answers (no busy), list p95 ≤ 10 ms',
        measured: `list p95 ${ms((p.listDuring as Timing).p95)}, search p95 ${ms((p.searchDuring as Timing).p95)} (${(p.listDuring as Timing).runs} pages${imp.seed ? `, ${(imp.seed as number).toLocaleString('en')} lots before` : ''})`,
        met: (p.listDuring as Timing).p95 <= 10,
        where: `import (${at})`,
      });
    rows.push({
      area: 'import memory',
      target: 'peak RSS ≤ 300 MB',
      measured: `${Math.round((p.vmHwmKb as number) / 1000)} MB`,
      met: (p.vmHwmKb as number) / 1000 <= 300,
      where: `import (${at})`,
    });
  }
  const backup = read('backup-latest.json');
  const bBig = (backup?.report as Json[] | undefined)?.at(-1);
  if (backup && bBig) {
    const m = bBig.medians as Record<string, number>;
    const at = `${(bBig.size as number).toLocaleString('en')} lots, ${day(backup.at)}`;
    rows.push({
      area: 'backup size',
      target: '≤ 40 MB',
      measured: `${(m.bytes! / 1e6).toFixed(1)} MB (sqlite3 .backup + gzip -6: ${(m.refBytes! / 1e6).toFixed(0)} MB)`,
      met: m.bytes! / 1e6 <= 40,
      where: `backup (${at})`,
    });
    rows.push({
      area: 'backup time',
      target: '≤ 10 s',
      measured: `${s(m.backupMs!)} wall, ${s(m.backupCpuMs!)} CPU (reference ${s(m.refBackupMs!)})`,
      met: m.backupCpuMs! <= 10_000,
      where: `backup (${at})`,
    });
    rows.push({
      area: 'restore time',
      target: '≤ 60 s',
      measured: `${s(m.restoreMs!)} wall, ${s(m.restoreCpuMs!)} CPU`,
      met: m.restoreCpuMs! <= 60_000,
      where: `backup (${at})`,
    });
    rows.push({
      area: 'backup / restore memory',
      target: 'peak RSS ≤ 300 MB',
      measured: `${mib(m.backupHwmMiB!)} / ${mib(m.restoreHwmMiB!)}`,
      met: Math.max(m.backupHwmMiB!, m.restoreHwmMiB!) * 1.048576 <= 300,
      where: `backup (${at})`,
    });
    rows.push({
      area: 'main thread during backup / restore',
      target: 'no task over ~50 ms',
      measured: `event-loop max ${ms(m.backupLoopMax!)} / ${ms(m.restoreLoopMax!)} (same process idle: ${ms(m.backupIdleMax!)})`,
      met: Math.max(m.backupLoopMax!, m.restoreLoopMax!) <= 50,
      where: `backup (${at})`,
    });
  }
  const exp = read('export-latest.json');
  const eBig = (exp?.report as Json[] | undefined)?.at(-1);
  if (exp && eBig) {
    const at = `${(eBig.size as number).toLocaleString('en')} lots, ${day(exp.at)}`;
    for (const o of eBig.ops as Json[]) {
      rows.push({
        area: `export ${o.format as string}`,
        target: 'peak RSS ≤ 300 MB; no task over ~50 ms',
        measured: `${mib(o.vmHwmMiB as number)} (${mib(o.sampledPeak.anon as number)} anonymous); event-loop max ${ms(o.loop.maxMs as number)}; ${s(o.wallMs as number)}`,
        met: (o.vmHwmMiB as number) * 1.048576 <= 300 && (o.loop.maxMs as number) <= 50,
        where: `export (${at})`,
      });
    }
  }
  const cli = read('cli-latest.json');
  const cBig = (cli?.results as Json[] | undefined)?.at(-1);
  if (cli && cBig) {
    rows.push({
      area: 'CLI start-up (`info`)',
      target: '≤ 300 ms to first output',
      measured: `p50 ${ms(cBig.cliFirstOutput.p50 as number)}, p95 ${ms(cBig.cliFirstOutput.p95 as number)} (node -e 0: ${ms(cBig.nodeE0.p50 as number)})`,
      met: (cBig.cliFirstOutput.p50 as number) <= 300,
      where: `cli (${(cBig.size as number).toLocaleString('en')} lots, ${day(cli.at)})`,
    });
  }
  const r = newest(/^renderer-.*\.json$/);
  if (r) {
    const at = `${(r.size as number).toLocaleString('en')} lots, ${day(r.date)}`;
    rows.push({
      area: 'renderer, scrolling',
      target: 'no long task over 50 ms',
      measured: `${r.scrollLongTasks.count as number} long tasks, max ${ms(r.scrollLongTasks.maxMs as number)} wall; main-thread CPU per task max ${ms((r.scrollLongTasks.cpuMaxMs as number | undefined) ?? NaN)}`,
      met: (r.scrollLongTasks.count as number) === 0,
      where: `renderer (${at})`,
    });
    rows.push({
      area: 'renderer, keystroke to rows',
      target: 'p50 ≤ 100 ms',
      measured: `p50 ${ms(r.typing.rowsMs.p50 as number)}, p95 ${ms(r.typing.rowsMs.p95 as number)}`,
      met: (r.typing.rowsMs.p50 as number) <= 100,
      where: `renderer (${at})`,
    });
  }
  return rows;
}

export function renderGlance(rows: Row[]): string {
  const verdict = (m: boolean | null) => (m === null ? '–' : m ? 'met' : '**not met**');
  return [
    START,
    'Every target with the newest figure measured for it (one row per target; the benchmark and date in the last column). ' +
      'CPU time is the verdict where both are given: on this shared two-core machine the wall clock also holds the waits for a core. ' +
      'Why an unmet target is unmet, and where its time goes, is in the section of that benchmark below.',
    '',
    '| area | target | measured | verdict | benchmark |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.area} | ${r.target} | ${r.measured} | ${verdict(r.met)} | ${r.where} |`),
    END,
  ].join('\n');
}

export function writeGlance(file = path.join(REPO_ROOT, 'docs', 'PERFORMANCE.md')): void {
  const block = renderGlance(glanceRows());
  const text = readFileSync(file, 'utf8');
  const next = text.includes(START)
    ? text.replace(new RegExp(`${START.replace(/[()]/g, '\\$&')}[\\s\\S]*?${END}`), () => block)
    : text.replace(/\n## /, () => `\n## At a glance\n\n${block}\n\n## `);
  writeFileSync(file, next);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeGlance();
  console.log('updated the table in docs/PERFORMANCE.md');
}
