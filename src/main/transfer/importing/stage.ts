// Reading a whole file into a staging table. The valid rows, already merged by (part, colour,
// location), go into a stage database of their own (a file beside the database) in chunks, so a
// million-row file never sits in memory. The reading runs in the read worker (reading.ts) on a
// connection to the stage file alone; the core's connection ATTACHes the finished stage as its
// own schema, and the apply worker's connection reads it from there.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { ImportDetection, RowProblem } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { colorMaps } from '../../colors/maps';
import { baseName } from '../../util/names';
import { checkRow } from './checks';
import { sourceRows } from './sources';
import type { CheckedLot, Progress, ReadOptions, StageResult } from './types';

export const MAX_REPORTED_PROBLEMS = 10_000;
/** Distinct unknown colours and non-part items listed (counts stay exact in the totals). */
const MAX_DISTINCT = 1000;

let stageSeq = 0;
const CHUNK = 5000;

/** The folder of stage files, beside the database file. */
export function stageDir(sqlite: Database.Database): string {
  return path.join(path.dirname(sqlite.name), 'import-stage');
}

/** Deletes stage files left by processes that are gone (a crash or a kill during an import). */
export function cleanStaleStages(sqlite: Database.Database): void {
  let names: string[];
  try {
    names = readdirSync(stageDir(sqlite));
  } catch {
    return;
  }
  for (const n of names) {
    const pid = Number(/^import_stage_(\d+)_\d+\.db(-journal)?$/.exec(n)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(path.join(stageDir(sqlite), n), { force: true });
    }
  }
}

/** The stage's file (from the connection's own list of attached databases). */
export function stageFileOf(sqlite: Database.Database, schema: string): string | null {
  const rows = sqlite.prepare('SELECT name, file FROM pragma_database_list').all() as { name: string; file: string }[];
  return rows.find((r) => r.name === schema)?.file || null;
}

