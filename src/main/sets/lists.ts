// Part lists from files: whatever the importer reads (Rebrickable part list CSV with `Is Spare`,
// BrickLink XML set inventory or wanted list, BrickStore BSX, XLSX, any CSV with recognisable
// columns), read with the importer's own detection, readers and row checks, so a list accepts
// exactly the part numbers, colours and quantities an import accepts. Nothing is written.
//
// Every line the list cannot use is reported with its line and why (unknown colour, a part the
// catalogue does not know, an item that is not a part, a bad quantity); the rest still counts.
// BrickLink numbers that are not Rebrickable's are matched where the catalogue can tell: a print
// whose base part the catalogue has counts as that base part when prints are ignored, and is
// otherwise reported with its base part named.
import type { ImportFormat, UnmatchedLine } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ColorMaps } from '../colors/maps';
import { checkRow } from '../transfer/importing/checks';
import { detect } from '../transfer/importing/detect';
import type { ReadOptions, SourceRow } from '../transfer/importing/types';
import { readCsv, readXlsx, readXmlItems, type TableRow } from '../transfer/readers';
import { isGzip, rawHead } from '../util/file-head';
import { baseName } from '../util/names';
import type { RawPart } from './catalog';

/** A part list has at most this many different (part, colour) lines: more is not a set's list. */
export const MAX_LIST_LINES = 50_000;
/** Unmatched lines reported in full (the count goes on). */
export const MAX_UNMATCHED = 1000;

export interface FileListContext {
  colors: ColorMaps;
  /** Whether the catalogue knows the part; null: no parts catalogue loaded (every number is taken as it is). */
  partKnown: ((partId: string) => boolean) | null;
  /** Prints count as their base part. */
  ignorePrints: boolean;
  spares: boolean;
  signal?: AbortSignal | undefined;
}

export interface FileList {
  name: string;
  format: ImportFormat;
  parts: RawPart[];
  unmatched: UnmatchedLine[];
  unmatchedCount: number;
  /** Data lines read (header excluded), spares and unmatched lines included. */
  rows: number;
}

/** 3001pb012 → 3001, 3626cpr0001 → 3626c, 3069bpat0001 → 3069b: the part a print is of, by its number. */
export function printBase(partId: string): string | null {
  const m = /^(.+?\d[a-z]?)(?:pr|pb|pat|px|ps)\d+[a-z]?$/i.exec(partId);
  return m ? m[1]! : null;
}

const SPARE_HEADER = /^\s*(is[\s_-]?spare|spare|extra)\s*$/i;
const TRUE_TEXT = /^\s*(true|1|yes|y|x)\s*$/i;

