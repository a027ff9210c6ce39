// Work that would block the event loop runs in a worker thread with its own SQLite connection:
// the online copy of the live database (compacted for a backup), the integrity and foreign-key
// checks of a copy, the rebuild of a compact backup's indexes, and the data fingerprint.
// Every connection here runs in bounded memory: no memory map and a fixed page cache.
// The worker is plain JavaScript evaluated from a string, so it runs the same under tsx, vitest
// and the bundled app without a separate build entry; it loads the same better-sqlite3 (and, in
// Electron, the same native addon) as the main process.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { CompactPlan } from './compact';
import { COLUMNS_SQL, MIGRATIONS_SQL, SCHEMA_SQL, type MigrationRow, type SchemaObject } from './schema';

export interface CheckResult {
  integrity: string[];
  foreignKeyViolations: number;
  /** Why foreign_key_check itself failed (a key pointing at something that is not a table). */
  foreignKeyError?: string | null;
  userVersion: number;
  tables: string[];
  migrations: { applied: number; lastWhen: number | null } | null;
  /** The rows of __drizzle_migrations, oldest first (null: no such table). */
  migrationRows: MigrationRow[] | null;
  /** sqlite_schema and the columns of each table (see schema.ts). */
  schema: SchemaObject[];
  lots: number | null;
  profiles: number | null;
  fingerprint: string | null;
  dbBytes: number;
  /** Rows of the plan's data tables in the live database's snapshot (compact copies only). */
  sourceRows: Record<string, number> | null;
  /** Rows of the plan's data tables in the checked file (when checked with a plan). */
  rows: Record<string, number> | null;
}

/** SQL of the data fingerprint: changes whenever a lot, profile, preference, share or setting does. */
export const FINGERPRINT_SQL = `SELECT
  (SELECT count(*) || ':' || total(updated_at) || ':' || total(quantity_total) || ':' || total(quantity_used) || ':' || coalesce(max(id), 0) FROM inventory_items)
  || '|' || (SELECT count(*) || ':' || total(created_at) || ':' || total(length(name)) FROM users)
  || '|' || (SELECT count(*) || ':' || total(updated_at) FROM user_preferences)
  || '|' || (SELECT count(*) || ':' || (total(created_at) + total(coalesce(accepted_at, 0)) + total(coalesce(revoked_at, 0)) + total(can_edit) + total(can_delete)) FROM inventory_collabs)
  || '|' || (SELECT total(updated_at) FROM app_config)`;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { rmSync, statSync } = require('node:fs');
