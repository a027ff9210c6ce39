// Readers turn a file into rows, streamed: CSV (csv-parse over a decoding stream), XLSX (one
// worksheet, read within limits by xlsx.ts) and XML (saxes; a DOCTYPE is refused, so no
// entity can expand). None of them holds the whole file in memory.
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { SaxesParser } from 'saxes';
import type { Encoding } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { fileError } from '../util/errno';
import { baseName } from '../util/names';
import { decoder, openBytes } from './text';
import { readXlsxRows } from './xlsx';

/** A CSV record longer than this is refused (a binary file or a file without line breaks). */
export const MAX_RECORD_BYTES = 1_000_000;

export interface TableRow {
  /** 1-based line (CSV: where the record starts) or sheet row number (XLSX). */
  row: number;
  cells: string[];
}

export interface CsvOptions {
  encoding: Encoding;
  delimiter: string;
  gz: boolean;
  onBytes?: (n: number) => void;
  signal?: AbortSignal;
}

/**
 * Rows of a CSV file, the header included (as row 1), in batches: handing rows over one by one
 * through an async iterator costs more than parsing them. Reading stops while a batch is
 * unconsumed, so memory stays bounded (backpressure reaches the file stream).
 */
export async function* readCsv(file: string, opts: CsvOptions): AsyncGenerator<TableRow[]> {
  const name = baseName(file);
  // csv-parse's `info` option (record line numbers) triples its cost: lines are counted here.
  const parser = parse({
    delimiter: opts.delimiter,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
  });
  const source = openBytes(file, opts.gz, opts.onBytes);
  let failed: unknown = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  parser.on('readable', notify);
  parser.on('end', () => {
    ended = true;
    notify();
  });
  const feeding = pipeline(source, decoder(opts.encoding, name), parser, ...(opts.signal ? [{ signal: opts.signal }] : []));
  feeding.catch((e: unknown) => {
    failed = e;
    notify();
  });
  let line = 1;
  try {
    for (;;) {
      const batch: TableRow[] = [];
      let rec: string[] | null;
      while (batch.length < 2000 && (rec = parser.read() as string[] | null) !== null) {
        batch.push({ row: line, cells: rec });
        let breaks = 0;
        for (const cell of rec) {
          if (cell.includes('\u0000')) {
            throw new AppError(
              'invalid-input',
              `${name}:${line}: the row holds a NUL byte (binary data) — this is not a text part list`,
            );
          }
          for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) breaks++;
        }
        line += 1 + breaks;
      }
      if (batch.length) {
        yield batch;
        continue;
      }
      if (failed) throw failed;
      if (ended) break;
      await new Promise<void>((r) => (wake = r));
    }
    await feeding;
  } catch (e) {
    throw csvError(failed ?? e, name, line);
  } finally {
    source.destroy();
  }
}

function csvError(e: unknown, name: string, line: number): AppError {
  if (e instanceof AppError) return e;
  const err = e as NodeJS.ErrnoException & { lines?: number };
  if (err.name === 'AbortError') return new AppError('cancelled', 'The import was cancelled.');
  if (err.code === 'CSV_MAX_RECORD_SIZE') {
    return new AppError(
      'invalid-input',
      `${name}:${line}: a row is longer than ${MAX_RECORD_BYTES / 1_000_000} MB — this does not look like a part list`,
    );
  }
  if (typeof err.code === 'string' && err.code.startsWith('CSV_')) {
    const where = err.lines ?? line;
    const what =
      err.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field is never closed'
        : err.code === 'CSV_INVALID_CLOSING_QUOTE' || err.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'
          ? 'a quote inside a field is not doubled ("")'
          : err.message;
    return new AppError('invalid-input', `${name}:${where}: ${what}`);
  }
  return fileError(err, name);
}

/**
 * Rows of one worksheet of an XLSX workbook: the one named `sheet`, else the first tab (empty
 * rows are skipped, as sheets have them). `onSheets` receives the worksheet names in tab order.
 * Read within limits (xlsx.ts): a workbook that expands without bound is refused early.
 */
export function readXlsx(
  file: string,
  opts: { signal?: AbortSignal; sheet?: string; onSheets?: (names: string[]) => void } = {},
): AsyncGenerator<TableRow> {
  return readXlsxRows(file, opts);
}

