// Making a backup: SQLite's online backup API copies the live database into a temporary file in
// the backup folder (in a worker) → what the migrations can rebuild (indexes, the search index,
// the maintained aggregates: compact.ts) is dropped from that copy and the rest written out
// defragmented (VACUUM INTO) → integrity_check + foreign_key_check + the data tables' row
// counts compared with the snapshot's, while the compact file is gzipped in parallel → fsync →
// the manifest ("compact", row counts) is written and renamed into place → the .gz is renamed to
// its final name → the folder is fsynced → rotation. A file only ever gets a final name after
// every check passed, so a crash, a kill or a cancel leaves nothing but temporary files.
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BackupEntry, BackupJob, BackupReason } from '../../shared/contract/backup';
import { AppError, isAppError } from '../../shared/errors';
import { DEFAULT_GZIP_LEVEL, diskError, fsyncDir, fsyncFile, gzipFile } from './fsutil';
import type { BackupHost, BackupServiceOptions, RunOptions } from './host';
import { throwIfCancelled, type Jobs } from './jobs';
import type { Listing } from './listing';
import { buildManifest, integrityProblems, manifestText } from './manifest';
import { MANIFEST_SUFFIX, freeBackupName, tempName } from './names';
import { compactPlan, compactReference, type CompactPlan } from './compact';
import { compareSchema, readSchema, referenceSchema } from './schema';
import { checkDatabaseFile, copyAndCheck, type CheckResult } from './worker';

