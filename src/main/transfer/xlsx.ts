// Reading an XLSX workbook with bounds. An XLSX file is a zip of XML parts, and a few megabytes
// of zip can declare (or, lying, produce) gigabytes of XML; a shared-string table can hold
// millions of strings that every cell then refers to. So the zip is read with yauzl part by part,
// checking each part's declared size before reading it and the bytes it actually produces while
// reading, and the XML is parsed with saxes as it streams, with limits on rows, cells, the
// shared-string table and the length of any one text. Whatever passes a limit stops the read
// at once with a message naming the file and the limit.
import { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import yauzl from 'yauzl';
import { AppError } from '../../shared/errors';
import { fileError } from '../util/errno';
import { baseName } from '../util/names';

export const XLSX_LIMITS = {
  /** All the parts read, uncompressed, together. */
  uncompressedBytes: 512 * 1024 * 1024,
  /** Zip entries in the workbook. */
  entries: 10_000,
  /** Worksheet rows (a million-row part list is fine). */
  rows: 2_000_000,
  /** Cells in the worksheet, all rows together. */
  cells: 40_000_000,
  /** Columns of one row (a part list has about ten). */
  columns: 1_000,
  /** Strings in the shared-string table. */
  sharedStrings: 1_000_000,
  /** Characters in the shared-string table, all strings together. */
  sharedStringChars: 32_000_000,
  /** Characters of one cell or shared string (Excel's own limit). */
  cellChars: 32_767,
  /** Characters of one row, all cells together. */
  rowChars: 1_000_000,
  /** The workbook index parts (workbook.xml and its relationships). */
  indexBytes: 4 * 1024 * 1024,
} as const;

export interface XlsxRow {
  /** The sheet's own row number. */
  row: number;
  cells: string[];
}

const n = (x: number) => x.toLocaleString('en-US');
const mb = (x: number) => `${Math.round(x / (1024 * 1024)).toLocaleString('en-US')} MB`;

interface Zip {
  file: yauzl.ZipFile;
  entries: Map<string, yauzl.Entry>;
}

function openZip(file: string, name: string): Promise<Zip> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) {
        const code = (err as NodeJS.ErrnoException | null)?.code;
        return reject(
          code
            ? fileError(err as NodeJS.ErrnoException, file)
            : new AppError('invalid-input', `${name}: not a readable XLSX workbook (${err?.message ?? 'not a zip'})`),
        );
      }
      const entries = new Map<string, yauzl.Entry>();
      zip.on('entry', (e: yauzl.Entry) => {
        if (entries.size >= XLSX_LIMITS.entries) {
          zip.close();
          return reject(
            new AppError('invalid-input', `${name}: the workbook has more than ${n(XLSX_LIMITS.entries)} parts; refused`),
          );
        }
        entries.set(e.fileName.replace(/^\/+/, ''), e);
        zip.readEntry();
      });
      zip.on('end', () => resolve({ file: zip, entries }));
      zip.on('error', (e: Error) => {
        zip.close();
        reject(new AppError('invalid-input', `${name}: not a readable XLSX workbook (${e.message})`));
      });
      zip.readEntry();
    });
  });
}

/** Counts every byte the parts produce against the workbook's total. */
class Budget {
  used = 0;
  constructor(private readonly name: string) {}
  claim(part: string, bytes: number): void {
    this.used += bytes;
    if (this.used > XLSX_LIMITS.uncompressedBytes) {
      throw new AppError(
        'invalid-input',
        `${this.name}: the workbook expands past ${mb(XLSX_LIMITS.uncompressedBytes)} uncompressed (at ${part}); refused`,
      );
    }
  }
}

/**
 * Streams one part of the zip through a saxes parser. `setup` attaches the handlers; `after`
 * runs after each chunk (to hand rows on). Stops at the first failure, keeping nothing else.
 */
