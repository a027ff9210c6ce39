// Applying a staged import in ONE transaction over the staged lots, in chunks. `applyCore` is
// synchronous and self-contained (it refers to nothing outside its parameters), because the same
// function runs in two places: in the import worker (src/main/transfer/importing/worker.ts, which
// evaluates its source on the worker's own connection; the app's path) and in-process through
// `applyStage` (tests of the SQL). Cancel and failure roll it all back.
import type Database from 'better-sqlite3';
import type { ImportMode } from '../../../shared/contract';
import { LIMITS } from '../../../shared/contract';
import { AppError, type ErrorCode } from '../../../shared/errors';
import { loadMigrations, type Migration } from '../../db/migrate';
import { finishOp, imageSql } from '../../history/core';
import { defaultMigrationsDir } from '../../paths';
import type { Progress, StageResult } from './types';

/** The triggers a bulk apply (or a bulk undo) sets aside, by name: the search index's (0001) and the aggregates' (0003). */
const BULK_TRIGGERS = {
  fts: 'inventory_items_fts_ai',
  ai: 'inventory_items_stats_ai',
  au: 'inventory_items_stats_au',
  // Set aside by an undo that removes many lots (src/main/history/core.ts).
  ftsAd: 'inventory_items_fts_ad',
  ad: 'inventory_items_stats_ad',
} as const;
/** null where the migrations make no such trigger (an older schema): no shortcut is taken then. */
export type BulkTriggers = Record<keyof typeof BULK_TRIGGERS, string | null>;

/**
 * The SQL of those triggers as the migrations create them (normalised): a bulk apply takes its
 * shortcuts only where the database's triggers are exactly these, so what it recomputes at the
 * end is what the triggers would have written.
 */
