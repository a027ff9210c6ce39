// The journal's SQL that runs on any connection: undo and redo of one operation, the end of an
// operation's recording (redo branch dropped, bounds applied) and the sweep of dropped rows.
// Each function here is self-contained (it refers to nothing outside its parameters but
// imageColumns and imageSql, which the workers inline beside it), because
// the same source runs in-process for small operations and in a worker thread (./worker.ts, on
// the worker's own connection) for big ones, like the import's applyCore.
import type Database from 'better-sqlite3';

/**
 * The columns of inventory_items a row image holds: every column but the generated location_fp.
 * Self-contained, like imageSql: the import and history workers inline both sources.
 */
export function imageColumns(): string[] {
  return [
    'id',
    'user_id',
    'part_id',
    'color_id',
    'color_name',
    'name',
    'quantity_total',
    'quantity_used',
    'storage_location',
    'notes',
    'image_url',
    'created_at',
    'updated_at',
  ];
}

/** SQL making the JSON image of the inventory_items row `alias` (json_object of imageColumns()). */
export function imageSql(alias: string): string {
  return `json_object(${imageColumns()
    .map((c) => `'${c}', ${alias}.${c}`)
    .join(', ')})`;
}

/** The Sets build tables the journal keeps images of (history_build_rows), with their columns. */
export const BUILD_TABLES = {
  set_builds: [
    'id',
    'user_id',
    'source_kind',
    'source_id',
    'source_name',
    'source_format',
    'list_key',
    'quantity',
    'options',
    'pieces',
    'built_at',
  ],
  set_build_takes: ['id', 'build_id', 'lot_id', 'part_id', 'color_id', 'location', 'quantity', 'updated_before', 'updated_after'],
} as const;

/** SQL making the JSON image of row `alias` of build table `table`. */
export function buildImageSql(table: keyof typeof BUILD_TABLES, alias: string): string {
  return `json_object(${BUILD_TABLES[table].map((c) => `'${c}', ${alias}.${c}`).join(', ')})`;
}

export interface Bounds {
  maxOps: number;
  maxDays: number;
}

export interface StepParams {
  opId: number;
  direction: 'undo' | 'redo';
  now: number;
  /**
   * The delete triggers of the search index and the aggregates as the migrations make them
   * (normalised SQL; null: unknown): a step removing many lots sets them aside and rebuilds
   * what they keep, only when the database's triggers are exactly these.
   */
  deleteTriggers?: { fts: string | null; stats: string | null } | undefined;
}

/** What an undo or redo did, or why it refused (a code of the contract and a message). */
export interface StepResult {
  opId: number;
  label: string;
  ownerId: number;
  lots: number;
  /** Whether the lots it removed went in bulk (delete triggers set aside). */
  bulk: boolean;
}

/**
 * Closes the recording of operation `opId` inside the caller's transaction: counts its lots,
 * drops the redo branch (every undone operation: a new change makes them unreachable), applies
 * the bounds (marks older operations dropped) and sweeps a bounded number of dropped rows.
 * Returns false when the operation changed nothing (its row is then deleted).
 */
