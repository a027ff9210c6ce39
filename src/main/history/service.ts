// Undo, redo and the history of lots, over the operation journal (migration 0006: history_ops,
// history_rows). Undo takes the acting profile's last operation in effect, redo its last undone
// one; a new change by anyone drops every undone operation (the redo branch). Small operations
// are stepped in-process; one of more than WORKER_MIN_LOTS lots (an import) in a worker on its
// own connection while the gate keeps other writers out, as an import's apply does.
import type {
  DeletedLot,
  HistorySettings,
  HistoryState,
  LotChange,
  LotHistoryEntry,
  LotImage,
  Operation,
} from '../../shared/contract';
import { AppError, type ErrorCode } from '../../shared/errors';
import type { DbHandle } from '../db/open';
import type { Events } from '../events';
import type { Logger } from '../log';
import type { AccessCheck } from '../profiles/service';
import type { Gate } from '../transfer/service';
import { historyFailure, imageSql, stepCore, sweepDropped, type Bounds, type StepResult } from './core';
import { runStepWorker } from './worker';

/** Operations touching more lots than this are undone and redone in a worker. */
export const WORKER_MIN_LOTS = 5000;

export interface HistoryDeps {
  db: () => DbHandle;
  now: () => number;
  access: AccessCheck;
  /** The acting profile's id. */
  actor: () => number;
  events: Events;
  gate: Gate;
  log: Logger;
  /** Called after a worker committed (the other connection changed the data): clear caches. */
  afterWorker?: (ownerId: number) => void;
  nativeBinding?: string | undefined;
  workerMinLots?: number;
  /** The delete triggers as the migrations make them (a big undo sets them aside, see core.ts). */
  deleteTriggers?: { fts: string | null; stats: string | null };
}

const OP_COLUMNS = `o.id, o.kind, o.label, o.created_at AS createdAt, o.state, o.owner_id AS ownerId,
  o.actor_id AS actorId, (SELECT u.name FROM users u WHERE u.id = o.actor_id) AS actorName, o.lots`;

type RawImage = Record<string, string | number | null>;
const FIELD_NAMES: [keyof LotImage, string][] = [
  ['partId', 'part_id'],
  ['colorId', 'color_id'],
  ['colorName', 'color_name'],
  ['name', 'name'],
  ['quantityTotal', 'quantity_total'],
  ['quantityUsed', 'quantity_used'],
  ['storageLocation', 'storage_location'],
  ['notes', 'notes'],
  ['imageUrl', 'image_url'],
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
  ['userId', 'user_id'],
  ['id', 'id'],
];

export function toImage(json: string | null): LotImage | null {
  if (json === null) return null;
  const raw = JSON.parse(json) as RawImage;
  const out: Record<string, unknown> = {};
  for (const [k, c] of FIELD_NAMES) out[k] = raw[c] ?? (k === 'imageUrl' ? null : raw[c]);
  return out as unknown as LotImage;
}

/** The fields users care about that differ between two images, old → new. */
export function diffImages(before: LotImage | null, after: LotImage | null): LotChange[] {
  if (!before || !after) return [];
  const shown: [keyof LotImage, string][] = [
    ['partId', 'part'],
    ['colorName', 'colour'],
    ['quantityTotal', 'total'],
    ['quantityUsed', 'used'],
    ['storageLocation', 'location'],
    ['name', 'name'],
    ['notes', 'notes'],
    ['imageUrl', 'image'],
  ];
  const out: LotChange[] = [];
  for (const [k, label] of shown) {
    if (before[k] !== after[k]) out.push({ field: label, old: before[k], new: after[k] });
  }
  return out;
}

