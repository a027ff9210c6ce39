// Realistic inventories for the benchmarks, made from the real Rebrickable catalogue in
// ../shared/data/rebrickable (or the shipped resources/catalog): real part numbers, names and part/colour combinations (from
// elements.csv), ~500 storage locations, skewed popularity and quantities. Deterministic (seeded),
// bulk-inserted in one transaction with prepared statements, and cached in a temp folder keyed by
// size, generator version and the migrations, so repeated runs reuse the file.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { createCore } from '../src/main/core';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
/**
 * Catalogue downloads to draw parts from: ../shared/data/rebrickable beside the clone (a worktree
 * one level deeper also finds it), else the snapshot that ships in resources/catalog.
 */
const SHARED_REBRICKABLE = [
  process.env.BLOCKSHELF_SHARED_DATA,
  path.resolve(REPO_ROOT, '../shared/data'),
  path.resolve(REPO_ROOT, '../../shared/data'),
]
  .filter((d): d is string => !!d)
  .map((d) => path.join(d, 'rebrickable'))
  .find((d) => existsSync(d));
export const REBRICKABLE_DIR = SHARED_REBRICKABLE ?? path.join(REPO_ROOT, 'resources/catalog');
if (!SHARED_REBRICKABLE) {
  console.log(`../shared/data is not beside this clone: parts are drawn from the shipped catalogue in ${REBRICKABLE_DIR}`);
}
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'drizzle');
const GENERATOR_VERSION = 3;

/** Small, fast, seedable PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readCsv(file: string): string[][] {
  return parse(gunzipSync(readFileSync(path.join(REBRICKABLE_DIR, file))), {
    from_line: 2,
    relax_column_count: true,
  }) as string[][];
}

export interface Catalogue {
  colors: Map<number, string>;
  parts: Map<string, string>;
  /** Real part/colour combinations, most common colours first within the shuffled order. */
  combos: { partId: string; colorId: number }[];
}

let catalogue: Catalogue | null = null;
export function loadCatalogue(): Catalogue {
  if (catalogue) return catalogue;
  const colors = new Map(readCsv('colors.csv.gz').map((r) => [Number(r[0]), r[1]!] as [number, string]));
  const parts = new Map(readCsv('parts.csv.gz').map((r) => [r[0]!, r[1]!] as [string, string]));
  const seen = new Set<string>();
  const combos: { partId: string; colorId: number }[] = [];
  for (const r of readCsv('elements.csv.gz')) {
    const partId = r[1]!;
    const colorId = Number(r[2]);
    const key = `${partId}|${colorId}`;
    if (seen.has(key) || !parts.has(partId) || !colors.has(colorId)) continue;
    seen.add(key);
    combos.push({ partId, colorId });
  }
  // Shuffle deterministically, then move "workhorse" parts (bricks, plates, tiles, slopes in
  // the common colours) to the front: the skewed pick below favours the front.
  const rand = rng(42);
  for (let i = combos.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [combos[i], combos[j]] = [combos[j]!, combos[i]!];
  }
  const common = new Set([0, 15, 71, 72, 4, 1, 14, 19, 2, 70, 28, 25, 47, 40]);
  const workhorse = (c: { partId: string; colorId: number }) =>
    (common.has(c.colorId) ? 2 : 0) + (/^(Brick|Plate|Tile|Slope) /.test(parts.get(c.partId) ?? '') ? 1 : 0);
  combos.sort((a, b) => workhorse(b) - workhorse(a));
  catalogue = { colors, parts, combos };
  return catalogue;
}

/** ~500 storage locations shaped like real ones (cabinets, drawers, bins, shelves). */
export function makeLocations(n = 500): string[] {
  const rand = rng(7);
  const kinds = ['Bin', 'Drawer', 'Box', 'Tray', 'Shelf'];
  const topics = [
    'Tiles 1x1 & 2x2',
    'Plates',
    'Bricks',
    'Slopes',
    'Technic pins',
    'Minifig parts',
    'Wheels',
    'Round parts',
    'Brackets',
    'Hinges',
    'Windows | Doors',
    'Trans',
    'Misc',
    'Arches',
    'Wedges',
    'Panels',
  ];
  const out = new Set<string>();
  let cab = 1;
  while (out.size < n) {
    const kind = kinds[Math.floor(rand() * kinds.length)]!;
    const topic = rand() < 0.6 ? ` - ${topics[Math.floor(rand() * topics.length)]}` : '';
    out.add(`${cab}-${1 + Math.floor(rand() * 40)} - ${kind} ${String.fromCharCode(65 + Math.floor(rand() * 12))}${topic}`);
    if (rand() < 0.05) cab++;
  }
  return [...out];
}

export interface GeneratedDb {
  size: number;
  file: string;
  /** Profile holding `size` lots. */
  ownerId: number;
  seconds: number;
  cached: boolean;
}

