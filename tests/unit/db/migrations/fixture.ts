// Databases as an older BlockShelf left them: the real migrator run with a migrations folder
// that stops at an older version, then filled with plain SQL in that era's schema from the real
// Rebrickable exports and catalogue. The tests then open the file with today's app.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { createCore, type Core } from '../../../../src/main/core';
import { loadMigrations, migrate } from '../../../../src/main/db/migrate';
import { DB_FILE, defaultMigrationsDir } from '../../../../src/main/paths';
import { catalogDir, exportsDir, tempDir } from '../../../helpers';

export const MIGRATIONS = defaultMigrationsDir();
export const ALL = loadMigrations(MIGRATIONS);

/** A copy of drizzle/ whose journal lists only the first `n` migrations (an older app). */
export function migrationsUpTo(n: number): string {
  const dir = tempDir('blockshelf-migrations-');
  cpSync(MIGRATIONS, dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, n);
  writeFileSync(journalFile, JSON.stringify(journal, null, 2));
  return dir;
}

export interface OldDatabase {
  dataDir: string;
  file: string;
  sqlite: Database.Database;
}

/** A data folder whose database has exactly the first `n` migrations applied. */
export function databaseAt(n: number): OldDatabase {
  const dataDir = tempDir('blockshelf-old-');
  const file = path.join(dataDir, DB_FILE);
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  const result = migrate(sqlite, loadMigrations(migrationsUpTo(n)));
  if (result.to !== n) throw new Error(`expected schema ${n}, got ${result.to}`);
  return { dataDir, file, sqlite };
}

/** Today's app on that folder (the real drizzle/ folder, the default pre-migration backup). */
export function openApp(dataDir: string, now = () => Date.UTC(2026, 3, 20, 9, 30)): Core {
  return createCore({ dataDir, migrationsDir: MIGRATIONS, logToFile: false, now });
}

// ---- real data -------------------------------------------------------------------------------

type CsvRow = Record<string, string>;
const readCsv = (text: string): CsvRow[] => parse(text, { columns: true, bom: true, skip_empty_lines: true }) as CsvRow[];
export const readCatalog = (table: string): CsvRow[] =>
  readCsv(gunzipSync(readFileSync(path.join(catalogDir, `${table}.csv.gz`))).toString('utf8'));

export interface ExportRow {
  file: string;
  part: string;
  color: number;
  quantity: number;
  notes: string;
  location: string;
}

/** Every row of the Rebrickable part-list exports, in file order. */
export function readExports(): ExportRow[] {
  const rows: ExportRow[] = [];
  for (const file of readdirSync(exportsDir)
    .filter((f) => f.endsWith('.csv'))
    .sort()) {
    for (const r of readCsv(readFileSync(path.join(exportsDir, file), 'utf8'))) {
      rows.push({
        file,
        part: r.Part!,
        color: Number(r.Color),
        quantity: Number(r.Quantity),
        notes: r.Notes ?? '',
        location: r.Location ?? '',
      });
    }
  }
  return rows;
}

/** Rebrickable's colour table as a catalogue import of that era stored it. */
export function catalogColors(): { id: number; name: string; rgb: string; isTrans: number }[] {
  return readCatalog('colors').map((r) => ({
    id: Number(r.id),
    name: r.name!,
    rgb: r.rgb!.toUpperCase(),
    isTrans: r.is_trans === 'True' ? 1 : 0,
  }));
}

export interface EraLot {
  userId: number;
  partId: string;
  colorId: number;
  colorName: string;
  name: string;
  total: number;
  used: number;
  location: string;
  notes: string;
  createdAt: number;
  updatedAt: number;
}

export const PROFILES = [
  { id: 1, name: 'My collection', createdAt: Date.UTC(2025, 0, 5) },
  { id: 2, name: 'Club bricks', createdAt: Date.UTC(2025, 1, 9) },
  { id: 3, name: 'Nephew', createdAt: Date.UTC(2025, 2, 1) }, // no lots
];

/**
 * The lots of the exports in two profiles: profile 1 holds every file (three parts and colours
 * sit in two places there), profile 2 holds the vehicles and the plates-and-tiles files again
 * (the same part, colour and location in two profiles); profile 3 has none. Some lots are partly or fully used. Names come from the
 * catalogue, colour names from the colour table.
 */
export function eraLots(colorNames: Map<number, string>): EraLot[] {
  const partNames = new Map(readCatalog('parts').map((r) => [r.part_num!, r.name!]));
  const rows = readExports();
  const lots: EraLot[] = [];
  const add = (userId: number, r: ExportRow) => {
    const i = lots.length;
    const used = i % 23 === 0 ? r.quantity : i % 7 === 0 ? Math.floor(r.quantity / 2) : 0;
    const createdAt = Date.UTC(2025, 3, 1) + i * 61_000;
    lots.push({
      userId,
      partId: r.part,
      colorId: r.color,
      colorName: colorNames.get(r.color)!,
      name: (partNames.get(r.part) ?? '').slice(0, 200),
      total: r.quantity,
      used,
      location: r.location,
      notes: r.notes,
      createdAt,
      updatedAt: createdAt + (i % 5) * 3_600_000,
    });
  };
  for (const r of rows) add(1, r);
  for (const r of rows.filter((x) => /Plates-Tiles|Transport-Vehicles/.test(x.file))) add(2, r);
  return lots;
}

