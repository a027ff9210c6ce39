// The catalogue import runs in a worker thread with its own SQLite connection, so the thread
// that answers calls never waits on it: the app reads from the last commit meanwhile (WAL).
//
// 1. Read: each file (CSV, gzipped or not) is streamed, parsed and checked row by row into a
//    staging table of the worker's temporary database (one per kind, keyed like the real table,
//    so a key repeated in a download is one row). Nothing in the database is locked yet, and a
//    cancel here costs nothing.
// 2. Apply: one write transaction upserts every kind from its staging table in SQL (referenced
//    tables first), replaces the rows of each inventory a download lists, rebuilds the name
//    indexes of parts and sets and records what was loaded. A failure or cancel rolls it all
//    back: the catalogue stays as it was. Lots are never written (only the colour-name trigger
//    of migration 0001 follows a renamed colour).
//
// The worker is plain JavaScript evaluated from a string (like backup/worker.ts), so it runs the
// same under tsx, vitest, the built CLI and the packaged app; it needs only Node and the same
// better-sqlite3 (and, in Electron, the same native addon) as the main process.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CatalogImportFile, CatalogTable } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { KINDS } from './kinds';

export interface WorkerSource {
  /** A CSV or gzipped CSV file on disk. */
  path: string;
  /** What the user knows it as (file or zip entry name). */
  name: string;
  kind: CatalogTable;
  bytes: number;
}

export interface WorkerJob {
  file: string;
  nativeBinding?: string | undefined;
  sources: WorkerSource[];
  /** Set for the shipped snapshot: its date goes into catalog_meta.snapshot. */
  snapshot?: string | undefined;
  now: number;
  /** How long to wait for another connection's write to end (default 60 s). */
  busyTimeoutMs?: number | undefined;
}

export interface WorkerProgress {
  phase: 'reading' | 'applying';
  /** The file being read, or the kind being applied. */
  item: string;
  rows: number;
  /** 0..100 over the whole job (reading by bytes is 90 %, applying the rest). */
  percent: number;
}

export interface WorkerResult {
  files: CatalogImportFile[];
}

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const Database = require(workerData.module);
// Background work: on Linux this lowers only this thread, so the app's main thread is served first.
try { const os = require('node:os'); os.setPriority(0, Math.min(19, os.getPriority(0) + 5)); } catch {}
const { job, kinds, cancelFlag } = workerData;
const cancelled = () => Atomics.load(cancelFlag, 0) === 1;
class Stop extends Error { constructor(code, message) { super(message); this.code = code; } }
const checkCancel = () => { if (cancelled()) throw new Stop('cancelled', 'The catalogue import was cancelled.'); };
const q = (s) => '"' + s + '"';

// RFC 4180 CSV, streamed: quoted fields may hold commas, quotes ("") and line breaks.
function csvParser(onRecord) {
  let rec = [], field = '', state = 0; // 0 field start, 1 unquoted, 2 quoted, 3 quote seen inside quotes
  const endField = () => { rec.push(field); field = ''; };
  const endRecord = () => { endField(); const r = rec; rec = []; if (!(r.length === 1 && r[0] === '')) onRecord(r); };
  return {
    push(s) {
      let i = 0; const n = s.length;
      while (i < n) {
        if (state === 2) {
          const j = s.indexOf('"', i);
          if (j < 0) { field += s.slice(i); break; }
          field += s.slice(i, j); i = j + 1; state = 3; continue;
        }
        const c = s.charCodeAt(i);
        if (state === 3) {
          if (c === 34) { field += '"'; i++; state = 2; continue; }
          state = 1;
        }
        if (c === 34 && state === 0) { state = 2; i++; continue; }
        if (c === 44) { endField(); state = 0; i++; continue; }
        if (c === 10) { endRecord(); state = 0; i++; continue; }
        if (c === 13) { i++; continue; }
        let j = i;
        while (j < n) { const d = s.charCodeAt(j); if (d === 44 || d === 10 || d === 13) break; j++; }
        field += s.slice(i, j); i = j; state = 1;
      }
    },
    end() {
      if (state === 2) return false;
      if (state !== 0 || field !== '' || rec.length) endRecord();
      return true;
    },
  };
}

