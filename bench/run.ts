// The benchmark suite: `npm run bench [-- --quick] [-- --sizes=10000,100000]`.
// For each size it opens a generated inventory (bench/generate.ts) through the real core and
// times every list shape, search, filter, duplicate lookup, dashboard and start-up, next to the
// same SQL as raw prepared statements on better-sqlite3 and (where it applies) in the sqlite3
// CLI. Writes bench/results/<date>.json and the table in docs/PERFORMANCE.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore, type Core } from '../src/main/core';
import { applyPragmas } from '../src/main/db/open';
import { SORT_EXPR, encodeCursor, filterParams, listSql, parseSearch, sortValue } from '../src/main/inventory/query';
import { SORT_KEYS, type Lot, type SortKey } from '../src/shared/types';
import { MIGRATIONS_DIR, REPO_ROOT, generatedDb } from './generate';
import { time, type Timing } from './stats';
import { writeReport } from './report';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizesArg = args.find((a) => a.startsWith('--sizes='));
const SIZES = sizesArg ? sizesArg.slice(8).split(',').map(Number) : quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const RUNS = quick ? 15 : 40;
/** `--only=short-search,far-jump`: time only these groups (with start-up). */
const onlyArg = args.find((a) => a.startsWith('--only='));
const ONLY = onlyArg ? new Set(onlyArg.slice(7).split(',')) : null;
const log = (s: string) => process.stderr.write(`${s}\n`);

// The machine is shared: the benchmark runs at a lower priority (like `nice -n 10`).
try {
  os.setPriority(10);
} catch {
  // not permitted: run at normal priority
}

export interface OpResult {
  op: string;
  group: string;
  service: Timing;
  raw?: Timing;
  cli?: Timing;
  /** service p50 / raw p50 */
  ratio?: number;
  note?: string;
}

export interface SizeResult {
  size: number;
  generateSeconds: number;
  dbBytes: number;
  dbBytesNoSecondaryIndexes: number;
  ftsBytes: number;
  ops: OpResult[];
}

function hasCli(): boolean {
  return spawnSync('sqlite3', ['-version']).status === 0;
}

