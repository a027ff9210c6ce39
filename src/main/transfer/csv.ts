// Part-list CSV import and export: Rebrickable's part lists (with or without locations) and the
// CSV of the original BlockShelf. Files are streamed through csv-parse; every row is checked
// and a bad row is reported as FILE:ROW: field: reason, never dropped silently. Applying is one
// transaction: all rows or none.
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { AppError } from '../../shared/errors';
import { LIMITS } from '../../shared/contract';
import type { Lot } from '../../shared/types';
import type { InventoryService } from '../inventory/service';
import type { DbHandle } from '../db/open';

export type CsvFormat = 'rebrickable' | 'rebrickable-spare' | 'blockshelf';

export interface RowProblem {
  file: string;
  row: number;
  field: string;
  reason: string;
}

export interface ParsedLot {
  row: number;
  partId: string;
  colorId: number;
  quantityTotal: number;
  quantityUsed: number;
  storageLocation: string;
  name: string;
  notes: string;
  imageUrl: string | null;
}

export interface ImportReport {
  file: string;
  format: CsvFormat;
  rows: number;
  created: number;
  merged: number;
  replaced: number;
  invalid: RowProblem[];
  applied: boolean;
  dryRun: boolean;
}

const HEADERS: Record<CsvFormat, string[]> = {
  rebrickable: ['part', 'color', 'quantity', 'notes', 'location', 'isused', 'isstickered'],
  'rebrickable-spare': ['part', 'color', 'quantity', 'is spare'],
  blockshelf: [
    'name',
    'part_id',
    'color',
    'quantity_total',
    'quantity_used',
    'storage_location',
    'image_url',
    'notes',
  ],
};

export function detectFormat(header: string[]): CsvFormat | null {
  const h = header.map((c) => c.trim().toLowerCase());
  const has = (cols: string[]) => cols.every((c) => h.includes(c));
  if (has(HEADERS.blockshelf.slice(1, 4))) return 'blockshelf';
  if (has(['part', 'color', 'quantity', 'location'])) return 'rebrickable';
  if (has(['part', 'color', 'quantity'])) return 'rebrickable-spare';
  return null;
}