function convert(type, raw, col, line, name) {
  const s = (raw === undefined ? '' : raw).trim();
  const bad = (why) => new Stop('invalid-input', name + ':' + line + ': ' + col + ': ' + why);
  switch (type) {
    case 'int': case 'int?':
      if (s === '') { if (type === 'int?') return null; throw bad('is empty'); }
      if (!/^-?\d{1,15}$/.test(s)) throw bad('“' + s.slice(0, 30) + '” is not a number');
      return Number(s);
    case 'text': if (!s) throw bad('is empty'); return s;
    case 'text?': return s || null;
    case 'bool': return /^(true|t|1)$/i.test(s) ? 1 : 0;
    case 'rgb': return s.replace(/^#/, '').toUpperCase().slice(0, 6) || '000000';
  }
  throw bad('unknown column type');
}

let db;
const staged = new Map(); // kind -> { names, rows }

function stageTable(spec) {
  if (staged.has(spec.kind)) return staged.get(spec.kind);
  const cols = spec.columns.map(([c]) => c);
  const defs = spec.columns.map(([c, t]) => q(c) + (t.startsWith('int') || t === 'bool' ? ' INTEGER' : ' TEXT'));
  db.exec('CREATE TEMP TABLE ' + q('s_' + spec.kind) + ' (' + defs.join(', ') + ', PRIMARY KEY (' + spec.key.map(q).join(', ') + '))');
  const rest = cols.filter((c) => !spec.key.includes(c));
  const set = rest.map((c) => q(c) + ' = ' + (c === spec.sum ? q(c) + ' + excluded.' + q(c) : 'excluded.' + q(c)));
  const insert = db.prepare('INSERT INTO temp.' + q('s_' + spec.kind) + ' (' + cols.map(q).join(', ') + ') VALUES (' + cols.map(() => '?').join(', ') + ')' +
    ' ON CONFLICT (' + spec.key.map(q).join(', ') + ') DO ' + (set.length ? 'UPDATE SET ' + set.join(', ') : 'NOTHING'));
  const entry = { names: [], rows: 0, insert };
  staged.set(spec.kind, entry);
  return entry;
}

const totalBytes = job.sources.reduce((a, s) => a + s.bytes, 0) || 1;
let bytesBefore = 0;
let lastPost = 0;
function post(phase, item, rows, percent, force) {
  const t = Date.now();
  if (!force && t - lastPost < 100) return;
  lastPost = t;
  parentPort.postMessage({ type: 'progress', progress: { phase, item, rows, percent: Math.min(100, Math.round(percent)) } });
}

async function readSource(src) {
  const spec = kinds.find((k) => k.kind === src.kind);
  const entry = stageTable(spec);
  entry.names.push(src.name);
  let header = null, index = null, line = 0, rows = 0, batch = [];
  const flush = db.transaction((b) => { for (const p of b) entry.insert.run(p); });
  const parser = csvParser((record) => {
    line++;
    if (!header) {
      header = record.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c).trim().toLowerCase());
      // Columns that must hold a value must be there; the others may be left out.
      const missing = spec.columns.filter(([c, t]) => (t === 'int' || t === 'text') && !header.includes(c)).map(([c]) => c);
      if (missing.length) throw new Stop('invalid-input', src.name + ':1: not a Rebrickable ' + spec.kind + ' file (no ' + missing.join(', ') + ' column)');
      index = spec.columns.map(([c]) => header.indexOf(c));
      return;
    }
    rows++;
    batch.push(spec.columns.map(([c, t], i) => convert(t, index[i] < 0 ? undefined : record[index[i]], c, line, src.name)));
  });
  let read = 0;
  const raw = fs.createReadStream(src.path, { highWaterMark: 256 * 1024 });
  raw.on('data', (b) => { read += b.length; });
  const head = Buffer.alloc(2);
  const fd = fs.openSync(src.path, 'r');
  try { fs.readSync(fd, head, 0, 2, 0); } finally { fs.closeSync(fd); }
  const stream = head[0] === 0x1f && head[1] === 0x8b ? raw.pipe(zlib.createGunzip()) : raw;
  raw.on('error', (e) => stream.destroy(e));
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream) {
      parser.push(decoder.decode(chunk, { stream: true }));
      if (batch.length >= 2000) {
        flush(batch); batch = [];
        checkCancel();
        post('reading', src.name, rows, ((bytesBefore + read) / totalBytes) * 90);
      }
    }
  } catch (e) {
    if (e instanceof Stop) throw e;
    throw new Stop('invalid-input', src.name + ': ' + (e && e.code === 'Z_DATA_ERROR' ? 'the gzip data is damaged' : String(e && e.message || e)));
  }
  parser.push(decoder.decode());
  if (!parser.end()) throw new Stop('invalid-input', src.name + ':' + (line + 1) + ': a quoted field is not closed');
  if (!header) throw new Stop('invalid-input', src.name + ': the file is empty');
  flush(batch);
  entry.rows += rows;
  bytesBefore += src.bytes;
  post('reading', src.name, rows, (bytesBefore / totalBytes) * 90, true);
}

