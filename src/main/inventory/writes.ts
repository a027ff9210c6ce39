// Inventory writes: create (with duplicate handling: ask, merge or reject), update (with an
// optimistic check of updatedAt), delete and undo. Each asks `access` first: the acting profile
// must own the inventory or have it shared with canEdit (canDelete to delete).
import { AppError, type FieldError } from '../../shared/errors';
import { LIMITS } from '../../shared/contract';
import type { Color, CreateOutcome, Lot, LotInput, Placement } from '../../shared/types';
import type { DbHandle } from '../db/open';
import type { Access, AccessCheck } from '../profiles/service';
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
}

export function createLotWrites({ db, now, access, onChanged, colorOrThrow, catalogName, lotById, placementsOf }: LotWriteDeps) {
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

    return db.sqlite.transaction((): CreateOutcome => {
      const existing = findDuplicate(ownerId, partId, input.colorId, location);
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
    })();
  }

  function update(owner: Owner, id: number, patch: LotPatch, expectedUpdatedAt?: number): Lot {
    const may = access(ownerIdOf(owner) ?? lotById(id).ownerId);
    if (!may.canEdit) throw new AppError('forbidden', 'You may not change lots in this inventory.');
    return db.sqlite.transaction((): Lot => {
      const cur = lotById(id);
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
    })();
  }

  function remove(owner: Owner, id: number): Lot {
    const may = access(ownerIdOf(owner) ?? lotById(id).ownerId);
    if (!may.canDelete) throw new AppError('forbidden', 'You may not delete lots in this inventory.');
    const cur = lotById(id);
    if (cur.ownerId !== may.ownerId) throw new AppError('not-found', `lot ${id} does not exist`);
    db.stmt('DELETE FROM inventory_items WHERE id = ?').run(id);
    onChanged?.(may.ownerId, 'deleted');
    return cur;
  }

  /** Puts a deleted lot back as it was (same id and dates), unless its place was taken since. */
  function undoDelete(owner: Owner, lot: Lot): Lot {
    const may = access(ownerIdOf(owner) ?? lot.ownerId);
    if (!may.canEdit || lot.ownerId !== may.ownerId) {
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
      return lotById(lot.id);
    })();
  }

  return { create, update, remove, undoDelete };
}