export function finishOp(sqlite: Database.Database, opId: number, bounds: Bounds, now: number, extraLots: number): boolean {
  const rows = sqlite.prepare('SELECT count(*) FROM history_rows WHERE op_id = ?').pluck().get(opId) as number;
  const builds = sqlite.prepare('SELECT count(*) FROM history_build_rows WHERE op_id = ?').pluck().get(opId) as number;
  if (rows + extraLots + builds === 0) {
    sqlite.prepare('DELETE FROM history_ops WHERE id = ?').run(opId);
    return false;
  }
  sqlite.prepare('UPDATE history_ops SET lots = ? WHERE id = ?').run(rows + extraLots, opId);
  sqlite.prepare(`UPDATE history_ops INDEXED BY history_ops_state_idx SET state = 'dropped' WHERE state = 'undone'`).run();
  // The bounds, by cheap probes in id order first (at most the operations kept are read).
  const cutoff = now - bounds.maxDays * 86_400_000;
  const over = sqlite
    .prepare(`SELECT id FROM history_ops WHERE state <> 'dropped' ORDER BY id DESC LIMIT 1 OFFSET ?`)
    .pluck()
    .get(bounds.maxOps) as number | undefined;
  if (over !== undefined)
    sqlite.prepare(`UPDATE history_ops SET state = 'dropped' WHERE id <= ? AND state <> 'dropped'`).run(over);
  const oldest = sqlite
    .prepare(`SELECT created_at FROM history_ops WHERE state <> 'dropped' ORDER BY id LIMIT 1`)
    .pluck()
    .get() as number | undefined;
  if (oldest !== undefined && oldest < cutoff) {
    sqlite.prepare(`UPDATE history_ops SET state = 'dropped' WHERE state <> 'dropped' AND created_at < ?`).run(cutoff);
  }
  return true;
}

/**
 * Deletes up to `limit` rows of dropped operations, oldest first, and each operation once it has
 * no rows left. Returns the rows deleted plus one per operation removed: 0 when nothing was left
 * to sweep. Bounded work, so it can run on the thread that answers calls.
 */
export function sweepDropped(sqlite: Database.Database, limit: number): number {
  const next = sqlite.prepare(`SELECT id FROM history_ops WHERE state = 'dropped' ORDER BY id LIMIT 1`).pluck();
  const rows = sqlite.prepare(
    `DELETE FROM history_rows WHERE op_id = @op AND lot_id IN (SELECT lot_id FROM history_rows WHERE op_id = @op LIMIT @limit)`,
  );
  const drop = sqlite.prepare('DELETE FROM history_ops WHERE id = ?');
  let work = 0;
  while (work < limit) {
    const op = next.get() as number | undefined;
    if (op === undefined) break;
    const want = limit - work;
    const n = rows.run({ op, limit: want }).changes;
    work += n;
    if (n < want) {
      sqlite.prepare('DELETE FROM history_names WHERE op_id = ?').run(op);
      sqlite.prepare('DELETE FROM history_build_rows WHERE op_id = ?').run(op);
      drop.run(op);
      work++;
    }
  }
  return work;
}

/**
 * Undoes or redoes operation `opId` in one IMMEDIATE transaction: all of it or nothing. Refuses
 * (a thrown error carrying `historyFailure`) when the operation is not in the right state, lies
 * before a restore, or when another operation that is still in effect (undo: a later one done;
 * redo: a later one done or an earlier one undone) changed one of its lots: stepping it would
 * overwrite that change. Self-contained: its source also runs in the history worker.
 */
