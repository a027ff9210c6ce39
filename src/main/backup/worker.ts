// Work that would block the event loop runs in a worker thread with its own SQLite connection:
// the integrity and foreign-key checks of a copy, and the data fingerprint of the live database.
// The worker is plain JavaScript evaluated from a string, so it runs the same under tsx, vitest
// and the bundled app without a separate build entry; it loads the same better-sqlite3 (and, in
// Electron, the same native addon) as the main process.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { COLUMNS_SQL, MIGRATIONS_SQL, SCHEMA_SQL, type MigrationRow, type SchemaObject } from './schema';

export interface CheckResult {
  integrity: string[];
  foreignKeyViolations: number;
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
const { statSync } = require('node:fs');
const Database = require(workerData.module);
// Background work: on Linux this lowers only this thread, so the app's main thread is served first.
try { const os = require('node:os'); os.setPriority(0, Math.min(19, os.getPriority(0) + 10)); } catch {}
const { file, mode, nativeBinding, fingerprintSql, schemaSql, columnsSql, migrationsSql, source } = workerData;
const opts = { fileMustExist: true };
if (nativeBinding) opts.nativeBinding = nativeBinding;
if (mode === 'fingerprint') opts.readonly = true;
let db;
async function copy() {
  // The online backup API on a connection of its own, inside one read transaction: a consistent
  // snapshot of the moment it began, while the app goes on writing (WAL), and the copy's final
  // fsync happens here instead of on the app's event loop.
  const srcOpts = { readonly: true, fileMustExist: true };
  if (nativeBinding) srcOpts.nativeBinding = nativeBinding;
  const src = new Database(source, srcOpts);
  try {
    src.pragma('trusted_schema = OFF');
    src.pragma('busy_timeout = 5000');
    src.pragma('mmap_size = 2147483648');
    src.exec('BEGIN');
    src.prepare('SELECT count(*) FROM sqlite_master').get();
    await src.backup(file, {
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
(async () => {
try {
  if (mode === 'check' && source) await copy();
  db = new Database(file, opts);
  // Nothing in a file's schema may call functions with side effects or unsafe virtual tables.
  db.pragma('trusted_schema = OFF');
  db.pragma('busy_timeout = 5000');
  if (mode === 'check') {
    // A copy made by the backup API inherits WAL mode; a backup file must stand alone.
    db.pragma('journal_mode = DELETE');
    parentPort.postMessage({ type: 'prepared' });
  }
  // Read through a memory map and a large page cache: the integrity check visits index pages
  // many times, and 4 KiB reads through system calls cost more than the check itself.
  db.pragma('mmap_size = 2147483648');
  db.pragma('cache_size = -262144');
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
    const integrity = db.pragma('integrity_check(20)').map((r) => String(r.integrity_check));
    const ok = integrity.length === 1 && integrity[0] === 'ok';
    const foreignKeyViolations = ok ? db.pragma('foreign_key_check').length : 0;
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
      integrity, foreignKeyViolations, userVersion: db.pragma('user_version', { simple: true }), tables,
      migrations, migrationRows, schema, lots: count('inventory_items'), profiles: count('users'), fingerprint,
      dbBytes: statSync(file).size,
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

export interface WorkerRun<T> {
  result: Promise<T>;
  /** Resolves once the copy is in rollback-journal mode (check mode only): it may be read now. */
  prepared: Promise<void>;
  terminate(): Promise<void>;
}

function runWorker<T>(
  mode: 'check' | 'fingerprint',
  file: string,
  nativeBinding?: string,
  copy?: { source: string; onProgress?: (done: number, total: number) => void },
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
      source: copy?.source ?? null,
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
    worker.on('message', (m: { type: string; result?: T; code?: string; message?: string; done?: number; total?: number }) => {
      if (m.type === 'copy') copy?.onProgress?.(m.done ?? 0, m.total ?? 0);
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
    });
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

/**
 * Copies the live database `source` into `file` with the online backup API in a worker (its own
 * read-only connection, one read transaction: a consistent snapshot), then checks the copy like
 * checkDatabaseFile. `prepared` resolves once the copy is complete and self-contained.
 */
export function copyAndCheck(
  source: string,
  file: string,
  nativeBinding?: string,
  onProgress?: (done: number, total: number) => void,
): WorkerRun<CheckResult> {
  return runWorker<CheckResult>('check', file, nativeBinding, { source, ...(onProgress ? { onProgress } : {}) });
}

/** The live database's fingerprint, read on a second, read-only connection. */
export async function fingerprintOf(file: string, nativeBinding?: string): Promise<string | null> {
  const r = await runWorker<{ fingerprint: string | null }>('fingerprint', file, nativeBinding).result;
  return r.fingerprint;
}