function cacheDir(): string {
  const dir = process.env.BLOCKSHELF_BENCH_CACHE ?? path.join(os.tmpdir(), 'blockshelf-bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    h.update(f).update(readFileSync(path.join(MIGRATIONS_DIR, f)));
  }
  return h.digest('hex').slice(0, 12);
}

/** Returns a cached generated database of `size` lots, generating it when missing. */
export function generatedDb(size: number, log: (s: string) => void = () => {}): GeneratedDb {
  const file = path.join(cacheDir(), `lots-${size}-g${GENERATOR_VERSION}-${migrationsHash()}.db`);
  if (existsSync(file)) return { size, file, ownerId: 1, seconds: 0, cached: true };
  // Files of an older generator or schema are stale: make room before generating.
  for (const f of readdirSync(cacheDir())) {
    if (f.startsWith(`lots-${size}-g`) && !file.endsWith(f.replace(/\.sizes\.json$/, '')))
      rmSync(path.join(cacheDir(), f), { force: true });
  }
  const t0 = performance.now();
  const tmpDir = path.join(cacheDir(), `gen-${process.pid}-${size}`);
  rmSync(tmpDir, { recursive: true, force: true });
  // The real start-up path creates the schema (migrations) and the default profile (id 1).
  const core = createCore({ dataDir: tmpDir, migrationsDir: MIGRATIONS_DIR, logToFile: false, now: () => 1_767_225_600_000 });
  const dbFile = core.paths.db;
  core.profiles.create('Second');
  core.close();
  fill(dbFile, size, log);
  renameSync(dbFile, file);
  rmSync(tmpDir, { recursive: true, force: true });
  const seconds = (performance.now() - t0) / 1000;
  log(`generated ${size.toLocaleString('en')} lots in ${seconds.toFixed(1)} s -> ${file}`);
  return { size, file, ownerId: 1, seconds, cached: false };
}

function fill(file: string, size: number, log: (s: string) => void): void {
  const { colors, parts, combos } = loadCatalogue();
  const locations = makeLocations(500);
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('foreign_keys = OFF');
  // Bulk load: set the triggers aside, insert, then rebuild the FTS index and the aggregates in
  // one pass each and put the triggers back (what the triggers would have produced, faster).
  const triggers = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'inventory_items'")
    .all() as { name: string; sql: string }[];
  const insert = db.prepare(`INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name,
    quantity_total, quantity_used, storage_location, notes, image_url, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`);
  const rand = rng(size);
  const start = 1_609_459_200_000; // 2021-01-01
  const span = 5 * 365 * 86_400_000;
  const noteWords = ['spare', 'from 10497', 'needs sorting', 'sticker applied', 'bley', 'check colour', 'MOC'];
  db.transaction(() => {
    for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
    const addLots = (ownerId: number, n: number) => {
      const keys = new Set<string>();
      let made = 0;
      while (made < n) {
        // Skewed: common parts/colours sit at the front of `combos`; some locations are busy.
        const combo = combos[Math.floor(combos.length * rand() ** 2.2)]!;
        const loc = rand() < 0.01 ? '' : locations[Math.floor(locations.length * rand() ** 1.6)]!;
        const key = `${combo.partId}|${combo.colorId}|${loc}`;
        if (keys.has(key)) continue;
        keys.add(key);
        const total = Math.max(1, Math.floor(10 ** (rand() ** 2 * 3.6)));
        const used = rand() < 0.2 ? Math.floor(rand() * (total + 1)) : 0;
        const created = start + Math.floor(rand() * span);
        const updated = rand() < 0.3 ? created + Math.floor(rand() * (start + span - created)) : created;
        const notes = rand() < 0.05 ? noteWords[Math.floor(rand() * noteWords.length)]! : '';
        insert.run(
          ownerId,
          combo.partId,
          combo.colorId,
          colors.get(combo.colorId)!,
          parts.get(combo.partId)!.slice(0, 200),
          total,
          used,
          loc,
          notes,
          created,
          updated,
        );
        made++;
        if (made % 200_000 === 0) log(`  ${made.toLocaleString('en')} / ${n.toLocaleString('en')}`);
      }
    };
    addLots(1, size);
    addLots(2, Math.min(size, 2_000));
    db.exec("INSERT INTO inventory_fts (inventory_fts) VALUES ('rebuild')");
    db.exec('DELETE FROM inventory_stats; DELETE FROM inventory_location_stats; DELETE FROM inventory_color_stats;');
    const backfill = readFileSync(path.join(MIGRATIONS_DIR, '0003_perf_aggregates.sql'), 'utf8')
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .filter((s) => /^(--[^\n]*\n)*INSERT INTO inventory_\w*stats/.test(s));
    for (const s of backfill) db.exec(s);
    for (const t of triggers) db.exec(t.sql);
  })();
  db.exec("INSERT INTO inventory_fts (inventory_fts) VALUES ('optimize')");
  db.pragma('journal_mode = WAL');
  db.close();
}

/** A private copy of a generated database (benchmarks that write, or drop indexes). */
export function copyDb(src: string, dest: string): void {
  copyFileSync(src, dest);
}
