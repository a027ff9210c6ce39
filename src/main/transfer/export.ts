// Exports: BlockShelf CSV, Rebrickable part-list CSV (with Location and Notes), BrickLink XML
// wanted list (Rebrickable → BrickLink colours) and XLSX. Lots are streamed from the database
// (inventory.iterate) to a temporary file beside the target, which is renamed into place only
// when complete: a failed or cancelled export never leaves half a file under the chosen name.
//
// Every cell that a spreadsheet would run as a formula (starting with = + - @ tab or CR, and not
// a plain number) gets a leading apostrophe, in CSV and XLSX alike, part numbers included
// (cells.ts: one rule for every writer). Import takes the apostrophe off again, so round trips
// are exact.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify, type Options as CsvOptions } from 'csv-stringify';
import { fragment } from 'xmlbuilder2';
import type { ExportFormat, ExportResult } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Lot } from '../../shared/types';
import type { ColorMaps } from '../colors/maps';
import { BLOCKSHELF_HEADER } from './formats';
import { neutralise } from './cells';
import { fileError } from '../util/errno';

/**
 * The CSV dialect of every CSV export: comma, CRLF after every record (the last too), a field
 * quoted only when it holds a comma, a quote, CR or LF, quotes doubled. Every value goes through
 * neutralise (cells.ts), numbers included; csv-stringify's own `escape_formulas` is a different
 * rule and stays off.
 */
const csvOptions = (header: readonly string[], bom: boolean): CsvOptions => ({
  bom,
  header: true,
  columns: [...header],
  record_delimiter: '\r\n',
  // Off by default once record_delimiter is set: a lone LF or CR in a value would go out bare.
  quote_record_delimiter: true,
  cast: { string: (s) => neutralise(s), number: (n) => neutralise(String(n)) },
});

/**
 * Text for an xmlbuilder2 text node that comes back exactly as it went in.
 *
 * xmlbuilder2 escapes `<` and `>` but leaves alone an `&` that already looks like the start of
 * a reference (`&amp;`, `&copy;`, `&#38;`: it takes such text as escaped already), so a location
 * holding the characters `&amp;` would come back as `&`, and `&copy;` would make a file no XML
 * reader accepts. Encoding every `&` first makes that rule harmless; quotes are encoded as they
 * always were. Characters XML 1.0 cannot carry at all are dropped. Pinned by the export byte
 * and round-trip tests.
 */
const xmlText = (s: string) =>
  s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');

export interface ExportOptions {
  format: ExportFormat;
  colors: ColorMaps;
  signal?: AbortSignal;
  progress?: (done: number) => void;
}

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = {
  'blockshelf-csv': 'csv',
  'rebrickable-csv': 'csv',
  'bricklink-xml': 'xml',
  xlsx: 'xlsx',
};

export async function exportLots(file: string, lots: Iterable<Lot>, opts: ExportOptions): Promise<ExportResult> {
  const target = path.resolve(file);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const result: ExportResult = { file: path.basename(target), format: opts.format, lots: 0, rows: 0, skipped: [] };
  const check = () => {
    if (opts.signal?.aborted) throw new AppError('cancelled', 'The export was cancelled.');
  };
  // Every 2,000 lots report; every 8 ms of work honour a cancel and let other calls run, so the
  // thread that answers them never waits long whatever the machine's speed.
  let sliceStart = performance.now();
  const tick = async () => {
    if (result.lots % 2000 === 0) opts.progress?.(result.lots);
    if (result.lots % 64 === 0 && performance.now() - sliceStart > 8) {
      check();
      await new Promise((r) => setImmediate(r));
      sliceStart = performance.now();
    }
  };
  try {
    if (opts.format === 'xlsx') {
      await writeXlsx(tmp, lots, result, tick);
    } else {
      // Records (CSV) or text (XML) are pulled from the database as the file takes them:
      // pipeline() passes on backpressure, so memory stays flat however many lots there are.
      const out = createWriteStream(tmp);
      if (opts.format === 'blockshelf-csv') {
        await pipeline(Readable.from(blockShelfRecords(lots, result, tick)), stringify(csvOptions(BLOCKSHELF_HEADER, true)), out);
      } else if (opts.format === 'rebrickable-csv') {
        await pipeline(
          Readable.from(rebrickableRecords(lots, result, tick)),
          stringify(csvOptions(REBRICKABLE_HEADER, false)),
          out,
        );
      } else {
        await pipeline(Readable.from(brickLinkXml(lots, opts.colors, result, tick)), out);
      }
    }
    check();
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof AppError) throw e;
    throw fileError(e as NodeJS.ErrnoException, target);
  }
  return result;
}

const REBRICKABLE_HEADER = ['Part', 'Color', 'Quantity', 'Notes', 'Location', 'IsUsed', 'IsStickered'] as const;

type Cell = string | number | null;

// UTF-8 BOM (csvOptions): spreadsheets then read names with accents right; import strips it.
async function* blockShelfRecords(lots: Iterable<Lot>, result: ExportResult, tick: () => Promise<void>): AsyncGenerator<Cell[]> {
  for (const l of lots) {
    yield [l.name, l.partId, l.colorId, l.quantityTotal, l.quantityUsed, l.storageLocation, l.imageUrl, l.notes];
    result.lots++;
    result.rows++;
    await tick();
  }
}

