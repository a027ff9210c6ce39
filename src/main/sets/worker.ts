// "Which sets can I build?" in a worker thread with its own read connection, so the thread that
// answers calls never waits for it (like the catalogue and import workers, its source is
// evaluated from a string: it holds the source of rankSets, canonFor and applyPragmas, which
// refer to nothing outside their parameters). Progress comes back as messages; a cancel sets a
// shared flag that rankSets checks between steps.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { applyPragmas } from '../db/open';
import { rankSets, type RankParams, type RankResult } from './rank';
import { canonFor } from './variants';

const workerSource = () => `
const { parentPort, workerData } = require('node:worker_threads');
const __name = (f) => f; // some transpilers name functions through a helper of this name
const Database = require(workerData.module);
const applyPragmas = (${applyPragmas.toString()});
const canonFor = (${canonFor.toString()});
const rankSets = (${rankSets.toString()});
const { file, params, nativeBinding, flags } = workerData;
const flag = new Int32Array(flags);
let db;
try {
  const opts = { fileMustExist: true, readonly: true };
  if (nativeBinding) opts.nativeBinding = nativeBinding;
  db = new Database(file, opts);
  applyPragmas(db, true);
  const result = rankSets(db, params, {
    progress: (phase, done, total) => parentPort.postMessage({ type: 'progress', phase, done, total }),
    cancelled: () => Atomics.load(flag, 0) !== 0,
    canonFor,
  });
  parentPort.postMessage({ type: 'result', result });
} catch (e) {
  parentPort.postMessage({ type: 'error', code: e && e.code, message: String((e && e.message) || e) });
} finally {
  try { db && db.close(); } catch {}
}
`;

const requireHere = createRequire(import.meta.url);

export interface RankRun {
  result: Promise<RankResult>;
  cancel(): void;
  terminate(): Promise<void>;
}

export function runRankWorker(opts: {
  file: string;
  params: RankParams;
  nativeBinding?: string | undefined;
  onProgress?: (phase: string, done: number, total: number) => void;
}): RankRun {
  const flags = new SharedArrayBuffer(4);
  const flag = new Int32Array(flags);
  const worker = new Worker(workerSource(), {
    eval: true,
    workerData: {
      module: requireHere.resolve('better-sqlite3'),
      file: opts.file,
      params: opts.params,
      nativeBinding: opts.nativeBinding ?? null,
      flags,
    },
  });
  const result = new Promise<RankResult>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.on(
      'message',
      (m: {
        type: string;
        phase?: string;
        done?: number;
        total?: number;
        result?: RankResult;
        code?: string;
        message?: string;
      }) => {
        if (m.type === 'progress') opts.onProgress?.(m.phase!, m.done ?? 0, m.total ?? 0);
        else if (m.type === 'result') settle(() => resolve(m.result!));
        else if (m.type === 'error') {
          settle(() => {
            if (m.code === 'cancelled') return reject(new AppError('cancelled', m.message ?? 'cancelled'));
            const err = new Error(m.message) as NodeJS.ErrnoException;
            if (m.code) err.code = m.code;
            reject(err);
          });
        }
      },
    );
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', () => settle(() => reject(new AppError('cancelled', 'The search for buildable sets was stopped.'))));
  });
  result.catch(() => undefined);
  return {
    result,
    cancel: () => Atomics.store(flag, 0, 1),
    terminate: async () => {
      Atomics.store(flag, 0, 1);
      await worker.terminate();
    },
  };
}
