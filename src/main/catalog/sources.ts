// Rebrickable's catalogue downloads: which table a file holds (by name or header), how each
// table's rows become upsert parameters, and how the files are opened (.csv, .csv.gz, or the
// entries of a .zip; gzip found by its first bytes, whatever the name says).
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import type { CatalogTable } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { isGzip } from '../util/file-head';
import { baseName } from '../util/names';

export type Row = Record<string, string>;

export interface TableSpec {
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

export const SPECS: Record<CatalogTable, TableSpec> = {
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
export const ORDER: CatalogTable[] = ['colors', 'part_categories', 'parts', 'elements'];

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

export interface Source {
  name: string;
  open(): Promise<Readable>;
}

export function zipEntries(file: string): Promise<Source[]> {
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

export async function gunzipIfNeeded(stream: Readable, name: string): Promise<Readable> {
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