export interface XmlItem {
  /** 1-based position of the item in the file. */
  item: number;
  /** Line of the item's start tag. */
  line: number;
  /** Child elements by upper-case tag name. */
  fields: Record<string, string>;
}

const MAX_FIELD_CHARS = 10_000;
const MAX_DEPTH = 16;
/** Text is handed to the XML parser in slices of this many characters, checked after each. */
const XML_SLICE = 16 * 1024;

/**
 * Items of a BrickLink XML (`INVENTORY/ITEM`) or BrickStore BSX (`…/Inventory/Item`) file.
 * DOCTYPE declarations are refused: entity definitions are the XML bomb's vehicle, and neither
 * format uses them.
 */
export async function* readXmlItems(
  file: string,
  opts: { encoding: Encoding; gz: boolean; onBytes?: (n: number) => void; signal?: AbortSignal },
): AsyncGenerator<XmlItem> {
  const name = baseName(file);
  const parser = new SaxesParser({ xmlns: false, position: true });
  const out: XmlItem[] = [];
  const stack: string[] = [];
  let current: XmlItem | null = null;
  let field: string | null = null;
  let text = '';
  let count = 0;
  let failure: AppError | null = null;
  const fail = (msg: string) => {
    if (!failure) failure = new AppError('invalid-input', `${name}:${parser.line}: ${msg}`);
  };
  parser.on('doctype', () => fail('XML with a DOCTYPE is refused (its entity definitions could expand without bound)'));
  parser.on('error', (e) => fail(e.message.replace(/^.*?:\d+:\d+: /, '')));
  parser.on('opentag', (tag) => {
    const t = tag.name.toUpperCase();
    stack.push(t);
    if (stack.length > MAX_DEPTH) return fail('elements are nested too deeply');
    if (t === 'ITEM' && !current) {
      current = { item: ++count, line: parser.line, fields: {} };
    } else if (current && stack.length >= 2 && stack[stack.length - 2] === 'ITEM') {
      field = t;
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (field !== null) {
      text += t;
      if (text.length > MAX_FIELD_CHARS) fail(`<${field}> is longer than ${MAX_FIELD_CHARS} characters`);
    }
  });
  parser.on('cdata', (t) => {
    if (field !== null) {
      text += t;
      if (text.length > MAX_FIELD_CHARS) fail(`<${field}> is longer than ${MAX_FIELD_CHARS} characters`);
    }
  });
  // saxes gathers a text, CDATA section or comment whole before it reports it: its buffer is
  // read after every slice written, so one endless field is stopped while it grows.
  const pending = parser as unknown as { text: string };
  const tooLong = () => {
    if (pending.text.length + (field !== null ? text.length : 0) <= MAX_FIELD_CHARS) return;
    fail(
      field !== null
        ? `<${field}> is longer than ${MAX_FIELD_CHARS} characters`
        : `a text, CDATA section or comment is longer than ${MAX_FIELD_CHARS} characters`,
    );
  };
  parser.on('closetag', (tag) => {
    const t = tag.name.toUpperCase();
    stack.pop();
    if (current && field === t) {
      current.fields[t] = text.trim();
      field = null;
    } else if (current && t === 'ITEM') {
      out.push(current);
      current = null;
    }
  });
  const source = openBytes(file, opts.gz, opts.onBytes);
  const dec = new TextDecoder(opts.encoding, { fatal: opts.encoding === 'utf-8' });
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw new AppError('cancelled', 'The import was cancelled.');
      let s: string;
      try {
        s = dec.decode(chunk, { stream: true });
      } catch {
        throw new AppError('invalid-input', `${name}: the file is not valid UTF-8; choose the encoding Windows-1252`);
      }
      for (let i = 0; i < s.length && !failure; i += XML_SLICE) {
        try {
          parser.write(s.length <= XML_SLICE ? s : s.slice(i, i + XML_SLICE));
        } catch (e) {
          fail((e as Error).message.replace(/^.*?:\d+:\d+: /, ''));
        }
        tooLong();
      }
      if (failure) throw failure;
      if (out.length) yield* out.splice(0, out.length);
    }
    try {
      parser.close();
    } catch (e) {
      fail((e as Error).message.replace(/^.*?:\d+:\d+: /, ''));
    }
    if (failure) throw failure;
    if (out.length) yield* out.splice(0, out.length);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw fileError(e as NodeJS.ErrnoException, file);
  } finally {
    source.destroy();
  }
}
