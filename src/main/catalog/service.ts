// The offline parts catalogue: Rebrickable's downloads imported as upserts (streamed, chunked,
// with progress), lookups by part number (with suffix fallback) and element id, name search
// for the add dialog (FTS5 over part names, rebuilt after each import) and filling in missing
// lot names. Re-importing a newer download updates names; inventory lots are never touched,
// except that their colour name follows a renamed colour (a trigger keeps color_name in step).
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import yauzl from 'yauzl';
import type { CatalogImportFile, CatalogImportResult, CatalogLookup, CatalogPart, CatalogStats, CatalogTable } from '../../shared/contract';
import { LIMITS } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { DbHandle } from '../db/open';
import { fileError } from '../util/errno';
import { isGzip, isZip, rawHead } from '../util/file-head';
import { baseName } from '../util/names';

type Row = Record<string, string>;

interface TableSpec {
  columns: string[];
  /** Required header columns. */
  header: string[];
  key: string;
  toParams(r: Row, line: number, file: string): unknown[];
  upsert: string;
}

const bool = (v: string | undefined) => (/^(true|t|1)$/i.test((v ?? '').trim()) ? 1 : 0);
const intOrNull = (v: string | undefined, what: string, line: number, file: string) => {
  const s = (v ?? '').trim();
  if (s === '') return null;
  if (!/^-?\d+$/.test(s)) throw new AppError('invalid-input', `${file}:${line}: ${what}: “${s.slice(0, 30)}” is not a number`);
  return Number(s);
};
const need = (v: string | undefined, what: string, line: number, file: string) => {
  const s = (v ?? '').trim();
  if (!s) throw new AppError('invalid-input', `${file}:${line}: ${what}: is empty`);
  return s;
};

const SPECS: Record<CatalogTable, TableSpec> = {
  colors: {
    columns: ['id', 'name', 'rgb', 'is_trans'],
    header: ['id', 'name', 'rgb', 'is_trans'],
    key: 'id',
    toParams: (r, line, f) => [
      intOrNull(need(r.id, 'id', line, f), 'id', line, f),
      need(r.name, 'name', line, f),
      (r.rgb ?? '').trim().replace(/^#/, '').toUpperCase().slice(0, 6) || '000000',
      bool(r.is_trans),
    ],
    upsert: `INSERT INTO colors (id, name, rgb, is_trans) VALUES (?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, rgb = excluded.rgb, is_trans = excluded.is_trans
      WHERE colors.name IS NOT excluded.name OR colors.rgb IS NOT excluded.rgb OR colors.is_trans IS NOT excluded.is_trans`,
  },
  part_categories: {
    columns: ['id', 'name'],
    header: ['id', 'name'],
    key: 'id',
    toParams: (r, line, f) => [intOrNull(need(r.id, 'id', line, f), 'id', line, f), need(r.name, 'name', line, f)],
    upsert: `INSERT INTO part_categories (id, name) VALUES (?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE part_categories.name IS NOT excluded.name`,
  },
  parts: {
    columns: ['part_num', 'name', 'part_cat_id', 'part_material'],
    header: ['part_num', 'name'],
    key: 'part_num',
    toParams: (r, line, f) => [
      need(r.part_num, 'part_num', line, f),
      need(r.name, 'name', line, f),
      intOrNull(r.part_cat_id, 'part_cat_id', line, f),
      (r.part_material ?? '').trim() || null,
    ],
    upsert: `INSERT INTO parts (part_num, name, part_cat_id, part_material) VALUES (?, ?, ?, ?)
      ON CONFLICT (part_num) DO UPDATE SET name = excluded.name, part_cat_id = excluded.part_cat_id,
        part_material = excluded.part_material
      WHERE parts.name IS NOT excluded.name OR parts.part_cat_id IS NOT excluded.part_cat_id
        OR parts.part_material IS NOT excluded.part_material`,
  },
  elements: {
    columns: ['element_id', 'part_num', 'color_id', 'design_id'],
    header: ['element_id', 'part_num', 'color_id'],
    key: 'element_id',
    toParams: (r, line, f) => [
      need(r.element_id, 'element_id', line, f),
      need(r.part_num, 'part_num', line, f),
      intOrNull(need(r.color_id, 'color_id', line, f), 'color_id', line, f),
      (r.design_id ?? '').trim() || null,
    ],
    upsert: `INSERT INTO elements (element_id, part_num, color_id, design_id) VALUES (?, ?, ?, ?)
      ON CONFLICT (element_id) DO UPDATE SET part_num = excluded.part_num, color_id = excluded.color_id,
        design_id = excluded.design_id
      WHERE elements.part_num IS NOT excluded.part_num OR elements.color_id IS NOT excluded.color_id
        OR elements.design_id IS NOT excluded.design_id`,
  },
};

/** Order matters only for progress; tables have no foreign keys between them. */
const ORDER: CatalogTable[] = ['colors', 'part_categories', 'parts', 'elements'];

/** Which table a file holds, by its name (colors.csv, parts.csv.gz …) or else by its header. */
export function tableFor(name: string, header?: string[]): CatalogTable | null {
  const base = baseName(name).toLowerCase().replace(/\.gz$/, '').replace(/\.csv$/, '');
  if ((ORDER as string[]).includes(base)) return base as CatalogTable;
  if (header) {
    const h = new Set(header.map((c) => c.trim().toLowerCase()));
    if (h.has('element_id') && h.has('part_num')) return 'elements';
    if (h.has('part_num') && h.has('name')) return 'parts';
    if (h.has('id') && h.has('name') && h.has('rgb')) return 'colors';
    if (h.size === 2 && h.has('id') && h.has('name')) return 'part_categories';
  }
  return null;
}

interface Source {
  name: string;
  open(): Promise<Readable>;
}

function zipEntries(file: string): Promise<Source[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err || !zip) return reject(new AppError('invalid-input', `${baseName(file)}: not a readable zip file`));
      const found: Source[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) {
          found.push({
            name: entry.fileName,
            open: () =>
              new Promise<Readable>((res, rej) =>
                zip.openReadStream(entry, (e, s) => (e || !s ? rej(e ?? new Error('no stream')) : res(s))),
              ),
          });
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve(found));
      zip.on('error', () => reject(new AppError('invalid-input', `${baseName(file)}: the zip file is damaged`)));
      zip.readEntry();
    });
  });
}

