// The backup folder and what is in it: where backups go (and whether that folder can be written),
// the list of backups with each file's checksum compared with its manifest, rotation, and the
// clean-up of temporary files left by an interrupted run.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BackupEntry, PruneResult, RotationPolicy } from '../../shared/contract/backup';
import { AppError, isAppError } from '../../shared/errors';
import { diskError, folderNotWritable, sha256File } from './fsutil';
import type { BackupHost } from './host';
import { readManifest } from './manifest';
import { BACKUP_RE, MANIFEST_SUFFIX, isAlive, parseBackupName, tempOwnerPid } from './names';
import { planRotation } from './rotation';

/** Where the listing remembers the checksums it computed (in the data folder, not the backup folder). */
export const CHECKS_FILE = 'backup-checks.json';

interface Check {
  size: number;
  mtimeMs: number;
  sha256: string;
  at: number;
}

/** The remembered checksums; anything unreadable or malformed is ignored entry by entry. */
function readChecks(file: string): Map<string, Check> {
  const out = new Map<string, Check>();
  try {
    const text = readFileSync(file, 'utf8');
    if (text.length > 4_000_000) return out;
    const data = JSON.parse(text) as { version?: unknown; files?: unknown };
    if (data.version !== 1 || typeof data.files !== 'object' || data.files === null) return out;
    for (const [f, v] of Object.entries(data.files as Record<string, Partial<Check>>)) {
      if (
        typeof v?.size === 'number' &&
        typeof v.mtimeMs === 'number' &&
        typeof v.at === 'number' &&
        typeof v.sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test(v.sha256)
      )
        out.set(f, { size: v.size, mtimeMs: v.mtimeMs, sha256: v.sha256, at: v.at });
    }
  } catch {
    // no record yet, or an unreadable one: checksums are computed again
  }
  return out;
}

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

  /**
   * sha256 of backup files, kept while a file's size and modification time stay the same, and
   * remembered across starts in the data folder (CHECKS_FILE): a folder of forty 50 MiB backups
   * is read once, not at every start or `backup list`. A restore or verify still reads the whole
   * file; this only spares the listing.
   */
  const checksFile = path.join(host.paths.dataDir, CHECKS_FILE);
  let checksums: Map<string, Check> | null = null;
  let checksumsDirty = false;
  function known(): Map<string, Check> {
    checksums ??= readChecks(checksFile);
    return checksums;
  }
  async function checksumOf(file: string, s: { size: number; mtimeMs: number }): Promise<{ sha256: string; at: number }> {
    const k = known().get(file);
    if (k && k.size === s.size && k.mtimeMs === s.mtimeMs) return k;
    const c = { size: s.size, mtimeMs: s.mtimeMs, sha256: await sha256File(file), at: host.now() };
    known().set(file, c);
    checksumsDirty = true;
    return c;
  }
  /** A backup just written: its checksum is the one its manifest was made with. */
  function remember(file: string, c: Check): void {
    known().set(file, c);
    checksumsDirty = true;
  }
  /** Keeps the record of the files just listed (others are gone or in another folder). */
  async function saveChecks(listed: Set<string>): Promise<void> {
    const all = known();
    for (const f of [...all.keys()]) {
      if (!listed.has(f)) {
        all.delete(f);
        checksumsDirty = true;
      }
    }
    if (!checksumsDirty) return;
    checksumsDirty = false;
    const tmp = `${checksFile}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify({ version: 1, files: Object.fromEntries(all) }));
      await rename(tmp, checksFile);
    } catch (e) {
      // Only a cache: the next listing reads the files again.
      await rm(tmp, { force: true }).catch(() => undefined);
      log.warn(`could not remember backup checksums in ${checksFile}: ${(e as Error).message}`);
    }
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
    const listed = new Set<string>();
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
          listed.add(file);
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
    await saveChecks(listed);
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

  return { folder, ensureFolder, policy, list, prune, cleanStale, remember };
}

export type Listing = ReturnType<typeof createListing>;
