// The offline parts catalogue: Rebrickable's downloads imported as upserts (streamed, chunked,
// with progress), lookups by part number (with suffix fallback) and element id, name search
// for the add dialog (FTS5 over part names, rebuilt after each import) and filling in missing
// lot names. Re-importing a newer download updates names; inventory lots are never touched,
// except that their colour name follows a renamed colour (a trigger keeps color_name in step).
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { CatalogImportFile, CatalogImportResult, CatalogLookup, CatalogPart, CatalogStats, CatalogTable } from '../../shared/contract';
import { LIMITS } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { DbHandle } from '../db/open';
import type { Events } from '../events';
import type { AccessCheck } from '../profiles/service';
import { newJobId } from '../util/jobs';
import { fileError } from '../util/errno';
import { isZip, rawHead } from '../util/file-head';
import { baseName } from '../util/names';
import { ORDER, SPECS, gunzipIfNeeded, tableFor, zipEntries, type Row, type Source, type TableSpec } from './sources';

export interface CatalogDeps {
  db: () => DbHandle;
  onColorsChanged: () => void;
  /** What the acting profile may do with an inventory (filling in names edits its lots). */
  access: AccessCheck;
  events: Events;
  /** Runs an import as a job that `import.cancel` can stop (the transfer service's job list). */
  runJob: <T>(id: string, fn: (signal: AbortSignal) => Promise<T>) => Promise<T>;
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

  /** An import as a cancellable job: progress events, then data.changed for every view. */
  async function importJob(paths: string[], jobId = newJobId('cat')): Promise<CatalogImportResult> {
    const progress: CatalogProgress = (phase, done, total) => deps.events.emit('import.progress', { id: jobId, phase, done, total });
    const result = await deps.runJob(jobId, (signal) => importFiles(paths, { signal, progress }));
    deps.events.emit('import.progress', { id: jobId, phase: 'done', done: 1, total: 1 });
    deps.events.emit('data.changed', { ownerId: null, reason: 'catalog' });
    return result;
  }

  /**
   * Names lots without one from the catalogue (the exact part number first, then its base part)
   * in an inventory the acting profile may edit (default: its own).
   */
  function fillNames(ownerId?: number): { updated: number; stillMissing: number } {
    const may = deps.access(ownerId);
    if (!may.canEdit) throw new AppError('forbidden', 'You may not change lots in this inventory.');
    const r = fillNamesOf(may.ownerId);
    if (r.updated) deps.events.emit('data.changed', { ownerId: may.ownerId, reason: 'names-filled' });
    return r;
  }

  function fillNamesOf(ownerId: number): { updated: number; stillMissing: number } {
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

  return { importFiles, importJob, lookup, search, fillNames, stats, part, suffixCandidates, rebuildSearch };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
