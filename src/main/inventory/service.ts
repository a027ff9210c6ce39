// Inventory lots: create (with duplicate handling), read, update, delete (+ undo), list with
// search/filter/sort/keyset paging, "where is this part?", locations and the dashboard summary.
// Hot, fixed-shape queries run as cached prepared statements on the one connection.
import type { DbHandle } from '../db/open';
import { AppError, type FieldError } from '../../shared/errors';
import type {
  Color,
  CreateOutcome,
  ListPage,
  Lot,
  LotInput,
  Placement,
  SortDir,
  SortKey,
  Summary,
} from '../../shared/types';
import type { ListQuery } from '../../shared/contract';
import { LIMITS } from '../../shared/contract';
import type { Access } from '../profiles/service';
import {
  LOT_COLUMNS,
  countSql,
  decodeCursor,
  encodeCursor,
  listSql,
  parseSearch,
  sortValue,
} from './query';

export interface InventoryDeps {
  db: DbHandle;
  now: () => number;
  onChanged?: (ownerId: number, reason: string) => void;
}

export type LotPatch = Partial<Omit<LotInput, 'quantityTotal'>> & { quantityTotal?: number };

const SELECT_BY_ID = `SELECT ${LOT_COLUMNS} FROM inventory_items WHERE id = ?`;
const SELECT_DUP = `SELECT ${LOT_COLUMNS} FROM inventory_items
  WHERE user_id = ? AND part_id = ? AND color_id = ? AND storage_location = ?`;
const SELECT_PLACEMENTS = `SELECT id AS lotId, storage_location AS storageLocation,
  quantity_total AS quantityTotal, quantity_total - quantity_used AS quantityAvailable
  FROM inventory_items WHERE user_id = ? AND part_id = ? AND color_id = ?
  ORDER BY storage_location COLLATE NOCASE, id`;
const SELECT_PLACEMENTS_ANY_COLOR = `SELECT id AS lotId, storage_location AS storageLocation,
  quantity_total AS quantityTotal, quantity_total - quantity_used AS quantityAvailable
  FROM inventory_items WHERE user_id = ? AND part_id = ?
  ORDER BY storage_location COLLATE NOCASE, id`;
const INSERT_LOT = `INSERT INTO inventory_items (id, user_id, part_id, color_id, color_name, name,
  quantity_total, quantity_used, storage_location, notes, image_url, created_at, updated_at)
  VALUES (@id, @ownerId, @partId, @colorId, @colorName, @name, @quantityTotal, @quantityUsed,
  @storageLocation, @notes, @imageUrl, @createdAt, @updatedAt)`;
const CATALOG_NAME = 'SELECT name FROM parts WHERE part_num = ?';

