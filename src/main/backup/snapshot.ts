// Making a backup: SQLite's online backup API copies the live database into a temporary file in
// the backup folder (in a worker) → integrity_check + foreign_key_check while the copy is gzipped
// in parallel → fsync → the manifest is written and renamed into place → the .gz is renamed to
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
import { checkDatabaseFile, copyAndCheck, type CheckResult } from './worker';

export function createSnapshots(host: BackupHost, opts: BackupServiceOptions, jobs: Jobs, listing: Listing) {
  const { log, events } = host;
  const nativeBinding = opts.nativeBinding;

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
      if (reason !== 'pre-restore' && reason !== 'pre-migration') await listing.prune(false).catch((e) => log.warn('pruning failed', e));
      return entry;
    } catch (e) {
      const cancelled = isAppError(e) && e.code === 'cancelled';
      jobs.report(job, cancelled ? 'cancelled' : 'failed', job.percent);
      if (!cancelled) log.error(`backup (${reason}) failed`, e);
      throw e;
    }
  }

  /** The backup pipeline; reports progress from `from` to `to` percent. */
  async function snapshot(reason: BackupReason, job: BackupJob, signal: AbortSignal | undefined, from: number, to: number): Promise<BackupEntry> {
    const span = to - from;
    const dir = await listing.ensureFolder();
    const tmpDb = path.join(dir, tempName('db'));
    const tmpGz = path.join(dir, tempName('gz'));
    const tmpJson = path.join(dir, tempName('json'));
    let check: ReturnType<typeof checkDatabaseFile> | null = null;
    const onAbort = () => void check?.terminate();
    signal?.addEventListener('abort', onAbort);
    try {
      // 1. Online copy and 2. check, in a worker; gzip starts once the copy is complete and
      // runs on the thread pool while the integrity check goes on.
      jobs.report(job, 'copy', from);
      const createdAt = host.now();
      check = copyAndCheck(host.paths.db, tmpDb, nativeBinding, (done, total) =>
        jobs.report(job, 'copy', from + span * 0.3 * (done / Math.max(1, total))),
      );
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
        throw new AppError('backup-corrupt', `The copy of the database failed its integrity check: ${problems}. The database itself may be damaged.`, {
          details: { step: 'check', integrity: result.integrity },
        });
      }
      if (result.foreignKeyViolations > 0) {
        throw new AppError('backup-corrupt', `The copy of the database has ${result.foreignKeyViolations} foreign-key violations.`, {
          details: { step: 'check' },
        });
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
      listing.checksums.set(final, { size: s.size, mtimeMs: s.mtimeMs, sha256: manifest.sha256, at: host.now() });
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
      await Promise.all([tmpDb, `${tmpDb}-journal`, `${tmpDb}-wal`, `${tmpDb}-shm`, tmpGz, tmpJson].map((f) => rm(f, { force: true }).catch(() => undefined)));
    }
  }

  return { create, snapshot };
}

export type Snapshots = ReturnType<typeof createSnapshots>;
