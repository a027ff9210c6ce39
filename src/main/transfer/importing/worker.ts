// The apply of an import runs in a worker thread with its own better-sqlite3 connection to the
// same file (WAL, the app's pragmas), so the thread that answers calls never waits for it: reads
// keep answering from the last commit while the worker's one transaction is open, and a cancel,
// a failure or a killed worker leaves the database as it was (the transaction never committed).
// Like the backup checks (src/main/backup/worker.ts) the worker is JavaScript evaluated from a
// string, so it runs the same under tsx, vitest, the CLI bundle and the app: the string holds the
// source of applyCore and applyPragmas, which refer to nothing outside their parameters.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { applyPragmas } from '../../db/open';
import { finishOp, imageColumns, imageSql } from '../../history/core';
import {
  applyCore,
  droppableIndexes,
  toAppError,
  type ApplyCounts,
  type ApplyFailure,
  type ApplyParams,
  type ApplyTimings,
} from './apply';

const workerSource = () => `
const { parentPort, workerData } = require('node:worker_threads');
const __name = (f) => f; // some transpilers name functions through a helper of this name
const Database = require(workerData.module);
const applyPragmas = (${applyPragmas.toString()});
const droppableIndexes = (${droppableIndexes.toString()});
const applyCore = (${applyCore.toString()});
const finishOp = (${finishOp.toString()});
const imageColumns = (${imageColumns.toString()});
const imageSql = (${imageSql.toString()});
const { file, stageFile, params, nativeBinding, flags } = workerData;
const flag = new Int32Array(flags);
let db;
try {
  const opts = { fileMustExist: true };
  if (nativeBinding) opts.nativeBinding = nativeBinding;
  db = new Database(file, opts);
  applyPragmas(db, false);
  // Bounded memory for a job that reads and writes the whole table: pages through the page cache
  // only (a memory map of a growing file counts against the process), and the index rebuilds'
  // sorts spill to temporary files instead of memory. A bulk apply writes pages in order, and a
  // 16 MiB page cache (which also bounds each in-memory sort run) kept a 1M-row import under
  // 300 MB (32 MiB: 345 MB) at the same CPU per row relative to raw inserts.
  db.pragma('mmap_size = 0');
  db.pragma('temp_store = FILE');
  db.pragma('cache_size = -16384');
  db.prepare('ATTACH DATABASE ? AS ' + params.schema).run(stageFile);
  db.pragma(params.schema + '.journal_mode = OFF');
  db.pragma(params.schema + '.synchronous = OFF');
  db.pragma(params.schema + '.mmap_size = 0');
  let held = false;
  const result = applyCore(db, params, {
    progress: (phase, done, total) => {
      parentPort.postMessage({ type: 'progress', phase, done, total });
      // Test hook: stop once the first rows are in (inside the transaction) until released.
      if (!held && Atomics.load(flag, 1) === 1 && phase === 'applying' && done > 0) {
        held = true;
        parentPort.postMessage({ type: 'held' });
        Atomics.wait(flag, 1, 1);
      }
    },
    cancelled: () => Atomics.load(flag, 0) !== 0,
  }, { droppableIndexes, finishOp, imageSql });
  parentPort.postMessage({ type: 'result', result });
} catch (e) {
  parentPort.postMessage({ type: 'error', failure: (e && e.applyFailure) || null, code: e && e.code, message: String((e && e.message) || e) });
} finally {
  try { db && db.close(); } catch {}
}
`;

const requireHere = createRequire(import.meta.url);

export interface ApplyRun {
  result: Promise<ApplyCounts & { timings: ApplyTimings; bulk: boolean }>;
  /** Asks the worker to stop at its next check; it rolls back and the result rejects `cancelled`. */
  cancel(): void;
  /** Test hook: resolves when a run started with `hold` has its first rows in and waits. */
  held: Promise<void>;
  release(): void;
  /** Stops the worker at once (its transaction is never committed). */
  terminate(): Promise<void>;
}

export function runApplyWorker(opts: {
  file: string;
  stageFile: string;
  params: ApplyParams;
  nativeBinding?: string | undefined;
  onProgress?: (phase: string, done: number, total: number | null) => void;
  /** Test hook: stop inside the transaction once the first rows are in, until release(). */
  hold?: boolean;
}): ApplyRun {
  const flags = new SharedArrayBuffer(8);
  const flag = new Int32Array(flags);
  if (opts.hold) Atomics.store(flag, 1, 1);
  const worker = new Worker(workerSource(), {
    eval: true,
    workerData: {
      module: requireHere.resolve('better-sqlite3'),
      file: opts.file,
      stageFile: opts.stageFile,
      params: opts.params,
      nativeBinding: opts.nativeBinding ?? null,
      flags,
    },
  });
  let onHeld!: () => void;
  const held = new Promise<void>((r) => (onHeld = r));
  const release = () => {
    Atomics.store(flag, 1, 0);
    Atomics.notify(flag, 1);
  };
  const result = new Promise<ApplyCounts & { timings: ApplyTimings; bulk: boolean }>((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    worker.on(
      'message',
      (m: {
        type: string;
        phase?: string;
        done?: number;
        total?: number | null;
        result?: ApplyCounts & { timings: ApplyTimings; bulk: boolean };
        failure?: ApplyFailure | null;
        code?: string;
        message?: string;
      }) => {
        if (m.type === 'progress') opts.onProgress?.(m.phase!, m.done ?? 0, m.total ?? null);
        else if (m.type === 'held') onHeld();
        else if (m.type === 'result') {
          settled = true;
          resolve(m.result!);
        } else if (m.type === 'error') {
          if (m.failure) return fail(toAppError(m.failure));
          const err = new Error(m.message) as NodeJS.ErrnoException;
          if (m.code) err.code = m.code;
          fail(err);
        }
      },
    );
    worker.on('error', fail);
    worker.on('exit', (code) =>
      fail(new AppError('cancelled', `The import stopped before it was applied (exit ${code}); nothing was changed.`)),
    );
  });
  result.catch(() => undefined);
  return {
    result,
    held,
    release,
    cancel() {
      Atomics.store(flag, 0, 1);
      release();
    },
    async terminate() {
      await worker.terminate();
    },
  };
}
