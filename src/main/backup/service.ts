// The backup engine (plain Node): verified gzip backups of the live database, listing,
// rotation, verify, restore, portable archives and the automatic schedule. This file only puts
// the parts together; each lives in its own module:
//
//   jobs.ts       one job at a time, progress events, cancel
//   listing.ts    the backup folder, the list (checksums against manifests), rotation, clean-up
//   snapshot.ts   making a backup (online copy → check → gzip → fsync → manifest → rename)
//   verify.ts     checking a file (size bounds, checksum, integrity, history, schema)
//   restore.ts    restore and the atomic swap
//   archive.ts    the portable zip archive
//   scheduler.ts  status and the automatic schedule
//   manifest.ts   the manifest and the integrity verdict (shared with premigration.ts)
import { createArchiver } from './archive';
import type { BackupHost, BackupServiceOptions } from './host';
import { createJobs } from './jobs';
import { createListing } from './listing';
import { createRestorer } from './restore';
import { createScheduler } from './scheduler';
import { createSnapshots } from './snapshot';
import { createVerifier } from './verify';

export type { BackupHost, BackupServiceOptions, RunOptions } from './host';
export { MANIFEST_FORMAT, type Manifest } from './manifest';

export function createBackupService(host: BackupHost, opts: BackupServiceOptions = {}) {
  const jobs = createJobs(host);
  const listing = createListing(host);
  const snapshots = createSnapshots(host, opts, jobs, listing);
  const verifier = createVerifier(host, opts, listing);
  const { restore } = createRestorer(host, opts, jobs, snapshots, verifier);
  const { archive } = createArchiver(host, opts, jobs, listing);
  const scheduler = createScheduler(host, opts, jobs, listing, snapshots);

  return {
    folder: listing.folder,
    list: listing.list,
    create: snapshots.create,
    cancel: jobs.cancel,
    prune: listing.prune,
    verify: verifier.verify,
    restore,
    archive,
    status: scheduler.status,
    autoBackup: scheduler.autoBackup,
    startScheduler: scheduler.startScheduler,
    stopScheduler: scheduler.stopScheduler,
    shutdown: scheduler.shutdown,
    cleanStale: listing.cleanStale,
    liveFingerprint: scheduler.liveFingerprint,
    isRunning: () => jobs.running !== null,
    inspect: verifier.inspect,
  };
}

export type BackupService = ReturnType<typeof createBackupService>;
