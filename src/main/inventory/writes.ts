// Inventory writes: create (with duplicate handling: ask, merge or reject), update (with an
// optimistic check of updatedAt) and delete. Each asks `access` first: the acting profile must
// own the inventory or have it shared with canEdit (canDelete to delete). Each is one named
// operation of the journal (src/main/history/journal.ts), written in the same transaction.
import { AppError, type FieldError } from '../../shared/errors';
import { LIMITS } from '../../shared/contract';
import type { Color, CreateOutcome, Lot, LotInput, Placement } from '../../shared/types';
import type { DbHandle } from '../db/open';
import type { Access, AccessCheck } from '../profiles/service';
import type { Journal } from '../history/journal';
import { LOT_COLUMNS } from './query';

/**
 * Whose inventory a call is about: an owner id, or an Access whose ownerId is taken (its flags
 * are worked out again here); undefined: the acting profile's own (for a lot: the lot's owner).
 */
export type Owner = number | Pick<Access, 'ownerId'> | undefined;
const ownerIdOf = (owner: Owner): number | undefined => (typeof owner === 'object' ? owner.ownerId : owner);

export type LotPatch = Partial<Omit<LotInput, 'quantityTotal'>> & { quantityTotal?: number };

const SELECT_DUP = `SELECT ${LOT_COLUMNS} FROM inventory_items INDEXED BY inventory_items_user_part_color_location_uq
  WHERE user_id = ? AND part_id = ? AND color_id = ? AND storage_location = ?`;
const INSERT_LOT = `INSERT INTO inventory_items (id, user_id, part_id, color_id, color_name, name,
  quantity_total, quantity_used, storage_location, notes, image_url, created_at, updated_at)
  VALUES (@id, @ownerId, @partId, @colorId, @colorName, @name, @quantityTotal, @quantityUsed,
  @storageLocation, @notes, @imageUrl, @createdAt, @updatedAt)`;

export interface LotWriteDeps {
  db: DbHandle;
  now: () => number;
  access: AccessCheck;
  onChanged?: ((ownerId: number, reason: string) => void) | undefined;
  colorOrThrow: (colorId: number) => Color;
  catalogName: (partId: string) => string;
  lotById: (id: number) => Lot;
  placementsOf: (ownerId: number, partId: string, colorId?: number) => Placement[];
  journal?: Journal | undefined;
}

const where = (loc: string) => (loc ? ` at ${loc}` : '');
const lotName = (l: Pick<Lot, 'partId' | 'colorName'>) => `${l.partId} ${l.colorName}`;

/** "Edit 3001 Red: total 12 → 20", "Move 3001 Red: Box A → Box B". */
export function editLabel(cur: Lot, next: Lot): { kind: string; label: string } {
  const parts: string[] = [];
  const moved = cur.storageLocation !== next.storageLocation;
  const show = (v: string) => (v === '' ? '(none)' : v);
  if (cur.partId !== next.partId) parts.push(`part ${cur.partId} → ${next.partId}`);
  if (cur.colorId !== next.colorId) parts.push(`colour ${cur.colorName} → ${next.colorName}`);
  if (cur.quantityTotal !== next.quantityTotal) parts.push(`total ${cur.quantityTotal} → ${next.quantityTotal}`);
  if (cur.quantityUsed !== next.quantityUsed) parts.push(`used ${cur.quantityUsed} → ${next.quantityUsed}`);
  if (moved) parts.push(`${show(cur.storageLocation)} → ${show(next.storageLocation)}`);
  if (cur.name !== next.name) parts.push('name');
  if (cur.notes !== next.notes) parts.push('notes');
  if (cur.imageUrl !== next.imageUrl) parts.push('image');
  const onlyMove = moved && parts.length === 1;
  return {
    kind: onlyMove ? 'move' : 'edit',
    label: `${onlyMove ? 'Move' : 'Edit'} ${lotName(cur)}: ${parts.join(', ') || 'no change'}`,
  };
}