async function* parsePart(
  zip: Zip,
  part: string,
  name: string,
  budget: Budget,
  maxBytes: number,
  setup: (p: SaxesParser, fail: (msg: string) => void) => void,
  signal?: AbortSignal,
): AsyncGenerator<void> {
  const entry = zip.entries.get(part);
  if (!entry) throw new AppError('invalid-input', `${name}: not a readable XLSX workbook (${part} is missing)`);
  if (entry.uncompressedSize > maxBytes) {
    throw new AppError(
      'invalid-input',
      `${name}: ${part} declares ${mb(entry.uncompressedSize)} uncompressed, more than the ${mb(maxBytes)} allowed; refused`,
    );
  }
  if (budget.used + entry.uncompressedSize > XLSX_LIMITS.uncompressedBytes) {
    throw new AppError(
      'invalid-input',
      `${name}: the workbook declares more than ${mb(XLSX_LIMITS.uncompressedBytes)} uncompressed; refused`,
    );
  }
  const stream = await new Promise<Readable>((resolve, reject) =>
    zip.file.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))),
  );
  const parser = new SaxesParser({ xmlns: false, position: true });
  // saxes gathers a text, CDATA section or comment whole before it reports it: read its buffer
  // after each slice, so one endless text is stopped while it grows, not after.
  const pending = parser as unknown as { text: string };
  let failure: AppError | null = null;
  const fail = (msg: string) => {
    if (!failure) failure = new AppError('invalid-input', `${name}: ${msg}; refused`);
  };
  parser.on('doctype', () => fail(`${part} has a DOCTYPE (entity definitions could expand without bound)`));
  parser.on('error', (e) => fail(`${part}: ${e.message.replace(/^.*?:\d+:\d+: /, '')}`));
  setup(parser, fail);
  const dec = new TextDecoder('utf-8', { fatal: true });
  let read = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw new AppError('cancelled', 'The import was cancelled.');
      read += chunk.length;
      // validateEntrySizes stops a part that produces more than it declared; this stops one that
      // declared nothing sensible, whatever yauzl makes of it.
      if (read > maxBytes) throw new AppError('invalid-input', `${name}: ${part} expands past ${mb(maxBytes)}; refused`);
      budget.claim(part, chunk.length);
      let text: string;
      try {
        text = dec.decode(chunk, { stream: true });
      } catch {
        throw new AppError('invalid-input', `${name}: ${part} is not valid UTF-8; refused`);
      }
      for (let i = 0; i < text.length && !failure; i += 64 * 1024) {
        try {
          parser.write(text.slice(i, i + 64 * 1024));
        } catch (e) {
          fail(`${part}: ${(e as Error).message.replace(/^.*?:\d+:\d+: /, '')}`);
        }
        if (pending.text.length > XLSX_LIMITS.cellChars)
          fail(`${part} holds a text longer than ${n(XLSX_LIMITS.cellChars)} characters`);
      }
      if (failure) throw failure;
      yield;
    }
    try {
      parser.close();
    } catch (e) {
      fail(`${part}: ${(e as Error).message.replace(/^.*?:\d+:\d+: /, '')}`);
    }
    if (failure) throw failure;
    yield;
  } catch (e) {
    if (e instanceof AppError) throw e;
    const msg = (e as Error).message;
    if (/too many bytes|too few bytes|invalid|compress/i.test(msg)) {
      throw new AppError('invalid-input', `${name}: ${part} does not hold what the zip declares (${msg}); refused`);
    }
    throw fileError(e as NodeJS.ErrnoException, name);
  } finally {
    stream.destroy();
  }
}

async function drain(it: AsyncGenerator<void>): Promise<void> {
  for await (const _ of it) void _;
}

const attr = (tag: SaxesTagPlain, local: string): string | undefined => {
  for (const [k, v] of Object.entries(tag.attributes)) if (k === local || k.endsWith(`:${local}`)) return String(v);
  return undefined;
};
const local = (tagName: string) => tagName.slice(tagName.indexOf(':') + 1);