export function bulkTriggers(migrations: Migration[]): BulkTriggers {
  const found: BulkTriggers = { fts: null, ai: null, au: null, ftsAd: null, ad: null };
  for (const m of migrations) {
    for (const raw of m.statements) {
      // SQLite keeps a trigger's SQL from CREATE on: leave out the comment lines before it.
      const stmt = raw.replace(/^(\s*--[^\n]*\n)+/, '');
      const hit = /^\s*CREATE\s+TRIGGER\s+[`"]?(\w+)[`"]?/i.exec(stmt);
      const key = hit && (Object.keys(BULK_TRIGGERS) as (keyof BulkTriggers)[]).find((k) => BULK_TRIGGERS[k] === hit[1]);
      if (key) found[key] = normSql(stmt);
    }
  }
  return found;
}

let shippedTriggers: BulkTriggers | null = null;
/** bulkTriggers() of the migrations that ship with the app (for callers without a core). */
function shippedBulkTriggers(): BulkTriggers {
  return (shippedTriggers ??= bulkTriggers(loadMigrations(defaultMigrationsDir())));
}
const normSql = (s: string) => s.replace(/[`"]/g, '').replace(/\s+/g, ' ').replace(/;\s*$/, '').trim().toLowerCase();
/** From this many staged lots on, the search index is filled in bulk. */
export const BULK_FTS_MIN_LOTS = 2000;
/** Up to this many lots an ordinary (not bulk) apply keeps its dirty pages in memory (cache_spill off). */
const NO_SPILL_MAX_LOTS = 2_000_000;
/**
 * From this many staged lots on, and when they are at least BULK_INDEX_MIN_SHARE of the lots
 * already in inventory_items (all profiles: an index is rebuilt over the whole table), the
 * secondary indexes are dropped for the apply and rebuilt at its end, and the aggregate triggers
 * are set aside and the aggregates recomputed once. Measured into an empty inventory: 200k lots
 * cost the same CPU either way, 1M lots far less (docs/PERFORMANCE.md); below 100k the rebuild of
 * the lots already there is not worth it.
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
 * Self-contained: it also runs in the import worker.
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

export interface ApplyCounts {
  created: number;
  merged: number;
  replaced: number;
}

/** Seconds (wall) spent in each step of an apply, for the benchmark. */
export type ApplyTimings = Record<string, number>;

/** Everything applyCore needs, as plain data (it crosses to the worker). */
export interface ApplyParams {
  /** The stage's schema (attached on the connection that applies). */
  schema: string;
  /** The file's name, for messages. */
  file: string;
  ownerId: number;
  mode: ImportMode;
  now: number;
  chunk: number;
  bulkIndexes: 'auto' | boolean;
  limits: { quantity: number; name: number };
  ftsTrigger: string | null;
  statsTriggers: { ai: string | null; au: string | null };
  bulkFtsMin: number;
  bulkIndexMin: number;
  bulkIndexShare: number;
  noSpillMax: number;
  /**
   * The operation journal's entry for this import (null: not recorded): the acting profile, the
   * journal's bounds, and the import's name. The import records the lots it created as an id
   * range and the before-images of the lots it changed, in its own transaction.
   */
  journal: { actorId: number; bounds: { maxOps: number; maxDays: number } } | null;
}

export interface ApplyHooks {
  progress?: (phase: string, done: number, total: number | null) => void;
  /** Polled between chunks: true stops the apply (rolled back). */
  cancelled?: () => boolean;
  /** Test hook: called inside the transaction once the rows are in, before the indexes are rebuilt. */
  beforeReindex?: () => void;
}

/** A failure applyCore reports: `code` is an error code of the contract. */
export interface ApplyFailure {
  code: string;
  message: string;
}

export function applyParams(
  stage: StageResult,
  ownerId: number,
  mode: ImportMode,
  now: number,
  opts: {
    chunk?: number | undefined;
    bulkIndexes?: 'auto' | boolean | undefined;
    journal?: ApplyParams['journal'] | undefined;
  } = {},
  triggers: BulkTriggers = shippedBulkTriggers(),
): ApplyParams {
  return {
    schema: stage.table,
    file: stage.file,
    ownerId,
    mode,
    now,
    chunk: opts.chunk ?? 5_000,
    bulkIndexes: opts.bulkIndexes ?? 'auto',
    limits: { quantity: LIMITS.quantity, name: LIMITS.name },
    ftsTrigger: triggers.fts,
    statsTriggers: { ai: triggers.ai, au: triggers.au },
    bulkFtsMin: BULK_FTS_MIN_LOTS,
    bulkIndexMin: BULK_INDEX_MIN_LOTS,
    bulkIndexShare: BULK_INDEX_MIN_SHARE,
    noSpillMax: NO_SPILL_MAX_LOTS,
    journal: opts.journal ?? null,
  };
}

/**
 * Applies a staged import in one transaction. The caller keeps every other writer off the
 * database meanwhile (another connection would wait for SQLite's write lock). Self-contained:
 * no reference to anything outside its parameters (its source is evaluated in the worker).
 */
export function applyCore(
  sqlite: Database.Database,
  p: ApplyParams,
  hooks: ApplyHooks,
  lib: { droppableIndexes: typeof droppableIndexes; finishOp: typeof finishOp; imageSql: typeof imageSql },
): ApplyCounts & { timings: ApplyTimings; bulk: boolean } {
  const fail = (code: string, message: string) => Object.assign(new Error(message), { applyFailure: { code, message } });
  const cancelled = () => fail('cancelled', 'The import was cancelled; nothing was changed.');
  const norm = (s: string) => s.replace(/[`"]/g, '').replace(/\s+/g, ' ').replace(/;\s*$/, '').trim().toLowerCase();
  const quoteId = (s: string) => `"${s.replace(/"/g, '""')}"`;
  // Wall seconds by step, and CPU seconds (`<step> cpu`: of the whole process, which is the
  // worker's while the calling thread waits).
  const timings: ApplyTimings = {};
  let mark = performance.now();
  let cpuMark = process.cpuUsage();
  const lap = (what: string) => {
    const t = performance.now();
    const c = process.cpuUsage(cpuMark);
    timings[what] = (timings[what] ?? 0) + (t - mark) / 1000;
    timings[`${what} cpu`] = (timings[`${what} cpu`] ?? 0) + (c.user + c.system) / 1e6;
    mark = t;
    cpuMark = process.cpuUsage();
  };
  const s = `${p.schema}.lots`;
  const { ownerId, mode, chunk } = p;
  const maxId = (sqlite.prepare(`SELECT coalesce(max(id), 0) FROM ${s}`).pluck().get() as number) ?? 0;
  const total = sqlite.prepare(`SELECT count(*) FROM ${s}`).pluck().get() as number;
  // Quantities that would pass the limit: checked chunk by chunk (any hit rolls everything back).
  const tooBig = sqlite.prepare(
    `SELECT s.first_row AS row, s.part_id AS partId FROM ${s} s
      LEFT JOIN inventory_items i ON i.id = s.existing
      WHERE s.id BETWEEN @a AND @b AND s.qty + (CASE WHEN @mode = 'add' THEN coalesce(i.quantity_total, 0) ELSE 0 END) > @max LIMIT 1`,
  );
  const markExisting = sqlite.prepare(
    `UPDATE ${s} AS s SET existing = (SELECT i.id FROM inventory_items i WHERE i.user_id = @u AND i.part_id = s.part_id
       AND i.color_id = s.color_id AND i.storage_location = s.location) WHERE s.id BETWEEN @a AND @b`,
  );
  // Matching lots are updated one by one by id: an UPDATE … FROM join lets the planner scan the
  // whole inventory per chunk, which grows quadratically on big imports.
  const matches = sqlite.prepare(
    `SELECT existing, qty, used, name, notes, image_url AS imageUrl FROM ${s} WHERE id BETWEEN ? AND ? AND existing IS NOT NULL`,
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
  const insertSql = (where: string, order: string) =>
    `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
       storage_location, notes, image_url, created_at, updated_at)
     SELECT @u, s.part_id, s.color_id, c.name,
            CASE WHEN s.name <> '' THEN s.name
                 ELSE coalesce((SELECT substr(p.name, 1, ${p.limits.name}) FROM parts p WHERE p.part_num = s.part_id), '') END,
            s.qty, s.used, s.location, s.notes, s.image_url, @t, @t
       FROM ${s} AS s JOIN colors c ON c.id = s.color_id
      WHERE ${where} AND s.existing IS NULL ORDER BY ${order}`;
  const insertById = sqlite.prepare(insertSql('s.id BETWEEN @a AND @b', 's.id'));
  // Bulk: new lots go in in the order of the lots' UNIQUE index (user, part, colour, location),
  // so that index, the table and the search index grow at their ends instead of all over.
  const key = 's.part_id, s.color_id, s.location';
  const insertByKey = sqlite.prepare(insertSql(`(${key}) > (@p0, @c0, @l0) AND (${key}) <= (@p1, @c1, @l1)`, key));
  const insertFirstKeys = sqlite.prepare(insertSql(`(${key}) <= (@p1, @c1, @l1)`, key));
  const cols = 'part_id AS p, color_id AS c, location AS l';
  const order = 'part_id, color_id, location';
  const firstChunkEnd = sqlite.prepare(`SELECT ${cols} FROM ${s} ORDER BY ${order} LIMIT 1 OFFSET @skip`);
  const chunkEnd = sqlite.prepare(
    `SELECT ${cols} FROM ${s} WHERE (${order}) > (@p, @c, @l) ORDER BY ${order} LIMIT 1 OFFSET @skip`,
  );
  const lastKey = sqlite.prepare(`SELECT ${cols} FROM ${s} ORDER BY part_id DESC, color_id DESC, location DESC LIMIT 1`);
  // The journal: before-images of the lots this chunk changes (the first one of each lot).
  const keepBefore = sqlite.prepare(
    `INSERT OR IGNORE INTO history_rows (op_id, lot_id, before)
     SELECT @op, i.id, ${lib.imageSql('i')} FROM ${s} s JOIN inventory_items i ON i.id = s.existing
      WHERE s.id BETWEEN @a AND @b AND s.existing IS NOT NULL`,
  );
  // …and the names of their location totals rows, which the aggregate trigger may remove and make again.
  const keepNames = sqlite.prepare(
    `INSERT OR IGNORE INTO history_names (op_id, side, user_id, location_key, storage_location)
     SELECT @op, 'before', ls.user_id, ls.location_key, ls.storage_location
       FROM ${s} s JOIN inventory_items i ON i.id = s.existing
       JOIN inventory_location_stats ls ON ls.user_id = i.user_id AND ls.location_key = lower(i.storage_location)
      WHERE s.id BETWEEN @a AND @b AND s.existing IS NOT NULL`,
  );
  let opId = 0;
  const triggerSql = (name: string) =>
    sqlite.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`).pluck().get(name) as string | undefined;
  // Big imports fill the FTS5 search index in bulk (INSERT … SELECT of the new rowids) instead of
  // row by row through its AFTER INSERT trigger, which is dropped and re-created inside the same
  // transaction (a rollback restores it); only a trigger of exactly the expected shape is handled so.
  const ftsSql = triggerSql('inventory_items_fts_ai');
  const bulkFts = total >= p.bulkFtsMin && ftsSql !== undefined && norm(ftsSql) === p.ftsTrigger;
  const ftsFill = sqlite.prepare(
    `INSERT INTO inventory_fts (rowid, name, part_id, color_name, storage_location)
     SELECT id, name, part_id, color_name, storage_location FROM inventory_items WHERE id > ?`,
  );
  const maxLotId = sqlite.prepare('SELECT coalesce(max(id), 0) FROM inventory_items').pluck();
  const existingLots = maxLotId.get() as number; // an upper bound of the row count, O(1)
  const bulk =
    p.bulkIndexes === true || (p.bulkIndexes === 'auto' && total >= p.bulkIndexMin && total >= p.bulkIndexShare * existingLots);
  // A bulk apply sets the aggregate triggers aside (three upserts per lot) and recomputes the
  // owner's aggregates once at the end — only when they are exactly the triggers this code knows.
  const aiSql = triggerSql('inventory_items_stats_ai');
  const auSql = triggerSql('inventory_items_stats_au');
  const statsAside =
    bulk &&
    aiSql !== undefined &&
    auSql !== undefined &&
    norm(aiSql) === p.statsTriggers.ai &&
    norm(auSql) === p.statsTriggers.au;
  let created = 0;
  let touched = 0;
  let done = 0;
  // An ordinary apply whose dirty pages outgrow the page cache spills them to the WAL and writes
  // them again and again (the indexes grow all over): keep them in memory instead, up to a bound.
  // A bulk apply writes each page about once (rows in key order, indexes built by sorting), so it
  // spills freely and stays in bounded memory.
  const spill = sqlite.pragma('cache_spill', { simple: true }) as number;
  const noSpill = !bulk && total <= p.noSpillMax;
  if (noSpill) sqlite.pragma('cache_spill = OFF');
  lap('prepare');
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    if (bulkFts) sqlite.exec('DROP TRIGGER inventory_items_fts_ai');
    if (statsAside) {
      sqlite.exec('DROP TRIGGER inventory_items_stats_ai');
      sqlite.exec('DROP TRIGGER inventory_items_stats_au');
    }
    // Read inside the transaction: the schema cannot change between reading and dropping.
    const saved = bulk ? lib.droppableIndexes(sqlite, 'inventory_items') : [];
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
    lap('begin');
    hooks.progress?.('applying', 0, total);
    const ftsFrom = maxLotId.get() as number;
    if (p.journal) {
      const statsRow = sqlite.prepare('SELECT count(*) FROM inventory_stats WHERE user_id = ?').pluck().get(ownerId) as number;
      opId = Number(
        sqlite
          .prepare(
            `INSERT INTO history_ops (owner_id, actor_id, kind, label, created_at, state, after_kept, stats_row)
             VALUES (?, ?, 'import', '', ?, 'done', 0, ?)`,
          )
          .run(ownerId, p.journal.actorId, p.now, statsRow).lastInsertRowid,
      );
    }
    for (let a = 1; a <= maxId; a += chunk) {
      const b = a + chunk - 1;
      markExisting.run({ u: ownerId, a, b });
      const over = tooBig.get({ a, b, mode, max: p.limits.quantity }) as { row: number; partId: string } | undefined;
      if (over) {
        throw fail(
          'invalid-input',
          `${p.file}:${over.row}: quantity: ${over.partId} would hold more than ${p.limits.quantity} pieces`,
        );
      }
      if (opId) {
        keepBefore.run({ op: opId, a, b });
        keepNames.run({ op: opId, a, b });
      }
      for (const m of matches.all(a, b) as {
        existing: number;
        qty: number;
        used: number;
        name: string;
        notes: string;
        imageUrl: string | null;
      }[]) {
        touched += update.run({ ...m, t: p.now }).changes;
      }
      lap('match');
      if (!bulk) {
        const before = bulkFts ? (maxLotId.get() as number) : 0;
        const n = insertById.run({ u: ownerId, t: p.now, a, b }).changes;
        lap('insert');
        if (bulkFts && n) ftsFill.run(before);
        lap('fts');
        created += n;
        done = Math.min(total, done + chunk);
        hooks.progress?.('applying', done, total);
      } else {
        hooks.progress?.('matching', Math.min(total, b), total);
      }
      if (hooks.cancelled?.()) throw cancelled();
    }
    if (bulk && total > 0) {
      type Key = { p: string; c: number; l: string };
      const last = lastKey.get() as Key;
      let lo: Key | null = null;
      for (;;) {
        const hi: Key =
          ((lo ? chunkEnd.get({ ...lo, skip: chunk - 1 }) : firstChunkEnd.get({ skip: chunk - 1 })) as Key | undefined) ?? last;
        const upTo = { u: ownerId, t: p.now, p1: hi.p, c1: hi.c, l1: hi.l };
        created += (lo ? insertByKey.run({ ...upTo, p0: lo.p, c0: lo.c, l0: lo.l }) : insertFirstKeys.run(upTo)).changes;
        done = Math.min(total, done + chunk);
        hooks.progress?.('applying', done, total);
        lap('insert');
        if (hooks.cancelled?.()) throw cancelled();
        if (hi.p === last.p && hi.c === last.c && hi.l === last.l) break;
        lo = hi;
      }
      if (bulkFts) {
        hooks.progress?.('search index', 0, null);
        ftsFill.run(ftsFrom);
        lap('fts');
        if (hooks.cancelled?.()) throw cancelled();
      }
    }
    hooks.beforeReindex?.();
    for (let i = 0; i < saved.length; i++) {
      hooks.progress?.('indexing', i, saved.length);
      lap('indexes');
      sqlite.exec(saved[i]!.sql);
      lap(`index ${saved[i]!.name}`);
      if (hooks.cancelled?.()) throw cancelled();
    }
    if (saved.length) hooks.progress?.('indexing', saved.length, saved.length);
    for (const st of stats) {
      if (!st.rows.length) continue;
      const cols = Object.keys(st.rows[0]!);
      const put = sqlite.prepare(`INSERT INTO ${st.table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
      for (const r of st.rows) put.run(r);
    }
    lap('indexes');
    if (statsAside) {
      // What the triggers would have left: totals per owner, per lower-cased location (named as
      // the first lot that made it), per colour — recomputed from the owner's lots.
      hooks.progress?.('totals', 0, null);
      sqlite
        .prepare(
          `INSERT INTO inventory_stats (user_id, lots, quantity_total, quantity_used)
           SELECT @u, count(*), coalesce(sum(quantity_total), 0), coalesce(sum(quantity_used), 0) FROM inventory_items WHERE user_id = @u
           ON CONFLICT (user_id) DO UPDATE SET lots = excluded.lots, quantity_total = excluded.quantity_total,
             quantity_used = excluded.quantity_used`,
        )
        .run({ u: ownerId });
      sqlite
        .prepare(
          `INSERT INTO inventory_location_stats (user_id, location_key, storage_location, lots, quantity)
           SELECT @u, k, loc, n, q FROM (
             SELECT lower(storage_location) AS k, storage_location AS loc, min(id) AS first, count(*) AS n, sum(quantity_total) AS q
               FROM inventory_items WHERE user_id = @u GROUP BY lower(storage_location)) WHERE true
           ON CONFLICT (user_id, location_key) DO UPDATE SET lots = excluded.lots, quantity = excluded.quantity`,
        )
        .run({ u: ownerId });
      sqlite
        .prepare(
          `INSERT INTO inventory_color_stats (user_id, color_id, color_name, lots, quantity)
           SELECT @u, color_id, max(color_name), count(*), sum(quantity_total) FROM inventory_items WHERE user_id = @u
            GROUP BY color_id
           ON CONFLICT (user_id, color_id) DO UPDATE SET lots = excluded.lots, quantity = excluded.quantity,
             color_name = excluded.color_name`,
        )
        .run({ u: ownerId });
      sqlite.exec(aiSql!);
      sqlite.exec(auSql!);
      lap('totals');
    }
    if (bulkFts) sqlite.exec(ftsSql!);
    if (opId) {
      // The lots this import created are the ids above those there before it.
      const hi = maxLotId.get() as number;
      if (created > 0)
        sqlite.prepare('UPDATE history_ops SET batch_lo = ?, batch_hi = ? WHERE id = ?').run(ftsFrom + 1, hi, opId);
      const lots = created + touched;
      const name = `Import ${p.file}: ${lots} ${lots === 1 ? 'lot' : 'lots'}${mode === 'replace' ? ' (replace)' : ''}`;
      sqlite.prepare(`UPDATE history_ops SET label = ? WHERE id = ?`).run(name.slice(0, 300), opId);
      lib.finishOp(sqlite, opId, p.journal!.bounds, p.now, created);
    }
    if (hooks.cancelled?.()) throw cancelled();
    hooks.progress?.('committing', 0, null);
    sqlite.exec('COMMIT');
    lap('commit');
  } catch (e) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw e;
  } finally {
    if (noSpill) sqlite.pragma(`cache_spill = ${Number(spill)}`);
  }
  const counts = mode === 'add' ? { created, merged: touched, replaced: 0 } : { created, merged: 0, replaced: touched };
  return { ...counts, timings, bulk };
}

/** The failure applyCore threw, if it was one of its own. */
export function applyFailure(e: unknown): ApplyFailure | null {
  const f = (e as { applyFailure?: ApplyFailure } | null)?.applyFailure;
  return f && typeof f.code === 'string' ? f : null;
}

export function toAppError(f: ApplyFailure): AppError {
  return new AppError(f.code as ErrorCode, f.message);
}

/**
 * Applies a staged import in-process, on `sqlite` (which holds the stage). The app applies
 * through the import worker instead (runApplyWorker); this is the same code, for tests and tools.
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
    /** Drop and rebuild the secondary indexes (and set the aggregate triggers aside): by size (default), always, or never. */
    bulkIndexes?: 'auto' | boolean;
    beforeReindex?: () => void;
    /** Record the import in the operation journal (as the app's apply does). */
    journal?: ApplyParams['journal'];
  } = {},
): Promise<ApplyCounts> {
  await Promise.resolve();
  try {
    const r = applyCore(
      sqlite,
      applyParams(stage, ownerId, mode, now, opts),
      {
        ...(opts.progress ? { progress: opts.progress } : {}),
        ...(opts.beforeReindex ? { beforeReindex: opts.beforeReindex } : {}),
        cancelled: () => opts.signal?.aborted === true,
      },
      { droppableIndexes, finishOp, imageSql },
    );
    return { created: r.created, merged: r.merged, replaced: r.replaced };
  } catch (e) {
    const f = applyFailure(e);
    throw f ? toAppError(f) : e;
  }
}