export function createLotWrites({
  db,
  now,
  access,
  onChanged,
  colorOrThrow,
  catalogName,
  lotById,
  placementsOf,
  journal,
}: LotWriteDeps) {
  /** Runs a write as one operation of the journal (or plainly, on a connection without one). */
  function op<T>(ownerId: number, describe: (r: T) => { kind: string; label: string }, fn: () => T): T {
    return journal ? journal.record({ ownerId, describe }, fn) : db.sqlite.transaction(fn)();
  }

  function findDuplicate(ownerId: number, partId: string, colorId: number, location: string): Lot | undefined {
    return db.stmt(SELECT_DUP).get(ownerId, partId, colorId, location) as Lot | undefined;
  }

  function checkQuantities(total: number, used: number): void {
    const fields: FieldError[] = [];
    if (used > total) fields.push({ field: 'quantityUsed', message: 'used must not exceed total' });
    if (fields.length) throw new AppError('invalid-input', fields.map((f) => f.message).join('; '), { fields });
  }

  function create(owner: Owner, input: LotInput, onDuplicate: 'ask' | 'merge' | 'reject' = 'ask'): CreateOutcome {
    const may = access(ownerIdOf(owner));
    if (!may.canEdit) throw new AppError('forbidden', 'You may not add lots to this inventory.');
    const ownerId = may.ownerId;
    const partId = input.partId.trim();
    const location = (input.storageLocation ?? '').trim();
    const color = colorOrThrow(input.colorId);
    const used = input.quantityUsed ?? 0;
    checkQuantities(input.quantityTotal, used);

    let mergedFrom: Lot | undefined;
    const describe = (r: CreateOutcome) =>
      r.status === 'merged' && mergedFrom
        ? {
            kind: 'merge',
            label: `Add ${input.quantityTotal} to ${lotName(r.lot)}${where(r.lot.storageLocation)}: total ${mergedFrom.quantityTotal} → ${r.lot.quantityTotal}`,
          }
        : r.status === 'created'
          ? { kind: 'add', label: `Add ${lotName(r.lot)}: ${r.lot.quantityTotal}${where(r.lot.storageLocation)}` }
          : { kind: 'add', label: 'Add' };
    return op(ownerId, describe, (): CreateOutcome => {
      const existing = findDuplicate(ownerId, partId, input.colorId, location);
      mergedFrom = existing;
      const others = () => placementsOf(ownerId, partId, input.colorId).filter((p) => p.storageLocation !== location);
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
        return { status: 'merged', lot: lotById(existing.id), elsewhere: others() };
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
      return { status: 'created', lot: lotById(Number(info.lastInsertRowid)), elsewhere: others() };
    });
  }

  function update(owner: Owner, id: number, patch: LotPatch, expectedUpdatedAt?: number): Lot {
    const may = access(ownerIdOf(owner) ?? lotById(id).ownerId);
    if (!may.canEdit) throw new AppError('forbidden', 'You may not change lots in this inventory.');
    let cur: Lot | undefined;
    return op(
      may.ownerId,
      (next: Lot) => editLabel(cur!, next),
      (): Lot => {
        cur = lotById(id);
        if (cur.ownerId !== may.ownerId) throw new AppError('not-found', `lot ${id} does not exist`);
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
        const clash = findDuplicate(may.ownerId, next.partId, next.colorId, next.storageLocation);
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
        onChanged?.(may.ownerId, 'updated');
        return lotById(id);
      },
    );
  }

  function remove(owner: Owner, id: number): Lot {
    const may = access(ownerIdOf(owner) ?? lotById(id).ownerId);
    if (!may.canDelete) throw new AppError('forbidden', 'You may not delete lots in this inventory.');
    const cur = lotById(id);
    if (cur.ownerId !== may.ownerId) throw new AppError('not-found', `lot ${id} does not exist`);
    op(
      may.ownerId,
      () => ({ kind: 'delete', label: `Delete ${lotName(cur)}: ${cur.quantityTotal}${where(cur.storageLocation)}` }),
      () => db.stmt('DELETE FROM inventory_items WHERE id = ?').run(id),
    );
    onChanged?.(may.ownerId, 'deleted');
    return cur;
  }

  return { create, update, remove };
}