function apply() {
  const files = [];
  const count = (t) => db.prepare('SELECT count(*) FROM main.' + q(t)).pluck().get();
  const order = kinds.filter((k) => staged.has(k.kind));
  // The core answers its own writers "busy" while this job holds the write lock, instead of
  // letting them wait for it: ask first, and take the lock once it has said so.
  const lockFlag = workerData.lockFlag;
  if (lockFlag) {
    parentPort.postMessage({ type: 'lock' });
    while (Atomics.load(lockFlag, 0) === 0 && !cancelled()) Atomics.wait(lockFlag, 0, 0, 200);
    checkCancel();
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    let n = 0;
    for (const spec of order) {
      checkCancel();
      post('applying', spec.kind, 0, 90 + (n++ / order.length) * 9, true);
      const entry = staged.get(spec.kind);
      const t = q(spec.kind), s = 'temp.' + q('s_' + spec.kind);
      const cols = spec.columns.map(([c]) => c);
      const rest = cols.filter((c) => !spec.key.includes(c));
      const same = spec.key.map((k) => 'x.' + q(k) + ' = ' + t + '.' + q(k)).join(' AND ');
      const ok = (spec.refs || []).map((r) => 'EXISTS (SELECT 1 FROM main.' + q(r.table) + ' WHERE ' + q(r.key) + ' = x.' + q(r.column) + ')').join(' AND ') || '1';
      const stagedRows = db.prepare('SELECT count(*) FROM ' + s).pluck().get();
      const skipped = ok === '1' ? 0 : db.prepare('SELECT count(*) FROM ' + s + ' x WHERE NOT (' + ok + ')').pluck().get();
      const before = count(spec.kind);
      let removed = 0;
      if (spec.replaceBy) {
        const g = q(spec.replaceBy);
        removed = db.prepare('DELETE FROM main.' + t + ' WHERE ' + g + ' IN (SELECT ' + g + ' FROM ' + s + ')' +
          ' AND NOT EXISTS (SELECT 1 FROM ' + s + ' x WHERE ' + same + ' AND (' + ok + '))').run().changes;
      }
      const differs = rest.map((c) => t + '.' + q(c) + ' IS NOT excluded.' + q(c)).join(' OR ');
      const changed = db.prepare('INSERT INTO main.' + t + ' (' + cols.map(q).join(', ') + ') SELECT ' + cols.map((c) => 'x.' + q(c)).join(', ') +
        ' FROM ' + s + ' x WHERE ' + ok + ' ON CONFLICT (' + spec.key.map(q).join(', ') + ') DO ' +
        (rest.length ? 'UPDATE SET ' + rest.map((c) => q(c) + ' = excluded.' + q(c)).join(', ') + ' WHERE ' + differs : 'NOTHING')).run().changes;
      const after = count(spec.kind);
      const inserted = after - before + removed;
      const updated = changed - inserted;
      files.push({ name: entry.names.join(', '), table: spec.kind, rows: entry.rows, inserted, updated,
        unchanged: stagedRows - skipped - inserted - updated, removed, skipped });
      if (spec.fts) {
        db.exec('DELETE FROM main.' + q(spec.fts.table) + '; INSERT INTO main.' + q(spec.fts.table) + ' (' + q(spec.fts.key) + ', ' + q(spec.fts.text) + ')' +
          ' SELECT ' + q(spec.fts.key) + ', ' + q(spec.fts.text) + ' FROM main.' + t);
      }
    }
    checkCancel();
    const counts = {};
    for (const k of kinds) counts[k.kind] = count(k.kind);
    db.prepare('INSERT INTO catalog_meta (id, counts) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET counts = excluded.counts').run(JSON.stringify(counts));
    if (job.snapshot) {
      db.prepare('INSERT INTO catalog_meta (id, snapshot, snapshot_loaded_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, snapshot_loaded_at = excluded.snapshot_loaded_at').run(job.snapshot, job.now);
    } else {
      db.prepare('INSERT INTO catalog_meta (id, imported_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET imported_at = excluded.imported_at').run(job.now);
    }
    db.exec('COMMIT');
  } catch (e) {
    try { db.exec('ROLLBACK'); } catch {}
    throw e;
  }
  return files;
}