export function stepCore(sqlite: Database.Database, p: StepParams): StepResult {
  const fail = (code: string, message: string) => Object.assign(new Error(message), { historyFailure: { code, message } });
  const cols = imageColumns();
  const image = imageSql;
  const undo = p.direction === 'undo';
  return sqlite
    .transaction((): StepResult => {
      const op = sqlite
        .prepare(
          `SELECT o.id, o.owner_id AS ownerId, o.label, o.state, o.kind, o.lots, o.batch_lo AS batchLo, o.batch_hi AS batchHi,
                o.after_kept AS afterKept, o.stats_row AS statsRow
           FROM history_ops o WHERE o.id = ?`,
        )
        .get(p.opId) as
        | {
            id: number;
            ownerId: number;
            label: string;
            state: string;
            kind: string;
            lots: number;
            batchLo: number | null;
            batchHi: number | null;
            afterKept: number;
            statsRow: number;
          }
        | undefined;
      if (!op || op.state === 'dropped') throw fail('not-found', 'That operation is no longer in the history.');
      if (op.state === 'mark') throw fail('conflict', `“${op.label}” cannot be undone.`);
      // Mark built and take apart are stepped with their build rows (history_build_rows); one
      // recorded without them (before migration 0007) cannot be stepped exactly.
      if (
        (op.kind === 'mark-built' || op.kind === 'take-apart') &&
        !sqlite.prepare('SELECT 1 FROM history_build_rows WHERE op_id = ? LIMIT 1').get(op.id)
      ) {
        const inverse = (op.kind === 'mark-built') === undo ? 'take the build apart' : 'mark the set as built again';
        throw fail(
          'conflict',
          `“${op.label}” was recorded without its build and cannot be ${undo ? 'undone' : 'redone'}: ${inverse} in Sets instead. Nothing was changed.`,
        );
      }
      if (op.state !== (undo ? 'done' : 'undone')) {
        throw fail('conflict', `“${op.label}” is already ${undo ? 'undone' : 'in effect'}.`);
      }
      const mark = sqlite
        .prepare(`SELECT label FROM history_ops WHERE id > ? AND state = 'mark' ORDER BY id LIMIT 1`)
        .pluck()
        .get(op.id) as string | undefined;
      if (mark) {
        throw fail(
          'conflict',
          `“${op.label}” was made before “${mark}”, which cannot be undone; nothing was changed.` +
            (mark.startsWith('Restore') ? ' The backup made before the restore holds the data as it was.' : ''),
        );
      }
      // Another operation in effect that touched one of this operation's lots: a later one done
      // (undo and redo), or an earlier one undone (redo; for undo it cannot exist, see history.ts).
      const who = `(SELECT u.name FROM users u WHERE u.id = o.actor_id)`;
      const laterByOwnRows = sqlite.prepare(
        `SELECT o.label, ${who} AS actor, json_extract(coalesce(t.after, t.before), '$.part_id') AS part
         FROM history_rows t JOIN history_rows r ON r.lot_id = t.lot_id AND r.op_id > t.op_id
         JOIN history_ops o ON o.id = r.op_id AND o.state = 'done'
        WHERE t.op_id = @op LIMIT 1`,
      );
      const laterByTheirRows = sqlite.prepare(
        `SELECT o.label, ${who} AS actor, json_extract(coalesce(t.after, t.before), '$.part_id') AS part
         FROM history_ops o JOIN history_rows r ON r.op_id = o.id
         JOIN history_rows t ON t.op_id = @op AND t.lot_id = r.lot_id
        WHERE o.id > @op AND o.state = 'done' LIMIT 1`,
      );
      const laterInBatch = sqlite.prepare(
        `SELECT o.label, ${who} AS actor, json_extract(coalesce(r.after, r.before), '$.part_id') AS part
         FROM history_rows r JOIN history_ops o ON o.id = r.op_id AND o.state = 'done'
        WHERE r.lot_id BETWEEN @lo AND @hi AND r.op_id > @op LIMIT 1`,
      );
      const earlierUndone = sqlite.prepare(
        `SELECT o.label, ${who} AS actor, json_extract(coalesce(t.after, t.before), '$.part_id') AS part
         FROM history_rows t JOIN history_rows r ON r.lot_id = t.lot_id AND r.op_id < t.op_id
         JOIN history_ops o ON o.id = r.op_id AND o.state = 'undone'
        WHERE t.op_id = @op LIMIT 1`,
      );
      const laterLots = sqlite
        .prepare(`SELECT coalesce(sum(lots), 0) FROM history_ops WHERE id > ? AND state = 'done'`)
        .pluck()
        .get(op.id) as number;
      type Hit = { label: string; actor: string | null; part: string | null; build?: number } | undefined;
      let hit: Hit = (op.lots <= laterLots ? laterByOwnRows : laterByTheirRows).get({ op: op.id }) as Hit;
      if (!hit && op.batchLo !== null && op.afterKept === 0)
        hit = laterInBatch.get({ op: op.id, lo: op.batchLo, hi: op.batchHi }) as Hit;
      // The same for the build rows (a build taken apart since, or made again with the same id).
      if (!hit)
        hit = sqlite
          .prepare(
            `SELECT o.label, ${who} AS actor, NULL AS part, 1 AS build
             FROM history_build_rows t JOIN history_build_rows r ON r.tbl = t.tbl AND r.row_id = t.row_id AND r.op_id > t.op_id
             JOIN history_ops o ON o.id = r.op_id AND o.state = 'done'
            WHERE t.op_id = @op LIMIT 1`,
          )
          .get({ op: op.id }) as Hit;
      let later = true;
      if (!hit && !undo) {
        hit = (earlierUndone.get({ op: op.id }) ??
          sqlite
            .prepare(
              `SELECT o.label, ${who} AS actor, NULL AS part, 1 AS build
               FROM history_build_rows t JOIN history_build_rows r ON r.tbl = t.tbl AND r.row_id = t.row_id AND r.op_id < t.op_id
               JOIN history_ops o ON o.id = r.op_id AND o.state = 'undone'
              WHERE t.op_id = @op LIMIT 1`,
            )
            .get({ op: op.id })) as Hit;
        later = false;
      }
      if (hit) {
        throw fail(
          'conflict',
          `“${op.label}” cannot be ${undo ? 'undone' : 'redone'}: ${hit.build ? 'its build' : hit.part ? `lot ${hit.part}` : 'one of its lots'} was ` +
            (later
              ? `changed since by “${hit.label}”${hit.actor ? ` (${hit.actor})` : ''}, which is still in effect. Undo that first.`
              : `changed before it by “${hit.label}”${hit.actor ? ` (${hit.actor})` : ''}, which is undone. Redo that first.`) +
            ' Nothing was changed.',
        );
      }
      if (undo && op.afterKept === 0) {
        // First undo of an import: keep what it made (after-images), so that redo can put it back.
        sqlite
          .prepare(
            `UPDATE history_rows SET after = (SELECT ${image('i')} FROM inventory_items i WHERE i.id = history_rows.lot_id)
            WHERE op_id = ?`,
          )
          .run(op.id);
        if (op.batchLo !== null) {
          sqlite
            .prepare(
              `INSERT INTO history_rows (op_id, lot_id, before, after)
             SELECT @op, i.id, NULL, ${image('i')} FROM inventory_items i WHERE i.id BETWEEN @lo AND @hi`,
            )
            .run({ op: op.id, lo: op.batchLo, hi: op.batchHi });
        }
        sqlite.prepare('UPDATE history_ops SET after_kept = 1 WHERE id = ?').run(op.id);
      }
      // The location totals rows the operation touches, as they are named now (the side being
      // left). Undo keeps them as the after side's names (for redo).
      const keys = `SELECT DISTINCT json_extract(img, '$.user_id') AS u, lower(json_extract(img, '$.storage_location')) AS k
        FROM (SELECT before AS img FROM history_rows WHERE op_id = @op UNION ALL SELECT after FROM history_rows WHERE op_id = @op)
       WHERE img IS NOT NULL`;
      sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS history_step_names (user_id, location_key, storage_location)');
      sqlite.exec('DELETE FROM temp.history_step_names');
      sqlite
        .prepare(
          `INSERT INTO temp.history_step_names SELECT ls.user_id, ls.location_key, ls.storage_location
           FROM (${keys}) t JOIN inventory_location_stats ls ON ls.user_id = t.u AND ls.location_key = t.k`,
        )
        .run({ op: op.id });
      if (undo) {
        sqlite
          .prepare(
            `INSERT OR REPLACE INTO history_names (op_id, side, user_id, location_key, storage_location)
           SELECT @op, 'after', user_id, location_key, storage_location FROM temp.history_step_names`,
          )
          .run({ op: op.id });
      }
      // Put the other side's images in place: rows that did not exist there go, rows that did are
      // written back whole (same id and dates), and the triggers keep the aggregates and the
      // search index in step as for any other write.
      const target = undo ? 'before' : 'after';
      // Build rows the side entered lacks go first (a build's takes before the build), so no
      // foreign key action touches them; the others are written back once the lots are in place.
      const buildCols: Record<string, string[]> = {
        set_builds: [
          'id',
          'user_id',
          'source_kind',
          'source_id',
          'source_name',
          'source_format',
          'list_key',
          'quantity',
          'options',
          'pieces',
          'built_at',
        ],
        set_build_takes: [
          'id',
          'build_id',
          'lot_id',
          'part_id',
          'color_id',
          'location',
          'quantity',
          'updated_before',
          'updated_after',
        ],
      };
      for (const t of ['set_build_takes', 'set_builds']) {
        sqlite
          .prepare(
            `DELETE FROM ${t} WHERE id IN (SELECT row_id FROM history_build_rows WHERE op_id = ? AND tbl = '${t}' AND ${target} IS NULL)`,
          )
          .run(op.id);
      }
      const goneSql = `DELETE FROM inventory_items WHERE id IN (SELECT lot_id FROM history_rows WHERE op_id = ? AND ${target} IS NULL)`;
      const toGo = sqlite
        .prepare(`SELECT count(*) FROM history_rows WHERE op_id = ? AND ${target} IS NULL`)
        .pluck()
        .get(op.id) as number;
      const norm = (x: string) => x.replace(/[`"]/g, '').replace(/\s+/g, ' ').replace(/;\s*$/, '').trim().toLowerCase();
      const triggerSql = (name: string) =>
        sqlite.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`).pluck().get(name) as
          string | undefined;
      const ftsAd = triggerSql('inventory_items_fts_ad');
      const statsAd = triggerSql('inventory_items_stats_ad');
      // At least 20,000 lots and half the table go (an import undone): in bulk, see below.
      const bulk =
        toGo >= 20_000 &&
        p.deleteTriggers !== undefined &&
        ftsAd !== undefined &&
        statsAd !== undefined &&
        norm(ftsAd) === p.deleteTriggers.fts &&
        norm(statsAd) === p.deleteTriggers.stats &&
        toGo * 2 >= (sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get() as number);
      let gone: number;
      if (!bulk) gone = sqlite.prepare(goneSql).run(op.id).changes;
      else {
        // Without the per-row delete triggers; then the search index is rebuilt from the lots that
        // stay (no more than went) and the owner's totals are recomputed. The totals rows that stay
        // keep their names, as the triggers would have left them.
        sqlite.exec('DROP TRIGGER inventory_items_fts_ad');
        sqlite.exec('DROP TRIGGER inventory_items_stats_ad');
        gone = sqlite.prepare(goneSql).run(op.id).changes;
        sqlite.exec(`INSERT INTO inventory_fts (inventory_fts) VALUES ('rebuild')`);
        const u = { u: op.ownerId };
        sqlite
          .prepare(
            `UPDATE inventory_stats SET (lots, quantity_total, quantity_used) =
               (SELECT count(*), coalesce(sum(quantity_total), 0), coalesce(sum(quantity_used), 0) FROM inventory_items WHERE user_id = @u)
             WHERE user_id = @u`,
          )
          .run(u);
        sqlite
          .prepare(
            `DELETE FROM inventory_location_stats WHERE user_id = @u
               AND location_key NOT IN (SELECT lower(storage_location) FROM inventory_items WHERE user_id = @u)`,
          )
          .run(u);
        sqlite
          .prepare(
            `UPDATE inventory_location_stats SET lots = g.n, quantity = g.q
               FROM (SELECT lower(storage_location) AS k, count(*) AS n, sum(quantity_total) AS q
                       FROM inventory_items WHERE user_id = @u GROUP BY lower(storage_location)) AS g
              WHERE inventory_location_stats.user_id = @u AND inventory_location_stats.location_key = g.k`,
          )
          .run(u);
        sqlite
          .prepare(
            `DELETE FROM inventory_color_stats WHERE user_id = @u
               AND color_id NOT IN (SELECT color_id FROM inventory_items WHERE user_id = @u)`,
          )
          .run(u);
        sqlite
          .prepare(
            `UPDATE inventory_color_stats SET lots = g.n, quantity = g.q
               FROM (SELECT color_id AS c, count(*) AS n, sum(quantity_total) AS q
                       FROM inventory_items WHERE user_id = @u GROUP BY color_id) AS g
              WHERE inventory_color_stats.user_id = @u AND inventory_color_stats.color_id = g.c`,
          )
          .run(u);
        sqlite.exec(ftsAd!);
        sqlite.exec(statsAd!);
      }
      const setCols = cols.filter((c) => c !== 'id');
      const changed = sqlite
        .prepare(
          `UPDATE inventory_items SET ${setCols.map((c) => `${c} = json_extract(h.${target}, '$.${c}')`).join(', ')}
           FROM (SELECT lot_id, ${target} FROM history_rows WHERE op_id = ? AND ${target} IS NOT NULL) AS h
          WHERE inventory_items.id = h.lot_id`,
        )
        .run(op.id).changes;
      const back = sqlite
        .prepare(
          `INSERT INTO inventory_items (${cols.join(', ')})
         SELECT ${cols.map((c) => `json_extract(h.${target}, '$.${c}')`).join(', ')}
           FROM history_rows h WHERE h.op_id = ? AND h.${target} IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM inventory_items i WHERE i.id = h.lot_id)`,
        )
        .run(op.id).changes;
      for (const t of ['set_builds', 'set_build_takes']) {
        const bc = buildCols[t]!;
        const src = `(SELECT row_id, ${target} AS img FROM history_build_rows WHERE op_id = ? AND tbl = '${t}' AND ${target} IS NOT NULL)`;
        sqlite
          .prepare(
            `UPDATE ${t} SET ${bc
              .filter((c) => c !== 'id')
              .map((c) => `${c} = json_extract(h.img, '$.${c}')`)
              .join(', ')}
             FROM ${src} AS h WHERE ${t}.id = h.row_id`,
          )
          .run(op.id);
        sqlite
          .prepare(
            `INSERT INTO ${t} (${bc.join(', ')}) SELECT ${bc.map((c) => `json_extract(h.img, '$.${c}')`).join(', ')}
             FROM ${src} AS h WHERE NOT EXISTS (SELECT 1 FROM ${t} x WHERE x.id = h.row_id)`,
          )
          .run(op.id);
      }
      // A totals row keeps the name of the lot that made it: a row the step removed and made again
      // gets back the name it had on the side now entered (unchanged rows: the names they had).
      const renameFrom = (src: string, params: Record<string, unknown>) =>
        sqlite
          .prepare(
            `UPDATE inventory_location_stats SET storage_location = n.storage_location
             FROM (SELECT user_id, location_key, storage_location FROM ${src}) AS n
            WHERE inventory_location_stats.user_id = n.user_id AND inventory_location_stats.location_key = n.location_key
              AND inventory_location_stats.storage_location IS NOT n.storage_location`,
          )
          .run(params);
      if (undo) renameFrom('temp.history_step_names', {});
      renameFrom(`history_names WHERE op_id = @op AND side = @side`, { op: op.id, side: undo ? 'before' : 'after' });
      // The owner had no totals row before the operation (its first lot): leave none after undo.
      if (undo && op.statsRow === 0) {
        sqlite.prepare('DELETE FROM inventory_stats WHERE user_id = ? AND lots = 0').run(op.ownerId);
      }
      sqlite
        .prepare(`UPDATE history_ops SET state = ?, undone_at = ? WHERE id = ?`)
        .run(undo ? 'undone' : 'done', undo ? p.now : null, op.id);
      return { opId: op.id, label: op.label, ownerId: op.ownerId, lots: gone + changed + back, bulk };
    })
    .immediate();
}

/** The failure stepCore reported, if it was one of its own. */
export function historyFailure(e: unknown): { code: string; message: string } | null {
  const f = (e as { historyFailure?: { code: string; message: string } } | null)?.historyFailure;
  return f && typeof f.code === 'string' ? f : null;
}