async function* rebrickableRecords(lots: Iterable<Lot>, result: ExportResult, tick: () => Promise<void>): AsyncGenerator<Cell[]> {
  for (const l of lots) {
    const row = (qty: number, used: boolean): Cell[] => [
      l.partId,
      l.colorId,
      qty,
      l.notes,
      l.storageLocation,
      used ? 'True' : 'False',
      'False',
    ];
    // Rebrickable marks whole rows as used: a partly used lot becomes two rows.
    if (l.quantityUsed > 0 && l.quantityUsed < l.quantityTotal) {
      yield row(l.quantityTotal - l.quantityUsed, false);
      yield row(l.quantityUsed, true);
      result.rows += 2;
    } else {
      yield row(l.quantityTotal, l.quantityTotal > 0 && l.quantityUsed === l.quantityTotal);
      result.rows++;
    }
    result.lots++;
    await tick();
  }
}

// The wanted list's fixed frame; each batch of items between them is an xmlbuilder2 fragment.
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<INVENTORY>\n';
const XML_TAIL = '</INVENTORY>\n';
const XML_BATCH = 200;
const XML_LAYOUT = { prettyPrint: true, indent: '  ', newline: '\n', offset: 1 } as const;

/**
 * The BrickLink wanted list, pretty-printed as before, one fragment of up to 200 items at a
 * time. (xmlbuilder2's streaming callback builder is not used: its cost grows faster than the
 * number of items, minutes for 200,000 lots, where a fragment per batch stays linear.)
 */
async function* brickLinkXml(
  lots: Iterable<Lot>,
  colors: ColorMaps,
  result: ExportResult,
  tick: () => Promise<void>,
): AsyncGenerator<string> {
  yield XML_HEAD;
  let batch = fragment();
  let inBatch = 0;
  for (const l of lots) {
    const bl = colors.toBrickLink(l.colorId);
    if (bl === null) {
      result.skipped.push({ partId: l.partId, colorId: l.colorId, reason: `colour ${l.colorName} has no BrickLink id` });
      continue;
    }
    const item = batch.ele('ITEM');
    item.ele('ITEMTYPE').txt('P');
    item.ele('ITEMID').txt(xmlText(l.partId));
    item.ele('COLOR').txt(String(bl));
    item.ele('MINQTY').txt(String(l.quantityTotal));
    if (l.storageLocation) item.ele('REMARKS').txt(xmlText(l.storageLocation));
    item.ele('NOTIFY').txt('N');
    result.lots++;
    result.rows++;
    if (++inBatch === XML_BATCH) {
      yield `${batch.end(XML_LAYOUT)}\n`;
      batch = fragment();
      inBatch = 0;
    }
    await tick();
  }
  if (inBatch > 0) yield `${batch.end(XML_LAYOUT)}\n`;
  yield XML_TAIL;
}

/** Above this many bytes waiting in the sheet's zip entry, the export waits for it to drain. */
const XLSX_BUFFERED_MAX = 4 * 1048576;

/**
 * exceljs's streaming writer hands each committed row to the sheet's zip entry without waiting
 * for the compressor to take it: at a million rows 160 MB of sheet XML queued up in memory. The
 * entry is the first pipe of the worksheet's stream (exceljs 4.4); when it holds too much, wait
 * for it to drain. Without that shape (another exceljs), nothing is waited for.
 */
async function entryDrained(ws: unknown): Promise<void> {
  const entry = (ws as { _stream?: { pipes?: unknown[] } })._stream?.pipes?.[0] as
    { _writableState?: { length?: number; destroyed?: boolean } } | undefined;
  const state = entry?._writableState;
  // Polled rather than waiting for 'drain', so a stream that fails instead never leaves it hanging.
  while (state && typeof state.length === 'number' && state.length > XLSX_BUFFERED_MAX && !state.destroyed)
    await new Promise((r) => setTimeout(r, 5));
}

async function writeXlsx(tmp: string, lots: Iterable<Lot>, result: ExportResult, tick: () => Promise<void>): Promise<void> {
  // Loaded on first use: exceljs is large, and most commands never write a workbook.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.stream.xlsx.WorkbookWriter({ filename: tmp, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('Inventory', { views: [{ state: 'frozen', ySplit: 1 }] });
  // BlockShelf's CSV columns, plus the colour's name for people reading the sheet.
  ws.columns = [
    { header: 'name', key: 'name', width: 40 },
    { header: 'part_id', key: 'part', width: 14 },
    { header: 'color', key: 'color', width: 8 },
    { header: 'color_name', key: 'colorName', width: 22 },
    { header: 'quantity_total', key: 'total', width: 10 },
    { header: 'quantity_used', key: 'used', width: 10 },
    { header: 'storage_location', key: 'location', width: 36 },
    { header: 'image_url', key: 'image', width: 20 },
    { header: 'notes', key: 'notes', width: 30 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for (const l of lots) {
    // Text goes in as string cells, neutralised all the same: a sheet saved as CSV, or a cell
    // edited and confirmed, would otherwise turn it into a live formula.
    ws.addRow({
      name: neutralise(l.name),
      part: neutralise(l.partId),
      color: l.colorId,
      colorName: neutralise(l.colorName),
      total: l.quantityTotal,
      used: l.quantityUsed,
      location: neutralise(l.storageLocation),
      image: neutralise(l.imageUrl ?? ''),
      notes: neutralise(l.notes),
    }).commit();
    result.lots++;
    result.rows++;
    if (result.lots % 256 === 0) await entryDrained(ws);
    await tick();
  }
  ws.commit();
  await wb.commit();
}