(async () => {
  try {
    const opts = { fileMustExist: true };
    if (job.nativeBinding) opts.nativeBinding = job.nativeBinding;
    db = new Database(job.file, opts);
    db.pragma('trusted_schema = OFF');
    // Staging goes to a temporary file, not memory: an inventory_parts download has 1.3M rows.
    db.pragma('temp_store = FILE');
    // The app may hold a short write (a lot saved, an import applied): wait for it.
    db.pragma('busy_timeout = ' + (job.busyTimeoutMs ?? 60000));
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
    for (const src of job.sources) { checkCancel(); await readSource(src); }
    checkCancel();
    const files = apply();
    post('applying', 'done', 0, 100, true);
    parentPort.postMessage({ type: 'result', result: { files } });
  } catch (e) {
    parentPort.postMessage({ type: 'error', code: e && e.code, message: String((e && e.message) || e) });
  } finally {
    try { db && db.close(); } catch {}
  }
})();
`;

const requireHere = createRequire(import.meta.url);

export interface CatalogWorkerRun {
  result: Promise<WorkerResult>;
  /** Asks the worker to stop at its next check; the transaction, if open, is rolled back. */
  cancel(): void;
  /** Stops the worker at once (its connection closes; an open transaction is rolled back). */
  terminate(): Promise<void>;
}

export function runCatalogWorker(
  job: WorkerJob,
  onProgress?: (p: WorkerProgress) => void,
  /** Told before the worker takes the write lock, and once it has ended (see CatalogDeps). */
  writeLock?: { take(): void; release(): void },
): CatalogWorkerRun {
  const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  const lockFlag = writeLock ? new Int32Array(new SharedArrayBuffer(4)) : null;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { module: requireHere.resolve('better-sqlite3'), job, kinds: KINDS, cancelFlag, lockFlag },
  });
  let locked = false;
  const unlock = () => {
    if (!locked) return;
    locked = false;
    writeLock?.release();
  };
  worker.on('exit', unlock);
  const result = new Promise<WorkerResult>((resolve, reject) => {
    let settled = false;
    worker.on(
      'message',
      (m: { type: string; result?: WorkerResult; progress?: WorkerProgress; code?: string; message?: string }) => {
        if (m.type === 'progress' && m.progress) onProgress?.(m.progress);
        else if (m.type === 'lock' && lockFlag) {
          // Keep this thread's writers off the lock first, then let the worker take it.
          if (!locked) writeLock?.take();
          locked = true;
          Atomics.store(lockFlag, 0, 1);
          Atomics.notify(lockFlag, 0);
        } else if (m.type === 'result') {
          unlock(); // committed: the lock is free
          settled = true;
          resolve(m.result!);
        } else if (m.type === 'error') {
          unlock(); // rolled back (or never taken)
          settled = true;
          const code = m.code;
          if (code === 'cancelled' || code === 'invalid-input') reject(new AppError(code, m.message ?? ''));
          else {
            const err = new Error(m.message) as NodeJS.ErrnoException;
            if (code) err.code = code;
            reject(err);
          }
        }
      },
    );
    worker.on('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    worker.on('exit', () => {
      if (!settled) reject(new AppError('cancelled', 'The catalogue import was stopped.'));
      settled = true;
    });
  });
  result.catch(() => undefined);
  return {
    result,
    cancel: () => Atomics.store(cancelFlag, 0, 1),
    terminate: async () => {
      Atomics.store(cancelFlag, 0, 1);
      await worker.terminate();
    },
  };
}
