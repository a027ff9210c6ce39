// Reading a file into a stage and previewing it run in a worker thread (read-worker.ts) with
// connections of its own: parsing, checking, staging, the merge and the preview's passes over the
// staged lots never run on the thread that answers calls. Progress comes back as messages; a
// cancel stops the worker and deletes its stage file.
//
// The worker is a module of its own. The builds make it an entry beside their bundle
// (out/main/import-read-worker.js for the app, out/cli/import-read-worker.js for the command
// line); run from the TypeScript sources (tests, the e2e host, benchmarks) the worker registers
// tsx's loader before it imports read-worker.ts.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { FileRef, ImportDetection, ImportMode, ImportPreview } from '../../../shared/contract';
import { AppError, type ErrorPayload } from '../../../shared/errors';
import { attachStage, newStage, removeStageFile } from './stage';
import type { Progress, ReadOptions, StageResult } from './types';

/** What the read worker is given (workerData). */
export interface ReadJob {
  /** The database file (read-only: the preview looks up existing lots and the catalogue). */
  dbFile: string;
  schema: string;
  stageFile: string;
  ownerId: number;
  mode: ImportMode;
  importId: string;
  nativeBinding: string | null;
  /** A read: the file to stage. */
  file: string;
  /** Its detection; when absent the worker detects the file first (as `import.detect` does). */
  detection?: ImportDetection;
  /** The token the detection names the file by. */
  ref?: FileRef;
  /** Only detect the file (no stage, no preview). */
  detectOnly?: boolean;
  read?: ReadOptions;
  colors: readonly { id: number; name: string }[];
  /** A preview of a stage made earlier (a dry run): nothing is read. */
  stage?: StageResult;
}

export type ReadReply =
  | { type: 'progress'; phase: string; done: number; total: number | null }
  | { type: 'result'; detection: ImportDetection | null; stage: StageResult | null; preview: ImportPreview | null }
  | { type: 'error'; error: ErrorPayload | null; message?: string; code?: string | null };

/** The worker's entry: built beside the bundle, or the TypeScript source with tsx's loader. */
function entry(): { url: string; loader: string | null } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // tsx's ESM register API (its CommonJS twin cannot load it from a worker).
    const api = createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs');
    return { url: new URL('./read-worker.ts', here).href, loader: pathToFileURL(api).href };
  }
  // Beside the bundle, whether this code sits in the entry file or in one of its chunks.
  for (const rel of ['./import-read-worker.js', '../import-read-worker.js']) {
    const u = new URL(rel, here);
    if (existsSync(fileURLToPath(u))) return { url: u.href, loader: null };
  }
  throw new AppError('internal', 'The import reader (import-read-worker.js) is missing from this build.');
}