const Database = require(workerData.module);
// Background work: on Linux this lowers only this thread, so the app's main thread is served first.
try { const os = require('node:os'); os.setPriority(0, Math.min(19, os.getPriority(0) + 10)); } catch {}
const { file, mode, nativeBinding, fingerprintSql, schemaSql, columnsSql, migrationsSql, source, plan, scratch, fullCheck, cacheKib } = workerData;
const opts = { fileMustExist: true };
if (nativeBinding) opts.nativeBinding = nativeBinding;
if (mode === 'fingerprint') opts.readonly = true;
const q = (name) => '"' + String(name).replace(/"/g, '""') + '"';
// Bounded memory whatever the size of the database: no memory map (mapped pages count in the
// process's resident memory like any other) and a page cache of a fixed size.
function bounded(c) {
  c.pragma('trusted_schema = OFF');
  c.pragma('busy_timeout = 5000');
  c.pragma('mmap_size = 0');
  c.pragma('cache_size = -' + cacheKib);
}
function countRows(c) {
  const names = new Set(c.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all());
  const rows = {};
  for (const t of plan.dataTables) if (names.has(t)) rows[t] = c.prepare('SELECT count(*) FROM ' + q(t)).pluck().get();
  return rows;
}
let db;
let sourceRows = null;
async function copy(target) {
  // The online backup API on a connection of its own, inside one read transaction: a consistent
  // snapshot of the moment it began, while the app goes on writing (WAL), and the copy's final
  // fsync happens here instead of on the app's event loop.
  const srcOpts = { readonly: true, fileMustExist: true };
  if (nativeBinding) srcOpts.nativeBinding = nativeBinding;
  const src = new Database(source, srcOpts);
  try {
    bounded(src);
    src.exec('BEGIN');
    src.prepare('SELECT count(*) FROM sqlite_master').get();
    // The rows of the snapshot, counted in the same read transaction as the copy is made.
    if (plan) sourceRows = countRows(src);
    await src.backup(target, {
      progress: ({ totalPages, remainingPages }) => {
        parentPort.postMessage({ type: 'copy', done: totalPages - remainingPages, total: totalPages });
        return 4096;
      },
    });
    src.exec('COMMIT');
  } finally {
    src.close();
  }
}
// Leaves out of the full copy what a restore rebuilds (see compact.ts), then writes the rest,
// defragmented, into the backup's file. The full copy is a private scratch file: no journal.
function compact() {
  const full = new Database(scratch, opts);
  try {
    bounded(full);
    full.pragma('journal_mode = DELETE');
    full.pragma('journal_mode = OFF');
    full.pragma('synchronous = OFF');
    const step = (name, done, total) => parentPort.postMessage({ type: 'step', step: name, done, total });
    const total = plan.searchIndexes.length + plan.indexes.length + plan.aggregates.length + 1;
    let done = 0;
    full.exec('BEGIN');
    for (const s of plan.searchIndexes) { full.exec('DROP TABLE IF EXISTS ' + q(s.name)); step('drop', ++done, total); }
    for (const i of plan.indexes) { full.exec('DROP INDEX IF EXISTS ' + q(i.name)); step('drop', ++done, total); }
    for (const a of plan.aggregates) { full.exec('DELETE FROM ' + q(a.table)); step('drop', ++done, total); }
    full.exec('COMMIT');
    full.prepare('VACUUM INTO ?').run(file);
    step('drop', total, total);
  } finally {
    full.close();
    for (const s of ['', '-journal', '-wal', '-shm']) rmSync(scratch + s, { force: true });
  }
}
// Puts back what a compact backup leaves out, exactly as the migrations define it (the plan).
function rebuild() {
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  const total = plan.indexes.length + plan.searchIndexes.length + plan.aggregates.length;
  let done = 0;
  const step = (name) => parentPort.postMessage({ type: 'step', step: name, done: ++done, total });
  db.exec('BEGIN');
  for (const i of plan.indexes) { db.exec(i.sql); step('indexes'); }
  for (const s of plan.searchIndexes) {
    db.exec(s.sql);
    db.prepare('INSERT INTO ' + q(s.name) + ' (' + q(s.name) + ") VALUES ('rebuild')").run();
    step('search');
  }
  for (const a of plan.aggregates) { db.exec('DELETE FROM ' + q(a.table)); db.exec(a.backfill); step('aggregates'); }
  db.exec('COMMIT');
}
(async () => {
try {
  if (mode === 'check' && source) {
    await copy(plan ? scratch : file);
    if (plan) compact();
  }
  db = new Database(file, opts);
  bounded(db);
  if (mode === 'check') {
    // A copy made by the backup API inherits WAL mode; a backup file must stand alone.
    db.pragma('journal_mode = DELETE');
    parentPort.postMessage({ type: 'prepared' });
  }
  if (mode === 'rebuild') rebuild();
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  const has = (t) => tables.includes(t);
  const isApp = has('__drizzle_migrations') && has('inventory_items') && has('users') && has('app_config');
  let fingerprint = null;
  if (isApp) {
    try { fingerprint = createHash('sha256').update(String(db.prepare(fingerprintSql).pluck().get())).digest('hex').slice(0, 32); }
    catch { fingerprint = null; }
  }
  if (mode === 'fingerprint') {
    parentPort.postMessage({ type: 'result', result: { fingerprint } });
  } else {
    parentPort.postMessage({ type: 'step', step: 'check', done: 0, total: 1 });
    const integrity = db.pragma((fullCheck ? 'integrity_check' : 'quick_check') + '(20)').map((r) => String(Object.values(r)[0]));
    const ok = integrity.length === 1 && integrity[0] === 'ok';
    // A file whose foreign keys point at something that is not a table (a view in its place)
    // makes the check itself fail: reported as such, and refused once the file is known to be ours.
    let foreignKeyViolations = 0;
    let foreignKeyError = null;
    try { foreignKeyViolations = ok ? db.pragma('foreign_key_check').length : 0; }
    catch (e) { foreignKeyError = String(e && e.message || e); }
    let migrations = null;
    let migrationRows = null;
    if (has('__drizzle_migrations')) {
      const r = db.prepare('SELECT count(*) AS n, max(created_at) AS last FROM __drizzle_migrations').get();
      migrations = { applied: r.n, lastWhen: r.last === null ? null : Number(r.last) };
      try { migrationRows = db.prepare(migrationsSql).all(); } catch { migrationRows = []; }
    }
    const schema = db.prepare(schemaSql).all().map((o) => {
      if (o.type !== 'table') return o;
      let columns;
      try { columns = JSON.stringify(db.prepare(columnsSql).all(o.name)); } catch (e) { columns = 'unreadable: ' + String(e && e.message); }
      return { ...o, columns };
    });
    const count = (t) => (has(t) && ok ? db.prepare('SELECT count(*) FROM ' + t).pluck().get() : null);
    parentPort.postMessage({ type: 'result', result: {
      integrity, foreignKeyViolations, foreignKeyError, userVersion: db.pragma('user_version', { simple: true }), tables,
      migrations, migrationRows, schema, lots: count('inventory_items'), profiles: count('users'), fingerprint,
      dbBytes: statSync(file).size, sourceRows, rows: plan && ok ? countRows(db) : null,
    } });
  }
} catch (e) {
  parentPort.postMessage({ type: 'error', code: e && e.code, message: String(e && e.message || e) });
} finally {
  try { db && db.close(); } catch {}
}
})();
`;

const requireHere = createRequire(import.meta.url);

/** Page cache of a worker's connection, in KiB (no memory map: see bounded() above). */
export const WORKER_CACHE_KIB = 32 * 1024;

export interface WorkerRun<T> {
  result: Promise<T>;
  /** Resolves once the copy is in rollback-journal mode (check mode only): it may be read now. */
  prepared: Promise<void>;
  terminate(): Promise<void>;
}

/** A named step of a worker's work (compact: 'drop'; rebuild: 'indexes', 'search', 'aggregates'; both: 'check'). */
export type StepListener = (step: string, done: number, total: number) => void;

interface RunSpec {
  source?: string;
  onProgress?: ((done: number, total: number) => void) | undefined;
  onStep?: StepListener | undefined;
  plan?: CompactPlan | undefined;
  scratch?: string | undefined;
  fullCheck?: boolean;
}

function runWorker<T>(
  mode: 'check' | 'fingerprint' | 'rebuild',
  file: string,
  nativeBinding?: string,
  spec: RunSpec = {},
): WorkerRun<T> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      module: requireHere.resolve('better-sqlite3'),
      file,
      mode,
      nativeBinding: nativeBinding ?? null,
      fingerprintSql: FINGERPRINT_SQL,
      schemaSql: SCHEMA_SQL,
      columnsSql: COLUMNS_SQL,
      migrationsSql: MIGRATIONS_SQL,
      source: spec.source ?? null,
      plan: spec.plan ?? null,
      scratch: spec.scratch ?? null,
      fullCheck: spec.fullCheck ?? true,
      cacheKib: WORKER_CACHE_KIB,
    },
  });
  let onPrepared!: () => void;
  let onPrepareFailed!: (e: unknown) => void;
  const prepared = new Promise<void>((res, rej) => {
    onPrepared = res;
    onPrepareFailed = rej;
  });
  prepared.catch(() => undefined);
  const result = new Promise<T>((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      onPrepareFailed(e);
      reject(e);
    };
    worker.on(
      'message',
      (m: { type: string; result?: T; code?: string; message?: string; done?: number; total?: number; step?: string }) => {
        if (m.type === 'copy') spec.onProgress?.(m.done ?? 0, m.total ?? 0);
        else if (m.type === 'step') spec.onStep?.(m.step ?? '', m.done ?? 0, m.total ?? 0);
        else if (m.type === 'prepared') onPrepared();
        else if (m.type === 'result') {
          settled = true;
          onPrepared();
          resolve(m.result as T);
        } else if (m.type === 'error') {
          const err = new Error(m.message) as NodeJS.ErrnoException;
          if (m.code) err.code = m.code;
          fail(err);
        }
      },
    );
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new AppError('cancelled', `the check stopped (exit ${code})`)));
  });
  // A terminated check that nobody awaits any more must not become an unhandled rejection.
  result.catch(() => undefined);
  return {
    result,
    prepared,
    terminate: async () => {
      await worker.terminate();
    },
  };
}

export function checkDatabaseFile(file: string, nativeBinding?: string): WorkerRun<CheckResult> {
  return runWorker<CheckResult>('check', file, nativeBinding);
}

export interface CopyOptions {
  onProgress?: ((done: number, total: number) => void) | undefined;
  onStep?: StepListener | undefined;
  /**
   * Make a compact copy: the full copy goes to `scratch`, the plan's indexes, search indexes and
   * aggregates are dropped there, and the rest is written defragmented (VACUUM INTO) to `file`.
   */
  compact?: { plan: CompactPlan; scratch: string } | undefined;
}

/**
 * Copies the live database `source` into `file` with the online backup API in a worker (its own
 * read-only connection, one read transaction: a consistent snapshot), then checks the copy like
 * checkDatabaseFile. `prepared` resolves once the copy is complete and self-contained.
 */
export function copyAndCheck(source: string, file: string, nativeBinding?: string, o: CopyOptions = {}): WorkerRun<CheckResult> {
  return runWorker<CheckResult>('check', file, nativeBinding, {
    source,
    onProgress: o.onProgress,
    onStep: o.onStep,
    plan: o.compact?.plan,
    scratch: o.compact?.scratch,
  });
}

/**
 * Rebuilds in `file` (a private, unpacked copy of a compact backup) what the plan leaves out,
 * in one transaction without a journal (a failure leaves a copy that is thrown away), then
 * checks it like checkDatabaseFile. The file's own content had its full integrity_check before
 * (checkDatabaseFile); what SQLite has just built from it gets a quick_check (every page and
 * b-tree, without looking up each row in each rebuilt index again) unless `fullCheck`.
 */
export function rebuildDatabaseFile(
  file: string,
  plan: CompactPlan,
  nativeBinding?: string,
  o: { onStep?: StepListener; fullCheck?: boolean } = {},
): WorkerRun<CheckResult> {
  return runWorker<CheckResult>('rebuild', file, nativeBinding, { plan, onStep: o.onStep, fullCheck: o.fullCheck ?? false });
}

/** The live database's fingerprint, read on a second, read-only connection. */
export async function fingerprintOf(file: string, nativeBinding?: string): Promise<string | null> {
  const r = await runWorker<{ fingerprint: string | null }>('fingerprint', file, nativeBinding).result;
  return r.fingerprint;
}