export function createInventoryService({ db, now, onChanged }: InventoryDeps) {
  let colorMap: Map<number, Color> | null = null;

  function colors(): Map<number, Color> {
    if (!colorMap) {
      const rows = db.stmt('SELECT id, name, rgb, is_trans AS isTrans FROM colors ORDER BY id').all() as (Omit<
        Color,
        'isTrans'
      > & { isTrans: number })[];
      colorMap = new Map(rows.map((r) => [r.id, { ...r, isTrans: r.isTrans === 1 }]));
    }
    return colorMap;
  }

  function colorOrThrow(colorId: number, field = 'colorId'): Color {
    const c = colors().get(colorId);
    if (!c) {
      throw new AppError('invalid-input', `unknown colour ${colorId}`, {
        fields: [{ field, message: `unknown colour ${colorId}` }],
      });
    }
    return c;
  }

  function catalogName(partId: string): string {
    const row = db.stmt(CATALOG_NAME).get(partId) as { name: string } | undefined;
    return row?.name.slice(0, LIMITS.name) ?? '';
  }

  function get(id: number): Lot {
    const lot = db.stmt(SELECT_BY_ID).get(id) as Lot | undefined;
    if (!lot) throw new AppError('not-found', `lot ${id} does not exist`);
    return lot;
  }

  function placements(ownerId: number, partId: string, colorId?: number): Placement[] {
    return (
      colorId === undefined
        ? db.stmt(SELECT_PLACEMENTS_ANY_COLOR).all(ownerId, partId)
        : db.stmt(SELECT_PLACEMENTS).all(ownerId, partId, colorId)
    ) as Placement[];
  }

  function findDuplicate(ownerId: number, partId: string, colorId: number, location: string): Lot | undefined {
    return db.stmt(SELECT_DUP).get(ownerId, partId, colorId, location) as Lot | undefined;
  }

  function checkQuantities(total: number, used: number): void {
    const fields: FieldError[] = [];
    if (used > total) fields.push({ field: 'quantityUsed', message: 'used must not exceed total' });
    if (fields.length) throw new AppError('invalid-input', fields.map((f) => f.message).join('; '), { fields });
  }

  function create(
    access: Access,
    input: LotInput,
    onDuplicate: 'ask' | 'merge' | 'reject' = 'ask',
  ): CreateOutcome {
    if (!access.canEdit) throw new AppError('forbidden', 'You may not add lots to this inventory.');
    const ownerId = access.ownerId;
    const partId = input.partId.trim();
    const location = (input.storageLocation ?? '').trim();
    const color = colorOrThrow(input.colorId);
    const used = input.quantityUsed ?? 0;
    checkQuantities(input.quantityTotal, used);

    return db.sqlite.transaction((): CreateOutcome => {
      const existing = findDuplicate(ownerId, partId, input.colorId, location);
      const others = () => placements(ownerId, partId, input.colorId).filter((p) => p.storageLocation !== location);
      if (existing) {
        if (onDuplicate === 'ask') return { status: 'duplicate', existing, elsewhere: others() };
        if (onDuplicate === 'reject') {
          throw new AppError(
            'conflict',
            `You already have ${existing.quantityTotal} of ${partId} in ${color.name} at “${location || 'no location'}”.`,
            { details: { existingId: existing.id } },
          );
        }
        const total = existing.quantityTotal + input.quantityTotal;
        const nextUsed = existing.quantityUsed + used;
        if (total > LIMITS.quantity) {
          throw new AppError('invalid-input', `merged quantity would exceed ${LIMITS.quantity}`, {
            fields: [{ field: 'quantityTotal', message: 'merged quantity too large' }],
          });
        }
        db.stmt(
          `UPDATE inventory_items SET quantity_total = ?, quantity_used = ?, updated_at = ?,
             name = CASE WHEN name = '' THEN ? ELSE name END,
             notes = CASE WHEN notes = '' THEN ? ELSE notes END
           WHERE id = ?`,
        ).run(total, nextUsed, now(), (input.name ?? '').trim(), input.notes ?? '', existing.id);
        onChanged?.(ownerId, 'merged');
        return { status: 'merged', lot: get(existing.id), elsewhere: others() };
      }
      const t = now();
      const name = (input.name ?? '').trim() || catalogName(partId);
      const info = db.stmt(INSERT_LOT).run({
        id: null,
        ownerId,
        partId,
        colorId: input.colorId,
        colorName: color.name,
        name,
        quantityTotal: input.quantityTotal,
        quantityUsed: used,
        storageLocation: location,
        notes: input.notes ?? '',
        imageUrl: input.imageUrl || null,
        createdAt: t,
        updatedAt: t,
      });
      onChanged?.(ownerId, 'created');
      return { status: 'created', lot: get(Number(info.lastInsertRowid)), elsewhere: others() };
    })();
  }

  function update(access: Access, id: number, patch: LotPatch, expectedUpdatedAt?: number): Lot {
    if (!access.canEdit) throw new AppError('forbidden', 'You may not change lots in this inventory.');
    return db.sqlite.transaction((): Lot => {
      const cur = get(id);
      if (cur.ownerId !== access.ownerId) throw new AppError('not-found', `lot ${id} does not exist`);
      if (expectedUpdatedAt !== undefined && cur.updatedAt !== expectedUpdatedAt) {
        throw new AppError('conflict', 'This lot was changed elsewhere since you opened it. Reload and try again.', {
          details: { current: cur },
        });
      }
      const next = {
        partId: patch.partId?.trim() ?? cur.partId,
        colorId: patch.colorId ?? cur.colorId,
        quantityTotal: patch.quantityTotal ?? cur.quantityTotal,
        quantityUsed: patch.quantityUsed ?? cur.quantityUsed,
        storageLocation: patch.storageLocation?.trim() ?? cur.storageLocation,
        name: patch.name?.trim() ?? cur.name,
        notes: patch.notes ?? cur.notes,
        imageUrl: patch.imageUrl === undefined ? cur.imageUrl : patch.imageUrl || null,
      };
      const color = colorOrThrow(next.colorId);
      checkQuantities(next.quantityTotal, next.quantityUsed);
      const clash = findDuplicate(access.ownerId, next.partId, next.colorId, next.storageLocation);
      if (clash && clash.id !== id) {
        throw new AppError(
          'conflict',
          `Another lot already holds ${next.partId} in ${color.name} at “${next.storageLocation || 'no location'}”.`,
          { details: { existingId: clash.id } },
        );
      }
      db.stmt(
        `UPDATE inventory_items SET part_id = @partId, color_id = @colorId, color_name = @colorName,
           quantity_total = @quantityTotal, quantity_used = @quantityUsed,
           storage_location = @storageLocation, name = @name, notes = @notes, image_url = @imageUrl,
           updated_at = @updatedAt WHERE id = @id`,
      ).run({ ...next, colorName: color.name, updatedAt: Math.max(now(), cur.updatedAt + 1), id });
      onChanged?.(access.ownerId, 'updated');
      return get(id);
    })();
  }

  function remove(access: Access, id: number): Lot {
    if (!access.canDelete) throw new AppError('forbidden', 'You may not delete lots in this inventory.');
    const cur = get(id);
    if (cur.ownerId !== access.ownerId) throw new AppError('not-found', `lot ${id} does not exist`);
    db.stmt('DELETE FROM inventory_items WHERE id = ?').run(id);
    onChanged?.(access.ownerId, 'deleted');
    return cur;
  }

  /** Puts a deleted lot back as it was (same id and dates), unless its place was taken since. */
  function undoDelete(access: Access, lot: Lot): Lot {
    if (!access.canEdit || lot.ownerId !== access.ownerId) {
      throw new AppError('forbidden', 'You may not add lots to this inventory.');
    }
    const color = colorOrThrow(lot.colorId);
    checkQuantities(lot.quantityTotal, lot.quantityUsed);
    return db.sqlite.transaction((): Lot => {
      const taken = db.stmt('SELECT 1 FROM inventory_items WHERE id = ?').get(lot.id);
      const clash = findDuplicate(lot.ownerId, lot.partId, lot.colorId, lot.storageLocation);
      if (taken || clash) throw new AppError('conflict', 'The lot cannot be put back: its place was taken since.');
      db.stmt(INSERT_LOT).run({
        id: lot.id,
        ownerId: lot.ownerId,
        partId: lot.partId,
        colorId: lot.colorId,
        colorName: color.name,
        name: lot.name,
        quantityTotal: lot.quantityTotal,
        quantityUsed: lot.quantityUsed,
        storageLocation: lot.storageLocation,
        notes: lot.notes,
        imageUrl: lot.imageUrl,
        createdAt: lot.createdAt,
        updatedAt: lot.updatedAt,
      });
      onChanged?.(lot.ownerId, 'restored');
      return get(lot.id);
    })();
  }

  function list(ownerId: number, q: Omit<ListQuery, 'ownerId'>, defaults: { sort: SortKey; dir: SortDir }): ListPage {
    const sort = q.sort ?? defaults.sort;
    const dir = q.dir ?? defaults.dir;
    const limit = q.limit ?? 100;
    const searchText = (q.search ?? '').trim();
    const search = parseSearch(searchText);
    const location = q.location !== undefined;
    const color = q.colorId !== undefined;
    const cursor = q.after ? decodeCursor(q.after, { sort, dir, search: searchText }) : undefined;
    const useOffset = !cursor && (q.offset ?? 0) > 0;

    const filterParams: unknown[] = [ownerId];
    if (search?.fts) filterParams.push(search.fts);
    for (const like of search?.likes ?? []) filterParams.push(like, like, like, like);
    if (location) filterParams.push(q.location!.trim());
    if (color) filterParams.push(q.colorId);

    const params = [...filterParams];
    if (search) params.push(search.exact);
    if (cursor) {
      if (search) params.push(search.exact, cursor.rank, search.exact, cursor.value, cursor.id);
      else params.push(cursor.value, cursor.value, cursor.id);
    }
    params.push(limit + 1);
    if (useOffset) params.push(q.offset);

    const sqlText = listSql({ sort, dir, search, location, color, cursor: !!cursor, offset: useOffset });
    const rows = db.stmt(sqlText).all(...params) as Lot[];
    const hasMore = rows.length > limit;
    const items = hasMore ? rows.slice(0, limit) : rows;
    const last = items.at(-1);
    const nextCursor =
      hasMore && last
        ? encodeCursor({
            sort,
            dir,
            search: searchText,
            rank: search && last.partId.toLowerCase() === search.exact.toLowerCase() ? 1 : 0,
            value: sortValue(sort, last),
            id: last.id,
          })
        : null;
    const total =
      q.withTotal === false
        ? -1
        : ((db.stmt(countSql({ search, location, color })).pluck().get(...filterParams) as number) ?? 0);
    return { items, total, nextCursor };
  }

  /** Every lot matching a query, fetched in keyset-paged chunks (safe to interleave with writes). */
  function* iterate(ownerId: number, q: Omit<ListQuery, 'ownerId'> = {}, chunk = 1000): Generator<Lot> {
    let after: string | undefined;
    const sort = q.sort ?? 'part';
    const dir = q.dir ?? 'asc';
    for (;;) {
      const page = list(
        ownerId,
        { ...q, sort, dir, limit: chunk, withTotal: false, ...(after ? { after } : {}) },
        { sort, dir },
      );
      yield* page.items;
      if (!page.nextCursor) return;
      after = page.nextCursor;
    }
  }

  function locations(ownerId: number, prefix?: string, limit = 500): { storageLocation: string; lots: number }[] {
    if (prefix && prefix.trim()) {
      const like = `${prefix.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return db
        .stmt(
          `SELECT storage_location AS storageLocation, count(*) AS lots FROM inventory_items
           WHERE user_id = ? AND storage_location LIKE ? ESCAPE '\\' AND storage_location <> ''
           GROUP BY storage_location COLLATE NOCASE ORDER BY storage_location COLLATE NOCASE LIMIT ?`,
        )
        .all(ownerId, like, limit) as { storageLocation: string; lots: number }[];
    }
    return db
      .stmt(
        `SELECT storage_location AS storageLocation, count(*) AS lots FROM inventory_items
         WHERE user_id = ? AND storage_location <> ''
         GROUP BY storage_location COLLATE NOCASE ORDER BY storage_location COLLATE NOCASE LIMIT ?`,
      )
      .all(ownerId, limit) as { storageLocation: string; lots: number }[];
  }

  function summary(ownerId: number, lowStockThreshold: number, top = 10): Summary {
    const totals = db
      .stmt(
        `SELECT count(*) AS lots, coalesce(sum(quantity_total), 0) AS quantityTotal,
                coalesce(sum(quantity_used), 0) AS quantityUsed
           FROM inventory_items WHERE user_id = ?`,
      )
      .get(ownerId) as { lots: number; quantityTotal: number; quantityUsed: number };
    const locationCount = db
      .stmt(
        `SELECT count(*) FROM (SELECT 1 FROM inventory_items WHERE user_id = ? AND storage_location <> ''
           GROUP BY storage_location COLLATE NOCASE)`,
      )
      .pluck()
      .get(ownerId) as number;
    const topColors = db
      .stmt(
        `SELECT color_id AS colorId, color_name AS colorName, sum(quantity_total) AS quantity, count(*) AS lots
           FROM inventory_items WHERE user_id = ? GROUP BY color_id ORDER BY quantity DESC, colorName LIMIT ?`,
      )
      .all(ownerId, top) as Summary['topColors'];
    const topLocations = db
      .stmt(
        `SELECT storage_location AS storageLocation, count(*) AS lots, sum(quantity_total) AS quantity
           FROM inventory_items WHERE user_id = ? AND storage_location <> ''
           GROUP BY storage_location COLLATE NOCASE ORDER BY lots DESC, storageLocation LIMIT ?`,
      )
      .all(ownerId, top) as Summary['topLocations'];
    const lowStock = db
      .stmt(
        `SELECT ${LOT_COLUMNS} FROM inventory_items
          WHERE user_id = ? AND (quantity_total - quantity_used) <= ?
          ORDER BY (quantity_total - quantity_used) ASC, id ASC LIMIT ?`,
      )
      .all(ownerId, lowStockThreshold, top * 2) as Lot[];
    const recent = db
      .stmt(
        `SELECT ${LOT_COLUMNS} FROM inventory_items WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(ownerId, top) as Lot[];
    return {
      lots: totals.lots,
      quantityTotal: totals.quantityTotal,
      quantityUsed: totals.quantityUsed,
      quantityAvailable: totals.quantityTotal - totals.quantityUsed,
      locations: locationCount,
      topColors,
      topLocations,
      lowStock,
      lowStockThreshold,
      recent,
    };
  }

  function colorList(): Color[] {
    return [...colors().values()];
  }

  /** Forget cached colours (after a catalogue import or a restore). */
  function invalidateColors(): void {
    colorMap = null;
  }

  return {
    get,
    create,
    update,
    remove,
    undoDelete,
    list,
    iterate,
    placements,
    locations,
    summary,
    colors: colorList,
    colorOrThrow,
    catalogName,
    invalidateColors,
  };
}

export type InventoryService = ReturnType<typeof createInventoryService>;