const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.loader) (await import(workerData.loader)).register();
  await import(workerData.entry);
})().catch((e) => parentPort.postMessage({ type: 'error', error: null, message: String((e && e.stack) || e) }));
`;

type Answer = Omit<Extract<ReadReply, { type: 'result' }>, 'type'>;

export interface ReadRun {
  result: Promise<Answer>;
  /** Stops the worker; the result rejects `cancelled`. */
  cancel(): void;
  /** Resolves once the worker's thread has ended. */
  exited: Promise<void>;
}

function start(job: ReadJob, onProgress: Progress | undefined): ReadRun {
  const e = entry();
  const worker = new Worker(BOOT, { eval: true, workerData: { ...job, entry: e.url, loader: e.loader } });
  let cancelled = false;
  let settled = false;
  let cancelRun = () => {};
  const exited = new Promise<void>((r) => worker.once('exit', () => r()));
  const result = new Promise<Answer>((resolve, reject) => {
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    cancelRun = () => {
      cancelled = true;
      settle(() => reject(new AppError('cancelled', 'The import was cancelled.')));
    };
    worker.on('message', (m: ReadReply) => {
      if (m.type === 'progress') {
        if (!settled) onProgress?.(m.phase, m.done, m.total);
      } else if (m.type === 'result') settle(() => resolve(m));
      else
        settle(() => {
          if (m.error) {
            const { code, message, ...extra } = m.error;
            return reject(new AppError(code, message, extra));
          }
          const err = new Error(m.message) as NodeJS.ErrnoException;
          if (m.code) err.code = m.code;
          reject(err);
        });
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) =>
      settle(() => reject(new AppError(cancelled ? 'cancelled' : 'internal', `The import reader stopped (exit ${code}).`))),
    );
  });
  result.catch(() => undefined);
  return { result, cancel: () => cancelRun(), exited };
}

/** Runs `run` until it settles or `signal` aborts (which stops it). */
async function until(run: ReadRun, signal: AbortSignal | undefined): Promise<Answer> {
  if (signal?.aborted) run.cancel();
  const onAbort = () => run.cancel();
  signal?.addEventListener('abort', onAbort);
  try {
    return await run.result;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

export interface ReadInput extends ReadOptions {
  colors: readonly { id: number; name: string }[];
  signal?: AbortSignal;
  progress?: Progress;
  /** better-sqlite3 addon built for Electron, for the worker's connections. */
  nativeBinding?: string | undefined;
}

/**
 * Detects (unless given the detection), reads a whole file into a new stage and previews it, in
 * the read worker; the stage is ATTACHed to `sqlite` (its `table`) when this resolves. The caller
 * drops it when done. A detection that lacks a column fails `invalid-input` with the detection
 * in its details, before anything is read.
 */
export async function readAndPreview(
  sqlite: Database.Database,
  file: string,
  det: ImportDetection | { ref: FileRef },
  preview: { ownerId: number; mode: ImportMode; importId: string },
  opts: ReadInput,
): Promise<{ detection: ImportDetection; stage: StageResult; preview: ImportPreview }> {
  const { schema, file: stageFile } = newStage(sqlite);
  const { colors, signal, progress, nativeBinding, ...read } = opts;
  const run = start(
    {
      dbFile: sqlite.name,
      schema,
      stageFile,
      ...preview,
      nativeBinding: nativeBinding ?? null,
      file,
      ...('ref' in det ? { ref: det.ref } : { detection: det }),
      read,
      colors,
    },
    progress,
  );
  try {
    const r = await until(run, signal);
    attachStage(sqlite, schema, stageFile);
    return { detection: r.detection!, stage: r.stage!, preview: r.preview! };
  } catch (e) {
    removeStageFile(stageFile);
    // A worker stopped early may still be creating the file: delete it again once it is gone.
    void run.exited.then(() => removeStageFile(stageFile));
    throw e;
  }
}

/** Reads a whole file into a new stage (see readAndPreview), ATTACHed to `sqlite`. */
export async function stageFile(
  sqlite: Database.Database,
  file: string,
  det: ImportDetection,
  opts: ReadInput,
): Promise<StageResult> {
  return (await readAndPreview(sqlite, file, det, { ownerId: 1, mode: 'add', importId: 'stage' }, opts)).stage;
}

/** The preview of a stage made earlier (attached to `sqlite`), worked out in the read worker. */
export async function previewInWorker(
  sqlite: Database.Database,
  stageDb: string,
  stage: StageResult,
  preview: { ownerId: number; mode: ImportMode; importId: string },
  opts: { signal?: AbortSignal; nativeBinding?: string | undefined } = {},
): Promise<ImportPreview> {
  const run = start(
    {
      dbFile: sqlite.name,
      schema: stage.table,
      stageFile: stageDb,
      ...preview,
      nativeBinding: opts.nativeBinding ?? null,
      file: stage.file,
      colors: [],
      stage,
    },
    undefined,
  );
  return (await until(run, opts.signal)).preview!;
}

/** What a file is (`import.detect`), worked out in the read worker (an XLSX sample unzips parts). */
export async function detectInWorker(
  file: string,
  ref: FileRef,
  read: ReadOptions,
  opts: { signal?: AbortSignal; nativeBinding?: string | undefined } = {},
): Promise<ImportDetection> {
  const run = start(
    {
      dbFile: '',
      schema: '',
      stageFile: '',
      ownerId: 0,
      mode: 'add',
      importId: '',
      nativeBinding: opts.nativeBinding ?? null,
      file,
      ref,
      detectOnly: true,
      read,
      colors: [],
    },
    undefined,
  );
  return (await until(run, opts.signal)).detection!;
}
