// Undo or redo of a big operation (an import of many lots) in a worker thread with its own
// connection, so the thread that answers calls never waits for it: the same stepCore that runs
// in-process for small operations, its source evaluated in the worker (as the import's apply
// does). A killed worker or process leaves its transaction uncommitted: the database is as it was.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../shared/errors';
import { applyPragmas } from '../db/open';
import { imageColumns, imageSql, stepCore, type StepParams, type StepResult } from './core';

const workerSource = () => `
const { parentPort, workerData } = require('node:worker_threads');
const __name = (f) => f;
const Database = require(workerData.module);
const applyPragmas = (${applyPragmas.toString()});
const imageColumns = (${imageColumns.toString()});
const imageSql = (${imageSql.toString()});
const stepCore = (${stepCore.toString()});
let db;
try {
  const opts = { fileMustExist: true };
  if (workerData.nativeBinding) opts.nativeBinding = workerData.nativeBinding;
  db = new Database(workerData.file, opts);
  applyPragmas(db, false);
  db.pragma('mmap_size = 0');
  db.pragma('temp_store = FILE');
  db.pragma('cache_size = -32768');
  const result = stepCore(db, workerData.params);
  parentPort.postMessage({ type: 'result', result });
} catch (e) {
  parentPort.postMessage({ type: 'error', failure: (e && e.historyFailure) || null, code: e && e.code, message: String((e && e.message) || e) });
} finally {
  try { db && db.close(); } catch {}
}
`;

const requireHere = createRequire(import.meta.url);

export function runStepWorker(opts: {
  file: string;
  params: StepParams;
  nativeBinding?: string | undefined;
}): Promise<StepResult> {
  const worker = new Worker(workerSource(), {
    eval: true,
    workerData: {
      module: requireHere.resolve('better-sqlite3'),
      file: opts.file,
      params: opts.params,
      nativeBinding: opts.nativeBinding ?? null,
    },
  });
  return new Promise<StepResult>((resolve, reject) => {
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
        result?: StepResult;
        failure?: { code: string; message: string } | null;
        code?: string;
        message?: string;
      }) => {
        if (m.type === 'result') {
          settled = true;
          resolve(m.result!);
        } else if (m.failure) fail(new AppError(m.failure.code as ErrorCode, m.failure.message));
        else {
          const err = new Error(m.message) as NodeJS.ErrnoException;
          if (m.code) err.code = m.code;
          fail(err);
        }
      },
    );
    worker.on('error', fail);
    worker.on('exit', (code) =>
      fail(new AppError('cancelled', `The undo stopped before it was finished (exit ${code}); nothing was changed.`)),
    );
  });
}