export function createHistoryService(deps: HistoryDeps) {
  const workerMin = deps.workerMinLots ?? WORKER_MIN_LOTS;
  let sweeping: ReturnType<typeof setTimeout> | null = null;
  let lastStep: { lots: number; bulk: boolean; worker: boolean } | null = null;

  function bounds(): Bounds {
    const row = deps.db().stmt('SELECT max_ops AS maxOps, max_days AS maxDays FROM history_config WHERE id = 1').get() as
      Bounds | undefined;
    return row ?? { maxOps: 1000, maxDays: 90 };
  }

  function settings(): HistorySettings {
    return bounds();
  }

  function configure(patch: Partial<HistorySettings>): HistorySettings {
    const db = deps.db();
    const cur = bounds();
    db.stmt('INSERT OR REPLACE INTO history_config (id, max_ops, max_days) VALUES (1, ?, ?)').run(
      patch.maxOps ?? cur.maxOps,
      patch.maxDays ?? cur.maxDays,
    );
    return bounds();
  }

  /** Sweeps the rows of dropped operations a bounded chunk at a time, off the call path. */
  function scheduleSweep(): void {
    if (sweeping) return;
    const step = () => {
      sweeping = null;
      if (deps.gate.holder) return void (sweeping = setTimeout(step, 200).unref?.() ?? null);
      try {
        const db = deps.db();
        if (db.sqlite.readonly || !db.sqlite.open) return;
        if (db.sqlite.transaction(() => sweepDropped(db.sqlite, 2000))() >= 2000) sweeping = setTimeout(step, 20);
        sweeping?.unref?.();
      } catch (e) {
        deps.log.warn('could not sweep the history', e);
      }
    };
    sweeping = setTimeout(step, 20);
    sweeping.unref?.();
  }

  function op(id: number): Operation | undefined {
    return deps.db().stmt(`SELECT ${OP_COLUMNS} FROM history_ops o WHERE o.id = ?`).get(id) as Operation | undefined;
  }

  function nextUndo(): Operation | null {
    const row = deps
      .db()
      .stmt(
        `SELECT ${OP_COLUMNS} FROM history_ops o INDEXED BY history_ops_actor_idx
          WHERE o.actor_id = ? AND o.state = 'done' ORDER BY o.id DESC LIMIT 1`,
      )
      .get(deps.actor()) as Operation | undefined;
    return row ?? null;
  }

  function nextRedo(): Operation | null {
    const row = deps
      .db()
      .stmt(
        `SELECT ${OP_COLUMNS} FROM history_ops o INDEXED BY history_ops_actor_idx
          WHERE o.actor_id = ? AND o.state = 'undone' ORDER BY o.id ASC LIMIT 1`,
      )
      .get(deps.actor()) as Operation | undefined;
    return row ?? null;
  }

  function state(): HistoryState {
    return { undo: nextUndo(), redo: nextRedo() };
  }

  async function stepOne(target: Operation, direction: 'undo' | 'redo'): Promise<StepResult> {
    const may = deps.access(target.ownerId);
    if (!may.canEdit) throw new AppError('forbidden', 'You may not change lots in this inventory.');
    const db = deps.db();
    const params = { opId: target.id, direction, now: deps.now(), deleteTriggers: deps.deleteTriggers };
    if (target.lots <= workerMin) {
      try {
        const r = stepCore(db.sqlite, params);
        lastStep = { lots: r.lots, bulk: r.bulk, worker: false };
        return r;
      } catch (e) {
        const f = historyFailure(e);
        throw f ? new AppError(f.code as ErrorCode, f.message) : e;
      }
    }
    if (deps.gate.holder) throw new AppError('busy', 'Another import or undo is running. Try again when it has finished.');
    const holder = `history-${target.id}`;
    deps.gate.holder = holder;
    const timeout = db.sqlite.pragma('busy_timeout', { simple: true }) as number;
    db.sqlite.pragma('busy_timeout = 0');
    try {
      const r = await runStepWorker({ file: db.file, params, nativeBinding: deps.nativeBinding });
      lastStep = { lots: r.lots, bulk: r.bulk, worker: true };
      deps.afterWorker?.(r.ownerId);
      return r;
    } finally {
      if (db.sqlite.open) db.sqlite.pragma(`busy_timeout = ${Number(timeout)}`);
      if (deps.gate.holder === holder) deps.gate.holder = null;
    }
  }

  async function step(direction: 'undo' | 'redo', steps = 1): Promise<{ done: Operation[]; state: HistoryState }> {
    const done: Operation[] = [];
    for (let i = 0; i < steps; i++) {
      const target = direction === 'undo' ? nextUndo() : nextRedo();
      if (!target) {
        if (i === 0) {
          throw new AppError('not-found', direction === 'undo' ? 'There is nothing to undo.' : 'There is nothing to redo.');
        }
        break;
      }
      try {
        const r = await stepOne(target, direction);
        done.push({ ...target, state: direction === 'undo' ? 'undone' : 'done' });
        deps.events.emit('data.changed', { ownerId: r.ownerId, reason: direction });
      } catch (e) {
        // Steps already made stay made (each is whole); say how far it got.
        if (i > 0 && e instanceof AppError) {
          throw new AppError(
            e.code,
            `${e.message} (${i} of ${steps} steps were ${direction === 'undo' ? 'undone' : 'redone'}.)`,
            {
              details: { done },
            },
          );
        }
        throw e;
      }
    }
    return { done, state: state() };
  }

  function list(ownerId: number | undefined, limit = 100, before?: number): Operation[] {
    const owner = deps.access(ownerId).ownerId;
    return deps
      .db()
      .stmt(
        `SELECT ${OP_COLUMNS} FROM history_ops o INDEXED BY history_ops_owner_idx
          WHERE o.owner_id = @owner AND o.state <> 'dropped' AND o.id < @before ORDER BY o.id DESC LIMIT @limit`,
      )
      .all({ owner, before: before ?? Number.MAX_SAFE_INTEGER, limit }) as Operation[];
  }

  /**
   * A lot's history, newest first; the lot may be deleted (its last owner's access decides).
   * SQLite may give a new lot the id of a deleted one, so an id can have held several lots: the
   * history is that of the lot made by the latest creation in effect (up to operation `until`
   * when given: the lot a deletion of history.deleted removed), never an earlier lot's changes.
   */
  function lot(id: number, limit = 200, until?: number): LotHistoryEntry[] {
    const db = deps.db();
    const end = until ?? Number.MAX_SAFE_INTEGER;
    const start =
      (db
        .stmt(
          `SELECT max(op) FROM (
             SELECT r.op_id AS op FROM history_rows r JOIN history_ops o ON o.id = r.op_id
              WHERE r.lot_id = @id AND r.before IS NULL AND o.state = 'done' AND r.op_id <= @end
             UNION ALL
             SELECT o.id FROM history_ops o
              WHERE o.batch_lo <= @id AND o.batch_hi >= @id AND o.state = 'done' AND o.id <= @end
                AND NOT EXISTS (SELECT 1 FROM history_rows r WHERE r.op_id = o.id AND r.lot_id = @id AND r.before IS NOT NULL))`,
        )
        .pluck()
        .get({ id, end }) as number | null) ?? 0;
    const rows = db
      .stmt(
        `SELECT ${OP_COLUMNS}, r.before, r.after, o.after_kept AS afterKept FROM history_rows r
           JOIN history_ops o ON o.id = r.op_id
          WHERE r.lot_id = @id AND o.state <> 'dropped' AND r.op_id BETWEEN @start AND @end
         UNION ALL
         SELECT ${OP_COLUMNS}, NULL, NULL, o.after_kept FROM history_ops o
          WHERE o.batch_lo <= @id AND o.batch_hi >= @id AND o.after_kept = 0 AND o.state <> 'dropped'
            AND o.id BETWEEN @start AND @end
         ORDER BY 1`,
      )
      .all({ id, start, end }) as (Operation & { before: string | null; after: string | null; afterKept: number })[];
    if (!rows.length) {
      const cur = db.stmt('SELECT user_id FROM inventory_items WHERE id = ?').pluck().get(id) as number | undefined;
      if (cur === undefined) throw new AppError('not-found', `lot ${id} has no history`);
      deps.access(cur);
      return [];
    }
    // The lot as it is now, unless the history asked for ends before it (an earlier lot of the id).
    const current =
      until !== undefined && rows.at(-1)?.after === null
        ? undefined
        : (db
            .stmt(`SELECT ${imageSql('i')} FROM inventory_items i WHERE i.id = ?`)
            .pluck()
            .get(id) as string | undefined);
    const first = toImage(rows[0]!.after ?? rows[0]!.before ?? current ?? null);
    deps.access(first?.userId ?? rows[0]!.ownerId);
    const out: LotHistoryEntry[] = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const { before: b, after: a, afterKept, ...op } = r;
      // An import not yet undone keeps no after-images: the next step's before, or the lot now.
      let after: string | null = a;
      if (afterKept === 0 && op.state === 'done') {
        const next = rows.slice(i + 1).find((n) => n.state === 'done');
        after = next ? (next.before ?? null) : (current ?? null);
      }
      const before = toImage(b);
      const afterImg = toImage(after);
      out.push({
        op,
        change: before === null ? 'created' : afterImg === null ? 'deleted' : 'changed',
        before,
        after: afterImg,
        changes: diffImages(before, afterImg),
      });
    }
    return out.reverse().slice(0, limit);
  }

  /**
   * Lots deleted by an operation in effect (so not back: undoing the deletion makes it undone),
   * newest first; a new lot that got the same id does not hide the deleted one.
   */
  function deleted(ownerId: number | undefined, search = '', limit = 100): DeletedLot[] {
    const owner = deps.access(ownerId).ownerId;
    const words = search.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
    const rows = deps
      .db()
      .stmt(
        `SELECT ${OP_COLUMNS}, r.before FROM history_ops o INDEXED BY history_ops_owner_idx
           JOIN history_rows r ON r.op_id = o.id
          WHERE o.owner_id = ? AND o.state = 'done' AND o.after_kept = 1 AND r.after IS NULL AND r.before IS NOT NULL
          ORDER BY o.id DESC LIMIT 5000`,
      )
      .all(owner) as (Operation & { before: string })[];
    const out: DeletedLot[] = [];
    for (const { before, ...op } of rows) {
      const lot = toImage(before)!;
      const hay = `${lot.partId} ${lot.name} ${lot.colorName} ${lot.storageLocation}`.toLowerCase();
      if (words.every((w) => hay.includes(w))) out.push({ lot, op });
      if (out.length >= limit) break;
    }
    return out;
  }

  return {
    state,
    undo: (steps?: number) => step('undo', steps),
    redo: (steps?: number) => step('redo', steps),
    list,
    lot,
    deleted,
    op,
    bounds,
    settings,
    configure,
    scheduleSweep,
    /** How the last undo or redo ran (for tests and the benchmark). */
    lastStep: () => lastStep,
    close(): void {
      if (sweeping) clearTimeout(sweeping);
      sweeping = null;
    },
  };
}

export type HistoryService = ReturnType<typeof createHistoryService>;
