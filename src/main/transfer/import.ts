// The import pipeline: detect → read (streamed) → check every row → stage → preview → apply.
//
// Reading stages the valid rows, already merged by (part, colour, location), into a TEMP table
// in chunks, yielding to the event loop between chunks, so a million-row file neither sits in
// memory nor freezes the app. Applying runs in ONE transaction over the staged lots, in chunks
// with yields in between; while it runs the core refuses other calls (`busy`), so nothing else
// can write into the open transaction, and cancel or any failure rolls it all back.
import type Database from 'better-sqlite3';
import { parse as parseSync } from 'csv-parse/sync';
import type {
  ColumnMapping,
  Encoding,
  ImportDetection,
  ImportFormat,
  ImportMode,
  ImportPreview,
  ImportResult,
  ImportSampleLot,
  MappableField,
  RowProblem,
} from '../../shared/contract';
import { LIMITS, PART_ID_PATTERN, PART_ID_RULE } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { FileRef } from '../../shared/contract';
import { unneutralise } from './cells';
import { colorMaps, type ColorMaps } from './colors';
import { missingFields, tabularFormat } from './formats';
import { readCsv, readXlsx, readXmlItems, type TableRow } from './readers';
import { baseName, decodeSample, detectDelimiter, detectEncoding, isGzip, isZip, rawHead, sniff } from './text';
import { statSync } from 'node:fs';

export interface ReadOptions {
  format?: ImportFormat | undefined;
  encoding?: Encoding | undefined;
  delimiter?: string | undefined;
  sheet?: string | undefined;
  mapping?: ColumnMapping | undefined;
}

/** A row the file offers as a lot, before it is checked. */
interface SourceRow {
  row: number;
  values: Partial<Record<MappableField, string>>;
  /** The file's own name of each field, for reports (`Quantity`, `quantity_total`, `QTY`). */
  labels: Partial<Record<MappableField, string>>;
  colorSpace: 'rebrickable' | 'bricklink';
  /** Raw problems found while reading (ragged rows). */
  problems?: { field: string; reason: string }[];
}

interface NonPart {
  row: number;
  type: string;
  itemId: string;
}

