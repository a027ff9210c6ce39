// The backup folder and what is in it: where backups go (and whether that folder can be written),
// the list of backups with each file's checksum compared with its manifest, rotation, and the
// clean-up of temporary files left by an interrupted run.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BackupEntry, PruneResult, RotationPolicy } from '../../shared/contract/backup';
import { AppError, isAppError } from '../../shared/errors';
import { diskError, folderNotWritable, sha256File } from './fsutil';
import type { BackupHost } from './host';
import { readManifest } from './manifest';
import { BACKUP_RE, MANIFEST_SUFFIX, isAlive, parseBackupName, tempOwnerPid } from './names';
import { planRotation } from './rotation';

export function createListing(host: BackupHost) {
  const { log, events } = host;

  function folder(): { dir: string; isDefault: boolean } {
    const cfg = host.prefs.getConfig();
    return cfg.backupDir ? { dir: path.resolve(cfg.backupDir), isDefault: false } : { dir: host.paths.backups, isDefault: true };
  }

  async function ensureFolder(): Promise<string> {
    const { dir, isDefault } = folder();
    try {
      if (isDefault) await mkdir(dir, { recursive: true });
      const s = await stat(dir);
      if (!s.isDirectory()) throw new AppError('io-error', `The backup folder ${dir} is not a folder.`);
      if (folderNotWritable(path.join(dir, 'x'))) {
        throw new AppError(
          'no-permission',
          `The backup folder ${dir} is not writable (read-only drive or no permission). Choose another folder in the settings.`,
          {
            details: { file: dir },
          },
        );
      }
    } catch (e) {
      if (isAppError(e)) throw e;
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AppError(
          'io-error',
          `The backup folder ${dir} does not exist (is the drive connected?). Choose another folder in the settings.`,
          {
            details: { file: dir },
          },
        );
      }
      throw diskError(e, dir, 'Opening the backup folder');
    }
    return dir;
  }

  function policy(): RotationPolicy {
    const c = host.prefs.getConfig();
    return {
      keepRecentHours: c.keepRecentHours,
      keepRecentMax: c.keepRecentMax,
      keepDaily: c.keepDaily,
      keepWeekly: c.keepWeekly,
      keepMonthly: c.keepMonthly,
    };
  }

  /** sha256 of backup files, kept while a file's size and modification time stay the same. */
  const checksums = new Map<string, { size: number; mtimeMs: number; sha256: string; at: number }>();
  async function checksumOf(file: string, s: { size: number; mtimeMs: number }): Promise<{ sha256: string; at: number }> {
    const known = checksums.get(file);
    if (known && known.size === s.size && known.mtimeMs === s.mtimeMs) return known;
    const c = { size: s.size, mtimeMs: s.mtimeMs, sha256: await sha256File(file), at: host.now() };
    checksums.set(file, c);
    return c;
  }

  /** Backups in the folder, newest first. Files without a matching manifest are listed as unverified. */
  async function list(): Promise<BackupEntry[]> {
    const { dir } = folder();
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw diskError(e, dir, 'Reading the backup folder');
    }
    const out: BackupEntry[] = [];
    for (const name of names) {
      const parsed = parseBackupName(name);
      if (!parsed) continue;
      const file = path.join(dir, name);
      const s = await stat(file).catch(() => null);
      if (!s?.isFile()) continue;
      const m = await readManifest(file);
      let check: BackupEntry['check'] = 'no-manifest';
      let checkedAt: number | null = null;
      if (m && m.id === name) {
        if (m.sizeBytes !== s.size) check = 'size-differs';
        else {
          const c = await checksumOf(file, s);
          checkedAt = c.at;
          check = c.sha256 === m.sha256 ? 'checksum' : 'checksum-differs';
        }
      }
      out.push({
        id: name,
        file,
        createdAt: parsed.createdAt,
        reason: parsed.reason,
        sizeBytes: s.size,
        dbBytes: m?.dbBytes ?? 0,
        lots: m?.lots ?? 0,
        profiles: m?.profiles ?? 0,
        schemaVersion: m?.schemaVersion ?? 0,
        appVersion: m?.appVersion ?? '',
        sha256: m?.sha256 ?? '',
        verified: check === 'checksum',
        check,
        checkedAt,
      });
    }
    return out.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  }

  /** Removes temporary files of processes that are gone (a crash or a kill mid-backup). */
  function cleanStale(): string[] {
    const removed: string[] = [];
    const dirs = [host.paths.dataDir];
    try {
      dirs.push(folder().dir);
    } catch {
      // config unreadable: the data folder is still cleaned
    }
    for (const dir of dirs) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names) {
        const pid = tempOwnerPid(n);
        if (pid !== null && !isAlive(pid)) {
          rmSync(path.join(dir, n), { force: true });
          removed.push(n);
        }
        // A manifest whose backup never got its final name.
        if (n.endsWith(`.db.gz${MANIFEST_SUFFIX}`) && BACKUP_RE.test(n.slice(0, -MANIFEST_SUFFIX.length))) {
          if (!names.includes(n.slice(0, -MANIFEST_SUFFIX.length))) {
            rmSync(path.join(dir, n), { force: true });
            removed.push(n);
          }
        }
      }
    }
    const old = `${host.paths.db}.restore-old`;
    if (existsSync(old)) {
      rmSync(old, { force: true });
      removed.push(path.basename(old));
    }
    if (removed.length) log.info('removed temporary backup files left by an interrupted run', removed);
    return removed;
  }

  async function prune(dryRun: boolean): Promise<PruneResult> {
    const all = await list();
    const plan = planRotation(all, host.now(), policy());
    const byId = new Map(all.map((b) => [b.id, b]));
    const deleted: PruneResult['deleted'] = [];
    for (const d of plan.delete) {
      const b = byId.get(d.id)!;
      if (!dryRun) {
        // Only our own file names inside the backup folder are ever deleted.
        if (!BACKUP_RE.test(path.basename(b.file)) || path.dirname(b.file) !== folder().dir) continue;
        try {
          await rm(b.file, { force: true });
          await rm(`${b.file}${MANIFEST_SUFFIX}`, { force: true });
        } catch (e) {
          log.warn(`could not delete old backup ${b.id}`, e);
          continue;
        }
      }
      deleted.push({ id: b.id, createdAt: b.createdAt, reason: b.reason, why: d.why });
    }
    if (!dryRun && deleted.length) {
      log.info(
        `rotation removed ${deleted.length} backups`,
        deleted.map((d) => d.id),
      );
      events.emit('backups.changed', { reason: 'pruned' });
    }
    return { dryRun, deleted, kept: plan.keep.length };
  }

  return { folder, ensureFolder, policy, list, prune, cleanStale, checksums };
}

export type Listing = ReturnType<typeof createListing>;
