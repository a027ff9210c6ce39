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
import { once } from 'node:events';
import type { ExportFormat, ExportResult } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Lot } from '../../shared/types';
import type { ColorMaps } from '../colors/maps';
import { BLOCKSHELF_HEADER } from './formats';
import { neutralise } from './cells';
import { fileError } from '../util/errno';

const csvCell = (v: string | number | null): string => {
  const s = v === null ? '' : neutralise(String(v));
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
const csvLine = (cells: (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;

const xmlEscape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // Characters XML 1.0 cannot carry at all.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

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
  try {
    if (opts.format === 'xlsx') {
      await writeXlsx(tmp, lots, result, opts, check);
    } else {
      const out = createWriteStream(tmp, { encoding: 'utf8' });
      const failed = new Promise<never>((_, reject) => out.once('error', reject));
      failed.catch(() => undefined);
      const write = async (s: string) => {
        if (!out.write(s)) await Promise.race([once(out, 'drain'), failed]);
      };
      let n = 0;
      const tick = async () => {
        if (++n % 2000 === 0) {
          opts.progress?.(result.lots);
          check();
          await new Promise((r) => setImmediate(r));
        }
      };
      if (opts.format === 'blockshelf-csv') {
        // UTF-8 BOM: spreadsheets then read names with accents right; import strips it.
        await write(`\uFEFF${BLOCKSHELF_HEADER.join(',')}\r\n`);
        for (const l of lots) {
          await write(
            csvLine([l.name, l.partId, l.colorId, l.quantityTotal, l.quantityUsed, l.storageLocation, l.imageUrl, l.notes]),
          );
          result.lots++;
          result.rows++;
          await tick();
        }
      } else if (opts.format === 'rebrickable-csv') {
        await write('Part,Color,Quantity,Notes,Location,IsUsed,IsStickered\r\n');
        for (const l of lots) {
          const row = (qty: number, used: boolean) =>
            csvLine([l.partId, l.colorId, qty, l.notes, l.storageLocation, used ? 'True' : 'False', 'False']);
          // Rebrickable marks whole rows as used: a partly used lot becomes two rows.
          if (l.quantityUsed > 0 && l.quantityUsed < l.quantityTotal) {
            await write(row(l.quantityTotal - l.quantityUsed, false));
            await write(row(l.quantityUsed, true));
            result.rows += 2;
          } else {
            await write(row(l.quantityTotal, l.quantityTotal > 0 && l.quantityUsed === l.quantityTotal));
            result.rows++;
          }
          result.lots++;
          await tick();
        }
      } else {
        await write('<?xml version="1.0" encoding="UTF-8"?>\n<INVENTORY>\n');
        for (const l of lots) {
          const bl = opts.colors.toBrickLink(l.colorId);
          if (bl === null) {
            result.skipped.push({ partId: l.partId, colorId: l.colorId, reason: `colour ${l.colorName} has no BrickLink id` });
            continue;
          }
          await write(
            `  <ITEM>\n    <ITEMTYPE>P</ITEMTYPE>\n    <ITEMID>${xmlEscape(l.partId)}</ITEMID>\n    <COLOR>${bl}</COLOR>\n` +
              `    <MINQTY>${l.quantityTotal}</MINQTY>\n` +
              (l.storageLocation ? `    <REMARKS>${xmlEscape(l.storageLocation)}</REMARKS>\n` : '') +
              `    <NOTIFY>N</NOTIFY>\n  </ITEM>\n`,
          );
          result.lots++;
          result.rows++;
          await tick();
        }
        await write('</INVENTORY>\n');
      }
      out.end();
      await Promise.race([once(out, 'finish'), failed]);
      await new Promise<void>((resolve, reject) => out.close((e) => (e ? reject(e) : resolve())));
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

async function writeXlsx(
  tmp: string,
  lots: Iterable<Lot>,
  result: ExportResult,
  opts: ExportOptions,
  check: () => void,
): Promise<void> {
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
    if (result.lots % 2000 === 0) {
      opts.progress?.(result.lots);
      check();
      await new Promise((r) => setImmediate(r));
    }
  }
  ws.commit();
  await wb.commit();
}