function openText(file: string): Readable {
  const raw = createReadStream(file);
  return file.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

const INT = /^\s*-?\d+\s*$/;
const BOOL_TRUE = new Set(['true', '1', 'yes', 'y']);
const BOOL_FALSE = new Set(['false', '0', 'no', 'n', '']);

/** Reads and checks a part-list CSV. Throws only for a file that cannot be read at all. */
export async function parsePartListCsv(
  file: string,
  resolveColor: (value: string) => number | null,
): Promise<{ format: CsvFormat; lots: ParsedLot[]; problems: RowProblem[]; rows: number }> {
  const name = path.basename(file);
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: 1_000_000,
  });
  const lots: ParsedLot[] = [];
  const problems: RowProblem[] = [];
  let header: string[] | null = null;
  let format: CsvFormat | null = null;
  let col: Record<string, number> = {};
  let rows = 0;

  const consume = (async () => {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = record;
        format = detectFormat(record);
        if (!format) {
          throw new AppError(
            'unsupported-format',
            `${name}:1: the header (${record.join(',').slice(0, 120)}) is not a Rebrickable part list or a BlockShelf CSV`,
          );
        }
        col = Object.fromEntries(record.map((c, i) => [c.trim().toLowerCase(), i]));
        continue;
      }
      rows++;
      const line = rows + 1; // the header is line 1
      const get = (k: string) => {
        const i = col[k];
        return i === undefined ? '' : (record[i] ?? '');
      };
      const bad = (field: string, reason: string) => problems.push({ file: name, row: line, field, reason });
      const before = problems.length;
      if (record.length < header.length) bad('(row)', `has ${record.length} fields, the header has ${header.length}`);

      const partId = (format === 'blockshelf' ? get('part_id') : get('part')).trim();
      if (!partId) bad(format === 'blockshelf' ? 'part_id' : 'Part', 'is empty');
      else if (partId.length > LIMITS.partId) bad('Part', `is longer than ${LIMITS.partId} characters`);

      const colorText = format === 'blockshelf' ? get('color') : get('color');
      const colorId = resolveColor(colorText.trim());
      if (colorId === null) bad(format === 'blockshelf' ? 'color' : 'Color', `unknown colour “${colorText.trim()}”`);

      const qtyText = format === 'blockshelf' ? get('quantity_total') : get('quantity');
      const qtyField = format === 'blockshelf' ? 'quantity_total' : 'Quantity';
      let quantityTotal = 0;
      if (!INT.test(qtyText)) bad(qtyField, `“${qtyText}” is not a whole number`);
      else {
        quantityTotal = Number(qtyText);
        if (quantityTotal < 0) bad(qtyField, 'is negative');
        else if (quantityTotal > LIMITS.quantity) bad(qtyField, `is larger than ${LIMITS.quantity}`);
      }

      let quantityUsed = 0;
      if (format === 'blockshelf') {
        const usedText = get('quantity_used');
        if (usedText.trim() === '') quantityUsed = 0;
        else if (!INT.test(usedText)) bad('quantity_used', `“${usedText}” is not a whole number`);
        else {
          quantityUsed = Number(usedText);
          if (quantityUsed < 0) bad('quantity_used', 'is negative');
          else if (quantityUsed > quantityTotal) bad('quantity_used', 'is larger than quantity_total');
        }
      } else if (format === 'rebrickable') {
        const isUsed = get('isused').trim().toLowerCase();
        if (BOOL_TRUE.has(isUsed)) quantityUsed = quantityTotal;
        else if (!BOOL_FALSE.has(isUsed)) bad('IsUsed', `“${get('isused')}” is not True or False`);
      }

      const storageLocation = (format === 'blockshelf' ? get('storage_location') : get('location')).trim();
      if (storageLocation.length > LIMITS.location) bad('Location', `is longer than ${LIMITS.location} characters`);
      const notes = get('notes');
      if (notes.length > LIMITS.notes) bad('Notes', `is longer than ${LIMITS.notes} characters`);
      const lotName = format === 'blockshelf' ? get('name').trim() : '';
      if (lotName.length > LIMITS.name) bad('name', `is longer than ${LIMITS.name} characters`);
      const imageUrl = format === 'blockshelf' ? get('image_url').trim() : '';
      if (imageUrl && !/^https?:\/\//i.test(imageUrl)) bad('image_url', 'is not an http(s) address');

      if (problems.length === before) {
        lots.push({
          row: line,
          partId,
          colorId: colorId!,
          quantityTotal,
          quantityUsed,
          storageLocation,
          name: lotName,
          notes,
          imageUrl: imageUrl || null,
        });
      }
    }
  })();
  try {
    await Promise.all([pipeline(openText(file), parser), consume]);
  } catch (e) {
    if (e instanceof AppError) throw e;
    const err = e as NodeJS.ErrnoException & { code?: string; lines?: number };
    if (err.code === 'ENOENT') throw new AppError('not-found', `${name}: no such file`);
    if (err.code === 'EACCES') throw new AppError('no-permission', `${name}: permission denied`);
    if (typeof err.code === 'string' && err.code.startsWith('CSV_')) {
      throw new AppError('invalid-input', `${name}:${err.lines ?? '?'}: ${err.message}`);
    }
    if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR') {
      throw new AppError('invalid-input', `${name}: not a valid gzip file`);
    }
    throw e;
  }
  if (!format) throw new AppError('invalid-input', `${name}: the file is empty`);
  return { format, lots, problems, rows };
}

export interface ApplyOptions {
  mode: 'add' | 'replace';
}

/**
 * Writes parsed lots into `ownerId`'s inventory in one transaction. A row whose part, colour
 * and location match an existing lot adds to it (mode add) or sets its quantities (replace).
 */
