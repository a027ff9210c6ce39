// Applying a staged import in ONE transaction over the staged lots, in chunks with yields in
// between; while it runs the core refuses other calls (`busy`), so nothing else can write into
// the open transaction, and cancel or any failure rolls it all back.
import type Database from 'better-sqlite3';
import type { ImportMode } from '../../../shared/contract';
import { LIMITS } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Progress, StageResult } from './types';

const yieldLoop = () => new Promise<void>((r) => setImmediate(r));

/** The search index's insert trigger as migration 0001 creates it. */
const FTS_AI_TRIGGER = `CREATE TRIGGER \`inventory_items_fts_ai\` AFTER INSERT ON \`inventory_items\` BEGIN
  INSERT INTO inventory_fts (rowid, name, part_id, color_name, storage_location)
  VALUES (new.id, new.name, new.part_id, new.color_name, new.storage_location);
END`;
const normSql = (s: string) => s.replace(/[`"]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
/** From this many staged lots on, the search index is filled in bulk. */
export const BULK_FTS_MIN_LOTS = 2000;
/** Up to this many lots an import keeps its dirty pages in memory (cache_spill off). */
const NO_SPILL_MAX_LOTS = 2_000_000;
/**
 * From this many staged lots on, and when they are at least BULK_INDEX_MIN_SHARE of the lots
 * already in inventory_items (all profiles: an index is rebuilt over the whole table), the
 * secondary indexes are dropped for the apply and rebuilt at its end. Measured into an empty
 * inventory: 200k lots cost the same CPU either way, 1M lots 15% less CPU and 43% less time
 * (docs/PERFORMANCE.md); below 100k the rebuild of the lots already there is not worth it.
 */
export const BULK_INDEX_MIN_LOTS = 100_000;
export const BULK_INDEX_MIN_SHARE = 0.5;

export interface SavedIndex {
  name: string;
  sql: string;
}

/**
 * The secondary indexes of `table` that can be dropped for a bulk load and rebuilt from their
 * own SQL: those made by CREATE INDEX (not a PRIMARY KEY or UNIQUE constraint's automatic index)
 * and not UNIQUE (a UNIQUE index is a constraint the load must keep checking). Read from the
 * schema at run time, so later migrations that change the index set are followed.
 */
export function droppableIndexes(sqlite: Database.Database, table: string): SavedIndex[] {
  const list = sqlite.prepare(`SELECT name, "unique", origin FROM pragma_index_list(?)`).all(table) as {
    name: string;
    unique: number;
    origin: string;
  }[];
  const sqlOf = sqlite.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND tbl_name = ?`).pluck();
  const out: SavedIndex[] = [];
  for (const ix of list) {
    if (ix.origin !== 'c' || ix.unique) continue;
    const sql = sqlOf.get(ix.name, table) as string | null | undefined;
    if (sql) out.push({ name: ix.name, sql });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const quoteId = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface ApplyCounts {
  created: number;
  merged: number;
  replaced: number;
}

/**
 * Applies a staged import in one transaction, in chunks with yields between them. The caller
 * must keep every other writer off the connection meanwhile (the core's exclusive gate).
 */
export async function applyStage(
  sqlite: Database.Database,
  stage: StageResult,
  ownerId: number,
  mode: ImportMode,
  now: number,
  opts: {
    signal?: AbortSignal;
    progress?: Progress;
    chunk?: number;
    /** Drop and rebuild the secondary indexes: by size (default), always, or never. */
    bulkIndexes?: 'auto' | boolean;
    /** Test hook: called inside the transaction once the rows are in, before the indexes are rebuilt. */
    beforeReindex?: () => void;
  } = {},
): Promise<ApplyCounts> {
  const t = `temp.${stage.table}`;
  const chunk = opts.chunk ?? 5_000;
  const maxId = (sqlite.prepare(`SELECT coalesce(max(id), 0) FROM ${t}`).pluck().get() as number) ?? 0;
  const total = sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  // Quantities that would pass the limit: checked chunk by chunk (any hit rolls everything back).
  const tooBig = sqlite.prepare(
    `SELECT s.first_row AS row, s.part_id AS partId FROM ${t} s
      LEFT JOIN inventory_items i ON i.id = s.existing
      WHERE s.id BETWEEN @a AND @b AND s.qty + (CASE WHEN @mode = 'add' THEN coalesce(i.quantity_total, 0) ELSE 0 END) > @max LIMIT 1`,
  );
  const markExisting = sqlite.prepare(
    `UPDATE ${t} AS s SET existing = (SELECT i.id FROM inventory_items i WHERE i.user_id = @u AND i.part_id = s.part_id
       AND i.color_id = s.color_id AND i.storage_location = s.location) WHERE s.id BETWEEN @a AND @b`,
  );
  // Matching lots are updated one by one by id: an UPDATE … FROM join lets the planner scan the
  // whole inventory per chunk, which grows quadratically on big imports.
  const matches = sqlite.prepare(
    `SELECT existing, qty, used, name, notes, image_url AS imageUrl FROM ${t} WHERE id BETWEEN ? AND ? AND existing IS NOT NULL`,
  );
  const update = sqlite.prepare(
    mode === 'add'
      ? `UPDATE inventory_items SET quantity_total = quantity_total + @qty, quantity_used = quantity_used + @used,
           name = CASE WHEN name = '' THEN @name ELSE name END,
           notes = CASE WHEN notes = '' THEN @notes ELSE notes END,
           image_url = coalesce(image_url, @imageUrl), updated_at = @t
         WHERE id = @existing`
      : `UPDATE inventory_items SET quantity_total = @qty, quantity_used = @used,
           name = CASE WHEN @name <> '' THEN @name ELSE name END,
           notes = CASE WHEN @notes <> '' THEN @notes ELSE notes END,
           image_url = coalesce(@imageUrl, image_url), updated_at = @t
         WHERE id = @existing`,
  );
  const insert = sqlite.prepare(
    `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
       storage_location, notes, image_url, created_at, updated_at)
     SELECT @u, s.part_id, s.color_id, c.name,
            CASE WHEN s.name <> '' THEN s.name
                 ELSE coalesce((SELECT substr(p.name, 1, ${LIMITS.name}) FROM parts p WHERE p.part_num = s.part_id), '') END,
            s.qty, s.used, s.location, s.notes, s.image_url, @t, @t
       FROM ${t} AS s JOIN colors c ON c.id = s.color_id
      WHERE s.id BETWEEN @a AND @b AND s.existing IS NULL ORDER BY s.id`,
  );
  // Big imports fill the FTS5 search index in bulk, chunk by chunk, instead of row by row through
  // its AFTER INSERT trigger (3-4x faster; measured in bench/import.ts). The trigger is dropped and
  // re-created inside the same transaction, so a rollback restores it; only a trigger of exactly
  // the expected shape is handled so, any other falls back to the row-by-row path.
  const triggerSql = sqlite
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'inventory_items_fts_ai'`)
    .pluck()
    .get() as string | undefined;
  const bulkFts = total >= BULK_FTS_MIN_LOTS && triggerSql !== undefined && normSql(triggerSql) === normSql(FTS_AI_TRIGGER);
  const ftsFill = bulkFts
    ? sqlite.prepare(
        `INSERT INTO inventory_fts (rowid, name, part_id, color_name, storage_location)
         SELECT id, name, part_id, color_name, storage_location FROM inventory_items WHERE id > ?`,
      )
    : null;
  const maxLotId = sqlite.prepare('SELECT coalesce(max(id), 0) FROM inventory_items').pluck();
  // Big loads drop the non-unique secondary indexes and rebuild them at the end: SQLite builds an
  // index by sorting, many times faster than inserting a million keys one by one into ten B-trees.
  // The DROP and CREATE run inside the same transaction, so a cancel or failure restores them.
  // Statistics of the dropped indexes (sqlite_stat1/4, if ANALYZE ever ran) are saved and put back.
  const existingLots = () => maxLotId.get() as number; // an upper bound of the row count, O(1)
  const bulkIndexes =
    opts.bulkIndexes === true ||
    ((opts.bulkIndexes ?? 'auto') === 'auto' && total >= BULK_INDEX_MIN_LOTS && total >= BULK_INDEX_MIN_SHARE * existingLots());
  let created = 0;
  let touched = 0;
  let done = 0;
  // A long transaction whose dirty pages outgrow the page cache spills them to the WAL and writes
  // them again and again: big imports got quadratically slower. Keep them in memory instead (up
  // to a bound; the pages are written once, at commit).
  const spill = sqlite.pragma('cache_spill', { simple: true }) as number;
  const noSpill = total <= NO_SPILL_MAX_LOTS;
  if (noSpill) sqlite.pragma('cache_spill = OFF');
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    if (bulkFts) sqlite.exec('DROP TRIGGER inventory_items_fts_ai');
    // Read inside the transaction: the schema cannot change between reading and dropping.
    const saved = bulkIndexes ? droppableIndexes(sqlite, 'inventory_items') : [];
    const statTables = saved.length
      ? (sqlite
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('sqlite_stat1', 'sqlite_stat4')`)
          .pluck()
          .all() as string[])
      : [];
    const names = JSON.stringify(saved.map((ix) => ix.name));
    const stats = statTables.map((st) => ({
      table: st,
      rows: sqlite
        .prepare(`SELECT * FROM ${st} WHERE tbl = 'inventory_items' AND idx IN (SELECT value FROM json_each(?))`)
        .all(names) as Record<string, unknown>[],
    }));
    for (const ix of saved) sqlite.exec(`DROP INDEX main.${quoteId(ix.name)}`);
    opts.progress?.('applying', 0, total);
    for (let a = 1; a <= maxId; a += chunk) {
      const b = a + chunk - 1;
      markExisting.run({ u: ownerId, a, b });
      const over = tooBig.get({ a, b, mode, max: LIMITS.quantity }) as { row: number; partId: string } | undefined;
      if (over) {
        throw new AppError('invalid-input', `${stage.file}:${over.row}: quantity: ${over.partId} would hold more than ${LIMITS.quantity} pieces`);
      }
      for (const m of matches.all(a, b) as { existing: number; qty: number; used: number; name: string; notes: string; imageUrl: string | null }[]) {
        touched += update.run({ ...m, t: now }).changes;
      }
      const before = ftsFill ? (maxLotId.get() as number) : 0;
      const n = insert.run({ u: ownerId, t: now, a, b }).changes;
      if (ftsFill && n) ftsFill.run(before);
      created += n;
      done = Math.min(total, done + chunk);
      opts.progress?.('applying', done, total);
      await yieldLoop();
      if (opts.signal?.aborted) throw new AppError('cancelled', 'The import was cancelled; nothing was changed.');
    }
    opts.beforeReindex?.();
    for (let i = 0; i < saved.length; i++) {
      opts.progress?.('indexing', i, saved.length);
      sqlite.exec(saved[i]!.sql);
      await yieldLoop();
      if (opts.signal?.aborted) throw new AppError('cancelled', 'The import was cancelled; nothing was changed.');
    }
    if (saved.length) opts.progress?.('indexing', saved.length, saved.length);
    for (const st of stats) {
      if (!st.rows.length) continue;
      const cols = Object.keys(st.rows[0]!);
      const put = sqlite.prepare(`INSERT INTO ${st.table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
      for (const r of st.rows) put.run(r);
    }
    if (bulkFts) sqlite.exec(triggerSql!);
    sqlite.exec('COMMIT');
  } catch (e) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw e;
  } finally {
    if (noSpill) sqlite.pragma(`cache_spill = ${Number(spill)}`);
  }
  return mode === 'add' ? { created, merged: touched, replaced: 0 } : { created, merged: 0, replaced: touched };
}