/**
 * Fills an old database the way that era's app left it: colours and catalogue from a
 * Rebrickable download, profiles, their preferences, a share between two profiles, the lots.
 */
export function fillEra(sqlite: Database.Database, opts: { parts?: boolean } = {}): EraLot[] {
  const colors = catalogColors();
  sqlite.transaction(() => {
    // As the catalogue import stores a download: an upsert (from schema 2 on, the table ships filled).
    const ic = sqlite.prepare(`INSERT INTO colors (id, name, rgb, is_trans) VALUES (?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, rgb = excluded.rgb, is_trans = excluded.is_trans`);
    for (const c of colors) ic.run(c.id, c.name, c.rgb, c.isTrans);
    const cat = sqlite.prepare('INSERT INTO part_categories (id, name) VALUES (?, ?)');
    for (const r of readCatalog('part_categories')) cat.run(Number(r.id), r.name);
    if (opts.parts) {
      const ip = sqlite.prepare('INSERT INTO parts (part_num, name, part_cat_id, part_material) VALUES (?, ?, ?, ?)');
      for (const r of readCatalog('parts'))
        ip.run(r.part_num, r.name, r.part_cat_id ? Number(r.part_cat_id) : null, r.part_material || null);
      const ie = sqlite.prepare('INSERT INTO elements (element_id, part_num, color_id, design_id) VALUES (?, ?, ?, ?)');
      for (const r of readCatalog('elements')) ie.run(r.element_id, r.part_num, Number(r.color_id), r.design_id || null);
    }
    const iu = sqlite.prepare('INSERT INTO users (id, name, created_at) VALUES (?, ?, ?)');
    for (const p of PROFILES) iu.run(p.id, p.name, p.createdAt);
    sqlite
      .prepare(
        `INSERT INTO user_preferences (user_id, theme, items_per_page, sort_key, sort_dir, low_stock_threshold, updated_at)
         VALUES (1, 'dark', 250, 'name', 'asc', 3, ?), (2, 'light', 50, 'location', 'desc', 0, ?)`,
      )
      .run(Date.UTC(2025, 4, 1), Date.UTC(2025, 4, 2));
    sqlite
      .prepare(
        `INSERT INTO app_config (id, backup_dir, auto_backup, backup_interval_hours, keep_daily, last_profile_id, updated_at)
         VALUES (1, NULL, 1, 12, 45, 1, ?)`,
      )
      .run(Date.UTC(2025, 4, 3));
    sqlite
      .prepare(
        `INSERT INTO inventory_collabs (owner_id, collaborator_id, can_edit, can_delete, is_active, created_at, accepted_at)
         VALUES (1, 3, 1, 0, 1, ?, ?)`,
      )
      .run(Date.UTC(2025, 4, 4), Date.UTC(2025, 4, 5));
  })();
  const lots = eraLots(new Map(colors.map((c) => [c.id, c.name])));
  const il = sqlite.prepare(
    `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
       storage_location, notes, image_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
  );
  sqlite.transaction(() => {
    for (const l of lots)
      il.run(l.userId, l.partId, l.colorId, l.colorName, l.name, l.total, l.used, l.location, l.notes, l.createdAt, l.updatedAt);
  })();
  return lots;
}

// ---- comparing before and after ---------------------------------------------------------------

/** User tables of a database (not FTS shadow tables, not the migration bookkeeping). */
export function userTables(sqlite: Database.Database): string[] {
  return sqlite
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name <> '__drizzle_migrations' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
         AND name NOT IN (SELECT name || suffix FROM sqlite_master, (SELECT '_data' AS suffix UNION ALL SELECT '_idx'
           UNION ALL SELECT '_content' UNION ALL SELECT '_docsize' UNION ALL SELECT '_config') WHERE sql LIKE 'CREATE VIRTUAL TABLE%')
       ORDER BY name`,
    )
    .pluck()
    .all() as string[];
}

export type Snapshot = Record<string, { columns: string[]; rows: unknown[][] }>;

