// The Sets feature's writes. Each is ONE function running ONE transaction on the connection it is
// given, with everything it needs read before or inside it, so it can be wrapped (an undo
// journal, a test) without knowing how the list was read: part out, mark as built, take apart.
// A failure anywhere inside throws and SQLite rolls the whole change back.
import type { BuildRecord, BuildTake, ListLabel, ListLine, ResolvedBuildOptions } from '../../shared/contract';
import { LIMITS } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { DbHandle } from '../db/open';
import { matchList, type LotRow } from './match';
import type { Canon } from './variants';

const FIND_LOT = `SELECT id, quantity_total AS total FROM inventory_items INDEXED BY inventory_items_user_part_color_location_uq
  WHERE user_id = ? AND part_id = ? AND color_id = ? AND storage_location = ?`;

export interface PartOutCounts {
  created: number;
  merged: number;
  pieces: number;
}

/**
 * Adds `lines` (quantities already multiplied) to `location` in `ownerId`'s inventory: a lot of
 * the same part, colour and location grows, otherwise a new lot is made with the catalogue's
 * name. One transaction: a quantity over the limit or a colour the database does not have
 * changes nothing.
 */
export function partOut(
  db: DbHandle,
  a: { ownerId: number; lines: readonly ListLine[]; location: string; now: number },
): PartOutCounts {
  return db.sqlite.transaction((): PartOutCounts => {
    const counts: PartOutCounts = { created: 0, merged: 0, pieces: 0 };
    for (const l of a.lines) {
      const color = db.stmt('SELECT name FROM colors WHERE id = ?').get(l.colorId) as { name: string } | undefined;
      if (!color)
        throw new AppError(
          'invalid-input',
          `Colour ${l.colorId} of part ${l.partId} is not in the colour list; nothing was added.`,
        );
      const cur = db.stmt(FIND_LOT).get(a.ownerId, l.partId, l.colorId, a.location) as { id: number; total: number } | undefined;
      const total = (cur?.total ?? 0) + l.quantity;
      if (total > LIMITS.quantity) {
        throw new AppError(
          'invalid-input',
          `${l.partId} in ${color.name} at “${a.location}” would exceed ${LIMITS.quantity}; nothing was added.`,
        );
      }
      if (cur) {
        db.stmt('UPDATE inventory_items SET quantity_total = ?, updated_at = ? WHERE id = ?').run(total, a.now, cur.id);
        counts.merged++;
      } else {
        const name =
          (db.stmt('SELECT name FROM parts WHERE part_num = ?').get(l.partId) as { name: string } | undefined)?.name ?? '';
        db.stmt(
          `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
             storage_location, notes, image_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, '', NULL, ?, ?)`,
        ).run(a.ownerId, l.partId, l.colorId, color.name, name.slice(0, LIMITS.name), l.quantity, a.location, a.now, a.now);
        counts.created++;
      }
      counts.pieces += l.quantity;
    }
    return counts;
  })();
}

export interface MarkBuiltArgs {
  ownerId: number;
  lines: readonly ListLine[];
  source: ListLabel;
  listKey: string;
  quantity: number;
  options: ResolvedBuildOptions;
  canon: Canon;
  /** The owner's lots that can serve the lines (read inside the transaction). */
  lots: () => LotRow[];
  now: number;
}

/**
 * Moves each line's pieces into `used` on the lots the pick list chooses (free pieces only:
 * total − used) and records what came from which lot. Refuses with the shortfall (`conflict`,
 * details.missing) when any piece is missing; then nothing changes.
 */
