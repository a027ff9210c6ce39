// Detection: what a file is (by content, not name), its encoding and delimiter, its header and
// a few sample rows, and which column holds which field.
import { parse as parseSync } from 'csv-parse/sync';
import type { Encoding, FileRef, ImportDetection, ImportFormat } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { isGzip, isZip, rawHead } from '../../util/file-head';
import { baseName } from '../../util/names';
import { missingFields, tabularFormat } from '../formats';
import { readXlsx } from '../readers';
import { decodeSample, detectDelimiter, detectEncoding, sniff } from '../text';
import type { ReadOptions } from './types';

interface Probe {
  gz: boolean;
  kind: 'text' | 'xlsx';
  encoding: Encoding | null;
  text: string;
}

async function probe(file: string, encoding?: Encoding): Promise<Probe> {
  const head = await sniff(file);
  if (isZip(head)) return { gz: false, kind: 'xlsx', encoding: null, text: '' };
  const gz = isGzip(await rawHead(file));
  const enc = encoding ?? detectEncoding(head);
  return { gz, kind: 'text', encoding: enc, text: decodeSample(head, enc) };
}

function xmlFormat(text: string): ImportFormat | null {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (!t.startsWith('<')) return null;
  if (/<\s*(BrickStoreXML|BrickStockXML)\b/i.test(t)) return 'bsx';
  if (/<\s*INVENTORY\b/i.test(t)) return 'bricklink-xml';
  return null;
}

function sampleRows(text: string, delimiter: string): string[][] {
  // The sample may end inside a row: parse whole lines only and forgive a cut final record.
  const lines = text.split(/\r?\n/).slice(0, 30).join('\n');
  try {
    return parseSync(lines, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to: 12 });
  } catch {
    return lines
      .split('\n')
      .slice(0, 12)
      .map((l) => l.split(delimiter));
  }
}

export async function detect(file: string, ref: FileRef, opts: ReadOptions): Promise<ImportDetection> {
  const name = baseName(file);
  const p = await probe(file, opts.encoding);
  const notes: string[] = [];
  const base = { file: ref, headers: [] as string[], sample: [] as string[][], sheets: [] as string[], notes };
  const xml = p.kind === 'text' ? xmlFormat(p.text) : null;
  let format: ImportFormat = opts.format ?? (p.kind === 'xlsx' ? 'xlsx' : (xml ?? 'csv'));
  if (p.kind === 'xlsx' && format !== 'xlsx') {
    throw new AppError('unsupported-format', `${name}: this is an XLSX workbook (or another zip), not ${format}`);
  }
  if (format === 'bricklink-xml' || format === 'bsx') {
    if (!xml) throw new AppError('unsupported-format', `${name}: not an XML file`);
    return {
      ...base,
      format,
      confident: xml === format,
      encoding: p.encoding,
      delimiter: null,
      mapping: {},
      missing: [],
    };
  }
  let rows: string[][];
  let delimiter: string | null = null;
  let delimiterSure = true;
  if (format === 'xlsx') {
    rows = [];
    for await (const r of readXlsx(file, {
      ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}),
      onSheets: (names) => base.sheets.push(...names),
    })) {
      rows.push(r.cells);
      if (rows.length >= 12) break;
    }
    if (base.sheets.length > 1)
      notes.push(`Reading the worksheet “${opts.sheet ?? base.sheets[0]}”; the workbook has ${base.sheets.length}.`);
  } else {
    if (xml) throw new AppError('unsupported-format', `${name}: this is an XML file, not a CSV file`);
    if (p.text.includes('\u0000')) throw new AppError('unsupported-format', `${name}: this is a binary file, not a CSV file`);
    const d = opts.delimiter ? { delimiter: opts.delimiter, confident: true } : detectDelimiter(p.text);
    delimiter = d.delimiter;
    delimiterSure = d.confident;
    rows = sampleRows(p.text, delimiter);
  }
  const header = rows[0] ?? [];
  if (!header.length || header.every((h) => !h.trim())) throw new AppError('invalid-input', `${name}: the file is empty`);
  const known = tabularFormat(header);
  if (format === 'csv' && !opts.format) format = known.format;
  const mapping = opts.mapping ?? (format === 'xlsx' || format === 'csv' ? tabularFormat(header).mapping : known.mapping);
  if ((format === 'rebrickable-csv' || format === 'blockshelf-csv') && known.format !== format) {
    throw new AppError(
      'unsupported-format',
      `${name}:1: the header is not a ${format === 'rebrickable-csv' ? 'Rebrickable part list' : 'BlockShelf CSV'} header`,
    );
  }
  for (const [field, i] of Object.entries(opts.mapping ?? {})) {
    if (typeof i === 'number' && i >= header.length) {
      throw new AppError(
        'invalid-input',
        `${name}: the column chosen for ${field} (${i + 1}) is past the last column (${header.length})`,
        {
          fields: [{ field: `mapping.${field}`, message: 'no such column' }],
        },
      );
    }
  }
  const missing = missingFields(mapping);
  if (p.encoding === 'windows-1252') notes.push('The file is not UTF-8: read as Windows-1252.');
  if (missing.length) notes.push(`No column found for: ${missing.join(', ')}. Choose the columns.`);
  return {
    ...base,
    format,
    confident: missing.length === 0 && delimiterSure,
    encoding: p.encoding,
    delimiter,
    headers: header,
    sample: rows.slice(1, 6),
    mapping,
    missing,
  };
}
