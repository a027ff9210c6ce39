// The import/export service on the core: jobs with progress and cancel, pending previews
// (staged in stage files until applied or dropped), the before-import backup hook, and the apply
// itself, which runs in a worker thread on its own connection while the gate keeps other writers
// out (reads go on answering from the last commit). Permissions are checked here: a preview or an
// export reads, and an apply writes, an inventory the acting profile must be allowed to (owner,
// or sharing with canEdit).
import type {
  ColumnMapping,
  Encoding,
  ExportFormat,
  ExportResult,
  ImportDetection,
  ImportFormat,
  ImportMode,
  ImportPreview,
  ImportResult,
} from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ListQuery } from '../../shared/contract';
import type { Events } from '../events';
import type { DbHandle } from '../db/open';
import type { FileRegistry } from '../files';
import type { InventoryService } from '../inventory/service';
import type { AccessCheck } from '../profiles/service';
import type { Logger } from '../log';
import { colorMaps } from '../colors/maps';
import { newJobId } from '../util/jobs';
import { exportLots } from './export';
import { detectInWorker, dropStage, previewInWorker, readAndPreview, type StageResult } from './import';
import type { Migration } from '../db/migrate';
import { applyParams, bulkTriggers } from './importing/apply';
import { cleanStaleStages, stageFileOf } from './importing/stage';
import { runApplyWorker, type ApplyRun } from './importing/worker';

/** Optional hooks other parts of the app fill in (the backup engine sets beforeImport). */
export interface TransferHooks {
  /**
   * Called before an import changes the database. Resolve to the backup's name (or nothing);
   * throw to refuse the import.
   */
  beforeImport?: (info: {
    reason: 'before-import';
    ownerId: number;
    file: string;
  }) => Promise<string | void | null | { name: string }> | string | void | null | { name: string };
  /** Called once an import has committed, before `data.changed`: clear what caches the old data. */
  afterImport?: (info: { ownerId: number }) => void;
}

export interface Gate {
  /** Set while an import's transaction is open (in its worker): the core refuses writes meanwhile. */
  holder: string | null;
  /**
   * Catalogue jobs holding (or about to take) the write lock in their worker: the core refuses
   * writes meanwhile too.
   */
  catalog: number;
}

export interface TransferDeps {
  /** The app's migrations (a bulk apply checks the database's triggers against them). */
  migrations: Migration[];
  db: () => DbHandle;
  inventory: () => InventoryService;
  /** What the acting profile may do with an inventory (throws `forbidden` when nothing). */
  access: AccessCheck;
  files: FileRegistry;
  events: Events;
  hooks: TransferHooks;
  gate: Gate;
  now: () => number;
  log: Logger;
  /** better-sqlite3 addon built for Electron, for the import worker's connection. */
  nativeBinding?: string | undefined;
  /** The operation journal's entry for an apply: the acting profile and the bounds (none: not recorded). */
  journal?: () => { actorId: number; bounds: { maxOps: number; maxDays: number } };
  /**
   * A read-only connection of its own for an export: one snapshot of the data however long the
   * export takes, and memory bounded by its small page cache, not the main connection's memory map.
   */
  exportReader?: () => { inventory: InventoryService; close(): void };
}

interface Pending {
  id: string;
  /** The connection holding the stage (a restore replaces it, and TEMP tables go with it). */
  db: DbHandle;
  ownerId: number;
  stage: StageResult;
  mode: ImportMode;
  createdAt: number;
}

export interface PreviewInput {
  /** The inventory to import into (default: the acting profile's own). */
  ownerId?: number | undefined;
  format?: ImportFormat | undefined;
  encoding?: Encoding | undefined;
  delimiter?: string | undefined;
  sheet?: string | undefined;
  mapping?: ColumnMapping | undefined;
  mode?: ImportMode | undefined;
  jobId?: string | undefined;
}

const MAX_PENDING = 4;

export { newJobId };

