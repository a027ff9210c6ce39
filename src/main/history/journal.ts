// Recording operations on the connection that answers calls. `record(meta, fn)` runs a write
// in one transaction with its journal entry: TEMP triggers on inventory_items (this connection
// only) keep each touched lot's first before-image while an operation is open (and the name of
// each location totals row the operation removes, see history_names; and the first image of each
// Sets build row it touches, see history_build_rows), and the end of
// the operation adds the after-images, names it, drops the redo branch and applies the bounds.
// Any write path wrapped in `record` is journaled whole, whatever SQL it runs (the import, which
// writes on its worker's connection, records its own entry, see transfer/importing/apply.ts).
import type { DbHandle } from '../db/open';
import { BUILD_TABLES, buildImageSql, finishOp, imageSql, sweepDropped, type Bounds } from './core';

export interface OperationMeta<T> {
  /** The inventory whose lots change. */
  ownerId: number;
  /**
   * From the write's result: its kind (add, edit, move, delete, merge, fill-names, part-out, …)
   * and its name as users see it ("Edit 3001 Red: total 12 → 20").
   */
  describe: (result: T) => { kind: string; label: string };
}

export interface Journal {
  /** Runs `fn` in one transaction recorded as one operation (nothing is recorded if it changed no lot). */
  record<T>(meta: OperationMeta<T>, fn: () => T): T;
  /** Adds an operation that cannot be undone and stops undo from going past it (a restore). */
  mark(kind: string, label: string, ownerId: number): void;
  /** The id of the operation just recorded by record() (undefined if it changed nothing). */
  lastOpId(): number | undefined;
}

const SWEEP_ROWS = 2000;

export function createJournal(deps: {
  db: DbHandle;
  now: () => number;
  actor: () => number;
  bounds: () => Bounds;
  /** Called once a recorded operation committed with dropped rows left to sweep. */
  onDropped?: () => void;
}): Journal {
  const { db } = deps;
  const sqlite = db.sqlite;
  let installed = false;
  let last: number | undefined;

  function install(): void {
    if (installed) return;
    installed = true;
    const op = '(SELECT op FROM temp.history_current)';
    sqlite.exec(`
      CREATE TEMP TABLE IF NOT EXISTS history_current (op INTEGER NOT NULL);
      CREATE TEMP TRIGGER IF NOT EXISTS history_rec_ai AFTER INSERT ON main.inventory_items
      WHEN ${op} IS NOT NULL BEGIN
        INSERT OR IGNORE INTO history_rows (op_id, lot_id, before) VALUES (${op}, new.id, NULL);
      END;
      CREATE TEMP TRIGGER IF NOT EXISTS history_rec_au AFTER UPDATE ON main.inventory_items
      WHEN ${op} IS NOT NULL BEGIN
        INSERT OR IGNORE INTO history_rows (op_id, lot_id, before) VALUES (${op}, old.id, ${imageSql('old')});
      END;
      CREATE TEMP TRIGGER IF NOT EXISTS history_rec_names AFTER DELETE ON main.inventory_location_stats
      WHEN ${op} IS NOT NULL BEGIN
        INSERT OR IGNORE INTO history_names (op_id, side, user_id, location_key, storage_location)
        VALUES (${op}, 'before', old.user_id, old.location_key, old.storage_location);
      END;
      CREATE TEMP TRIGGER IF NOT EXISTS history_rec_ad AFTER DELETE ON main.inventory_items
      WHEN ${op} IS NOT NULL BEGIN
        INSERT OR IGNORE INTO history_rows (op_id, lot_id, before) VALUES (${op}, old.id, ${imageSql('old')});
      END;
    `);
    // The Sets builds' rows (mark built, take apart, and a lot's deletion clearing a take's lot).
    for (const t of Object.keys(BUILD_TABLES) as (keyof typeof BUILD_TABLES)[]) {
      const rec = (when: string, row: 'new' | 'old', before: string) => `
        CREATE TEMP TRIGGER IF NOT EXISTS history_rec_${t}_${when} AFTER ${when === 'ai' ? 'INSERT' : when === 'au' ? 'UPDATE' : 'DELETE'}
        ON main.${t} WHEN ${op} IS NOT NULL BEGIN
          INSERT OR IGNORE INTO history_build_rows (op_id, tbl, row_id, before) VALUES (${op}, '${t}', ${row}.id, ${before});
        END;`;
      sqlite.exec(
        rec('ai', 'new', 'NULL') + rec('au', 'old', buildImageSql(t, 'old')) + rec('ad', 'old', buildImageSql(t, 'old')),
      );
    }
  }

  function open(kind: string, ownerId: number, state: 'done' | 'mark'): number {
    const statsRow = db.stmt('SELECT count(*) FROM inventory_stats WHERE user_id = ?').pluck().get(ownerId) as number;
    const info = db
      .stmt(
        `INSERT INTO history_ops (owner_id, actor_id, kind, label, created_at, state, stats_row)
         VALUES (?, ?, ?, '', ?, ?, ?)`,
      )
      .run(ownerId, deps.actor(), kind, deps.now(), state, statsRow);
    return Number(info.lastInsertRowid);
  }

  function record<T>(meta: OperationMeta<T>, fn: () => T): T {
    install();
    // Nested recording (a write calling another write): the outer operation holds it all.
    if (sqlite.inTransaction && db.stmt('SELECT count(*) FROM temp.history_current').pluck().get()) return fn();
    let dropped = false;
    const result = sqlite.transaction((): T => {
      const opId = open('', meta.ownerId, 'done');
      db.stmt('INSERT INTO temp.history_current (op) VALUES (?)').run(opId);
      let out: T;
      try {
        out = fn();
      } finally {
        db.stmt('DELETE FROM temp.history_current').run();
      }
      db.stmt(
        `UPDATE history_rows SET after = (SELECT ${imageSql('i')} FROM inventory_items i WHERE i.id = history_rows.lot_id)
          WHERE op_id = ?`,
      ).run(opId);
      for (const t of Object.keys(BUILD_TABLES) as (keyof typeof BUILD_TABLES)[]) {
        db.stmt(
          `UPDATE history_build_rows SET after = (SELECT ${buildImageSql(t, 'x')} FROM ${t} x WHERE x.id = history_build_rows.row_id)
            WHERE op_id = ? AND tbl = '${t}'`,
        ).run(opId);
      }
      const kept = finishOp(sqlite, opId, deps.bounds(), deps.now(), 0);
      last = kept ? opId : undefined;
      if (kept) {
        const d = meta.describe(out);
        db.stmt('UPDATE history_ops SET kind = ?, label = ? WHERE id = ?').run(d.kind, d.label.slice(0, 300), opId);
      }
      // A bounded sweep here; what is left (a big dropped import) is swept off the call path.
      dropped = kept && sweepDropped(sqlite, SWEEP_ROWS) >= SWEEP_ROWS;
      return out;
    })();
    if (dropped) deps.onDropped?.();
    return result;
  }

  function mark(kind: string, label: string, ownerId: number): void {
    sqlite.transaction(() => {
      const opId = open(kind, ownerId, 'mark');
      db.stmt('UPDATE history_ops SET label = ?, lots = 0 WHERE id = ?').run(label.slice(0, 300), opId);
      // Nothing before a mark can be redone either.
      db.stmt(`UPDATE history_ops SET state = 'dropped' WHERE state = 'undone'`).run();
    })();
  }

  return { record, mark, lastOpId: () => last };
}