export function applyLots(
  db: DbHandle,
  inventory: InventoryService,
  ownerId: number,
  lots: ParsedLot[],
  opts: ApplyOptions,
  now: () => number,
): { created: number; merged: number; replaced: number } {
  const find = db.sqlite.prepare(
    `SELECT id, quantity_total AS total, quantity_used AS used FROM inventory_items
      WHERE user_id = ? AND part_id = ? AND color_id = ? AND storage_location = ?`,
  );
  const insert = db.sqlite.prepare(
    `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
       storage_location, notes, image_url, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const update = db.sqlite.prepare(
    `UPDATE inventory_items SET quantity_total = ?, quantity_used = ?, updated_at = ?,
       name = CASE WHEN name = '' THEN ? ELSE name END,
       notes = CASE WHEN notes = '' THEN ? ELSE notes END
     WHERE id = ?`,
  );
  const names = new Map<string, string>();
  const nameOf = (l: ParsedLot) => {
    if (l.name) return l.name;
    let n = names.get(l.partId);
    if (n === undefined) names.set(l.partId, (n = inventory.catalogName(l.partId)));
    return n;
  };
  let created = 0;
  let merged = 0;
  let replaced = 0;
  db.sqlite.transaction(() => {
    const t = now();
    for (const l of lots) {
      const existing = find.get(ownerId, l.partId, l.colorId, l.storageLocation) as
        | { id: number; total: number; used: number }
        | undefined;
      if (existing) {
        const total = opts.mode === 'add' ? existing.total + l.quantityTotal : l.quantityTotal;
        const used = opts.mode === 'add' ? existing.used + l.quantityUsed : l.quantityUsed;
        if (total > LIMITS.quantity) {
          throw new AppError('invalid-input', `row ${l.row}: the merged quantity would exceed ${LIMITS.quantity}`);
        }
        update.run(total, used, t, nameOf(l), l.notes, existing.id);
        if (opts.mode === 'add') merged++;
        else replaced++;
      } else {
        const color = inventory.colorOrThrow(l.colorId);
        insert.run(
          ownerId,
          l.partId,
          l.colorId,
          color.name,
          nameOf(l),
          l.quantityTotal,
          l.quantityUsed,
          l.storageLocation,
          l.notes,
          l.imageUrl,
          t,
          t,
        );
        created++;
      }
    }
  })();
  return { created, merged, replaced };
}

/** Colour by Rebrickable id, or by name (case-insensitive) for BlockShelf CSVs. */
export function colorResolver(colors: { id: number; name: string }[]): (value: string) => number | null {
  const ids = new Set(colors.map((c) => c.id));
  const byName = new Map(colors.map((c) => [c.name.toLowerCase(), c.id]));
  return (value) => {
    if (INT.test(value)) {
      const n = Number(value);
      return ids.has(n) ? n : null;
    }
    return byName.get(value.trim().toLowerCase()) ?? null;
  };
}

const csvCell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** Writes lots as BlockShelf CSV (or Rebrickable part-list CSV) to a temp file, then renames. */
export async function writePartListCsv(
  file: string,
  lots: Iterable<Lot>,
  format: 'blockshelf' | 'rebrickable' = 'blockshelf',
): Promise<number> {
  const tmp = `${file}.${process.pid}.tmp`;
  let count = 0;
  function* lines(): Generator<string> {
    if (format === 'blockshelf') {
      yield 'name,part_id,color,quantity_total,quantity_used,storage_location,image_url,notes\n';
      for (const l of lots) {
        count++;
        yield [l.name, l.partId, l.colorId, l.quantityTotal, l.quantityUsed, l.storageLocation, l.imageUrl, l.notes]
          .map(csvCell)
          .join(',') + '\n';
      }
    } else {
      yield 'Part,Color,Quantity,Notes,Location,IsUsed,IsStickered\n';
      for (const l of lots) {
        count++;
        // Rebrickable marks whole rows as used: split a partly used lot into two rows.
        if (l.quantityUsed > 0 && l.quantityUsed < l.quantityTotal) {
          yield [l.partId, l.colorId, l.quantityAvailable, l.notes, l.storageLocation, 'False', 'False'].map(csvCell).join(',') + '\n';
          yield [l.partId, l.colorId, l.quantityUsed, l.notes, l.storageLocation, 'True', 'False'].map(csvCell).join(',') + '\n';
        } else {
          const used = l.quantityTotal > 0 && l.quantityUsed === l.quantityTotal;
          yield [l.partId, l.colorId, l.quantityTotal, l.notes, l.storageLocation, used ? 'True' : 'False', 'False']
            .map(csvCell)
            .join(',') + '\n';
        }
      }
    }
  }
  try {
    await pipeline(Readable.from(lines()), createWriteStream(tmp));
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new AppError('not-found', `${path.dirname(file)}: no such folder`);
    if (err.code === 'EACCES') throw new AppError('no-permission', `${file}: permission denied`);
    if (err.code === 'ENOSPC') throw new AppError('disk-full', `${file}: the disk is full`);
    throw e;
  }
  return count;
}
