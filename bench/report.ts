// Writes the benchmark figures as a Markdown table into docs/PERFORMANCE.md, between markers,
// leaving the rest of the file (other sections) as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Timing } from './stats';

interface Report {
  machine: Record<string, unknown> & { date: string; cpu: string; cores: number; memGiB: number; node: string };
  sizes: {
    size: number;
    dbBytes: number;
    dbBytesNoSecondaryIndexes: number;
    ftsBytes: number;
    ops: { op: string; group: string; service: Timing; raw?: Timing; cli?: Timing; ratio?: number; note?: string }[];
  }[];
}

const START = '<!-- bench:start (written by npm run bench) -->';
const END = '<!-- bench:end -->';

/** Target p95 in ms by group, from the performance issue. */
export const TARGETS: Record<string, number> = {
  list: 10,
  filter: 10,
  search: 20,
  lookup: 10,
  dashboard: 50,
  'start-up': 300,
};

const fmt = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? '–' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const k = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

export function renderTable(r: Report): string {
  const sizes = r.sizes;
  const biggest = sizes.at(-1)!;
  const lines: string[] = [];
  lines.push(
    `Measured ${r.machine.date.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cpu} (${r.machine.cores} cores, shared), ` +
      `${r.machine.memGiB} GiB RAM, ${String(r.machine.os)}, Node ${r.machine.node}, SQLite ${String(r.machine.sqlite)}` +
      `${r.machine.sqliteCli ? ` (CLI ${String(r.machine.sqliteCli)})` : ''}. Warm cache, run at lower priority.`,
  );
  lines.push('');
  lines.push(
    'Times in ms, p50 / p95 (max) over repeated runs of the service call (what the app runs, total included). ' +
      '“raw” is the same page SQL as a bare prepared statement on better-sqlite3 (plus the total lookup), ' +
      '“ratio” = service p50 / raw p50, “CLI” the same statement in the sqlite3 shell (1 ms resolution). ' +
      '“CPU” is the CPU time of the process per call: on this shared machine the wall-clock p95 also holds ' +
      'the waits for a core that other work takes, the CPU p95 is the work itself. ' +
      `Growth = p50 at ${k(biggest.size)} / p50 at ${k(sizes[0]!.size)}.`,
  );
  lines.push('');
  const head = [
    'operation',
    ...sizes.map((s) => `${k(s.size)} p50 / p95 (max)`),
    `CPU ${k(biggest.size)} p50 / p95`,
    `raw ${k(biggest.size)} p50`,
    'ratio',
    `CLI ${k(biggest.size)} p50`,
    'growth',
    'target p95',
    'met (wall / CPU)',
    'note',
  ];
  lines.push(`| ${head.join(' | ')} |`);
  lines.push(`|${head.map(() => '---').join('|')}|`);
  for (const op of biggest.ops) {
    const cells = sizes.map((s) => {
      const o = s.ops.find((x) => x.op === op.op);
      return o ? `${fmt(o.service.p50)} / ${fmt(o.service.p95)} (${fmt(o.service.max)})` : '–';
    });
    const first = sizes[0]!.ops.find((x) => x.op === op.op);
    const growth = first ? `${(op.service.p50 / Math.max(first.service.p50, 0.001)).toFixed(1)}×` : '–';
    const target = TARGETS[op.group];
    const yes = (v: number | undefined) => (v === undefined || target === undefined ? '–' : v <= target ? 'yes' : '**no**');
    const met = target === undefined ? '' : `${yes(op.service.p95)} / ${yes(op.service.cpuP95)}`;
    const cpu = `${fmt(op.service.cpuP50)} / ${fmt(op.service.cpuP95)}`;
    lines.push(
      `| ${op.op} | ${cells.join(' | ')} | ${cpu} | ${fmt(op.raw?.p50)} | ${op.ratio ?? '–'} | ${fmt(op.cli?.p50)} | ${growth} | ${target ?? '–'} | ${met} | ${op.note ?? ''} |`,
    );
  }
  lines.push('');
  lines.push('Database size (main file after checkpoint):');
  lines.push('');
  lines.push('| lots | database | without the sort and filter indexes of inventory_items | of which the FTS index |');
  lines.push('|---|---|---|---|');
  for (const s of sizes)
    lines.push(`| ${k(s.size)} | ${mb(s.dbBytes)} | ${mb(s.dbBytesNoSecondaryIndexes)} | ${mb(s.ftsBytes)} |`);
  return lines.join('\n');
}

export function writeReport(r: Report, file: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Performance\n';
  const block = `${START}\n${renderTable(r)}\n${END}`;
  const next = text.includes(START)
    ? text.replace(new RegExp(`${START.replace(/[()]/g, '\\$&')}[\\s\\S]*?${END}`), block)
    : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
