// The offline parts catalogue: Rebrickable's downloads imported as upserts (in a worker thread,
// streamed, one transaction, with progress and cancel), the shipped snapshot loaded on first
// start, lookups by part number (with suffix fallback, and the part's relationships) and element
// id, name search for the add dialog (FTS5 over part names, rebuilt after each import) and
// filling in missing lot names. Re-importing a newer download updates names; inventory lots are
// never touched, except that their colour name follows a renamed colour (a trigger keeps
// color_name in step).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  CatalogImportResult,
  CatalogLookup,
  CatalogPart,
  CatalogProgress,
  CatalogRelation,
  CatalogRelations,
  CatalogStats,
  CatalogStatus,
} from '../../shared/contract';
import { CATALOG_TABLES, LIMITS } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { DbHandle } from '../db/open';
import type { Events } from '../events';
import type { Journal } from '../history/journal';
import type { AccessCheck } from '../profiles/service';
import { newJobId } from '../util/jobs';
import { fileError } from '../util/errno';
import { isZip, rawHead } from '../util/file-head';
import { baseName } from '../util/names';
import { extractZip, headerOf, readSnapshotManifest, type SnapshotManifest } from './files';
import { KINDS, kindOfHeader } from './kinds';
import { runCatalogWorker, type CatalogWorkerRun, type WorkerSource } from './worker';

export interface CatalogDeps {
  db: () => DbHandle;
  onColorsChanged: () => void;
  now?: () => number;
  nativeBinding?: string | undefined;
  /** The shipped snapshot (resources/catalog); none: nothing is loaded on start. */
  snapshotDir?: string | null;
  /** Tells listeners how a background load goes (the catalog.progress event). */
  onLoadProgress?: (p: CatalogProgress | { phase: 'done'; item: string; rows: number; percent: number; error?: string }) => void;
  /** Called after the catalogue changed (an import or a snapshot load committed). */
  onChanged?: () => void;
  /** What the acting profile may do with an inventory (filling in names edits its lots). */
  access: AccessCheck;
  events: Events;
  /**
   * Told just before a worker takes the write lock (take, which must keep this thread's writers
   * off it) and when that worker has ended (release).
   */
  writeLock?: { take(): void; release(): void };
  /** Runs an import as a job that `import.cancel` can stop (the transfer service's job list). */
  runJob: <T>(id: string, fn: (signal: AbortSignal) => Promise<T>) => Promise<T>;
  /** The operation journal of the connection (filling in names is one operation). */
  journal?: () => Journal | undefined;
}

export type CatalogProgressFn = (p: CatalogProgress) => void;