/** The worksheets in tab order, each with the part that holds it; and the shared-string part. */
async function workbookIndex(
  zip: Zip,
  name: string,
  budget: Budget,
): Promise<{ sheets: { name: string; part: string }[]; strings: string | null }> {
  const sheets: { name: string; rid: string }[] = [];
  await drain(
    parsePart(zip, 'xl/workbook.xml', name, budget, XLSX_LIMITS.indexBytes, (p) => {
      p.on('opentag', (t) => {
        if (local(t.name) === 'sheet' && sheets.length < 1000)
          sheets.push({ name: attr(t, 'name') ?? '', rid: attr(t, 'id') ?? '' });
      });
    }),
  );
  const rels = new Map<string, { target: string; type: string }>();
  if (zip.entries.has('xl/_rels/workbook.xml.rels')) {
    await drain(
      parsePart(zip, 'xl/_rels/workbook.xml.rels', name, budget, XLSX_LIMITS.indexBytes, (p) => {
        p.on('opentag', (t) => {
          if (local(t.name) === 'Relationship' && rels.size < 10_000)
            rels.set(attr(t, 'Id') ?? '', { target: attr(t, 'Target') ?? '', type: attr(t, 'Type') ?? '' });
        });
      }),
    );
  }
  const resolve = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`).replace(/\/\.\//g, '/');
  const strings = [...rels.values()].find((r) => r.type.endsWith('/sharedStrings'));
  return {
    sheets: sheets.map((s, i) => {
      const rel = rels.get(s.rid);
      return { name: s.name, part: rel ? resolve(rel.target) : `xl/worksheets/sheet${i + 1}.xml` };
    }),
    strings: strings ? resolve(strings.target) : zip.entries.has('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml' : null,
  };
}

/** The shared-string table, read as it streams, within the limits. */
async function sharedStrings(zip: Zip, part: string, name: string, budget: Budget, signal?: AbortSignal): Promise<string[]> {
  const table: string[] = [];
  let chars = 0;
  let inSi = false;
  let inT = false;
  let phonetic = 0;
  let current = '';
  await drain(
    parsePart(
      zip,
      part,
      name,
      budget,
      XLSX_LIMITS.uncompressedBytes,
      (p, fail) => {
        p.on('opentag', (t) => {
          const l = local(t.name);
          if (l === 'si') {
            inSi = true;
            current = '';
          } else if (l === 'rPh') phonetic++;
          else if (l === 't' && inSi && !phonetic) inT = true;
        });
        const add = (s: string) => {
          if (!inT) return;
          current += s;
          if (current.length > XLSX_LIMITS.cellChars)
            fail(`a shared string is longer than ${n(XLSX_LIMITS.cellChars)} characters`);
        };
        p.on('text', add);
        p.on('cdata', add);
        p.on('closetag', (t) => {
          const l = local(t.name);
          if (l === 't') inT = false;
          else if (l === 'rPh') phonetic--;
          else if (l === 'si') {
            inSi = false;
            chars += current.length;
            if (table.length >= XLSX_LIMITS.sharedStrings) {
              return fail(`the shared-string table holds more than ${n(XLSX_LIMITS.sharedStrings)} strings`);
            }
            if (chars > XLSX_LIMITS.sharedStringChars) {
              return fail(`the shared-string table holds more than ${n(XLSX_LIMITS.sharedStringChars)} characters`);
            }
            table.push(current);
            current = '';
          }
        });
      },
      signal,
    ),
  );
  return table;
}

/** "BC12" → 54 (0-based column of a cell reference); -1 when there is none. */
function columnOf(ref: string | undefined): number {
  if (!ref) return -1;
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
    if (col > 16_384) return Number.MAX_SAFE_INTEGER;
  }
  return i === 0 ? -1 : col - 1;
}

/**
 * Rows of one worksheet: the one named `sheet`, else the first tab (empty rows are skipped, as
 * sheets have them). `onSheets` receives the worksheet names in tab order.
 */
export async function* readXlsxRows(
  file: string,
  opts: { signal?: AbortSignal; sheet?: string; onSheets?: (names: string[]) => void } = {},
): AsyncGenerator<XlsxRow> {
  const name = baseName(file);
  const zip = await openZip(file, name);
  try {
    const budget = new Budget(name);
    const index = await workbookIndex(zip, name, budget);
    opts.onSheets?.(index.sheets.map((s) => s.name));
    const pick = opts.sheet !== undefined ? index.sheets.find((s) => s.name === opts.sheet) : index.sheets[0];
    if (!pick) {
      if (opts.sheet !== undefined) {
        throw new AppError(
          'invalid-input',
          `${name}: there is no worksheet “${opts.sheet}” (${index.sheets.map((x) => x.name).join(', ')})`,
        );
      }
      throw new AppError('invalid-input', `${name}: the workbook has no worksheet`);
    }
    const strings =
      index.strings && zip.entries.has(index.strings) ? await sharedStrings(zip, index.strings, name, budget, opts.signal) : [];

    const out: XlsxRow[] = [];
    let rows = 0;
    let cells = 0;
    let row: { n: number; cells: string[]; chars: number } | null = null;
    let cell: { col: number; type: string; v: string; is: string } | null = null;
    let into: 'v' | 'is' | null = null;
    let phonetic = 0;
    let nextRow = 1;
    let nextCol = 0;
    const sheet = parsePart(
      zip,
      pick.part,
      name,
      budget,
      XLSX_LIMITS.uncompressedBytes,
      (p, fail) => {
        p.on('opentag', (t) => {
          const l = local(t.name);
          if (l === 'row') {
            const r = Number(attr(t, 'r'));
            row = { n: Number.isInteger(r) && r > 0 ? r : nextRow, cells: [], chars: 0 };
            nextRow = row.n + 1;
            nextCol = 0;
            if (++rows > XLSX_LIMITS.rows) fail(`the worksheet has more than ${n(XLSX_LIMITS.rows)} rows`);
          } else if (l === 'c' && row) {
            const c = columnOf(attr(t, 'r'));
            const col = c >= 0 ? c : nextCol;
            nextCol = col + 1;
            if (col >= XLSX_LIMITS.columns) return fail(`row ${row.n} has a cell past column ${n(XLSX_LIMITS.columns)}`);
            if (++cells > XLSX_LIMITS.cells) return fail(`the worksheet has more than ${n(XLSX_LIMITS.cells)} cells`);
            cell = { col, type: attr(t, 't') ?? 'n', v: '', is: '' };
          } else if (cell && l === 'v') into = 'v';
          else if (cell && l === 'rPh') phonetic++;
          else if (cell && l === 't' && !phonetic) into = 'is';
        });
        const add = (s: string) => {
          if (!cell || !into) return;
          cell[into] += s;
          if (cell[into].length > XLSX_LIMITS.cellChars)
            fail(`the cell in row ${row?.n ?? '?'} is longer than ${n(XLSX_LIMITS.cellChars)} characters`);
        };
        p.on('text', add);
        p.on('cdata', add);
        p.on('closetag', (t) => {
          const l = local(t.name);
          if (l === 'v' || l === 't') into = null;
          else if (l === 'rPh') phonetic--;
          else if (l === 'c' && cell && row) {
            const value = cellValue(cell, strings);
            if (value === null) return fail(`the cell in row ${row.n} refers to a shared string that does not exist`);
            row.chars += value.length;
            if (row.chars > XLSX_LIMITS.rowChars)
              return fail(`row ${row.n} is longer than ${n(XLSX_LIMITS.rowChars)} characters`);
            while (row.cells.length < cell.col) row.cells.push('');
            row.cells[cell.col] = value;
            cell = null;
          } else if (l === 'row' && row) {
            if (row.cells.some((c) => c.trim() !== '')) out.push({ row: row.n, cells: row.cells });
            row = null;
          }
        });
      },
      opts.signal,
    );
    for await (const _ of sheet) {
      void _;
      if (out.length) yield* out.splice(0, out.length);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw fileError(e as NodeJS.ErrnoException, file);
  } finally {
    zip.file.close();
  }
}

function cellValue(c: { type: string; v: string; is: string }, strings: string[]): string | null {
  switch (c.type) {
    case 's': {
      const i = Number(c.v);
      return Number.isInteger(i) && i >= 0 && i < strings.length ? strings[i]! : null;
    }
    case 'inlineStr':
      return c.is;
    case 'str':
      return c.v;
    case 'b':
      return c.v === '1' ? 'true' : c.v === '0' ? 'false' : c.v;
    case 'e':
      return '';
    default: {
      // Numbers as a spreadsheet shows them (1E3 → 1000); anything else as written.
      const v = c.v.trim();
      if (v === '') return '';
      const x = Number(v);
      return Number.isFinite(x) ? String(x) : v;
    }
  }
}