export function createSnapshots(host: BackupHost, opts: BackupServiceOptions, jobs: Jobs, listing: Listing) {
  const { log, events } = host;
  const nativeBinding = opts.nativeBinding;

  /**
   * The compact plan for the live database, or null when its schema is not exactly what this
   * app's migrations make (then the backup is a full copy, as a restore could not rebuild it).
   */
  function planForLive(): CompactPlan | null {
    try {
      const version = host.schemaVersion();
      compareSchema('the database', readSchema(host.db.sqlite), referenceSchema(host.migrations, version, nativeBinding));
      return compactPlan(host.migrations, version, nativeBinding);
    } catch (e) {
      log.warn('the database schema differs from the migrations; making a full backup', e);
      return null;
    }
  }

  /** Makes a backup; a request while one is running joins it. */
  function create(reason: BackupReason = 'manual', run: RunOptions = {}): Promise<BackupEntry> {
    const running = jobs.running;
    if (running?.kind === 'backup') return running.promise as Promise<BackupEntry>;
    if (running) return Promise.reject(jobs.busy());
    return jobs.run('backup', reason, run.signal, (job, signal) => makeBackup(reason, job, signal));
  }

  async function makeBackup(reason: BackupReason, job: BackupJob, signal?: AbortSignal): Promise<BackupEntry> {
    try {
      const entry = await snapshot(reason, job, signal, 0, 100);
      jobs.report(job, 'done', 100);
      events.emit('backups.changed', { reason: 'created' });
      log.info(`backup made: ${entry.id} (${entry.lots} lots, ${entry.sizeBytes} bytes)`);
      if (reason !== 'pre-restore' && reason !== 'pre-migration')
        await listing.prune(false).catch((e) => log.warn('pruning failed', e));
      return entry;
    } catch (e) {
      const cancelled = isAppError(e) && e.code === 'cancelled';
      jobs.report(job, cancelled ? 'cancelled' : 'failed', job.percent);
      if (!cancelled) log.error(`backup (${reason}) failed`, e);
      throw e;
    }
  }

  /** The backup pipeline; reports progress from `from` to `to` percent. */
  async function snapshot(
    reason: BackupReason,
    job: BackupJob,
    signal: AbortSignal | undefined,
    from: number,
    to: number,
  ): Promise<BackupEntry> {
    const span = to - from;
    const dir = await listing.ensureFolder();
    const tmpDb = path.join(dir, tempName('db'));
    const tmpGz = path.join(dir, tempName('gz'));
    const tmpJson = path.join(dir, tempName('json'));
    const scratch = path.join(dir, tempName('db'));
    let check: ReturnType<typeof checkDatabaseFile> | null = null;
    const onAbort = () => void check?.terminate();
    signal?.addEventListener('abort', onAbort);
    try {
      // 1. Online copy and 2. check, in a worker; gzip starts once the copy is complete and
      // runs on the thread pool while the integrity check goes on.
      jobs.report(job, 'copy', from);
      const createdAt = host.now();
      const plan = planForLive();
      check = copyAndCheck(host.paths.db, tmpDb, nativeBinding, {
        onProgress: (done, total) => jobs.report(job, 'copy', from + span * (plan ? 0.22 : 0.3) * (done / Math.max(1, total))),
        onStep: (step, done, total) => {
          if (step === 'drop') jobs.report(job, 'copy', from + span * (0.22 + 0.08 * (done / Math.max(1, total))));
        },
        compact: plan ? { plan, scratch } : undefined,
      });
      try {
        await check.prepared;
      } catch (e) {
        throwIfCancelled(signal);
        throw diskError(e, tmpDb, 'Copying the database');
      }
      throwIfCancelled(signal);
      jobs.report(job, 'check', from + span * 0.3);
      let compressed: Awaited<ReturnType<typeof gzipFile>>;
      let result: CheckResult;
      try {
        [result, compressed] = await Promise.all([
          check.result,
          gzipFile(tmpDb, tmpGz, {
            level: opts.gzipLevel ?? DEFAULT_GZIP_LEVEL,
            signal,
            onProgress: (done, total) => jobs.report(job, 'compress', from + span * (0.3 + 0.65 * (done / Math.max(1, total)))),
          }),
        ]);
      } catch (e) {
        throwIfCancelled(signal);
        throw diskError(e, tmpGz, 'Compressing the backup');
      }
      check = null;
      throwIfCancelled(signal);
      const problems = integrityProblems(result.integrity);
      if (problems !== null) {
        throw new AppError(
          'backup-corrupt',
          `The copy of the database failed its integrity check: ${problems}. The database itself may be damaged.`,
          {
            details: { step: 'check', integrity: result.integrity },
          },
        );
      }
      if (result.foreignKeyViolations > 0) {
        throw new AppError(
          'backup-corrupt',
          `The copy of the database has ${result.foreignKeyViolations} foreign-key violations.`,
          {
            details: { step: 'check' },
          },
        );
      }
      if (plan) {
        // Every data row of the snapshot is in the compact copy, and its schema is what a
        // restore expects of a compact backup.
        const differs = plan.dataTables.filter((t) => result.sourceRows?.[t] !== result.rows?.[t]);
        if (differs.length || !result.rows) {
          throw new AppError(
            'backup-corrupt',
            `The compact copy of the database does not hold the rows of ${differs.join(', ') || 'its tables'} that the database holds.`,
            {
              details: { step: 'check', tables: differs },
            },
          );
        }
        compareSchema(
          'The compact copy',
          result.schema,
          compactReference(referenceSchema(host.migrations, plan.version, nativeBinding), plan),
        );
      }

      // 3. Manifest, then the final name, then the folder entry made durable.
      jobs.report(job, 'finish', from + span * 0.96);
      const { name, at } = freeBackupName(dir, createdAt, reason);
      const final = path.join(dir, name);
      const manifest = buildManifest({
        id: name,
        createdAt: at,
        reason,
        sha256: compressed.sha256,
        sizeBytes: compressed.bytes,
        dbBytes: compressed.inBytes,
        schemaVersion: result.userVersion,
        appVersion: host.appVersion,
        lots: result.lots,
        profiles: result.profiles,
        fingerprint: result.fingerprint,
        compact: plan && result.rows ? { rows: result.rows } : undefined,
      });
      try {
        await writeFile(tmpJson, manifestText(manifest), { flag: 'wx' });
        await fsyncFile(tmpJson);
        await rename(tmpJson, `${final}${MANIFEST_SUFFIX}`);
        await rename(tmpGz, final);
        await fsyncDir(dir);
      } catch (e) {
        await rm(`${final}${MANIFEST_SUFFIX}`, { force: true });
        throw diskError(e, final, 'Saving the backup');
      }
      const s = await stat(final);
      listing.remember(final, { size: s.size, mtimeMs: s.mtimeMs, sha256: manifest.sha256, at: host.now() });
      return {
        id: name,
        file: final,
        createdAt: at,
        reason,
        sizeBytes: s.size,
        dbBytes: manifest.dbBytes,
        lots: manifest.lots,
        profiles: manifest.profiles,
        schemaVersion: manifest.schemaVersion,
        appVersion: manifest.appVersion,
        sha256: manifest.sha256,
        verified: true,
        check: 'checksum',
        checkedAt: host.now(),
      };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (check) await check.terminate().catch(() => undefined);
      await Promise.all(
        [
          tmpDb,
          `${tmpDb}-journal`,
          `${tmpDb}-wal`,
          `${tmpDb}-shm`,
          scratch,
          `${scratch}-journal`,
          `${scratch}-wal`,
          `${scratch}-shm`,
          tmpGz,
          tmpJson,
        ].map((f) => rm(f, { force: true }).catch(() => undefined)),
      );
    }
  }

  return { create, snapshot };
}

export type Snapshots = ReturnType<typeof createSnapshots>;
