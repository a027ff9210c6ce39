// Status and the automatic schedule: a backup at start-up when the data changed since the newest
// one, then whenever the newest is at least the interval old and the data changed, always judged
// from the wall clock so that sleep neither skips nor doubles a backup.
import { existsSync } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BackupEntry, BackupStatus } from '../../shared/contract/backup';
import { isAppError } from '../../shared/errors';
import { HOUR, type BackupHost, type BackupServiceOptions } from './host';
import type { Jobs } from './jobs';
import type { Listing } from './listing';
import { readManifest } from './manifest';
import { tempName } from './names';
import type { Snapshots } from './snapshot';
import { fingerprintOf } from './worker';

const RECHECK_MS = 15 * 60_000;

export function createScheduler(
  host: BackupHost,
  opts: BackupServiceOptions,
  jobs: Jobs,
  listing: Listing,
  snapshots: Snapshots,
) {
  const { log, events } = host;
  const nativeBinding = opts.nativeBinding;
  let lastError: BackupStatus['lastError'] = null;
  let timer: NodeJS.Timeout | null = null;
  let nextAt: number | null = null;
  let schedulerOn = false;

  async function liveFingerprint(): Promise<string | null> {
    return fingerprintOf(host.paths.db, nativeBinding);
  }

  async function status(): Promise<BackupStatus> {
    const { dir, isDefault } = listing.folder();
    const all = await listing.list();
    const newest = all.find((b) => b.verified) ?? null;
    let writable: boolean;
    try {
      const s = await stat(dir);
      writable = s.isDirectory();
      if (writable) {
        const probe = path.join(dir, tempName('json'));
        await writeFile(probe, '');
        await rm(probe, { force: true });
      }
    } catch {
      writable = isDefault && !existsSync(dir); // the default folder is made on first use
    }
    const cfg = host.prefs.getConfig();
    const changed = await changedSince(newest);
    const running = jobs.running;
    return {
      folder: dir,
      folderIsDefault: isDefault,
      folderWritable: writable,
      running: running
        ? {
            id: running.id,
            kind: running.kind,
            reason: running.reason,
            phase: running.phase,
            percent: running.percent,
            startedAt: running.startedAt,
          }
        : null,
      newest,
      count: all.length,
      totalBytes: all.reduce((s, b) => s + b.sizeBytes, 0),
      schedule: {
        auto: cfg.autoBackup,
        intervalHours: cfg.backupIntervalHours,
        nextAt: schedulerOn && cfg.autoBackup ? nextAt : null,
        changedSinceNewest: changed,
      },
      policy: listing.policy(),
      lastError,
    };
  }

  async function changedSince(newest: BackupEntry | null): Promise<boolean> {
    if (!newest) return true;
    const m = await readManifest(newest.file);
    if (!m?.fingerprint) return true;
    return (await liveFingerprint()) !== m.fingerprint;
  }

  /**
   * One scheduler decision, from the wall clock: `startup` backs up when the data differs from
   * the newest backup (or there is none); `timer` when the newest backup is at least the
   * interval old and the data differs from it. Returns the backup made, or null.
   */
  async function autoBackup(kind: 'startup' | 'timer'): Promise<BackupEntry | null> {
    const cfg = host.prefs.getConfig();
    if (!cfg.autoBackup) return null;
    const all = await listing.list();
    const newest = all.find((b) => b.verified) ?? null;
    const interval = cfg.backupIntervalHours * HOUR;
    if (kind === 'timer' && newest && host.now() - newest.createdAt < interval) return null;
    if (!(await changedSince(newest))) return null;
    try {
      const entry = await snapshots.create(kind);
      lastError = null;
      return entry;
    } catch (e) {
      const p = isAppError(e) ? e.toPayload() : { code: 'internal', message: (e as Error).message };
      if (p.code === 'cancelled') return null;
      lastError = { code: p.code, message: p.message, at: host.now(), reason: kind };
      log.error(`automatic ${kind} backup failed; it is retried later`, e);
      events.emit('backups.changed', { reason: 'failed' });
      return null;
    }
  }

  /** When the timer should next look (ms since the epoch). */
  async function computeNextAt(): Promise<number> {
    const cfg = host.prefs.getConfig();
    const newest = (await listing.list()).find((b) => b.verified);
    const due = newest ? newest.createdAt + cfg.backupIntervalHours * HOUR : host.now();
    return Math.max(due, host.now());
  }

  function startScheduler(): void {
    if (schedulerOn) return;
    schedulerOn = true;
    const tick = opts.tickMs ?? 60_000;
    let lastLook = 0;
    const loop = async () => {
      if (!schedulerOn) return;
      try {
        nextAt = await computeNextAt();
        // Look when due; after a look that found nothing changed (or failed), wait RECHECK_MS.
        if (host.now() >= nextAt && host.now() - lastLook >= Math.min(RECHECK_MS, tick * 15)) {
          lastLook = host.now();
          await autoBackup('timer');
          nextAt = await computeNextAt();
        }
      } catch (e) {
        log.warn('backup scheduler tick failed', e);
      }
      // Short ticks against the wall clock: sleep/resume neither skips nor doubles a backup.
      if (schedulerOn) timer = setTimeout(() => void loop(), tick);
      timer?.unref?.();
    };
    void (async () => {
      try {
        await autoBackup('startup');
      } catch (e) {
        log.warn('start-up backup failed', e);
      }
      await loop();
    })();
  }

  function stopScheduler(): void {
    schedulerOn = false;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  /** Stops the schedule and cancels a running backup (on quit). */
  function shutdown(): void {
    stopScheduler();
    jobs.cancel();
  }

  return { status, autoBackup, startScheduler, stopScheduler, shutdown, liveFingerprint };
}
