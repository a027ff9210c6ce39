// The portable archive: a zip holding a checked snapshot of the database, one CSV per profile
// and a manifest, for moving a collection to another computer or keeping it outside BlockShelf.
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ArchiveResult } from '../../shared/contract/backup';
import { AppError, isAppError } from '../../shared/errors';
import type { Lot } from '../../shared/types';
import { colorMaps } from '../transfer/colors';
import { exportLots } from '../transfer/export';
import { diskError, fsyncDir, fsyncFile, sha256File } from './fsutil';
import type { BackupHost, BackupServiceOptions, RunOptions } from './host';
import { throwIfCancelled, type Jobs } from './jobs';
import type { Listing } from './listing';
import { integrityProblems } from './manifest';
import { tempName } from './names';
import { copyAndCheck, type CheckResult } from './worker';

export function createArchiver(host: BackupHost, opts: BackupServiceOptions, jobs: Jobs, listing: Listing) {
  const { log } = host;
  const nativeBinding = opts.nativeBinding;

  async function archive(target: string, run: RunOptions = {}): Promise<ArchiveResult> {
    if (jobs.running) throw jobs.busy();
    return jobs.run('archive', null, run.signal, async (job, signal) => {
      const dir = await listing.ensureFolder();
      const tmpDb = path.join(dir, tempName('db'));
      const targetDir = path.dirname(path.resolve(target));
      const tmpZip = path.join(targetDir, tempName('zip'));
      const csvFiles: string[] = [];
      try {
        jobs.report(job, 'archive', 0);
        const check = copyAndCheck(host.paths.db, tmpDb, nativeBinding);
        const onAbort = () => void check.terminate();
        signal.addEventListener('abort', onAbort);
        let r: CheckResult;
        try {
          r = await check.result;
        } catch (e) {
          throwIfCancelled(signal, 'The archive');
          throw diskError(e, tmpDb, 'Copying the database');
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
        const problems = integrityProblems(r.integrity, 1);
        if (problems !== null) {
          throw new AppError('backup-corrupt', `The database snapshot failed its integrity check: ${problems}`);
        }
        jobs.report(job, 'archive', 40);
        const snap = new Database(tmpDb, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) });
        snap.pragma('trusted_schema = OFF');
        const profiles = snap.prepare('SELECT id, name FROM users ORDER BY id').all() as { id: number; name: string }[];
        const entries: { file: string; name: string }[] = [];
        const colors = colorMaps(snap.prepare('SELECT id, name FROM colors').all() as { id: number; name: string }[]);
        try {
          for (const p of profiles) {
            const csv = path.join(dir, tempName('csv'));
            csvFiles.push(csv);
            const rows = snap
              .prepare(
                `SELECT id, user_id AS ownerId, part_id AS partId, color_id AS colorId, color_name AS colorName, name,
                        quantity_total AS quantityTotal, quantity_used AS quantityUsed,
                        quantity_total - quantity_used AS quantityAvailable, storage_location AS storageLocation,
                        notes, image_url AS imageUrl, created_at AS createdAt, updated_at AS updatedAt
                   FROM inventory_items WHERE user_id = ? ORDER BY id`,
              )
              .iterate(p.id) as IterableIterator<Lot>;
            await exportLots(csv, rows, { format: 'blockshelf-csv', colors, signal });
            const safe = p.name.replace(/[^\p{L}\p{N} ._-]+/gu, '_').slice(0, 60) || `profile-${p.id}`;
            entries.push({ file: csv, name: `inventory/${p.id}-${safe}.csv` });
          }
        } finally {
          snap.close();
        }
        throwIfCancelled(signal, 'The archive');
        jobs.report(job, 'archive', 60);
        const manifest = {
          format: 'blockshelf-archive',
          version: 1,
          createdAt: host.now(),
          appVersion: host.appVersion,
          schemaVersion: r.userVersion,
          lots: r.lots ?? 0,
          profiles: profiles.map((p) => ({ id: p.id, name: p.name })),
          database: 'blockshelf.db',
          dbBytes: r.dbBytes,
          sha256: await sha256File(tmpDb),
          inventory: entries.map((e) => e.name),
        };
        const { default: archiver } = await import('archiver');
        const { createWriteStream } = await import('node:fs');
        const zip = archiver('zip', { zlib: { level: opts.gzipLevel ?? 6 } });
        const out = createWriteStream(tmpZip, { flags: 'wx' });
        const done = new Promise<void>((resolve, reject) => {
          out.on('close', resolve);
          out.on('error', reject);
          zip.on('error', reject);
        });
        zip.on('progress', (p) => {
          throwIfCancelledSoft();
          jobs.report(job, 'archive', 60 + 38 * (p.fs.processedBytes / Math.max(1, p.fs.totalBytes)));
        });
        const throwIfCancelledSoft = () => {
          if (signal.aborted) zip.abort();
        };
        zip.pipe(out);
        zip.file(tmpDb, { name: 'blockshelf.db' });
        for (const e of entries) zip.file(e.file, { name: e.name });
        zip.append(`${JSON.stringify(manifest, null, 2)}\n`, { name: 'manifest.json' });
        await zip.finalize();
        try {
          await done;
        } catch (e) {
          throw diskError(e, target, 'Writing the archive');
        }
        throwIfCancelled(signal, 'The archive');
        await fsyncFile(tmpZip);
        await rename(tmpZip, path.resolve(target));
        await fsyncDir(targetDir);
        const s = await stat(target);
        jobs.report(job, 'done', 100);
        log.info(`archive written: ${target} (${s.size} bytes)`);
        return { name: path.basename(target), bytes: s.size, lots: manifest.lots };
      } catch (e) {
        jobs.report(job, isAppError(e) && e.code === 'cancelled' ? 'cancelled' : 'failed', job.percent);
        throw isAppError(e) ? e : diskError(e, target, 'Writing the archive');
      } finally {
        await Promise.all([tmpDb, tmpZip, ...csvFiles].map((f) => rm(f, { force: true }).catch(() => undefined)));
      }
    });
  }

  return { archive };
}