export interface CheckedLot {
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

const NUMBER_INT = /^\s*\+?\d+(\.0+)?\s*$/;
const BOOL_TRUE = new Set(['true', '1', 'yes', 'y', 'x']);
const BOOL_FALSE = new Set(['false', '0', 'no', 'n', '']);

export const MAX_REPORTED_PROBLEMS = 10_000;
/** Distinct unknown colours and non-part items listed (counts stay exact in the totals). */
const MAX_DISTINCT = 1000;

/** Checks one row. Returns the lot or the problems (field + reason) that keep it out. */
export function checkRow(
  src: SourceRow,
  colors: ColorMaps,
): { lot: CheckedLot | null; problems: { field: string; reason: string }[]; unknownColor?: string } {
  const problems: { field: string; reason: string }[] = [...(src.problems ?? [])];
  const label = (f: MappableField) => src.labels[f] ?? f;
  const v = (f: MappableField) => src.values[f] ?? '';
  const bad = (f: MappableField, reason: string) => problems.push({ field: label(f), reason });

  const partId = unneutralise(v('part').trim());
  if (!partId) bad('part', 'is empty');
  else if (partId.length > LIMITS.partId) bad('part', `is longer than ${LIMITS.partId} characters`);
  else if (!PART_ID_PATTERN.test(partId)) bad('part', PART_ID_RULE);

  const colorText = v('color').trim();
  let colorId: number | null = null;
  let unknownColor: string | undefined;
  if (!colorText) bad('color', 'is empty');
  else {
    colorId = src.colorSpace === 'bricklink' ? colors.fromBrickLink(colorText) : colors.resolve(colorText);
    if (colorId === null) {
      unknownColor = src.colorSpace === 'bricklink' ? `BrickLink ${colorText}` : colorText;
      bad(
        'color',
        src.colorSpace === 'bricklink'
          ? `BrickLink colour ${colorText} has no Rebrickable counterpart`
          : `unknown colour “${colorText}”`,
      );
    }
  }

  const qtyText = v('quantity');
  let quantityTotal = 0;
  if (qtyText.trim() === '') bad('quantity', 'is empty');
  else if (/^\s*-\s*\d/.test(qtyText)) bad('quantity', `is negative (${qtyText.trim()})`);
  else if (!NUMBER_INT.test(qtyText)) bad('quantity', `“${qtyText.trim().slice(0, 40)}” is not a whole number`);
  else {
    quantityTotal = Math.trunc(Number(qtyText));
    if (quantityTotal > LIMITS.quantity) bad('quantity', `is larger than ${LIMITS.quantity}`);
  }

  let quantityUsed = 0;
  const usedText = v('used');
  if (usedText.trim() !== '') {
    if (/^\s*-\s*\d/.test(usedText)) bad('used', `is negative (${usedText.trim()})`);
    else if (!NUMBER_INT.test(usedText)) bad('used', `“${usedText.trim().slice(0, 40)}” is not a whole number`);
    else {
      quantityUsed = Math.trunc(Number(usedText));
      if (quantityUsed > quantityTotal) bad('used', `${quantityUsed} is more than the quantity ${quantityTotal}`);
    }
  } else if (src.values.isUsed !== undefined) {
    const flag = v('isUsed').trim().toLowerCase();
    if (BOOL_TRUE.has(flag)) quantityUsed = quantityTotal;
    else if (!BOOL_FALSE.has(flag)) bad('isUsed', `“${v('isUsed').slice(0, 40)}” is not True or False`);
  }

  const storageLocation = unneutralise(v('location').trim());
  if (storageLocation.length > LIMITS.location) bad('location', `is longer than ${LIMITS.location} characters`);
  const name = unneutralise(v('name').trim());
  if (name.length > LIMITS.name) bad('name', `is longer than ${LIMITS.name} characters`);
  const notes = unneutralise(v('notes'));
  if (notes.length > LIMITS.notes) bad('notes', `is longer than ${LIMITS.notes} characters`);
  const imageUrl = v('imageUrl').trim();
  if (imageUrl && !/^https?:\/\//i.test(imageUrl)) bad('imageUrl', 'is not an http(s) address');
  else if (imageUrl.length > LIMITS.imageUrl) bad('imageUrl', `is longer than ${LIMITS.imageUrl} characters`);

  if (problems.length) return { lot: null, problems, ...(unknownColor ? { unknownColor } : {}) };
  return {
    lot: {
      row: src.row,
      partId,
      colorId: colorId!,
      quantityTotal,
      quantityUsed,
      storageLocation,
      name,
      notes,
      imageUrl: imageUrl || null,
    },
    problems,
  };
}

// ---------------------------------------------------------------------------------------------
// Detection

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
    if (base.sheets.length > 1) notes.push(`Reading the worksheet “${opts.sheet ?? base.sheets[0]}”; the workbook has ${base.sheets.length}.`);
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
    throw new AppError('unsupported-format', `${name}:1: the header is not a ${format === 'rebrickable-csv' ? 'Rebrickable part list' : 'BlockShelf CSV'} header`);
  }
  for (const [field, i] of Object.entries(opts.mapping ?? {})) {
    if (typeof i === 'number' && i >= header.length) {
      throw new AppError('invalid-input', `${name}: the column chosen for ${field} (${i + 1}) is past the last column (${header.length})`, {
        fields: [{ field: `mapping.${field}`, message: 'no such column' }],
      });
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

// ---------------------------------------------------------------------------------------------
// Reading a whole file into a staging table

export interface Progress {
  (phase: string, done: number, total: number | null): void;
}

export interface StageResult {
  format: ImportFormat;
  file: string;
  rows: number;
  valid: number;
  invalidCount: number;
  invalid: RowProblem[];
  unknownColors: Map<string, number>;
  nonParts: Map<string, { type: string; itemId: string; rows: number }>;
  table: string;
}

let stageSeq = 0;
const CHUNK = 5000;
const yieldLoop = () => new Promise<void>((r) => setImmediate(r));

function createStage(sqlite: Database.Database): string {
  const table = `import_stage_${process.pid}_${++stageSeq}`;
  sqlite.exec(`CREATE TEMP TABLE ${table} (
    id INTEGER PRIMARY KEY,
    first_row INTEGER NOT NULL,
    part_id TEXT NOT NULL,
    color_id INTEGER NOT NULL,
    location TEXT NOT NULL,
    qty INTEGER NOT NULL,
    used INTEGER NOT NULL,
    name TEXT NOT NULL,
    notes TEXT NOT NULL,
    image_url TEXT,
    rows INTEGER NOT NULL DEFAULT 1,
    existing INTEGER,
    UNIQUE (part_id, color_id, location)
  )`);
  return table;
}

export function dropStage(sqlite: Database.Database, table: string): void {
  if (sqlite.open) sqlite.exec(`DROP TABLE IF EXISTS temp.${table}`);
}

async function* sourceRows(
  file: string,
  opts: ReadOptions,
  det: ImportDetection,
  onBytes: (n: number) => void,
  signal: AbortSignal | undefined,
  nonParts: (np: NonPart) => void,
): AsyncGenerator<SourceRow[]> {
  const p = await probe(file, opts.encoding);
  const enc = det.encoding ?? 'utf-8';
  if (det.format === 'bricklink-xml' || det.format === 'bsx') {
    const bsx = det.format === 'bsx';
    const tag = bsx
      ? { type: 'ITEMTYPEID', id: 'ITEMID', color: 'COLORID', qty: 'QTY', loc: 'REMARKS', notes: 'COMMENTS', name: 'ITEMNAME' }
      : { type: 'ITEMTYPE', id: 'ITEMID', color: 'COLOR', qty: 'QTY', loc: 'REMARKS', notes: 'NOTES', name: 'ITEMNAME' };
    const labels = bsx
      ? { part: 'ItemID', color: 'ColorID', quantity: 'Qty', location: 'Remarks', notes: 'Comments', name: 'ItemName' }
      : { part: 'ITEMID', color: 'COLOR', quantity: 'QTY', location: 'REMARKS', notes: 'NOTES', name: 'ITEMNAME' };
    let batch: SourceRow[] = [];
    for await (const it of readXmlItems(file, { encoding: enc, gz: p.gz, onBytes, ...(signal ? { signal } : {}) })) {
      if (batch.length >= 1000) {
        yield batch;
        batch = [];
      }
      const f = it.fields;
      const type = (f[tag.type] ?? '').toUpperCase();
      if (type !== 'P') {
        nonParts({ row: it.item, type: type || '(none)', itemId: f[tag.id] ?? '' });
        continue;
      }
      const qtyKey = f[tag.qty] !== undefined ? tag.qty : 'MINQTY';
      batch.push({
        row: it.item,
        values: {
          part: f[tag.id] ?? '',
          color: f[tag.color] ?? (bsx ? '' : '0'),
          quantity: f[qtyKey] ?? '',
          location: f[tag.loc] ?? '',
          notes: f[tag.notes] ?? '',
          name: f[tag.name] ?? '',
        },
        labels: { ...labels, quantity: qtyKey === 'MINQTY' ? 'MINQTY' : labels.quantity },
        colorSpace: 'bricklink',
      });
    }
    if (batch.length) yield batch;
    return;
  }
  const batches: AsyncGenerator<TableRow[]> =
    det.format === 'xlsx'
      ? inBatches(readXlsx(file, { ...(signal ? { signal } : {}), ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}) }))
      : readCsv(file, { encoding: enc, delimiter: det.delimiter ?? ',', gz: p.gz, onBytes, ...(signal ? { signal } : {}) });
  let header: string[] | null = null;
  const mapping = det.mapping;
  const fields = Object.entries(mapping).filter(([, i]) => i !== null && i !== undefined) as [MappableField, number][];
  let labels: Partial<Record<MappableField, string>> = {};
  for await (const rows of batches) {
    const out: SourceRow[] = [];
    for (const r of rows) {
      if (!header) {
        header = r.cells;
        labels = Object.fromEntries(fields.map(([f, i]) => [f, (header![i] ?? f).trim() || f]));
        continue;
      }
      if (r.cells.length === 1 && r.cells[0]!.trim() === '') continue; // blank line
      const values: Partial<Record<MappableField, string>> = {};
      for (const [f, i] of fields) values[f] = r.cells[i] ?? '';
      let problems: { field: string; reason: string }[] | undefined;
      if (det.format !== 'xlsx' && r.cells.length !== header.length) {
        if (r.cells.length < header.length || r.cells.slice(header.length).some((c) => c.trim() !== '')) {
          problems = [{ field: '(row)', reason: `has ${r.cells.length} fields, the header has ${header.length}` }];
        }
      }
      out.push({ row: r.row, values, labels, colorSpace: 'rebrickable', ...(problems ? { problems } : {}) });
    }
    if (out.length) yield out;
  }
  if (!header) throw new AppError('invalid-input', `${baseName(file)}: the file is empty`);
}

async function* inBatches<T>(it: AsyncIterable<T>, size = 1000): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const x of it) {
    batch.push(x);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Reads, checks and stages a whole file. The caller drops the stage table when done with it. */
export async function stageFile(
  sqlite: Database.Database,
  file: string,
  det: ImportDetection,
  opts: ReadOptions & { colors: readonly { id: number; name: string }[]; signal?: AbortSignal; progress?: Progress },
): Promise<StageResult> {
  const name = baseName(file);
  const colors = colorMaps(opts.colors);
  const table = createStage(sqlite);
  const upsert = sqlite.prepare(
    `INSERT INTO temp.${table} (first_row, part_id, color_id, location, qty, used, name, notes, image_url)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (part_id, color_id, location) DO UPDATE SET
       qty = qty + excluded.qty, used = used + excluded.used, rows = rows + 1,
       name = CASE WHEN name = '' THEN excluded.name ELSE name END,
       notes = CASE WHEN notes = '' THEN excluded.notes ELSE notes END,
       image_url = coalesce(image_url, excluded.image_url)`,
  );
  const flush = sqlite.transaction((lots: CheckedLot[]) => {
    for (const l of lots) {
      upsert.run(l.row, l.partId, l.colorId, l.storageLocation, l.quantityTotal, l.quantityUsed, l.name, l.notes, l.imageUrl);
    }
  });
  const size = (() => {
    try {
      return statSync(file).size;
    } catch {
      return null;
    }
  })();
  let bytes = 0;
  let lastEmit = 0;
  const invalid: RowProblem[] = [];
  let invalidCount = 0;
  const unknownColors = new Map<string, number>();
  const nonParts = new Map<string, { type: string; itemId: string; rows: number }>();
  let rows = 0;
  let valid = 0;
  let batch: CheckedLot[] = [];
  const emit = (force = false) => {
    const t = performance.now();
    if (force || t - lastEmit > 100) {
      lastEmit = t;
      opts.progress?.('reading', size === null ? rows : Math.min(bytes, size), size);
    }
  };
  try {
    emit(true);
    for await (const srcs of sourceRows(file, opts, det, (n) => (bytes += n), opts.signal, (np) => {
      rows++;
      const key = `${np.type}\u0000${np.itemId}`;
      const e = nonParts.get(key);
      if (e) e.rows++;
      else if (nonParts.size < MAX_DISTINCT) nonParts.set(key, { type: np.type, itemId: np.itemId, rows: 1 });
    })) {
      for (const src of srcs) {
        rows++;
        const checked = checkRow(src, colors);
        if (checked.lot) {
          valid++;
          batch.push(checked.lot);
        } else {
          invalidCount++;
          const uc = checked.unknownColor;
          if (uc && (unknownColors.has(uc) || unknownColors.size < MAX_DISTINCT)) unknownColors.set(uc, (unknownColors.get(uc) ?? 0) + 1);
          for (const p of checked.problems) {
            if (invalid.length < MAX_REPORTED_PROBLEMS) invalid.push({ file: name, row: src.row, field: p.field, reason: p.reason });
          }
        }
      }
      if (batch.length >= CHUNK) {
        flush(batch);
        batch = [];
        emit();
        await yieldLoop();
      }
      if (opts.signal?.aborted) throw new AppError('cancelled', 'The import was cancelled.');
    }
    if (batch.length) flush(batch);
    emit(true);
  } catch (e) {
    dropStage(sqlite, table);
    throw e;
  }
  return { format: det.format, file: name, rows, valid, invalidCount, invalid, unknownColors, nonParts, table };
}

// ---------------------------------------------------------------------------------------------
// Preview and apply

/** What applying a stage would do. Whole-stage passes run in chunks with yields between them. */
export async function previewStage(
  sqlite: Database.Database,
  stage: StageResult,
  ownerId: number,
  mode: ImportMode,
  importId: string,
): Promise<ImportPreview> {
  const t = `temp.${stage.table}`;
  const lots = sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  const maxId = sqlite.prepare(`SELECT coalesce(max(id), 0) FROM ${t}`).pluck().get() as number;
  const catalogLoaded = (sqlite.prepare('SELECT EXISTS (SELECT 1 FROM parts)').pluck().get() as number) === 1;
  const mergedIn = sqlite.prepare(
    `SELECT count(*) FROM ${t} s WHERE s.id BETWEEN ? AND ? AND EXISTS (SELECT 1 FROM inventory_items i
      WHERE i.user_id = ? AND i.part_id = s.part_id AND i.color_id = s.color_id AND i.storage_location = s.location)`,
  );
  const unknownIn = sqlite.prepare(
    `SELECT part_id AS partId, rows FROM ${t} s WHERE s.id BETWEEN ? AND ?
      AND NOT EXISTS (SELECT 1 FROM parts p WHERE p.part_num = s.part_id)`,
  );
  let merged = 0;
  const unknown = new Map<string, number>();
  const step = 20_000;
  for (let a = 1; a <= maxId; a += step) {
    merged += mergedIn.pluck().get(a, a + step - 1, ownerId) as number;
    if (catalogLoaded) {
      for (const u of unknownIn.all(a, a + step - 1) as { partId: string; rows: number }[]) {
        if (unknown.has(u.partId) || unknown.size < 500) unknown.set(u.partId, (unknown.get(u.partId) ?? 0) + u.rows);
      }
    }
    if (a + step <= maxId) await yieldLoop();
  }
  const unknownParts = [...unknown]
    .map(([partId, rows]) => ({ partId, rows }))
    .sort((x, y) => (x.partId < y.partId ? -1 : x.partId > y.partId ? 1 : 0));
  const sample = sqlite
    .prepare(
      `SELECT s.first_row AS row, s.part_id AS partId, s.color_id AS colorId, c.name AS colorName,
              s.qty AS quantityTotal, s.used AS quantityUsed, s.location AS storageLocation, s.name AS name,
              EXISTS (SELECT 1 FROM inventory_items i WHERE i.user_id = ? AND i.part_id = s.part_id
                AND i.color_id = s.color_id AND i.storage_location = s.location) AS existing
         FROM ${t} s JOIN colors c ON c.id = s.color_id ORDER BY s.id LIMIT 50`,
    )
    .all(ownerId) as (Omit<ImportSampleLot, 'action'> & { existing: number })[];
  return {
    importId,
    file: stage.file,
    format: stage.format,
    mode,
    rows: stage.rows,
    valid: stage.valid,
    lots,
    newLots: lots - merged,
    mergedLots: merged,
    invalidCount: stage.invalidCount,
    invalid: stage.invalid.slice(0, 1000),
    unknownColors: [...stage.unknownColors].map(([value, rows]) => ({ value, rows })),
    unknownParts,
    nonParts: [...stage.nonParts.values()],
    sample: sample.map(({ existing, ...l }) => ({ ...l, action: existing ? (mode === 'add' ? 'merge' : 'replace') : 'new' })),
    catalogLoaded,
  };
}

/** The search index's insert trigger as migration 0001 creates it. */
const FTS_AI_TRIGGER = `CREATE TRIGGER \`inventory_items_fts_ai\` AFTER INSERT ON \`inventory_items\` BEGIN
  INSERT INTO inventory_fts (rowid, name, part_id, color_name, storage_location)
  VALUES (new.id, new.name, new.part_id, new.color_name, new.storage_location);
END`;
const normSql = (s: string) => s.replace(/[`"]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
/** From this many staged lots on, the search index is filled in bulk. */
export const BULK_FTS_MIN_LOTS = 2000;
/** Up to this many lots an import keeps its dirty pages in memory (cache_spill off). */
const NO_SPILL_MAX_LOTS = 2_000_000;
/**
 * From this many staged lots on, and when they are at least BULK_INDEX_MIN_SHARE of the lots
 * already in inventory_items (all profiles: an index is rebuilt over the whole table), the
 * secondary indexes are dropped for the apply and rebuilt at its end. Measured into an empty
 * inventory: 200k lots cost the same CPU either way, 1M lots 15% less CPU and 43% less time
 * (docs/PERFORMANCE.md); below 100k the rebuild of the lots already there is not worth it.
 */
export const BULK_INDEX_MIN_LOTS = 100_000;
export const BULK_INDEX_MIN_SHARE = 0.5;

export interface SavedIndex {
  name: string;
  sql: string;
}

/**
 * The secondary indexes of `table` that can be dropped for a bulk load and rebuilt from their
 * own SQL: those made by CREATE INDEX (not a PRIMARY KEY or UNIQUE constraint's automatic index)
 * and not UNIQUE (a UNIQUE index is a constraint the load must keep checking). Read from the
 * schema at run time, so later migrations that change the index set are followed.
 */
export function droppableIndexes(sqlite: Database.Database, table: string): SavedIndex[] {
  const list = sqlite.prepare(`SELECT name, "unique", origin FROM pragma_index_list(?)`).all(table) as {
    name: string;
    unique: number;
    origin: string;
  }[];
  const sqlOf = sqlite.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND tbl_name = ?`).pluck();
  const out: SavedIndex[] = [];
  for (const ix of list) {
    if (ix.origin !== 'c' || ix.unique) continue;
    const sql = sqlOf.get(ix.name, table) as string | null | undefined;
    if (sql) out.push({ name: ix.name, sql });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const quoteId = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface ApplyCounts {
  created: number;
  merged: number;
  replaced: number;
}

/**
 * Applies a staged import in one transaction, in chunks with yields between them. The caller
 * must keep every other writer off the connection meanwhile (the core's exclusive gate).
 */
export async function applyStage(
  sqlite: Database.Database,
  stage: StageResult,
  ownerId: number,
  mode: ImportMode,
  now: number,
  opts: {
    signal?: AbortSignal;
    progress?: Progress;
    chunk?: number;
    /** Drop and rebuild the secondary indexes: by size (default), always, or never. */
    bulkIndexes?: 'auto' | boolean;
    /** Test hook: called inside the transaction once the rows are in, before the indexes are rebuilt. */
    beforeReindex?: () => void;
  } = {},
): Promise<ApplyCounts> {
  const t = `temp.${stage.table}`;
  const chunk = opts.chunk ?? 5_000;
  const maxId = (sqlite.prepare(`SELECT coalesce(max(id), 0) FROM ${t}`).pluck().get() as number) ?? 0;
  const total = sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  // Quantities that would pass the limit: checked chunk by chunk (any hit rolls everything back).
  const tooBig = sqlite.prepare(
    `SELECT s.first_row AS row, s.part_id AS partId FROM ${t} s
      LEFT JOIN inventory_items i ON i.id = s.existing
      WHERE s.id BETWEEN @a AND @b AND s.qty + (CASE WHEN @mode = 'add' THEN coalesce(i.quantity_total, 0) ELSE 0 END) > @max LIMIT 1`,
  );
  const markExisting = sqlite.prepare(
    `UPDATE ${t} AS s SET existing = (SELECT i.id FROM inventory_items i WHERE i.user_id = @u AND i.part_id = s.part_id
       AND i.color_id = s.color_id AND i.storage_location = s.location) WHERE s.id BETWEEN @a AND @b`,
  );
  // Matching lots are updated one by one by id: an UPDATE … FROM join lets the planner scan the
  // whole inventory per chunk, which grows quadratically on big imports.
  const matches = sqlite.prepare(
    `SELECT existing, qty, used, name, notes, image_url AS imageUrl FROM ${t} WHERE id BETWEEN ? AND ? AND existing IS NOT NULL`,
  );
  const update = sqlite.prepare(
    mode === 'add'
      ? `UPDATE inventory_items SET quantity_total = quantity_total + @qty, quantity_used = quantity_used + @used,
           name = CASE WHEN name = '' THEN @name ELSE name END,
           notes = CASE WHEN notes = '' THEN @notes ELSE notes END,
           image_url = coalesce(image_url, @imageUrl), updated_at = @t
         WHERE id = @existing`
      : `UPDATE inventory_items SET quantity_total = @qty, quantity_used = @used,
           name = CASE WHEN @name <> '' THEN @name ELSE name END,
           notes = CASE WHEN @notes <> '' THEN @notes ELSE notes END,
           image_url = coalesce(@imageUrl, image_url), updated_at = @t
         WHERE id = @existing`,
  );
  const insert = sqlite.prepare(
    `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
       storage_location, notes, image_url, created_at, updated_at)
     SELECT @u, s.part_id, s.color_id, c.name,
            CASE WHEN s.name <> '' THEN s.name
                 ELSE coalesce((SELECT substr(p.name, 1, ${LIMITS.name}) FROM parts p WHERE p.part_num = s.part_id), '') END,
            s.qty, s.used, s.location, s.notes, s.image_url, @t, @t
       FROM ${t} AS s JOIN colors c ON c.id = s.color_id
      WHERE s.id BETWEEN @a AND @b AND s.existing IS NULL ORDER BY s.id`,
  );
  // Big imports fill the FTS5 search index in bulk, chunk by chunk, instead of row by row through
  // its AFTER INSERT trigger (3-4x faster; measured in bench/import.ts). The trigger is dropped and
  // re-created inside the same transaction, so a rollback restores it; only a trigger of exactly
  // the expected shape is handled so, any other falls back to the row-by-row path.
  const triggerSql = sqlite
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'inventory_items_fts_ai'`)
    .pluck()
    .get() as string | undefined;
  const bulkFts = total >= BULK_FTS_MIN_LOTS && triggerSql !== undefined && normSql(triggerSql) === normSql(FTS_AI_TRIGGER);
  const ftsFill = bulkFts
    ? sqlite.prepare(
        `INSERT INTO inventory_fts (rowid, name, part_id, color_name, storage_location)
         SELECT id, name, part_id, color_name, storage_location FROM inventory_items WHERE id > ?`,
      )
    : null;
  const maxLotId = sqlite.prepare('SELECT coalesce(max(id), 0) FROM inventory_items').pluck();
  // Big loads drop the non-unique secondary indexes and rebuild them at the end: SQLite builds an
  // index by sorting, many times faster than inserting a million keys one by one into ten B-trees.
  // The DROP and CREATE run inside the same transaction, so a cancel or failure restores them.
  // Statistics of the dropped indexes (sqlite_stat1/4, if ANALYZE ever ran) are saved and put back.
  const existingLots = () => maxLotId.get() as number; // an upper bound of the row count, O(1)
  const bulkIndexes =
    opts.bulkIndexes === true ||
    ((opts.bulkIndexes ?? 'auto') === 'auto' && total >= BULK_INDEX_MIN_LOTS && total >= BULK_INDEX_MIN_SHARE * existingLots());
  let created = 0;
  let touched = 0;
  let done = 0;
  // A long transaction whose dirty pages outgrow the page cache spills them to the WAL and writes
  // them again and again: big imports got quadratically slower. Keep them in memory instead (up
  // to a bound; the pages are written once, at commit).
  const spill = sqlite.pragma('cache_spill', { simple: true }) as number;
  const noSpill = total <= NO_SPILL_MAX_LOTS;
  if (noSpill) sqlite.pragma('cache_spill = OFF');
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    if (bulkFts) sqlite.exec('DROP TRIGGER inventory_items_fts_ai');
    // Read inside the transaction: the schema cannot change between reading and dropping.
    const saved = bulkIndexes ? droppableIndexes(sqlite, 'inventory_items') : [];
    const statTables = saved.length
      ? (sqlite
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('sqlite_stat1', 'sqlite_stat4')`)
          .pluck()
          .all() as string[])
      : [];
    const names = JSON.stringify(saved.map((ix) => ix.name));
    const stats = statTables.map((st) => ({
      table: st,
      rows: sqlite
        .prepare(`SELECT * FROM ${st} WHERE tbl = 'inventory_items' AND idx IN (SELECT value FROM json_each(?))`)
        .all(names) as Record<string, unknown>[],
    }));
    for (const ix of saved) sqlite.exec(`DROP INDEX main.${quoteId(ix.name)}`);
    opts.progress?.('applying', 0, total);
    for (let a = 1; a <= maxId; a += chunk) {
      const b = a + chunk - 1;
      markExisting.run({ u: ownerId, a, b });
      const over = tooBig.get({ a, b, mode, max: LIMITS.quantity }) as { row: number; partId: string } | undefined;
      if (over) {
        throw new AppError('invalid-input', `${stage.file}:${over.row}: quantity: ${over.partId} would hold more than ${LIMITS.quantity} pieces`);
      }
      for (const m of matches.all(a, b) as { existing: number; qty: number; used: number; name: string; notes: string; imageUrl: string | null }[]) {
        touched += update.run({ ...m, t: now }).changes;
      }
      const before = ftsFill ? (maxLotId.get() as number) : 0;
      const n = insert.run({ u: ownerId, t: now, a, b }).changes;
      if (ftsFill && n) ftsFill.run(before);
      created += n;
      done = Math.min(total, done + chunk);
      opts.progress?.('applying', done, total);
      await yieldLoop();
      if (opts.signal?.aborted) throw new AppError('cancelled', 'The import was cancelled; nothing was changed.');
    }
    opts.beforeReindex?.();
    for (let i = 0; i < saved.length; i++) {
      opts.progress?.('indexing', i, saved.length);
      sqlite.exec(saved[i]!.sql);
      await yieldLoop();
      if (opts.signal?.aborted) throw new AppError('cancelled', 'The import was cancelled; nothing was changed.');
    }
    if (saved.length) opts.progress?.('indexing', saved.length, saved.length);
    for (const st of stats) {
      if (!st.rows.length) continue;
      const cols = Object.keys(st.rows[0]!);
      const put = sqlite.prepare(`INSERT INTO ${st.table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
      for (const r of st.rows) put.run(r);
    }
    if (bulkFts) sqlite.exec(triggerSql!);
    sqlite.exec('COMMIT');
  } catch (e) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw e;
  } finally {
    if (noSpill) sqlite.pragma(`cache_spill = ${Number(spill)}`);
  }
  return mode === 'add' ? { created, merged: touched, replaced: 0 } : { created, merged: 0, replaced: touched };
}

export type { ImportResult };
