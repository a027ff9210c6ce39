// The operation journal: undo and redo of the acting profile's changes, the list of operations,
// a lot's history (deleted lots included) and the journal's bounds.
import { z } from 'zod';
import { id, out, ownerRef } from './common';

/** One operation of the journal, as lists and menus show it. */
export interface Operation {
  id: number;
  kind: string;
  /** Its name: "Import razor-crest.xml: 724 lots", "Edit 3001 Red: total 12 → 20". */
  label: string;
  createdAt: number;
  /** done: in effect; undone: can be redone; mark: cannot be undone (a restore). */
  state: 'done' | 'undone' | 'mark';
  ownerId: number;
  actorId: number;
  actorName: string | null;
  lots: number;
}

/** A lot as the journal keeps it (a row of inventory_items). */
export interface LotImage {
  id: number;
  userId: number;
  partId: string;
  colorId: number;
  colorName: string;
  name: string;
  quantityTotal: number;
  quantityUsed: number;
  storageLocation: string;
  notes: string;
  imageUrl: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface LotChange {
  field: string;
  old: string | number | null;
  new: string | number | null;
}

/** One step of a lot's history: which operation, and the lot before and after it. */
export interface LotHistoryEntry {
  op: Operation;
  change: 'created' | 'changed' | 'deleted';
  before: LotImage | null;
  after: LotImage | null;
  /** The fields that changed (updated_at left out), old → new. */
  changes: LotChange[];
}

/** A lot that is no longer in the inventory, with the operation that removed it. */
export interface DeletedLot {
  lot: LotImage;
  op: Operation;
}

export interface HistoryState {
  /** What Undo would undo now (the acting profile's last operation in effect). */
  undo: Operation | null;
  redo: Operation | null;
}

export interface HistorySettings {
  maxOps: number;
  maxDays: number;
}

const steps = z.number().int().min(1).max(100).optional();

export const historyContract = {
  'history.state': { input: z.strictObject({}), output: out<HistoryState>() },
  'history.undo': {
    input: z.strictObject({ steps }),
    output: out<{ done: Operation[]; state: HistoryState }>(),
  },
  'history.redo': {
    input: z.strictObject({ steps }),
    output: out<{ done: Operation[]; state: HistoryState }>(),
  },
  'history.list': {
    input: z.strictObject({
      ...ownerRef,
      limit: z.number().int().min(1).max(1000).optional(),
      /** Operations older than this id (paging). */
      before: id.optional(),
    }),
    output: out<Operation[]>(),
  },
  /**
   * A lot's history, newest first: the changes of the lot that holds the id now (or held it last),
   * since its creation; a new lot that got a deleted lot's id never shows the deleted one's
   * changes. `until` (a deleting operation from history.deleted): the lot that operation deleted.
   */
  'history.lot': {
    input: z.strictObject({ id, limit: z.number().int().min(1).max(1000).optional(), until: id.optional() }),
    output: out<LotHistoryEntry[]>(),
  },
  'history.deleted': {
    input: z.strictObject({
      ...ownerRef,
      /** Part number, name, colour or location words. */
      search: z.string().trim().max(200).optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    output: out<DeletedLot[]>(),
  },
  'history.settings': { input: z.strictObject({}), output: out<HistorySettings>() },
  'history.configure': {
    input: z.strictObject({
      maxOps: z.number().int().min(10).max(100_000).optional(),
      maxDays: z.number().int().min(1).max(3650).optional(),
    }),
    output: out<HistorySettings>(),
  },
} as const;
