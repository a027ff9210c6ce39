// Restore: verify the file (verify.ts; a compact backup gets its indexes, search index and
// aggregates rebuilt there, in a worker, before it is compared and checked) → migrate the checked copy forward → back up the current
// database → swap the files atomically (including -wal/-shm) under the restore lock → reopen →
// tell the renderer. A failure at any step leaves the current database exactly as it was and
// names the step.
import { copyFileSync, existsSync, linkSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BackupEntry, RestoreResult } from '../../shared/contract/backup';
import { AppError, isAppError } from '../../shared/errors';
import { migrate } from '../db/migrate';
import { diskError, fsyncFile, fsyncPathSync } from './fsutil';
import type { BackupHost, BackupServiceOptions, RunOptions, Source } from './host';
import { throwIfCancelled, type Jobs } from './jobs';
import { acquireRestoreLock, otherHolders } from './lock';
import type { Snapshots } from './snapshot';
import type { Verifier } from './verify';

export function createRestorer(
  host: BackupHost,
  opts: BackupServiceOptions,
  jobs: Jobs,
  snapshots: Snapshots,
  verifier: Verifier,
) {
  const { log, events } = host;
  const nativeBinding = opts.nativeBinding;
  const { removeCandidate } = verifier;

  function stepError(step: string, e: unknown): AppError {
    const base = isAppError(e) ? e : diskError(e, host.paths.db, step);
    const msg = `Restore failed while ${step}; your current database is unchanged. ${base.message}`;
    return new AppError(base.code, msg, { cause: e, details: { ...(base.details ?? {}), step } });
  }

  async function restore(src: Source, run: RunOptions = {}): Promise<RestoreResult> {
    const running = jobs.running;
    if (running?.kind === 'backup') await running.promise.catch(() => undefined);
    if (jobs.running) throw jobs.busy();
    return jobs.run('restore', null, run.signal, async (job, signal) => {
      let candidate: string | null = null;
      try {
        const file = verifier.resolveSource(src);
        // Fail fast when another program has the database open (checked again at the swap).
        const others = otherHolders(host.paths.dataDir);
        if (others.length) {
          throw stepError(
            'making sure no other BlockShelf program has the database open',
            new AppError(
              'busy',
              `The database is open in another BlockShelf program: ${others.map((h) => `${h.kind} (pid ${h.pid})`).join(', ')}. Close it, then restore.`,
            ),
          );
        }
        jobs.report(job, 'verify', 0);
        let checked: Awaited<ReturnType<Verifier['inspect']>>;
        try {
          checked = await verifier.inspect(file, signal, (f) => jobs.report(job, 'verify', 40 * f));
        } catch (e) {
          throw stepError('checking the backup', e);
        }
        candidate = checked.candidate;
        const schemaFrom = checked.report.schemaVersion;

        // Migrate the unpacked copy forward before anything else is touched.
        jobs.report(job, 'verify', 40);
        let schemaTo = schemaFrom;
        try {
          const db = new Database(candidate, nativeBinding ? { nativeBinding } : {});
          try {
            db.pragma('trusted_schema = OFF');
            db.pragma('journal_mode = DELETE');
            schemaTo = migrate(db, host.migrations).to;
          } finally {
            db.close();
          }
          await fsyncFile(candidate);
        } catch (e) {
          throw stepError('bringing the backup up to this version', e);
        }
        throwIfCancelled(signal, 'The restore');

        jobs.report(job, 'pre-restore', 45);
        let pre: BackupEntry;
        try {
          pre = await snapshots.snapshot('pre-restore', job, signal, 45, 90);
          events.emit('backups.changed', { reason: 'created' });
        } catch (e) {
          throw stepError('backing up the current database', e);
        }
        throwIfCancelled(signal, 'The restore');

        jobs.report(job, 'swap', 90);
        let release: () => void;
        try {
          release = acquireRestoreLock(host.paths.dataDir);
        } catch (e) {
          throw stepError('making sure no other BlockShelf program has the database open', e);
        }
        const dbFile = host.paths.db;
        const old = `${dbFile}.restore-old`;
        const newFile = candidate;
        try {
          try {
            host.reopen({
              swap: () => {
                const walSize = statSync(`${dbFile}-wal`, { throwIfNoEntry: false })?.size ?? 0;
                if (walSize > 0) {
                  throw new AppError(
                    'busy',
                    'The database log could not be written back into the database (is another program reading it?).',
                  );
                }
                rmSync(`${dbFile}-wal`, { force: true });
                rmSync(`${dbFile}-shm`, { force: true });
                rmSync(old, { force: true });
                try {
                  linkSync(dbFile, old);
                } catch {
                  copyFileSync(dbFile, old);
                  fsyncPathSync(old);
                }
                renameSync(newFile, dbFile);
                fsyncPathSync(path.dirname(dbFile));
              },
              undo: () => {
                if (!existsSync(old)) return;
                rmSync(`${dbFile}-wal`, { force: true });
                rmSync(`${dbFile}-shm`, { force: true });
                renameSync(old, dbFile);
                fsyncPathSync(path.dirname(dbFile));
              },
            });
          } catch (e) {
            throw stepError('replacing the database file', e);
          }
          rmSync(old, { force: true });
          candidate = null;
        } finally {
          release();
        }
        jobs.report(job, 'done', 100);
        events.emit('backups.changed', { reason: 'restored' });
        log.info(`restored ${path.basename(file)} (schema ${schemaFrom} -> ${schemaTo}); pre-restore backup ${pre.id}`);
        // Counted by the check in its worker: counting a million lots here would hold up the app.
        // Migrations never remove lots, so bringing the file up to this version keeps the count.
        const lots = checked.report.lots;
        return { restoredFrom: path.basename(file), preRestoreBackup: pre, schemaFrom, schemaTo, lots };
      } catch (e) {
        jobs.report(job, isAppError(e) && e.code === 'cancelled' ? 'cancelled' : 'failed', job.percent);
        log.error('restore failed', e);
        throw e;
      } finally {
        if (candidate) await removeCandidate(candidate);
      }
    });
  }

  return { restore };
}