export interface CatalogDeps {
  db: () => DbHandle;
  onColorsChanged: () => void;
}

export type CatalogProgress = (phase: string, done: number, total: number | null) => void;

export function createCatalogService(deps: CatalogDeps) {
  const sqlite = () => deps.db().sqlite;

  async function importOne(
    name: string,
    stream: Readable,
    forcedTable: CatalogTable | null,
    signal: AbortSignal | undefined,
    progress: (rows: number) => void,
  ): Promise<CatalogImportFile | null> {
    const db = sqlite();
    const parser = parse({ bom: true, columns: false, relax_column_count: true, skip_empty_lines: true, max_record_size: 1_000_000 });
    const feeding = pipeline(stream, parser);
    feeding.catch(() => undefined);
    let header: string[] | null = null;
    let table: CatalogTable | null = forcedTable;
    let spec: TableSpec | null = null;
    let stmt: import('better-sqlite3').Statement<unknown[]> | null = null;
    let line = 1;
    let rows = 0;
    let changes = 0;
    let before = 0;
    let batch: unknown[][] = [];
    const flush = db.transaction((b: unknown[][]) => {
      for (const p of b) changes += stmt!.run(...p).changes;
    });
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        if (!header) {
          header = record.map((c) => c.trim().toLowerCase());
          table = table ?? tableFor(name, header);
          if (!table) return null;
          spec = SPECS[table];
          const missing = spec.header.filter((c) => !header!.includes(c));
          if (missing.length) {
            throw new AppError('invalid-input', `${name}:1: not a Rebrickable ${table} file (no ${missing.join(', ')} column)`);
          }
          stmt = db.prepare(spec.upsert);
          before = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
          continue;
        }
        line++;
        rows++;
        const r: Row = {};
        for (let i = 0; i < header.length; i++) r[header[i]!] = record[i] ?? '';
        batch.push(spec!.toParams(r, line, name));
        if (batch.length >= 5000) {
          flush(batch);
          batch = [];
          progress(rows);
          await new Promise((res) => setImmediate(res));
          if (signal?.aborted) throw new AppError('cancelled', 'The catalogue import was cancelled.');
        }
      }
      if (batch.length) flush(batch);
      await feeding;
    } catch (e) {
      if (e instanceof AppError) throw e;
      const err = e as NodeJS.ErrnoException;
      if (typeof err.code === 'string' && err.code.startsWith('CSV_')) throw new AppError('invalid-input', `${name}:${line + 1}: ${err.message}`);
      throw fileError(err, name);
    }
    if (!table) throw new AppError('invalid-input', `${name}: the file is empty`);
    const after = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    const inserted = after - before;
    const updated = changes - inserted;
    return { name, table, rows, inserted, updated, unchanged: rows - inserted - updated };
  }

  function rebuildSearch(): void {
    sqlite().transaction(() => {
      sqlite().exec(`DELETE FROM parts_fts;
        INSERT INTO parts_fts (part_num, name) SELECT part_num, name FROM parts;`);
    })();
  }

  async function importFiles(
    paths: string[],
    opts: { signal?: AbortSignal; progress?: CatalogProgress } = {},
  ): Promise<CatalogImportResult> {
    const { signal, progress } = opts;
    const started = performance.now();
    const sources: Source[] = [];
    for (const file of paths) {
      const head = await rawHead(file).catch((e: NodeJS.ErrnoException) => {
        throw fileError(e, file);
      });
      if (isZip(head)) sources.push(...(await zipEntries(file)));
      else sources.push({ name: baseName(file), open: async () => createReadStream(file) });
    }
    // Known tables first, in a stable order; unknown names are read only to look at their header.
    const rank = (s: Source) => {
      const t = tableFor(s.name);
      return t ? ORDER.indexOf(t) : ORDER.length;
    };
    sources.sort((a, b) => rank(a) - rank(b));
    const files: CatalogImportFile[] = [];
    const ignored: string[] = [];
    let total = 0;
    for (const s of sources) {
      if (!/\.csv(\.gz)?$/i.test(s.name)) {
        ignored.push(s.name);
        continue;
      }
      const raw = await s.open();
      const stream = await gunzipIfNeeded(raw, s.name);
      const r = await importOne(s.name, stream, tableFor(s.name), signal, (n) => progress?.(`catalog:${s.name}`, total + n, null));
      if (!r) ignored.push(s.name);
      else {
        files.push(r);
        total += r.rows;
        progress?.(`catalog:${s.name}`, total, null);
      }
    }
    if (files.some((f) => f.table === 'parts')) rebuildSearch();
    if (files.some((f) => f.table === 'colors')) deps.onColorsChanged();
    return { files, ignored, durationMs: Math.round(performance.now() - started) };
  }

  const PART = `SELECT p.part_num AS partNum, p.name, p.part_cat_id AS categoryId, c.name AS categoryName,
      p.part_material AS material FROM parts p LEFT JOIN part_categories c ON c.id = p.part_cat_id`;

  function part(partNum: string): CatalogPart | null {
    return (deps.db().stmt(`${PART} WHERE p.part_num = ?`).get(partNum) as CatalogPart | undefined) ?? null;
  }

  /** 3684c → 3684, 3001old → 3001, 973pb123c01 → 973: the leading digits of a printed or variant part. */
  function suffixCandidates(q: string): string[] {
    const out: string[] = [];
    let s = q;
    // Strip one trailing letter group at a time, then fall back to the leading digits.
    for (let i = 0; i < 4; i++) {
      const m = /^(.*\d)[a-z]+\d*$/i.exec(s);
      if (!m || m[1] === s) break;
      s = m[1]!;
      out.push(s);
    }
    const digits = /^(\d+)/.exec(q)?.[1];
    if (digits && digits !== q && !out.includes(digits)) out.push(digits);
    return out;
  }

  function lookup(query: string): CatalogLookup {
    const q = query.trim();
    const base: CatalogLookup = { query: q, matchedBy: 'none', part: null, colorId: null, colorName: null, alternatives: [] };
    const alternatives = () =>
      (deps
        .db()
        .stmt(`${PART} WHERE p.part_num > ? AND p.part_num < ? AND p.part_num <> ? ORDER BY length(p.part_num), p.part_num LIMIT 20`)
        .all(q, `${q}\uffff`, q) as CatalogPart[]);
    const exact = part(q);
    if (exact) return { ...base, matchedBy: 'part', part: exact, alternatives: alternatives() };
    if (/^\d{4,9}$/.test(q)) {
      const el = deps
        .db()
        .stmt(
          `SELECT e.part_num AS partNum, e.color_id AS colorId, c.name AS colorName FROM elements e
            LEFT JOIN colors c ON c.id = e.color_id WHERE e.element_id = ?`,
        )
        .get(q) as { partNum: string; colorId: number; colorName: string | null } | undefined;
      if (el) {
        const p = part(el.partNum) ?? { partNum: el.partNum, name: '', categoryId: null, categoryName: null, material: null };
        return { ...base, matchedBy: 'element', part: p, colorId: el.colorId, colorName: el.colorName };
      }
    }
    for (const cand of suffixCandidates(q)) {
      const p = part(cand);
      if (p) return { ...base, matchedBy: 'part-suffix', part: p, alternatives: alternatives() };
    }
    return { ...base, alternatives: alternatives() };
  }

  function search(query: string, limit = 50): CatalogPart[] {
    const q = query.trim();
    const byNumber = deps
      .db()
      .stmt(`${PART} WHERE p.part_num >= ? AND p.part_num < ? ORDER BY length(p.part_num), p.part_num LIMIT ?`)
      .all(q, `${q}\uffff`, Math.min(limit, 10)) as CatalogPart[];
    // "1x2" is written "1 x 2" in Rebrickable names.
    const words = q
      .toLowerCase()
      .replace(/(\d)\s*x\s*(?=\d)/g, '$1 x ')
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .slice(0, 12);
    if (!words.length) return byNumber;
    // Numbers match whole (1 must not find 12); the last word is a prefix while it is typed.
    const fts = words
      .map((w, i) => `"${w.replaceAll('"', '')}"${/^\d+$/.test(w) || i < words.length - 1 ? '' : '*'}`)
      .join(' AND ');
    const byName = deps
      .db()
      .stmt(
        `SELECT p.part_num AS partNum, p.name, p.part_cat_id AS categoryId, c.name AS categoryName, p.part_material AS material
           FROM parts_fts f JOIN parts p ON p.part_num = f.part_num LEFT JOIN part_categories c ON c.id = p.part_cat_id
          WHERE parts_fts MATCH ? ORDER BY bm25(parts_fts), length(p.name), p.part_num LIMIT ?`,
      )
      .all(fts, limit) as CatalogPart[];
    const seen = new Set<string>();
    const out: CatalogPart[] = [];
    for (const p of [...byNumber, ...byName]) {
      if (!seen.has(p.partNum)) {
        seen.add(p.partNum);
        out.push(p);
      }
    }
    return out.slice(0, limit);
  }

  /** Names lots without one from the catalogue: the exact part number first, then its base part. */
  function fillNames(ownerId: number): { updated: number; stillMissing: number } {
    const db = deps.db();
    return db.sqlite.transaction(() => {
      let updated = db.sqlite
        .prepare(
          `UPDATE inventory_items SET name = (SELECT substr(p.name, 1, ${LIMITS.name}) FROM parts p WHERE p.part_num = inventory_items.part_id)
            WHERE user_id = ? AND name = '' AND EXISTS (SELECT 1 FROM parts p WHERE p.part_num = inventory_items.part_id)`,
        )
        .run(ownerId).changes;
      const rest = db.sqlite
        .prepare(`SELECT DISTINCT part_id FROM inventory_items WHERE user_id = ? AND name = ''`)
        .pluck()
        .all(ownerId) as string[];
      const set = db.sqlite.prepare(`UPDATE inventory_items SET name = ? WHERE user_id = ? AND part_id = ? AND name = ''`);
      for (const partId of rest) {
        for (const cand of suffixCandidates(partId)) {
          const p = part(cand);
          if (p) {
            updated += set.run(p.name.slice(0, LIMITS.name), ownerId, partId).changes;
            break;
          }
        }
      }
      const stillMissing = db.sqlite
        .prepare(`SELECT count(*) FROM inventory_items WHERE user_id = ? AND name = ''`)
        .pluck()
        .get(ownerId) as number;
      return { updated, stillMissing };
    })();
  }

  function stats(): CatalogStats {
    return deps
      .db()
      .stmt(
        `SELECT (SELECT count(*) FROM colors) AS colors, (SELECT count(*) FROM part_categories) AS partCategories,
                (SELECT count(*) FROM parts) AS parts, (SELECT count(*) FROM elements) AS elements`,
      )
      .get() as CatalogStats;
  }

  return { importFiles, lookup, search, fillNames, stats, part, suffixCandidates, rebuildSearch };
}

async function gunzipIfNeeded(stream: Readable, name: string): Promise<Readable> {
  // Peek at the first bytes: a .csv.gz is gunzipped, whatever its name says.
  const it = stream[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return Readable.from([]);
  const chunk = first.value as Buffer;
  async function* rest() {
    yield chunk;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value as Buffer;
    }
  }
  const joined = Readable.from(rest(), { objectMode: false });
  if (isGzip(chunk)) {
    const gunzip = createGunzip();
    joined.pipe(gunzip);
    joined.on('error', (e) => gunzip.destroy(e));
    gunzip.on('error', () => undefined);
    void name;
    return gunzip;
  }
  return joined;
}

export type CatalogService = ReturnType<typeof createCatalogService>;