export function createTransferService(deps: TransferDeps) {
  const jobs = new Map<string, AbortController>();
  const pending = new Map<string, Pending>();
  const runs = new Set<ApplyRun>();
  const triggers = bulkTriggers(deps.migrations);
  let holdNext: ((run: ApplyRun) => void) | null = null;
  if (!deps.db().sqlite.readonly) cleanStaleStages(deps.db().sqlite);
  let lastTimings: { timings: Record<string, number>; bulk: boolean } | null = null;

  function startJob(id: string): AbortController {
    if (jobs.has(id)) throw new AppError('conflict', `job ${id} is already running`);
    const ac = new AbortController();
    jobs.set(id, ac);
    return ac;
  }
  const progress = (id: string) => (phase: string, done: number, total: number | null) =>
    deps.events.emit('import.progress', { id, phase, done, total });

  function dropPending(id: string): boolean {
    const p = pending.get(id);
    if (!p) return false;
    pending.delete(id);
    if (p.db !== deps.db()) return true;
    try {
      dropStage(deps.db().sqlite, p.stage.table);
    } catch (e) {
      deps.log.warn(`could not drop import stage ${p.stage.table}`, e);
    }
    return true;
  }

  async function detectFile(
    path: string,
    ref: ReturnType<FileRegistry['register']>,
    opts: Omit<PreviewInput, 'ownerId'>,
  ): Promise<ImportDetection> {
    return detectInWorker(path, ref, opts, { nativeBinding: deps.nativeBinding });
  }

  /** Reads the whole file into a stage and previews it. Path: already resolved from a token. */
  async function preview(path: string, input: PreviewInput): Promise<ImportPreview> {
    const ownerId = deps.access(input.ownerId).ownerId;
    const id = input.jobId ?? newJobId('imp');
    if (pending.has(id)) dropPending(id);
    const ac = startJob(id);
    const mode = input.mode ?? 'add';
    try {
      const ref = deps.files.register(path, 'read');
      const db = deps.db();
      // Detected, read, checked, staged and previewed in the read worker: this thread only
      // relays progress.
      const { stage, preview: p } = await readAndPreview(
        db.sqlite,
        path,
        { ref },
        { ownerId, mode, importId: id },
        {
          ...input,
          colors: deps.inventory().colors(),
          signal: ac.signal,
          progress: progress(id),
          nativeBinding: deps.nativeBinding,
        },
      );
      // Keep a bounded number of previews waiting for apply.
      while (pending.size >= MAX_PENDING) dropPending(pending.keys().next().value!);
      pending.set(id, { id, db, ownerId, stage, mode, createdAt: deps.now() });
      progress(id)('previewed', stage.rows, stage.rows);
      return p;
    } catch (e) {
      progress(id)(isCancel(e) ? 'cancelled' : 'failed', 0, null);
      throw e;
    } finally {
      jobs.delete(id);
    }
  }

  async function apply(
    importId: string,
    opts: {
      mode?: ImportMode | undefined;
      skipInvalid?: boolean | undefined;
      dryRun?: boolean | undefined;
      /** A caller that already knows may only narrow the check made here (false refuses). */
      canEdit?: boolean | undefined;
      /** false leaves the apply out of the operation journal (the benchmark's comparison). */
      journal?: false | undefined;
    },
  ): Promise<ImportResult> {
    const p = pending.get(importId);
    if (p && p.db !== deps.db()) dropPending(importId);
    if (!p || !pending.has(importId)) {
      throw new AppError('not-found', 'That import preview is gone (applied, cancelled or replaced); read the file again.');
    }
    if (opts.canEdit === false || !deps.access(p.ownerId).canEdit) {
      throw new AppError('forbidden', 'You may not add lots to this inventory.');
    }
    const mode = opts.mode ?? p.mode;
    const started = performance.now();
    const base = {
      importId,
      file: p.stage.file,
      format: p.stage.format,
      mode,
      rows: p.stage.rows,
      skippedInvalid: 0,
      dryRun: Boolean(opts.dryRun),
      backup: null as string | null,
    };
    if (p.stage.invalidCount > 0 && !opts.skipInvalid) {
      throw new AppError(
        'invalid-input',
        `${p.stage.file}: ${p.stage.invalidCount} invalid rows; nothing was imported (fix them, or import the valid rows only)`,
        { details: { invalid: p.stage.invalid.slice(0, 100), invalidCount: p.stage.invalidCount } },
      );
    }
    if (opts.dryRun) {
      const stageDb = stageFileOf(deps.db().sqlite, p.stage.table);
      if (!stageDb) throw new AppError('not-found', 'That import preview is gone; read the file again.');
      const pv = await previewInWorker(
        deps.db().sqlite,
        stageDb,
        p.stage,
        { ownerId: p.ownerId, mode, importId },
        { nativeBinding: deps.nativeBinding },
      );
      return {
        ...base,
        created: pv.newLots,
        merged: mode === 'add' ? pv.mergedLots : 0,
        replaced: mode === 'replace' ? pv.mergedLots : 0,
        skippedInvalid: p.stage.invalidCount,
        applied: false,
        durationMs: Math.round(performance.now() - started),
      };
    }
    if (deps.gate.holder) throw new AppError('busy', 'Another import is being applied. Try again when it has finished.');
    const ac = startJob(importId);
    const emit = progress(importId);
    try {
      if (deps.hooks.beforeImport) {
        emit('backup', 0, null);
        const r = await deps.hooks.beforeImport({ reason: 'before-import', ownerId: p.ownerId, file: p.stage.file });
        base.backup = typeof r === 'string' ? r : r && typeof r === 'object' ? r.name : null;
      }
      if (ac.signal.aborted) throw new AppError('cancelled', 'The import was cancelled; nothing was changed.');
      const db = deps.db();
      const stageDb = stageFileOf(db.sqlite, p.stage.table);
      if (!stageDb) throw new AppError('not-found', 'That import preview is gone; read the file again.');
      // The worker's connection takes SQLite's write lock for the whole apply. Other writers are
      // refused by the gate; a write that slipped through anyway fails at once instead of
      // blocking this thread for the busy timeout.
      deps.gate.holder = importId;
      const timeout = db.sqlite.pragma('busy_timeout', { simple: true }) as number;
      db.sqlite.pragma('busy_timeout = 0');
      let counts;
      const hold = holdNext;
      holdNext = null;
      const run = runApplyWorker({
        file: db.file,
        stageFile: stageDb,
        params: applyParams(
          p.stage,
          p.ownerId,
          mode,
          deps.now(),
          { journal: opts.journal === false ? null : (deps.journal?.() ?? null) },
          triggers,
        ),
        nativeBinding: deps.nativeBinding,
        onProgress: emit,
        hold: hold !== null,
      });
      runs.add(run);
      hold?.(run);
      const onAbort = () => run.cancel();
      ac.signal.addEventListener('abort', onAbort);
      try {
        counts = await run.result;
      } finally {
        ac.signal.removeEventListener('abort', onAbort);
        runs.delete(run);
        // A catalogue job that took the write lock meanwhile restores it when it ends.
        if (db.sqlite.open && !deps.gate.catalog) db.sqlite.pragma(`busy_timeout = ${Number(timeout)}`);
        deps.gate.holder = null;
      }
      lastTimings = { timings: counts.timings, bulk: counts.bulk };
      try {
        deps.hooks.afterImport?.({ ownerId: p.ownerId });
      } catch (e) {
        deps.log.warn('could not clear caches after an import', e);
      }
      dropPending(importId);
      emit('done', counts.created + counts.merged + counts.replaced, counts.created + counts.merged + counts.replaced);
      deps.events.emit('data.changed', { ownerId: p.ownerId, reason: 'import' });
      return {
        ...base,
        created: counts.created,
        merged: counts.merged,
        replaced: counts.replaced,
        skippedInvalid: p.stage.invalidCount,
        applied: true,
        durationMs: Math.round(performance.now() - started),
      };
    } catch (e) {
      emit(isCancel(e) ? 'cancelled' : 'failed', 0, null);
      if (isCancel(e)) dropPending(importId);
      throw e;
    } finally {
      if (deps.gate.holder === importId) deps.gate.holder = null;
      jobs.delete(importId);
    }
  }

  function cancel(jobId: string): boolean {
    const ac = jobs.get(jobId);
    if (ac) {
      ac.abort();
      return true;
    }
    return dropPending(jobId);
  }

  async function exportTo(
    path: string,
    input: {
      ownerId?: number | undefined;
      format: ExportFormat;
      filter?: Omit<ListQuery, 'ownerId'> | undefined;
      jobId?: string | undefined;
    },
  ): Promise<ExportResult> {
    const ownerId = deps.access(input.ownerId).ownerId;
    const id = input.jobId ?? newJobId('exp');
    const ac = startJob(id);
    const emit = progress(id);
    const reader = deps.exportReader?.();
    try {
      const lots = (reader?.inventory ?? deps.inventory()).iterate(ownerId, input.filter ?? {});
      const result = await exportLots(path, lots, {
        format: input.format,
        colors: colorMaps(deps.inventory().colors()),
        signal: ac.signal,
        progress: (n) => emit('exporting', n, null),
      });
      emit('done', result.lots, result.lots);
      return result;
    } catch (e) {
      emit(isCancel(e) ? 'cancelled' : 'failed', 0, null);
      throw e;
    } finally {
      reader?.close();
      jobs.delete(id);
    }
  }

  /** Jobs register here too (catalogue imports), so one cancel call serves them all. */
  function runJob<T>(id: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ac = startJob(id);
    return fn(ac.signal).finally(() => jobs.delete(id));
  }

  function close(): void {
    for (const ac of jobs.values()) ac.abort();
    for (const run of runs) void run.terminate();
    for (const id of [...pending.keys()]) dropPending(id);
  }

  /** Every problem recorded while reading (at most MAX_REPORTED_PROBLEMS) and their count. */
  function problems(id: string) {
    const p = pending.get(id);
    if (!p) return null;
    deps.access(p.ownerId);
    return { invalid: p.stage.invalid, invalidCount: p.stage.invalidCount };
  }

  /** Test hook: the next apply stops inside its transaction once its first rows are in. */
  function holdNextApply(): Promise<ApplyRun> {
    return new Promise((r) => (holdNext = r));
  }

  return {
    problems,
    detect: detectFile,
    preview,
    apply,
    cancel,
    exportTo,
    runJob,
    close,
    pendingCount: () => pending.size,
    holdNextApply,
    /** Seconds spent in each step of the last apply (for the benchmark). */
    lastApplyTimings: () => lastTimings,
  };
}

export type TransferService = ReturnType<typeof createTransferService>;

export function isCancel(e: unknown): boolean {
  return e instanceof AppError && e.code === 'cancelled';
}
