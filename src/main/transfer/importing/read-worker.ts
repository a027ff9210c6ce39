// The read worker's entry (a module of its own, started by reading.ts): reads, checks and stages
// a file, and works out its preview, on connections of its own, so the thread that answers calls
// only relays progress. One job per worker; the answer is one message.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { detect } from './detect';
import { previewStage } from './preview';
import { readIntoStage } from './stage';
import type { ReadJob, ReadReply } from './reading';
import type { StageResult } from './types';

const job = workerData as ReadJob;
const post = (m: ReadReply) => parentPort!.postMessage(m);

function open(file: string, readonly: boolean): Database.Database {
  const opts: Database.Options = { fileMustExist: readonly };
  if (readonly) opts.readonly = true;
  if (job.nativeBinding) opts.nativeBinding = job.nativeBinding;
  const db = new Database(file, opts);
  db.pragma('trusted_schema = OFF');
  return db;
}

/** The preview reads the lots and the catalogue from the database, the stage from its file. */
async function preview(stage: StageResult) {
  const db = open(job.dbFile, true);
  try {
    db.pragma('busy_timeout = 5000'); // a reader waits only while a checkpoint restarts the WAL
    db.pragma('mmap_size = 0');
    db.prepare('ATTACH DATABASE ? AS ' + job.schema).run(job.stageFile);
    return await previewStage(db, stage, job.ownerId, job.mode, job.importId);
  } finally {
    db.close();
  }
}

async function run(): Promise<void> {
  const progress = (phase: string, done: number, total: number | null) => post({ type: 'progress', phase, done, total });
  const read = job.read ?? {};
  let detection = job.detection ?? null;
  if (!detection && job.ref) {
    detection = await detect(job.file, job.ref, read);
    if (job.detectOnly) return post({ type: 'result', detection, stage: null, preview: null });
    if (detection.missing.length) {
      throw new AppError('invalid-input', `${job.ref.name}: choose the column for ${detection.missing.join(', ')}`, {
        fields: detection.missing.map((f) => ({ field: `mapping.${f}`, message: 'no column chosen' })),
        details: { detection },
      });
    }
  }
  let stage = job.stage ?? null;
  if (!stage) {
    const db = open(job.stageFile, false);
    try {
      stage = await readIntoStage(db, job.file, detection!, job.schema, { ...read, colors: job.colors, progress });
    } finally {
      db.close();
    }
  }
  progress('previewing', 0, null);
  // A dry run's preview hands back the stage it was given; a read hands over the new one.
  post({ type: 'result', detection, stage, preview: await preview(stage) });
}

run().catch((e: unknown) => {
  if (e instanceof AppError) post({ type: 'error', error: e.toPayload() });
  else {
    const err = e as NodeJS.ErrnoException;
    post({
      type: 'error',
      error: null,
      message: String(err?.message ?? e),
      code: typeof err?.code === 'string' ? err.code : null,
    });
  }
});