export async function readFileList(file: string, opts: ReadOptions, ctx: FileListContext): Promise<FileList> {
  const name = baseName(file);
  const det = await detect(file, { token: 'list', name, size: null }, opts);
  const sum = new Map<string, RawPart>();
  const unmatched: UnmatchedLine[] = [];
  let unmatchedCount = 0;
  let rows = 0;
  const miss = (line: number, part: string, color: string, quantity: number, reason: string) => {
    unmatchedCount++;
    if (unmatched.length < MAX_UNMATCHED) unmatched.push({ line, part, color, quantity, reason });
  };
  const add = (line: number, src: SourceRow, spare: boolean) => {
    rows++;
    if (spare && !ctx.spares) return;
    const rawPart = (src.values.part ?? '').trim();
    const rawColor = (src.values.color ?? '').trim();
    const checked = checkRow(src, ctx.colors);
    const qty = Number.parseInt(src.values.quantity ?? '', 10);
    const shownQty = Number.isFinite(qty) ? qty : 0;
    if (!checked.lot) {
      const why = checked.problems.map((x) => `${x.field}: ${x.reason}`).join('; ');
      return miss(line, rawPart, rawColor, shownQty, why || 'cannot be read');
    }
    const { colorId, quantityTotal } = checked.lot;
    let partId = checked.lot.partId;
    if (quantityTotal === 0) return;
    if (ctx.partKnown && !ctx.partKnown(partId)) {
      const base = printBase(partId);
      const baseKnown = base !== null && ctx.partKnown(base);
      if (baseKnown && ctx.ignorePrints) partId = base;
      else {
        return miss(
          line,
          rawPart,
          rawColor,
          quantityTotal,
          baseKnown
            ? `part ${partId} is not in the catalogue; it looks like a print of ${base} (with “ignore prints” it counts as ${base})`
            : `part ${partId} is not in the catalogue`,
        );
      }
    }
    const k = `${partId}\u0000${colorId}`;
    const e = sum.get(k);
    if (e) e.quantity += quantityTotal;
    else {
      if (sum.size >= MAX_LIST_LINES) {
        throw new AppError(
          'invalid-input',
          `${name}:${line}: more than ${MAX_LIST_LINES.toLocaleString('en')} different parts and colours: this is not a set's part list.`,
        );
      }
      sum.set(k, { partId, colorId, quantity: quantityTotal });
    }
  };

  if (det.format === 'bricklink-xml' || det.format === 'bsx') {
    const bsx = det.format === 'bsx';
    const tag = bsx
      ? { type: 'ITEMTYPEID', id: 'ITEMID', color: 'COLORID', qty: 'QTY' }
      : { type: 'ITEMTYPE', id: 'ITEMID', color: 'COLOR', qty: 'QTY' };
    const gz = isGzip(await rawHead(file));
    for await (const it of readXmlItems(file, {
      encoding: det.encoding ?? 'utf-8',
      gz,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    })) {
      const f = it.fields;
      const type = (f[tag.type] ?? '').toUpperCase();
      const qtyText = f[tag.qty] ?? f.MINQTY ?? '';
      const itemId = f[tag.id] ?? '';
      if (type !== 'P') {
        rows++;
        miss(
          it.item,
          itemId,
          f[tag.color] ?? '',
          Number.parseInt(qtyText, 10) || 0,
          `item type ${type || '(none)'} is not a part`,
        );
        continue;
      }
      // BrickLink's set inventories mark the parts a set may hold instead of another (ALTERNATE)
      // and the extra pieces (EXTRA): an alternate is never needed; an extra piece is a spare.
      if (/^y/i.test(f.ALTERNATE ?? '')) {
        rows++;
        miss(it.item, itemId, f[tag.color] ?? '', Number.parseInt(qtyText, 10) || 0, 'an alternate of another item: not needed');
        continue;
      }
      add(
        it.item,
        {
          row: it.item,
          values: { part: itemId, color: f[tag.color] ?? (bsx ? '' : '0'), quantity: qtyText },
          labels: bsx
            ? { part: 'ItemID', color: 'ColorID', quantity: 'Qty' }
            : { part: 'ITEMID', color: 'COLOR', quantity: f[tag.qty] !== undefined ? 'QTY' : 'MINQTY' },
          colorSpace: 'bricklink',
        },
        /^y/i.test(f.EXTRA ?? ''),
      );
      if (ctx.signal?.aborted) throw new AppError('cancelled', 'Reading the list was cancelled.');
    }
  } else {
    if (det.missing.length) {
      throw new AppError(
        'invalid-input',
        `${name}: no column for ${det.missing.join(', ')} (a part list needs part, colour and quantity)`,
      );
    }
    const map = det.mapping;
    let spareCol = -1;
    let header: string[] | null = null;
    const handle = (r: TableRow) => {
      if (!header) {
        header = r.cells;
        spareCol = header.findIndex((h) => SPARE_HEADER.test(h));
        return;
      }
      if (r.cells.every((c) => c.trim() === '')) return;
      const cell = (i: number | null | undefined) => (i === null || i === undefined ? '' : (r.cells[i] ?? ''));
      const label = (i: number | null | undefined, f: string) => (i === null || i === undefined ? f : header![i] || f);
      const src: SourceRow = {
        row: r.row,
        values: { part: cell(map.part), color: cell(map.color), quantity: cell(map.quantity) },
        labels: { part: label(map.part, 'part'), color: label(map.color, 'color'), quantity: label(map.quantity, 'quantity') },
        colorSpace: 'rebrickable',
      };
      if (det.format !== 'xlsx' && r.cells.length < header.length) {
        src.problems = [{ field: '(row)', reason: `has ${r.cells.length} fields, the header has ${header.length}` }];
      }
      add(r.row, src, spareCol >= 0 && TRUE_TEXT.test(r.cells[spareCol] ?? ''));
    };
    if (det.format === 'xlsx') {
      for await (const r of readXlsx(file, {
        ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      })) {
        handle(r);
      }
    } else {
      const gz = isGzip(await rawHead(file));
      for await (const batch of readCsv(file, {
        encoding: det.encoding ?? 'utf-8',
        delimiter: det.delimiter ?? ',',
        gz,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      })) {
        for (const r of batch) handle(r);
      }
    }
    if (!header) throw new AppError('invalid-input', `${name}: the file is empty`);
  }
  return { name, format: det.format, parts: [...sum.values()], unmatched, unmatchedCount, rows };
}