export function createCatalogService(deps: CatalogDeps) {
  const now = deps.now ?? Date.now;
  const running = new Set<CatalogWorkerRun>();
  /** Imports and loads under way, from their first step (reading headers) to their last. */
  let active = 0;
  let load: { promise: Promise<CatalogImportResult>; progress: CatalogProgress | null } | null = null;
  let loadError: string | null = null;
  let loadAbort: AbortController | null = null;

  /**
   * Imports files (CSV, gzipped CSV, or a zip of them; each kind known by its header) in the
   * worker, in one transaction. `snapshot`: the date recorded when these are the shipped files.
   */
  async function importFiles(
    paths: string[],
    opts: { signal?: AbortSignal; progress?: CatalogProgressFn; snapshot?: string; busyTimeoutMs?: number } = {},
  ): Promise<CatalogImportResult> {
    const started = performance.now();
    active++;
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'blockshelf-catalog-')).catch((e: unknown) => {
      active--;
      throw e;
    });
    try {
      const candidates: { name: string; path: string }[] = [];
      for (const file of paths) {
        const head = await rawHead(file).catch((e: NodeJS.ErrnoException) => {
          throw fileError(e, file);
        });
        if (isZip(head)) candidates.push(...(await extractZip(file, tmp)));
        else candidates.push({ name: baseName(file), path: file });
      }
      const sources: WorkerSource[] = [];
      const ignored: string[] = [];
      for (const c of candidates) {
        const header = await headerOf(c.path);
        const kind = header ? kindOfHeader(header) : null;
        if (!kind) {
          if (!header && candidates.length === 1) throw new AppError('invalid-input', `${c.name}: the file is empty`);
          ignored.push(c.name);
          continue;
        }
        sources.push({ path: c.path, name: c.name, kind, bytes: (await stat(c.path)).size });
      }
      const rank = (k: string) => KINDS.findIndex((s) => s.kind === k);
      sources.sort((a, b) => rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name));
      if (opts.signal?.aborted) throw new AppError('cancelled', 'The catalogue import was cancelled.');
      if (!sources.length) return { files: [], ignored, durationMs: Math.round(performance.now() - started) };
      const run = runCatalogWorker(
        {
          file: deps.db().file,
          nativeBinding: deps.nativeBinding,
          sources,
          snapshot: opts.snapshot,
          now: now(),
          busyTimeoutMs: opts.busyTimeoutMs,
        },
        opts.progress,
        deps.writeLock,
      );
      running.add(run);
      const onAbort = () => run.cancel();
      opts.signal?.addEventListener('abort', onAbort);
      try {
        const { files } = await run.result;
        if (files.some((f) => f.table === 'colors' && f.inserted + f.updated > 0)) deps.onColorsChanged();
        deps.onChanged?.();
        return { files, ignored, durationMs: Math.round(performance.now() - started) };
      } finally {
        opts.signal?.removeEventListener('abort', onAbort);
        running.delete(run);
      }
    } finally {
      active--;
      await rm(tmp, { recursive: true, force: true });
    }
  }

  function meta(): { snapshot: string | null; importedAt: number | null; counts: string | null } | null {
    return (
      (deps.db().stmt('SELECT snapshot, imported_at AS importedAt, counts FROM catalog_meta WHERE id = 1').get() as
        { snapshot: string | null; importedAt: number | null; counts: string | null } | undefined) ?? null
    );
  }

  /** The shipped snapshot, when this database does not hold it (or a newer one) yet. */
  function pendingSnapshot(dir = deps.snapshotDir): { dir: string; manifest: SnapshotManifest } | null {
    if (!dir) return null;
    const manifest = readSnapshotManifest(dir);
    if (!manifest) return null;
    const have = meta()?.snapshot ?? '';
    return have >= manifest.snapshot ? null : { dir, manifest };
  }

  /** Loads the shipped snapshot now (the CLI waits for it; the app runs it in the background). */
  async function loadSnapshot(
    opts: { dir?: string; signal?: AbortSignal; progress?: CatalogProgressFn; busyTimeoutMs?: number } = {},
  ): Promise<CatalogImportResult | null> {
    const pending = pendingSnapshot(opts.dir ?? deps.snapshotDir);
    if (!pending) return null;
    const files = Object.keys(pending.manifest.rows).map((k) => path.join(pending.dir, `${k}.csv.gz`));
    return importFiles(files, { ...opts, snapshot: pending.manifest.snapshot });
  }

  /** Starts loading the shipped snapshot in the background when it is needed; at most once at a time. */
  function startSnapshotLoad(): Promise<CatalogImportResult> | null {
    if (load) return load.promise;
    let pending;
    try {
      pending = pendingSnapshot();
    } catch (e) {
      loadError = (e as Error).message;
      return null;
    }
    if (!pending) return null;
    loadError = null;
    const state: { promise: Promise<CatalogImportResult>; progress: CatalogProgress | null } = {
      promise: Promise.resolve() as unknown as Promise<CatalogImportResult>,
      progress: { phase: 'reading', item: '', rows: 0, percent: 0 },
    };
    const abort = new AbortController();
    loadAbort = abort;
    state.promise = loadSnapshot({
      signal: abort.signal,
      progress: (p) => {
        state.progress = p;
        deps.onLoadProgress?.(p);
      },
    }).then(
      (r) => {
        load = null;
        deps.onLoadProgress?.({ phase: 'done', item: '', rows: 0, percent: 100 });
        return r ?? { files: [], ignored: [], durationMs: 0 };
      },
      (e: unknown) => {
        load = null;
        loadError = (e as Error).message;
        deps.onLoadProgress?.({ phase: 'done', item: '', rows: 0, percent: 0, error: loadError });
        throw e;
      },
    );
    state.promise.catch(() => undefined);
    load = state;
    return state.promise;
  }

  function status(): CatalogStatus {
    let shipped: string | null;
    try {
      shipped = deps.snapshotDir ? (readSnapshotManifest(deps.snapshotDir)?.snapshot ?? null) : null;
    } catch {
      shipped = null;
    }
    const m = meta();
    return {
      state: load ? 'loading' : loadError ? 'failed' : 'ready',
      snapshot: m?.snapshot ?? null,
      shipped,
      importedAt: m?.importedAt ?? null,
      progress: load?.progress ?? null,
      error: loadError,
    };
  }

  /** Asks a background load to stop; the catalogue stays as it was. */
  function cancelLoad(): void {
    loadAbort?.abort();
  }

  /** An import or load is running (its worker has a connection of its own to the file). */
  function busy(): boolean {
    return active > 0;
  }

  /** Stops every running import and load (their transactions roll back). */
  async function close(): Promise<void> {
    await Promise.all([...running].map((r) => r.terminate()));
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

  const NO_RELATIONS: CatalogRelations = { parents: [], children: [], childCount: 0 };

  /** How a part relates to others, from both sides of part_relationships. */
  function relations(partNum: string): CatalogRelations {
    const db = deps.db();
    const parents = db
      .stmt(
        `SELECT r.rel_type AS relType, r.parent_part_num AS partNum, p.name FROM part_relationships r
          LEFT JOIN parts p ON p.part_num = r.parent_part_num WHERE r.child_part_num = ? ORDER BY r.rel_type, r.parent_part_num LIMIT 50`,
      )
      .all(partNum) as CatalogRelation[];
    const children = db
      .stmt(
        `SELECT r.rel_type AS relType, r.child_part_num AS partNum, p.name FROM part_relationships r
          LEFT JOIN parts p ON p.part_num = r.child_part_num WHERE r.parent_part_num = ? ORDER BY r.rel_type, r.child_part_num LIMIT 20`,
      )
      .all(partNum) as CatalogRelation[];
    const childCount =
      children.length < 20
        ? children.length
        : (db.stmt('SELECT count(*) AS n FROM part_relationships WHERE parent_part_num = ?').get(partNum) as { n: number }).n;
    return { parents, children, childCount };
  }

  function lookup(query: string): CatalogLookup {
    const found = lookupPart(query);
    return { ...found, relations: found.part ? relations(found.part.partNum) : NO_RELATIONS };
  }

  function lookupPart(query: string): Omit<CatalogLookup, 'relations'> {
    const q = query.trim();
    const base: Omit<CatalogLookup, 'relations'> = {
      query: q,
      matchedBy: 'none',
      part: null,
      colorId: null,
      colorName: null,
      alternatives: [],
    };
    const alternatives = () =>
      deps
        .db()
        .stmt(
          `${PART} WHERE p.part_num > ? AND p.part_num < ? AND p.part_num <> ? ORDER BY length(p.part_num), p.part_num LIMIT 20`,
        )
        .all(q, `${q}\uffff`, q) as CatalogPart[];
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

  /** A user's import as a cancellable job, with progress events (data.changed follows the commit). */
  async function importJob(paths: string[], jobId = newJobId('cat')): Promise<CatalogImportResult> {
    const result = await deps.runJob(jobId, (signal) =>
      importFiles(paths, {
        signal,
        progress: (p) =>
          deps.events.emit('import.progress', { id: jobId, phase: `catalog:${p.phase}:${p.item}`, done: p.percent, total: 100 }),
      }),
    );
    deps.events.emit('import.progress', { id: jobId, phase: 'done', done: 1, total: 1 });
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
    const journal = deps.journal?.();
    const describe = (r: { updated: number }) => ({
      kind: 'fill-names',
      label: `Fill in names from the catalogue: ${r.updated} ${r.updated === 1 ? 'lot' : 'lots'}`,
    });
    const run = (fn: () => { updated: number; stillMissing: number }) =>
      journal ? journal.record({ ownerId, describe }, fn) : db.sqlite.transaction(fn)();
    return run(() => {
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
    });
  }

  /** Rows per download kind: as the last import counted them, or counted now when none has. */
  function stats(): CatalogStats {
    const stored = meta()?.counts;
    if (stored) {
      const c = JSON.parse(stored) as Partial<CatalogStats>;
      if (CATALOG_TABLES.every((k) => typeof c[k] === 'number')) return c as CatalogStats;
    }
    const out = {} as CatalogStats;
    for (const k of CATALOG_TABLES) out[k] = (deps.db().stmt(`SELECT count(*) AS n FROM ${k}`).get() as { n: number }).n;
    return out;
  }

  return {
    importFiles,
    importJob,
    loadSnapshot,
    startSnapshotLoad,
    cancelLoad,
    pendingSnapshot,
    status,
    busy,
    close,
    lookup,
    relations,
    search,
    fillNames,
    stats,
    part,
    suffixCandidates,
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