export function markBuilt(db: DbHandle, a: MarkBuiltArgs): BuildRecord {
  return db.sqlite.transaction((): BuildRecord => {
    const m = matchList(a.lines, a.lots(), a.canon, { countUsed: false, ignoreColor: a.options.ignoreColor });
    if (m.missing.length) {
      const short = m.missing.reduce((n, l) => n + l.missing, 0);
      const first = m.missing
        .slice(0, 5)
        .map((l) => `${l.partId} in ${l.colorName} (need ${l.need}, have ${l.have})`)
        .join(', ');
      throw new AppError(
        'conflict',
        `Not built: ${short} piece${short === 1 ? ' is' : 's are'} missing in ${m.missing.length} line${m.missing.length === 1 ? '' : 's'}: ${first}${m.missing.length > 5 ? ', …' : ''}. Nothing was changed.`,
        { details: { missing: m.missing, needed: m.needed, owned: m.owned } },
      );
    }
    const perLot = new Map<number, number>();
    for (const t of m.pick) perLot.set(t.lotId, (perLot.get(t.lotId) ?? 0) + t.take);
    const build = db
      .stmt(
        `INSERT INTO set_builds (user_id, source_kind, source_id, source_name, source_format, list_key, quantity, options, pieces, built_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.ownerId,
        a.source.kind,
        a.source.id,
        a.source.name,
        a.source.format,
        a.listKey,
        a.quantity,
        JSON.stringify(a.options),
        m.needed,
        a.now,
      );
    const buildId = Number(build.lastInsertRowid);
    for (const [lotId, take] of perLot) {
      const lot = db
        .stmt(
          'SELECT part_id AS partId, color_id AS colorId, storage_location AS location, updated_at AS updatedAt FROM inventory_items WHERE id = ? AND user_id = ?',
        )
        .get(lotId, a.ownerId) as { partId: string; colorId: number; location: string; updatedAt: number } | undefined;
      if (!lot) throw new AppError('conflict', `Lot ${lotId} changed while the build was recorded; nothing was changed.`);
      const after = Math.max(a.now, lot.updatedAt + 1);
      const r = db
        .stmt(
          `UPDATE inventory_items SET quantity_used = quantity_used + ?, updated_at = ?
            WHERE id = ? AND quantity_total - quantity_used >= ?`,
        )
        .run(take, after, lotId, take);
      if (r.changes !== 1) throw new AppError('conflict', `Lot ${lotId} no longer has ${take} free pieces; nothing was changed.`);
      db.stmt(
        `INSERT INTO set_build_takes (build_id, lot_id, part_id, color_id, location, quantity, updated_before, updated_after)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(buildId, lotId, lot.partId, lot.colorId, lot.location, take, lot.updatedAt, after);
    }
    return buildRecord(db, buildId)!;
  })();
}

/**
 * Moves exactly what build `buildId` took back out of `used`, lot by lot, and forgets the build.
 * A lot left as the build left it gets its former `updated_at` back, so taking apart gives the
 * exact rows back. Refuses (`conflict`, naming the lot) when a lot is gone or has fewer pieces
 * in use than the build took; then nothing changes.
 */
export function takeApart(
  db: DbHandle,
  a: { ownerId: number; buildId: number; now: number },
): { build: BuildRecord; pieces: number } {
  return db.sqlite.transaction(() => {
    const build = buildRecord(db, a.buildId);
    if (!build || build.ownerId !== a.ownerId) throw new AppError('not-found', `Build ${a.buildId} does not exist.`);
    const takes = db
      .stmt(
        'SELECT lot_id AS lotId, part_id AS partId, color_id AS colorId, location, quantity, updated_before AS before, updated_after AS after FROM set_build_takes WHERE build_id = ? ORDER BY id',
      )
      .all(a.buildId) as {
      lotId: number | null;
      partId: string;
      colorId: number;
      location: string;
      quantity: number;
      before: number;
      after: number;
    }[];
    let pieces = 0;
    for (const t of takes) {
      const where = `${t.partId} in colour ${t.colorId} at “${t.location || 'no location'}”`;
      const lot =
        t.lotId === null
          ? undefined
          : (db
              .stmt('SELECT quantity_used AS used, updated_at AS updatedAt, user_id AS ownerId FROM inventory_items WHERE id = ?')
              .get(t.lotId) as { used: number; updatedAt: number; ownerId: number } | undefined);
      if (!lot || lot.ownerId !== a.ownerId) {
        throw new AppError(
          'conflict',
          `Cannot take ${build.source.name} apart: the lot of ${where} it took ${t.quantity} from is gone. Nothing was changed.`,
          {
            details: { lotId: t.lotId },
          },
        );
      }
      if (lot.used < t.quantity) {
        throw new AppError(
          'conflict',
          `Cannot take ${build.source.name} apart: the lot of ${where} has ${lot.used} in use, the build took ${t.quantity}. Nothing was changed.`,
          { details: { lotId: t.lotId } },
        );
      }
      const updated = lot.updatedAt === t.after ? t.before : Math.max(a.now, lot.updatedAt + 1);
      db.stmt('UPDATE inventory_items SET quantity_used = quantity_used - ?, updated_at = ? WHERE id = ?').run(
        t.quantity,
        updated,
        t.lotId,
      );
      pieces += t.quantity;
    }
    db.stmt('DELETE FROM set_builds WHERE id = ?').run(a.buildId);
    return { build, pieces };
  })();
}