/** Every row of every user table, by primary key order. */
export function snapshot(sqlite: Database.Database): Snapshot {
  const snap: Snapshot = {};
  for (const t of userTables(sqlite)) {
    const columns = sqlite.prepare(`SELECT name FROM pragma_table_info('${t}') ORDER BY cid`).pluck().all() as string[];
    const pk = sqlite.prepare(`SELECT name FROM pragma_table_info('${t}') WHERE pk > 0 ORDER BY pk`).pluck().all() as string[];
    const rows = sqlite
      .prepare(
        `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${t}" ORDER BY ${(pk.length ? pk : ['rowid']).map((c) => `"${c}"`).join(', ')}`,
      )
      .raw()
      .all() as unknown[][];
    snap[t] = { columns, rows };
  }
  return snap;
}

/** The same tables and columns read from the upgraded database. */
export function reread(sqlite: Database.Database, before: Snapshot): Snapshot {
  const snap: Snapshot = {};
  for (const [t, { columns }] of Object.entries(before)) {
    const pk = sqlite.prepare(`SELECT name FROM pragma_table_info('${t}') WHERE pk > 0 ORDER BY pk`).pluck().all() as string[];
    const rows = sqlite
      .prepare(
        `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${t}" ORDER BY ${(pk.length ? pk : ['rowid']).map((c) => `"${c}"`).join(', ')}`,
      )
      .raw()
      .all() as unknown[][];
    snap[t] = { columns, rows };
  }
  return snap;
}

/** The pre-migration backups in <dataDir>/backups, opened: what each holds. */
export function preMigrationBackups(dataDir: string): {
  name: string;
  manifest: Record<string, unknown>;
  tables: string[];
  lots: number;
  userVersion: number;
  migrations: number;
}[] {
  const dir = path.join(dataDir, 'backups');
  const names = readdirSync(dir).filter((f) => /^blockshelf-.*-pre-migration\.db\.gz$/.test(f));
  return names.map((name) => {
    const copy = path.join(tempDir('blockshelf-backup-open-'), 'copy.db');
    writeFileSync(copy, gunzipSync(readFileSync(path.join(dir, name))));
    const db = new Database(copy, { readonly: true });
    try {
      return {
        name,
        manifest: JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>,
        tables: userTables(db),
        lots: db.prepare('SELECT count(*) FROM inventory_items').pluck().get() as number,
        userVersion: db.pragma('user_version', { simple: true }) as number,
        migrations: db.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number,
      };
    } finally {
      db.close();
    }
  });
}

/** The plan lines of a statement, with NULL bound to every parameter. */
export function planOf(sqlite: Database.Database, sql: string): string[] {
  const names = [...new Set(sql.match(/@\w+/g) ?? [])].map((n) => n.slice(1));
  const params = names.length
    ? [Object.fromEntries(names.map((n) => [n, null]))]
    : Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
  return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

/** Runs `fn` and returns every SQL text the core ran through its statement cache meanwhile. */
export async function statementsOf(core: Core, fn: () => Promise<unknown>): Promise<string[]> {
  const seen = new Set<string>();
  const orig = core.db.stmt.bind(core.db);
  core.db.stmt = (sqlText: string) => {
    seen.add(sqlText);
    return orig(sqlText);
  };
  try {
    await fn();
  } finally {
    core.db.stmt = orig;
  }
  return [...seen];
}

export interface Upgraded {
  dataDir: string;
  core: Core;
  lots: EraLot[];
  /** Every row of the old database, read just before the app opened it. */
  before: Snapshot;
  /** sqlite_master of the old database. */
  oldSchema: { type: string; name: string; sql: string | null }[];
}

export const schemaOf = (sqlite: Database.Database) =>
  sqlite
    .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all() as {
    type: string;
    name: string;
    sql: string | null;
  }[];

/** A database of schema `n` filled with the era's rows, then opened by today's app. */
export function upgradeFrom(n: number, opts: { parts?: boolean } = {}): Upgraded {
  const old = databaseAt(n);
  const lots = fillEra(old.sqlite, opts);
  const before = snapshot(old.sqlite);
  const oldSchema = schemaOf(old.sqlite);
  old.sqlite.close();
  return { dataDir: old.dataDir, core: openApp(old.dataDir), lots, before, oldSchema };
}

/** The schema today's migrations give a new database. */
export function freshSchema(): ReturnType<typeof schemaOf> {
  const core = openApp(tempDir());
  try {
    return schemaOf(core.db.sqlite);
  } finally {
    core.close();
  }
}

/** Every lot id a profile's listing returns (as that profile), following its cursor to the end. */
export async function listAll(core: Core, ownerId: number, q: Record<string, unknown> = {}): Promise<number[]> {
  const current = await core.invoke('profiles.current', {});
  if (!current.ok || current.data.id !== ownerId) {
    const r = await core.invoke('profiles.switch', { id: ownerId });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  }
  const ids: number[] = [];
  let after: string | undefined;
  for (;;) {
    const r = await core.invoke('inventory.list', { ...q, ownerId, limit: 500, ...(after ? { after } : {}) });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    ids.push(...r.data.items.map((l) => l.id));
    if (!r.data.nextCursor) return ids;
    after = r.data.nextCursor;
  }
}