/** A new stage's schema name and file (not created yet: the read worker creates it). */
export function newStage(sqlite: Database.Database): { schema: string; file: string } {
  const schema = `import_stage_${process.pid}_${++stageSeq}`;
  const dir = stageDir(sqlite);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${schema}.db`);
  rmSync(file, { force: true });
  return { schema, file };
}

/** ATTACHes a finished stage file to `sqlite` as `schema` (read by previews and the apply). */
export function attachStage(sqlite: Database.Database, schema: string, file: string): void {
  sqlite.prepare('ATTACH DATABASE ? AS ' + schema).run(file);
  // Scratch data: nothing to recover after a crash (the file is deleted), so no journal and no fsync.
  sqlite.pragma(`${schema}.journal_mode = OFF`);
  sqlite.pragma(`${schema}.synchronous = OFF`);
  sqlite.pragma(`${schema}.mmap_size = 0`); // read through the bounded page cache, not a map
}

/** Deletes a stage file that was never attached (a cancelled or failed read). */
export function removeStageFile(file: string): void {
  for (const f of [file, `${file}-journal`]) rmSync(f, { force: true });
}

/**
 * The merge of the appended rows into one lot per (part, colour, location), on the read worker's
 * connection to the stage file: quantities summed, the first non-empty name and notes and the first image
 * address in file order, lots numbered in the order of their first row (as an upsert per row
 * would leave them), then the UNIQUE index the apply walks in key order.
 */
export const MERGE_SQL = `
CREATE TABLE lots (
  id INTEGER PRIMARY KEY,
  first_row INTEGER NOT NULL,
  part_id TEXT NOT NULL,
  color_id INTEGER NOT NULL,
  location TEXT NOT NULL,
  qty INTEGER NOT NULL,
  used INTEGER NOT NULL,
  name TEXT NOT NULL,
  notes TEXT NOT NULL,
  image_url TEXT,
  rows INTEGER NOT NULL DEFAULT 1,
  existing INTEGER
);
INSERT INTO lots (first_row, part_id, color_id, location, qty, used, name, notes, image_url, rows)
SELECT min(row), part_id, color_id, location, sum(qty), sum(used),
       coalesce(substr(min(CASE WHEN name <> '' THEN printf('%012d', row) || name END), 13), ''),
       coalesce(substr(min(CASE WHEN notes <> '' THEN printf('%012d', row) || notes END), 13), ''),
       substr(min(CASE WHEN image_url IS NOT NULL THEN printf('%012d', row) || image_url END), 13),
       count(*)
  FROM raw GROUP BY part_id, color_id, location ORDER BY min(row);
CREATE UNIQUE INDEX lots_key ON lots (part_id, color_id, location);
DROP TABLE raw;
`;

/** Detaches a stage (its schema name, `StageResult.table`) and deletes its file. */
export function dropStage(sqlite: Database.Database, table: string): void {
  if (!sqlite.open) return;
  const file = stageFileOf(sqlite, table);
  if (file === null && !sqlite.prepare('SELECT 1 FROM pragma_database_list WHERE name = ?').get(table)) return;
  sqlite.exec(`DETACH DATABASE ${table}`);
  if (file) for (const f of [file, `${file}-journal`]) rmSync(f, { force: true });
}

/**
 * Reads, checks and stages a whole file into `stage`, a connection to a new, empty stage file
 * (the read worker's): the rows are appended to `raw` as read, then merged into `lots`.
 */
export async function readIntoStage(
  stage: Database.Database,
  file: string,
  det: ImportDetection,
  schema: string,
  opts: ReadOptions & {
    colors: readonly { id: number; name: string }[];
    signal?: AbortSignal;
    progress?: Progress;
  },
): Promise<StageResult> {
  const name = baseName(file);
  const colors = colorMaps(opts.colors);
  // Scratch data: nothing to recover after a crash (the file is deleted), so no journal and no fsync.
  stage.pragma('journal_mode = OFF');
  stage.pragma('synchronous = OFF');
  stage.pragma('mmap_size = 0');
  stage.pragma('temp_store = FILE'); // the merge's sort spills to a file, not memory
  stage.pragma('cache_size = -16384');
  // Rows go in as read, one append each (no index to keep up); MERGE_SQL merges them by
  // (part, colour, location) into `lots` at the end, by sorting.
  stage.exec(`CREATE TABLE raw (
    row INTEGER NOT NULL,
    part_id TEXT NOT NULL,
    color_id INTEGER NOT NULL,
    location TEXT NOT NULL,
    qty INTEGER NOT NULL,
    used INTEGER NOT NULL,
    name TEXT NOT NULL,
    notes TEXT NOT NULL,
    image_url TEXT
  )`);
  const insert = stage.prepare(
    `INSERT INTO raw (row, part_id, color_id, location, qty, used, name, notes, image_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const flush = stage.transaction((lots: CheckedLot[]) => {
    for (const l of lots) {
      insert.run(l.row, l.partId, l.colorId, l.storageLocation, l.quantityTotal, l.quantityUsed, l.name, l.notes, l.imageUrl);
    }
  });
  const size = (() => {
    try {
      return statSync(file).size;
    } catch {
      return null;
    }
  })();
  let bytes = 0;
  let lastEmit = 0;
  const invalid: RowProblem[] = [];
  let invalidCount = 0;
  const unknownColors = new Map<string, number>();
  const nonParts = new Map<string, { type: string; itemId: string; rows: number }>();
  let rows = 0;
  let valid = 0;
  let batch: CheckedLot[] = [];
  const emit = (force = false) => {
    const t = performance.now();
    if (force || t - lastEmit > 100) {
      lastEmit = t;
      opts.progress?.('reading', size === null ? rows : Math.min(bytes, size), size);
    }
  };
  emit(true);
  for await (const srcs of sourceRows(
    file,
    opts,
    det,
    (n) => (bytes += n),
    opts.signal,
    (np) => {
      rows++;
      const key = `${np.type}\u0000${np.itemId}`;
      const e = nonParts.get(key);
      if (e) e.rows++;
      else if (nonParts.size < MAX_DISTINCT) nonParts.set(key, { type: np.type, itemId: np.itemId, rows: 1 });
    },
  )) {
    for (const src of srcs) {
      rows++;
      const checked = checkRow(src, colors);
      if (checked.lot) {
        valid++;
        batch.push(checked.lot);
      } else {
        invalidCount++;
        const uc = checked.unknownColor;
        if (uc && (unknownColors.has(uc) || unknownColors.size < MAX_DISTINCT))
          unknownColors.set(uc, (unknownColors.get(uc) ?? 0) + 1);
        for (const p of checked.problems) {
          if (invalid.length < MAX_REPORTED_PROBLEMS)
            invalid.push({ file: name, row: src.row, field: p.field, reason: p.reason });
        }
      }
    }
    if (batch.length >= CHUNK) {
      flush(batch);
      batch = [];
      emit();
    }
    if (opts.signal?.aborted) throw new AppError('cancelled', 'The import was cancelled.');
  }
  if (batch.length) flush(batch);
  emit(true);
  opts.progress?.('merging', 0, null);
  stage.exec(MERGE_SQL);
  return { format: det.format, file: name, rows, valid, invalidCount, invalid, unknownColors, nonParts, table: schema };
}