/** Times a statement in the sqlite3 CLI (`.timer on`, the statement run `runs` times). */
function cliTime(file: string, sqlText: string, params: Record<string, unknown>, runs: number): Timing | undefined {
  const lines = ['.mode list', '.headers off'];
  for (const [k, v] of Object.entries(params)) {
    lines.push(`.parameter set @${k} ${typeof v === 'number' ? v : `'${String(v).replaceAll("'", "''")}'`}`);
  }
  lines.push(`${sqlText.replace(/\s+/g, ' ')};`); // warm-up
  lines.push('.timer on');
  for (let i = 0; i < runs; i++) lines.push(`${sqlText.replace(/\s+/g, ' ')};`);
  const out = spawnSync('sqlite3', ['-readonly', file], { input: lines.join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (out.status !== 0) {
    log(`sqlite3 CLI failed: ${out.stderr.slice(0, 300)}`);
    return undefined;
  }
  const samples = [...out.stdout.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
  if (samples.length === 0) return undefined;
  const s = samples.sort((a, b) => a - b);
  const pick = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  return { p50: pick(50), p95: pick(95), max: s.at(-1)!, runs: s.length };
}

function sizesOf(file: string): { dbBytes: number; dbBytesNoSecondaryIndexes: number; ftsBytes: number } {
  const cache = `${file}.sizes.json`;
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8'));
  const db = new Database(file, { readonly: true });
  const ftsBytes = db
    .prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'inventory_fts%'")
    .pluck()
    .get() as number;
  const indexes = db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'inventory_items'
         AND sql IS NOT NULL AND name <> 'inventory_items_user_part_color_location_uq'`,
    )
    .pluck()
    .all() as string[];
  db.close();
  const copy = `${file}.noidx`;
  copyFileSync(file, copy);
  const c = new Database(copy);
  for (const i of indexes) c.exec(`DROP INDEX ${i}`);
  c.exec('VACUUM');
  c.close();
  const result = { dbBytes: statSync(file).size, dbBytesNoSecondaryIndexes: statSync(copy).size, ftsBytes };
  rmSync(copy, { force: true });
  writeFileSync(cache, JSON.stringify(result));
  return result;
}

function benchSize(size: number, cli: boolean): SizeResult {
  log(`\n== ${size.toLocaleString('en')} lots`);
  const gen = generatedDb(size, log);
  const sizes = sizesOf(gen.file);
  const work = path.join(os.tmpdir(), `blockshelf-bench-run-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const dbFile = path.join(work, 'blockshelf.db');
  copyFileSync(gen.file, dbFile);
  const ops: OpResult[] = [];
  const owner = gen.ownerId;
  const coreOpts = { dataDir: work, migrationsDir: MIGRATIONS_DIR, logToFile: false } as const;

  // Start-up to first page: open + migration check + default profile + first list page.
  const startup = time(
    () => {
      const c = createCore(coreOpts);
      c.invoke('inventory.list', { limit: 100 });
      c.db.sqlite.close();
    },
    quick ? 5 : 10,
    1,
  );
  ops.push({ op: 'start-up to first page', group: 'start-up', service: startup });
  log(`start-up to first page: p50 ${startup.p50.toFixed(1)} ms, p95 ${startup.p95.toFixed(1)} ms`);

  const core: Core = createCore(coreOpts);
  const inv = core.inventory;
  const raw = new Database(dbFile, { readonly: true });
  applyPragmas(raw, true);
  const rawStats = raw.prepare('SELECT lots FROM inventory_stats WHERE user_id = ?').pluck();
  const defaults = { sort: 'updated' as SortKey, dir: 'desc' as const };
  const push = (r: OpResult) => {
    if (r.raw) r.ratio = Math.round((r.service.p50 / Math.max(r.raw.p50, 0.001)) * 100) / 100;
    ops.push(r);
    const f = (t?: Timing) => (t ? `${t.p50.toFixed(2)}/${t.p95.toFixed(2)}/${t.max.toFixed(2)}` : '-');
    const cpu = `cpu ${r.service.cpuP50?.toFixed(2)}/${r.service.cpuP95?.toFixed(2)}`;
    log(`${r.op.padEnd(48)} service ${f(r.service)} ${cpu}  raw ${f(r.raw)}  cli ${f(r.cli)}${r.note ? `  ${r.note}` : ''}`);
  };

  // Short searches (1-2 characters: no trigram index, tested lot by lot with a bounded walk),
  // common and rare; the note says how many were found and whether the walk stopped early.
  if (!ONLY || ONLY.has('short-search')) {
    for (const [label, term] of [
      ['1 char, common', 'x'],
      ['1 char, rare', 'q'],
      ['2 chars, common', '10'],
      ['2 chars, rare', 'zq'],
      ['word + 2 rare chars', 'brick zq'],
    ] as const) {
      for (const sort of ['name', 'updated'] as SortKey[]) {
        const page = inv.list(owner, { search: term, sort, dir: 'asc', limit: 100 }, defaults);
        push({
          op: `short search ${label} "${term}" by ${sort}`,
          group: 'short search',
          service: time(() => inv.list(owner, { search: term, sort, dir: 'asc', limit: 100 }, defaults), RUNS),
          note: `${page.items.length} shown, ${page.total}${page.totalCapped ? '+' : ''} counted${page.incomplete ? ', stopped early' : ''}`,
        });
      }
    }
  }

  // Far jumps by offset with a current sample of the sort key (read once per profile and key;
  // the note gives what reading it took), against the plain OFFSET statement.
  if (!ONLY || ONLY.has('far-jump')) {
    for (const [sort, dir] of [
      ['name', 'asc'],
      ['updated', 'desc'],
    ] as const) {
      const t0 = performance.now();
      inv.jumps.build(owner, sort);
      const buildMs = performance.now() - t0;
      const rawOffset = raw.prepare(listSql({ sort, dir, driver: 'sort', offset: true }));
      for (const frac of [0.25, 0.5, 0.999]) {
        const offset = Math.floor(size * frac);
        push({
          op: `far jump ${sort} ${dir} to ${frac * 100}%`,
          group: 'far jump',
          service: time(() => inv.list(owner, { sort, dir, limit: 100, offset }, defaults), RUNS),
          raw: time(
            () => {
              rawOffset.all({ owner, limit: 101, offset });
              rawStats.get(owner);
            },
            Math.min(RUNS, 15),
            1,
          ),
          note: `offset ${offset.toLocaleString('en')}; sample read in ${buildMs.toFixed(0)} ms`,
        });
      }
    }
  }
  if (ONLY) {
    raw.close();
    core.close();
    rmSync(work, { recursive: true, force: true });
    return { size, generateSeconds: gen.seconds, ...sizes, ops };
  }

  // A cursor in the middle of the order: the deep page.
  const midRow = (sort: SortKey, dir: 'asc' | 'desc'): Lot =>
    raw
      .prepare(
        `SELECT id, name, part_id AS partId, color_name AS colorName, quantity_total AS quantityTotal,
           quantity_used AS quantityUsed, storage_location AS storageLocation, created_at AS createdAt,
           updated_at AS updatedAt FROM inventory_items WHERE user_id = ?
           ORDER BY ${SORT_EXPR[sort]} ${dir}, id ${dir} LIMIT 1 OFFSET ?`,
      )
      .get(owner, Math.floor(size / 2)) as Lot;

  for (const sort of SORT_KEYS) {
    for (const dir of ['asc', 'desc'] as const) {
      const rawSql = raw.prepare(listSql({ sort, dir, driver: 'sort' }));
      push({
        op: `list ${sort} ${dir}, first page`,
        group: 'list',
        service: time(() => inv.list(owner, { sort, dir, limit: 100 }, defaults), RUNS),
        raw: time(() => {
          rawSql.all({ owner, limit: 101 });
          rawStats.get(owner);
        }, RUNS),
        ...(cli && sort === 'name'
          ? { cli: cliTime(dbFile, listSql({ sort, dir, driver: 'sort' }), { owner, limit: 101 }, quick ? 5 : 10) }
          : {}),
      });
      const mid = midRow(sort, dir);
      const after = encodeCursor({ sort, dir, search: '', rank: 0, value: sortValue(sort, mid), id: mid.id });
      // The same two statements the service runs after a cursor: the rest of the tie run, then after it.
      const rawTies = raw.prepare(listSql({ sort, dir, driver: 'sort', cursor: 'ties' }));
      const rawAfter = raw.prepare(listSql({ sort, dir, driver: 'sort', cursor: 'after' }));
      const cparams = { owner, crank: 0, cvalue: sortValue(sort, mid), cid: mid.id };
      push({
        op: `list ${sort} ${dir}, deep page (cursor)`,
        group: 'list',
        service: time(() => inv.list(owner, { sort, dir, limit: 100, after }, defaults), RUNS),
        raw: time(() => {
          const ties = rawTies.all({ ...cparams, limit: 101 });
          if (ties.length < 101) rawAfter.all({ ...cparams, limit: 101 - ties.length });
          rawStats.get(owner);
        }, RUNS),
      });
    }
  }

  // Scrollbar jumps: the list view fetches a far block by offset when it has no cursor for it.
  for (const [sort, dir] of [
    ['updated', 'desc'],
    ['name', 'asc'],
  ] as const) {
    const rawOffset = raw.prepare(listSql({ sort, dir, driver: 'sort', offset: true }));
    const offset = Math.floor(size / 2);
    push({
      op: `list ${sort} ${dir}, offset jump to the middle`,
      group: 'list',
      service: time(() => inv.list(owner, { sort, dir, limit: 100, offset }, defaults), Math.min(RUNS, 15), 1),
      raw: time(
        () => {
          rawOffset.all({ owner, limit: 101, offset });
          rawStats.get(owner);
        },
        Math.min(RUNS, 15),
        1,
      ),
      note: `offset ${offset.toLocaleString('en')}`,
    });
  }

  // Search: a common word and a rare part number (few lots), first and next page.
  const rare = raw
    .prepare(
      `SELECT part_id FROM inventory_items INDEXED BY inventory_items_user_part_idx WHERE user_id = ?
         AND length(part_id) >= 6 GROUP BY part_id HAVING count(*) BETWEEN 2 AND 6 LIMIT 1 OFFSET 50`,
    )
    .pluck()
    .get(owner) as string;
  for (const [label, term] of [
    ['common', 'brick'],
    ['common, two words', 'plate 1 x'],
    ['rare', rare],
  ] as const) {
    for (const sort of ['name', 'updated'] as SortKey[]) {
      const page = inv.list(owner, { search: term, sort, dir: 'asc', limit: 100 }, defaults);
      const s = parseSearch(term)!;
      const fts = listSql({ sort, dir: 'asc', search: s, driver: 'fts', segment: 'mixed' });
      const rawFts = raw.prepare(fts);
      const params = { ...filterParams(owner, s, undefined, undefined), limit: 101 };
      push({
        op: `search ${label} "${term}" by ${sort}`,
        group: 'search',
        service: time(() => inv.list(owner, { search: term, sort, dir: 'asc', limit: 100 }, defaults), RUNS),
        // Reference: the straightforward statement (all FTS matches, sorted) without a total.
        raw: time(() => rawFts.all(params), Math.min(RUNS, 15), 1),
        note: `${page.total}${page.totalCapped ? '+' : ''} matches`,
        ...(cli && sort === 'name' ? { cli: cliTime(dbFile, fts, params, 5) } : {}),
      });
      if (page.nextCursor) {
        const after = page.nextCursor;
        push({
          op: `search ${label} "${term}" by ${sort}, next page`,
          group: 'search',
          service: time(() => inv.list(owner, { search: term, sort, dir: 'asc', limit: 100, after }, defaults), RUNS),
        });
      }
    }
  }

  // Filters: the busiest and a median location; the commonest and a mid-ranked colour.
  const locs = raw
    .prepare(`SELECT storage_location FROM inventory_location_stats WHERE user_id = ? AND location_key <> '' ORDER BY lots DESC`)
    .pluck()
    .all(owner) as string[];
  const colors = raw
    .prepare('SELECT color_id FROM inventory_color_stats WHERE user_id = ? ORDER BY lots DESC')
    .pluck()
    .all(owner) as number[];
  const filters: [string, { location?: string; colorId?: number }][] = [
    ['location, busiest', { location: locs[0]! }],
    ['location, median', { location: locs[Math.floor(locs.length / 2)]! }],
    ['colour, commonest', { colorId: colors[0]! }],
    ['colour, 12th', { colorId: colors[11]! }],
    ['colour, median', { colorId: colors[Math.floor(colors.length / 2)]! }],
    ['location + colour', { location: locs[0]!, colorId: colors[0]! }],
  ];
  for (const [label, f] of filters) {
    for (const sort of ['name', 'updated'] as SortKey[]) {
      const page = inv.list(owner, { ...f, sort, dir: 'asc', limit: 100 }, defaults);
      push({
        op: `filter ${label} by ${sort}`,
        group: 'filter',
        service: time(() => inv.list(owner, { ...f, sort, dir: 'asc', limit: 100 }, defaults), RUNS),
        note: `${page.total}${page.totalCapped ? '+' : ''} lots`,
      });
      if (page.nextCursor) {
        const after = page.nextCursor;
        push({
          op: `filter ${label} by ${sort}, next page`,
          group: 'filter',
          service: time(() => inv.list(owner, { ...f, sort, dir: 'asc', limit: 100, after }, defaults), RUNS),
        });
      }
    }
  }

  // Duplicate lookup (adding a lot that exists asks first) and "where is this part?".
  const some = raw
    .prepare('SELECT part_id AS partId, color_id AS colorId, storage_location AS loc FROM inventory_items WHERE id = ?')
    .get(Math.floor(size / 3)) as { partId: string; colorId: number; loc: string };
  const access = core.access(owner);
  const rawDup = raw.prepare(
    'SELECT id FROM inventory_items WHERE user_id = ? AND part_id = ? AND color_id = ? AND storage_location = ?',
  );
  push({
    op: 'duplicate lookup (add an existing lot)',
    group: 'lookup',
    service: time(
      () =>
        inv.create(access, { partId: some.partId, colorId: some.colorId, quantityTotal: 1, storageLocation: some.loc }, 'ask'),
      RUNS,
    ),
    raw: time(() => rawDup.get(owner, some.partId, some.colorId, some.loc), RUNS),
  });
  push({
    op: 'where is this part (all colours)',
    group: 'lookup',
    service: time(() => inv.placements(owner, some.partId), RUNS),
  });

  // Dashboard.
  push({
    op: 'dashboard summary',
    group: 'dashboard',
    service: time(() => inv.summary(owner, 2, 10), RUNS),
    raw: time(
      () =>
        raw.prepare(`SELECT count(*), sum(quantity_total), sum(quantity_used) FROM inventory_items WHERE user_id = ?`).get(owner),
      Math.min(RUNS, 5),
      1,
    ),
    note: 'raw = one full aggregate (the old way)',
  });
  push({
    op: 'locations list',
    group: 'dashboard',
    service: time(() => inv.locations(owner), RUNS),
  });

  raw.close();
  core.close();
  rmSync(work, { recursive: true, force: true });
  return { size, generateSeconds: gen.seconds, ...sizes, ops };
}

function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    sqlite: (new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get() as string) ?? '',
    sqliteCli: hasCli() ? execFileSync('sqlite3', ['-version'], { encoding: 'utf8' }).split(' ')[0] : null,
    date: new Date().toISOString(),
    quick,
  };
}

// `--report FILE`: re-render docs/PERFORMANCE.md from a results file without measuring.
const reportArg = args.indexOf('--report');
if (reportArg >= 0) {
  writeReport(JSON.parse(readFileSync(args[reportArg + 1]!, 'utf8')), path.join(REPO_ROOT, 'docs', 'PERFORMANCE.md'));
  process.exit(0);
}

const cli = hasCli();
const results: SizeResult[] = [];
for (const size of SIZES) results.push(benchSize(size, cli));
const report = { machine: machine(), sizes: results };
const dir = path.join(REPO_ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const out = path.join(dir, `${report.machine.date.slice(0, 10)}${quick ? '-quick' : ''}.json`);
writeFileSync(out, `${JSON.stringify(report, null, 1)}\n`);
writeFileSync(path.join(dir, `latest${quick ? '-quick' : ''}.json`), `${JSON.stringify(report, null, 1)}\n`);
log(`\nwrote ${path.relative(REPO_ROOT, out)}`);
if (!quick || args.includes('--write-docs')) {
  writeReport(report, path.join(REPO_ROOT, 'docs', 'PERFORMANCE.md'));
  log('updated docs/PERFORMANCE.md');
}