interface BuildRow {
  id: number;
  ownerId: number;
  kind: 'set' | 'file';
  sourceId: string;
  sourceName: string;
  format: string | null;
  quantity: number;
  options: string;
  pieces: number;
  builtAt: number;
}

const BUILD_COLUMNS = `id, user_id AS ownerId, source_kind AS kind, source_id AS sourceId, source_name AS sourceName,
  source_format AS format, quantity, options, pieces, built_at AS builtAt`;

function toRecord(db: DbHandle, r: BuildRow): BuildRecord {
  const takes = db
    .stmt(
      'SELECT lot_id AS lotId, part_id AS partId, color_id AS colorId, location, quantity FROM set_build_takes WHERE build_id = ? ORDER BY id',
    )
    .all(r.id) as (Omit<BuildTake, 'lotId'> & { lotId: number | null })[];
  return {
    id: r.id,
    ownerId: r.ownerId,
    source: { kind: r.kind, id: r.sourceId, name: r.sourceName, format: r.format as ListLabel['format'] },
    quantity: r.quantity,
    options: JSON.parse(r.options) as ResolvedBuildOptions,
    pieces: r.pieces,
    builtAt: r.builtAt,
    takes: takes.map((t) => ({ ...t, lotId: t.lotId ?? 0 })),
  };
}

export function buildRecord(db: DbHandle, id: number): BuildRecord | null {
  const r = db.stmt(`SELECT ${BUILD_COLUMNS} FROM set_builds WHERE id = ?`).get(id) as BuildRow | undefined;
  return r ? toRecord(db, r) : null;
}

export function buildsOf(db: DbHandle, ownerId: number): BuildRecord[] {
  const rows = db
    .stmt(`SELECT ${BUILD_COLUMNS} FROM set_builds WHERE user_id = ? ORDER BY built_at DESC, id DESC`)
    .all(ownerId) as BuildRow[];
  return rows.map((r) => toRecord(db, r));
}

/**
 * The newest build of a list: a set by number; a file by its summed lines, else the newest build
 * of a file of that name (a list built with other options sums to other lines).
 */
export function latestBuildOf(
  db: DbHandle,
  ownerId: number,
  source: { kind: 'set' | 'file'; id: string; listKey: string },
): number | null {
  const row = (
    source.kind === 'set'
      ? db
          .stmt(
            `SELECT id FROM set_builds WHERE user_id = ? AND source_kind = 'set' AND source_id = ? ORDER BY built_at DESC, id DESC LIMIT 1`,
          )
          .get(ownerId, source.id)
      : db
          .stmt(
            `SELECT id FROM set_builds WHERE user_id = ? AND source_kind = 'file' AND (list_key = ? OR source_id = ?)
              ORDER BY list_key = ? DESC, built_at DESC, id DESC LIMIT 1`,
          )
          .get(ownerId, source.listKey, source.id, source.listKey)
  ) as { id: number } | undefined;
  return row?.id ?? null;
}
