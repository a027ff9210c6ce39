// Building blocks shared by the contract's areas.
import { z } from 'zod';

/** Phantom marker for an output type (no runtime cost). */
export const out = <T>() => undefined as unknown as T;

export const LIMITS = {
  /** Rebrickable's longest part number has 20 characters, BrickLink's are no longer. */
  partId: 40,
  name: 200,
  location: 200,
  notes: 2000,
  imageUrl: 500,
  profileName: 60,
  quantity: 10_000_000,
  search: 200,
  pageMax: 1000,
} as const;

export const id = z.number().int().positive();

/**
 * The one token for a file or folder the user picked (in a dialog of the app, or named at the
 * terminal): main keeps the path and hands this out. Opaque letters, digits, `_` and `-`, so no
 * path can pass for one; main resolves it only for the purpose it was chosen for.
 */
export const fileToken = z.string().regex(/^[A-Za-z0-9_-]{16,80}$/, 'not a file handed out by BlockShelf');
export const qty = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(LIMITS.quantity, `must be at most ${LIMITS.quantity}`);
export const trimmed = (max: number, label: string) => z.string().trim().max(max, `${label} must be at most ${max} characters`);

/**
 * The characters of a part number: exactly those Rebrickable's catalogue uses (letters, digits,
 * `-` and `.`; `973pb1234c01`, `3626cpr0001`, `75c06.5`, `2335-1`). BrickLink's are a subset.
 * Nothing else may enter, so no part number can be a spreadsheet formula or a path.
 */
export const PART_ID_PATTERN = /^[A-Za-z0-9.-]+$/;
export const PART_ID_RULE = 'may hold only letters, digits, “-” and “.”';

/** A part number as stored before this rule (read back, restored by undo): length only. */
export const storedPartId = z
  .string({ error: 'part is required' })
  .trim()
  .min(1, 'part is required')
  .max(64, 'part must be at most 64 characters');

export const lotFields = {
  partId: z
    .string({ error: 'part is required' })
    .trim()
    .min(1, 'part is required')
    .max(LIMITS.partId, `part must be at most ${LIMITS.partId} characters`)
    .regex(PART_ID_PATTERN, `part ${PART_ID_RULE}`),
  colorId: z.number({ error: 'colour is required' }).int('colour is required').min(-1).max(1_000_000),
  quantityTotal: qty,
  quantityUsed: qty,
  storageLocation: trimmed(LIMITS.location, 'location'),
  name: trimmed(LIMITS.name, 'name'),
  notes: z.string().max(LIMITS.notes, `notes must be at most ${LIMITS.notes} characters`),
  imageUrl: z
    .string()
    .trim()
    .max(LIMITS.imageUrl)
    .refine((s) => s === '' || /^https?:\/\//i.test(s), 'image must be an http(s) address')
    .nullable(),
};

export const ownerRef = { ownerId: id.optional() };

export const empty = z.strictObject({});
