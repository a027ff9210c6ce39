// Inventory lots: list, read, write, where-is, locations, dashboard summary.
import { z } from 'zod';
import type { CreateOutcome, ListPage, Lot, Placement, Summary } from '../types';
import { SORT_KEYS } from '../types';
import { LIMITS, id, lotFields, out, ownerRef, storedPartId } from './common';

export const LotInputSchema = z
  .strictObject({
    partId: lotFields.partId,
    colorId: lotFields.colorId,
    quantityTotal: lotFields.quantityTotal,
    quantityUsed: lotFields.quantityUsed.optional(),
    storageLocation: lotFields.storageLocation.optional(),
    name: lotFields.name.optional(),
    notes: lotFields.notes.optional(),
    imageUrl: lotFields.imageUrl.optional(),
  })
  .refine((v) => (v.quantityUsed ?? 0) <= v.quantityTotal, {
    message: 'used must not exceed total',
    path: ['quantityUsed'],
  });

export const LotPatchSchema = z.strictObject({
  partId: lotFields.partId.optional(),
  colorId: lotFields.colorId.optional(),
  quantityTotal: lotFields.quantityTotal.optional(),
  quantityUsed: lotFields.quantityUsed.optional(),
  storageLocation: lotFields.storageLocation.optional(),
  name: lotFields.name.optional(),
  notes: lotFields.notes.optional(),
  imageUrl: lotFields.imageUrl.optional(),
});

export const ListQuerySchema = z.strictObject({
  ...ownerRef,
  search: z.string().max(LIMITS.search).optional(),
  location: z.string().max(LIMITS.location).optional(),
  colorId: lotFields.colorId.optional(),
  sort: z.enum(SORT_KEYS).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  limit: z.number().int().min(1).max(LIMITS.pageMax).optional(),
  /** Keyset cursor from the previous page's nextCursor. */
  after: z.string().max(2000).optional(),
  /** Row offset for random access (a scrollbar jump); prefer `after` for sequential paging. */
  offset: z.number().int().min(0).max(100_000_000).optional(),
  /** false skips counting the matches (total is then -1). */
  withTotal: z.boolean().optional(),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

export const inventoryContract = {
  'inventory.list': { input: ListQuerySchema, output: out<ListPage>() },
  'inventory.get': { input: z.strictObject({ id }), output: out<Lot>() },
  'inventory.create': {
    input: z.strictObject({
      ...ownerRef,
      lot: LotInputSchema,
      /** ask: report a duplicate instead of writing; merge: add quantities; reject: conflict error. */
      onDuplicate: z.enum(['ask', 'merge', 'reject']).optional(),
    }),
    output: out<CreateOutcome>(),
  },
  'inventory.update': {
    input: z.strictObject({
      id,
      patch: LotPatchSchema,
      /** Optimistic concurrency: refuse when the lot changed since it was read. */
      expectedUpdatedAt: z.number().int().optional(),
    }),
    output: out<Lot>(),
  },
  'inventory.delete': { input: z.strictObject({ id }), output: out<Lot>() },
  'inventory.whereIs': {
    input: z.strictObject({
      ...ownerRef,
      partId: storedPartId,
      colorId: lotFields.colorId.optional(),
      /**
       * Also the lots of related parts (the catalogue's part relationships, both ways: the part's
       * prints, patterns, mould variants, alternates, pairs and sub-parts, and what it is one of),
       * after the part's own lots, each with `related` saying how.
       */
      relatives: z.boolean().optional(),
    }),
    output: out<Placement[]>(),
  },
  'inventory.locations': {
    input: z.strictObject({
      ...ownerRef,
      prefix: z.string().max(LIMITS.location).optional(),
      limit: z.number().int().min(1).max(5000).optional(),
    }),
    output: out<{ storageLocation: string; lots: number }[]>(),
  },
  'inventory.summary': {
    input: z.strictObject({ ...ownerRef, top: z.number().int().min(1).max(50).optional() }),
    output: out<Summary>(),
  },
} as const;
