// The backup engine (plain Node): verified gzip backups of the live database, listing,
// rotation, verify, restore, portable archives and the automatic schedule.
//
// A backup: SQLite's online backup API copies the live database (on the app's own connection,
// so the app's writes during the copy are carried into it) into a temporary file in the backup
// folder → a worker thread switches the copy to a self-contained rollback journal and runs
// integrity_check + foreign_key_check while the copy is gzipped in parallel on the thread pool
// → fsync → the manifest (`<name>.json`: sha256, sizes, schema and app version, counts, data
// fingerprint) is written and renamed into place → the .gz is renamed to its final name →
// the folder is fsynced → rotation. A file only ever gets a final name after every check passed,
// so a crash, a kill or a cancel leaves nothing but temporary files, removed at the next start.
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  ArchiveResult,
  BackupEntry,
  BackupJob,
  BackupPhase,
  BackupReason,
  BackupStatus,
  PickedFile,
  PruneResult,
  RestoreResult,
  RotationPolicy,
  VerifyReport,
} from '../../shared/contract/backup';
import { AppError, isAppError } from '../../shared/errors';
import type { Lot } from '../../shared/types';
import { assertNotNewer, migrate, type Migration } from '../db/migrate';
import type { DbHandle } from '../db/open';
import type { Events } from '../core';
import type { Logger } from '../log';
import type { PreferencesService } from '../preferences/service';
import { colorMaps } from '../transfer/colors';
import { exportLots } from '../transfer/export';
import { DEFAULT_GZIP_LEVEL, diskError, folderNotWritable, fsyncDir, fsyncFile, fsyncPathSync, gunzipGuarded, gzipFile, sha256File } from './fsutil';
import { acquireRestoreLock, otherHolders } from './lock';
import { BACKUP_RE, MANIFEST_SUFFIX, freeBackupName, isAlive, parseBackupName, tempName, tempOwnerPid } from './names';
import { planRotation } from './rotation';
import { checkHistory, compareSchema, referenceSchema } from './schema';
import { checkDatabaseFile, copyAndCheck, fingerprintOf, type CheckResult } from './worker';

export const MANIFEST_FORMAT = 'blockshelf-backup';

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  id: string;
  createdAt: number;
  reason: BackupReason;
  sha256: string;
  sizeBytes: number;
  dbBytes: number;
  schemaVersion: number;
  appVersion: string;
  lots: number;
  profiles: number;
  /** Data fingerprint of the snapshot (see worker.ts): equal fingerprints mean nothing changed. */
  fingerprint: string | null;
  integrity: 'ok';
}

/** What the backup service needs of the core (a subset of CoreContext). */
export interface BackupHost {
  readonly paths: { dataDir: string; db: string; backups: string };
  readonly db: DbHandle;
  readonly prefs: PreferencesService;
  readonly log: Logger;
  readonly events: Events;
  readonly migrations: Migration[];
  readonly appVersion: string;
  now(): number;
  schemaVersion(): number;
  reopen(opts?: { swap?: () => void; undo?: () => void }): { from: number; to: number };
}

export interface BackupServiceOptions {
  nativeBinding?: string | undefined;
  /** gzip level (1-9). */
  gzipLevel?: number;
  /** Largest database a restore or verify will unpack (further capped by free disk space). */
  maxRestoreBytes?: number;
  /** The native file dialog (Electron); absent in the CLI and tests. */
  pickFile?: ((purpose: 'restore' | 'archive') => Promise<string | null>) | undefined;
  /** Milliseconds between scheduler ticks (wall-clock checks). */
  tickMs?: number;
}

export interface RunOptions {
  signal?: AbortSignal | undefined;
}

type Source = { backupId: string } | { fileToken: string } | { path: string };

const HOUR = 3_600_000;
const DEFAULT_MAX_RESTORE = 16 * 1024 ** 3;
const TOKEN_TTL = 30 * 60_000;
const RECHECK_MS = 15 * 60_000;

export function createBackupService(host: BackupHost, opts: BackupServiceOptions = {}) {
  const { log, events } = host;
  const nativeBinding = opts.nativeBinding;
  let running: (BackupJob & { promise: Promise<unknown>; abort: AbortController }) | null = null;
  let lastError: BackupStatus['lastError'] = null;
  const picked = new Map<string, { file: string; purpose: 'restore' | 'archive'; expires: number }>();
  let timer: NodeJS.Timeout | null = null;
  let nextAt: number | null = null;
  let schedulerOn = false;

  // ---------------------------------------------------------------- folder, listing

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
        throw new AppError('no-permission', `The backup folder ${dir} is not writable (read-only drive or no permission). Choose another folder in the settings.`, {
          details: { file: dir },
        });
      }
    } catch (e) {
      if (isAppError(e)) throw e;
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AppError('io-error', `The backup folder ${dir} does not exist (is the drive connected?). Choose another folder in the settings.`, {
          details: { file: dir },
        });
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

  async function readManifest(file: string): Promise<Manifest | null> {
    try {
      const m = JSON.parse(await readFile(`${file}${MANIFEST_SUFFIX}`, 'utf8')) as Manifest;
      return m && m.format === MANIFEST_FORMAT && typeof m.sha256 === 'string' ? m : null;
    } catch {
      return null;
    }
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

  // ---------------------------------------------------------------- jobs and progress

  function startJob(kind: BackupJob['kind'], reason: BackupReason | null) {
    const abort = new AbortController();
    const job: BackupJob = { id: randomBytes(6).toString('hex'), kind, reason, phase: 'copy', percent: 0, startedAt: host.now() };
    return { job, abort };
  }

  const lastSent = new WeakMap<BackupJob, string>();
  function report(job: BackupJob, phase: BackupPhase, percent: number) {
    const p = Math.max(0, Math.min(100, Math.round(percent)));
    if (lastSent.get(job) === `${phase}:${p}`) return;
    lastSent.set(job, `${phase}:${p}`);
    job.phase = phase;
    job.percent = p;
    events.emit('backup.progress', { id: job.id, phase, percent: p });
  }

  function linkSignals(a: AbortSignal, b?: AbortSignal) {
    if (!b) return a;
    return AbortSignal.any([a, b]);
  }

  function throwIfCancelled(signal: AbortSignal | undefined, what = 'The backup') {
    if (signal?.aborted) throw new AppError('cancelled', `${what} was cancelled.`);
  }

  // ---------------------------------------------------------------- making a backup

  /** Makes a backup; a request while one is running joins it. */
  function create(reason: BackupReason = 'manual', run: RunOptions = {}): Promise<BackupEntry> {
    if (running?.kind === 'backup') return running.promise as Promise<BackupEntry>;
    if (running) {
      return Promise.reject(new AppError('busy', `A ${running.kind} is running; try again when it has finished.`));
    }
    const { job, abort } = startJob('backup', reason);
    const signal = linkSignals(abort.signal, run.signal);
    const promise = makeBackup(reason, job, signal).finally(() => {
      if (running?.id === job.id) running = null;
    });
    running = Object.assign(job, { promise, abort });
    return promise;
  }

  async function makeBackup(reason: BackupReason, job: BackupJob, signal?: AbortSignal): Promise<BackupEntry> {
    try {
      const entry = await snapshot(reason, job, signal, 0, 100);
      report(job, 'done', 100);
      events.emit('backups.changed', { reason: 'created' });
      log.info(`backup made: ${entry.id} (${entry.lots} lots, ${entry.sizeBytes} bytes)`);
      if (reason !== 'pre-restore' && reason !== 'pre-migration') await prune(false).catch((e) => log.warn('pruning failed', e));
      return entry;
    } catch (e) {
      const cancelled = isAppError(e) && e.code === 'cancelled';
      report(job, cancelled ? 'cancelled' : 'failed', job.percent);
      if (!cancelled) log.error(`backup (${reason}) failed`, e);
      throw e;
    }
  }

  /** The backup pipeline; reports progress from `from` to `to` percent. */
  async function snapshot(reason: BackupReason, job: BackupJob, signal: AbortSignal | undefined, from: number, to: number): Promise<BackupEntry> {
    const span = to - from;
    const dir = await ensureFolder();
    const tmpDb = path.join(dir, tempName('db'));
    const tmpGz = path.join(dir, tempName('gz'));
    const tmpJson = path.join(dir, tempName('json'));
    let check: ReturnType<typeof checkDatabaseFile> | null = null;
    const onAbort = () => void check?.terminate();
    signal?.addEventListener('abort', onAbort);
    try {
      // 1. Online copy and 2. check, in a worker; gzip starts once the copy is complete and
      // runs on the thread pool while the integrity check goes on.
      report(job, 'copy', from);
      const createdAt = host.now();
      check = copyAndCheck(host.paths.db, tmpDb, nativeBinding, (done, total) =>
        report(job, 'copy', from + span * 0.3 * (done / Math.max(1, total))),
      );
      try {
        await check.prepared;
      } catch (e) {
        throwIfCancelled(signal);
        throw diskError(e, tmpDb, 'Copying the database');
      }
      throwIfCancelled(signal);
      report(job, 'check', from + span * 0.3);
      let compressed: Awaited<ReturnType<typeof gzipFile>>;
      let result: CheckResult;
      try {
        [result, compressed] = await Promise.all([
          check.result,
          gzipFile(tmpDb, tmpGz, {
            level: opts.gzipLevel ?? DEFAULT_GZIP_LEVEL,
            signal,
            onProgress: (done, total) => report(job, 'compress', from + span * (0.3 + 0.65 * (done / Math.max(1, total)))),
          }),
        ]);
      } catch (e) {
        throwIfCancelled(signal);
        throw diskError(e, tmpGz, 'Compressing the backup');
      }
      check = null;
      throwIfCancelled(signal);
      if (!(result.integrity.length === 1 && result.integrity[0] === 'ok')) {
        throw new AppError('backup-corrupt', `The copy of the database failed its integrity check: ${result.integrity.slice(0, 3).join('; ')}. The database itself may be damaged.`, {
          details: { step: 'check', integrity: result.integrity },
        });
      }
      if (result.foreignKeyViolations > 0) {
        throw new AppError('backup-corrupt', `The copy of the database has ${result.foreignKeyViolations} foreign-key violations.`, {
          details: { step: 'check' },
        });
      }

      // 3. Manifest, then the final name, then the folder entry made durable.
      report(job, 'finish', from + span * 0.96);
      const { name, at } = freeBackupName(dir, createdAt, reason);
      const final = path.join(dir, name);
      const manifest: Manifest = {
        format: MANIFEST_FORMAT,
        version: 1,
        id: name,
        createdAt: at,
        reason,
        sha256: compressed.sha256,
        sizeBytes: compressed.bytes,
        dbBytes: compressed.inBytes,
        schemaVersion: result.userVersion,
        appVersion: host.appVersion,
        lots: result.lots ?? 0,
        profiles: result.profiles ?? 0,
        fingerprint: result.fingerprint,
        integrity: 'ok',
      };
      try {
        await writeFile(tmpJson, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
        await fsyncFile(tmpJson);
        await rename(tmpJson, `${final}${MANIFEST_SUFFIX}`);
        await rename(tmpGz, final);
        await fsyncDir(dir);
      } catch (e) {
        await rm(`${final}${MANIFEST_SUFFIX}`, { force: true });
        throw diskError(e, final, 'Saving the backup');
      }
      const s = await stat(final);
      checksums.set(final, { size: s.size, mtimeMs: s.mtimeMs, sha256: manifest.sha256, at: host.now() });
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

  function cancel(): boolean {
    if (!running || running.kind === 'restore') return false;
    running.abort.abort();
    return true;
  }

  // ---------------------------------------------------------------- rotation

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
      log.info(`rotation removed ${deleted.length} backups`, deleted.map((d) => d.id));
      events.emit('backups.changed', { reason: 'pruned' });
    }
    return { dryRun, deleted, kept: plan.keep.length };
  }

  // ---------------------------------------------------------------- verify

  function resolveSource(src: Source): string {
    if ('path' in src) return path.resolve(src.path);
    if ('backupId' in src) {
      if (!BACKUP_RE.test(src.backupId)) throw new AppError('invalid-input', 'not a backup id');
      const file = path.join(folder().dir, src.backupId);
      if (!existsSync(file)) throw new AppError('not-found', `The backup ${src.backupId} is no longer in the backup folder.`);
      return file;
    }
    const p = picked.get(src.fileToken);
    if (!p || p.expires < host.now() || p.purpose !== 'restore') {
      throw new AppError('not-found', 'That file choice has expired; pick the file again.');
    }
    return p.file;
  }

  /** The most a check may unpack: the size guard, and never more than leaves a tenth of the free space (at least 256 MiB) free. */
  async function maxUnpack(): Promise<number> {
    let limit = opts.maxRestoreBytes ?? DEFAULT_MAX_RESTORE;
    try {
      const fs = await statfs(host.paths.dataDir);
      const free = fs.bavail * fs.bsize;
      limit = Math.min(limit, Math.max(0, free - Math.max(256 * 1024 * 1024, free / 10)));
    } catch {
      // statfs is unavailable on some systems; the fixed guard still applies
    }
    return limit;
  }

  /**
   * Checks a backup file and leaves a checked, unpacked copy in the data folder (for a restore)
   * or removes it (verify). Throws coded errors naming what is wrong.
   */
  async function inspect(file: string, signal?: AbortSignal): Promise<{ report: VerifyReport; candidate: string }> {
    const name = path.basename(file);
    let size: number;
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new AppError('invalid-input', `${name} is not a file.`);
      size = s.size;
    } catch (e) {
      throw diskError(e, file, 'Reading the backup');
    }
    if (size === 0) throw new AppError('backup-corrupt', `${name} is empty.`, { details: { reason: 'empty' } });
    const head = Buffer.alloc(16);
    const fh = await open(file, 'r').catch((e: unknown) => {
      throw diskError(e, file, 'Reading the backup');
    });
    try {
      await fh.read(head, 0, 16, 0);
    } finally {
      await fh.close();
    }
    const isGzip = head[0] === 0x1f && head[1] === 0x8b;
    const isSqlite = head.toString('latin1') === 'SQLite format 3\u0000';
    if (!isGzip && !isSqlite) {
      throw new AppError('unsupported-format', `${name} is neither a BlockShelf backup (.db.gz) nor a database (.db).`, {
        details: { reason: 'unknown-format' },
      });
    }
    const manifest = await readManifest(file);
    let sha256Matches = false;
    if (manifest) {
      sha256Matches = manifest.sha256 === (await sha256File(file));
      if (!sha256Matches && manifest.id === name) {
        throw new AppError('backup-corrupt', `${name} does not match its manifest (checksum differs): the file was changed or damaged.`, {
          details: { reason: 'checksum' },
        });
      }
    }
    const candidate = path.join(host.paths.dataDir, tempName('db'));
    const limit = await maxUnpack();
    try {
      if (isGzip) {
        await gunzipGuarded(file, candidate, { maxBytes: limit, expectBytes: sha256Matches ? manifest?.dbBytes : null, signal });
      } else {
        // Read the file as SQLite would: committed rows still in its -wal, or a hot -journal to
        // roll back, are copied beside the private copy (never touching the user's files) and
        // applied when the check opens it.
        const sidecars: string[] = [];
        let total = size;
        for (const suffix of ['-wal', '-journal']) {
          const s = await stat(`${file}${suffix}`).catch(() => null);
          if (s?.isFile() && s.size > 0) {
            sidecars.push(suffix);
            total += s.size;
          }
        }
        if (total > limit) throw new AppError('backup-too-large', `${name} is larger than the size guard allows.`, { details: { reason: 'too-large' } });
        await copyFile(file, candidate);
        for (const suffix of sidecars) await copyFile(`${file}${suffix}`, `${candidate}${suffix}`);
      }
      throwIfCancelled(signal, 'The check');
      const run = checkDatabaseFile(candidate, nativeBinding);
      const onAbort = () => void run.terminate();
      signal?.addEventListener('abort', onAbort);
      let r: CheckResult;
      try {
        r = await run.result;
      } catch (e) {
        throwIfCancelled(signal, 'The check');
        const code = (e as NodeJS.ErrnoException).code ?? '';
        if (code === 'SQLITE_NOTADB') {
          throw new AppError('not-blockshelf', `${name} is not a SQLite database.`, { details: { reason: 'not-sqlite' } });
        }
        if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ') {
          throw new AppError('backup-corrupt', `${name} holds a damaged database (${(e as Error).message}).`, { details: { reason: 'integrity' } });
        }
        throw e;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
      if (!(r.integrity.length === 1 && r.integrity[0] === 'ok')) {
        throw new AppError('backup-corrupt', `${name} failed the integrity check: ${r.integrity.slice(0, 3).join('; ')}`, {
          details: { reason: 'integrity' },
        });
      }
      const needed = ['__drizzle_migrations', 'inventory_items', 'users', 'app_config', 'colors'];
      const missing = needed.filter((t) => !r.tables.includes(t));
      if (missing.length || !r.migrations) {
        throw new AppError('not-blockshelf', `${name} is a database, but not a BlockShelf one (missing ${missing.join(', ')}).`, {
          details: { reason: 'foreign-sqlite', missing },
        });
      }
      assertNotNewer({ applied: r.migrations.applied, lastWhen: r.migrations.lastWhen, isEmpty: r.migrations.applied === 0 }, host.migrations);
      // The schema, object by object, against what this app's migrations make at that version.
      checkHistory(name, r.migrationRows ?? [], r.userVersion, host.migrations);
      compareSchema(name, r.schema, referenceSchema(host.migrations, r.migrations.applied, nativeBinding));
      if (r.foreignKeyViolations > 0) {
        throw new AppError('backup-corrupt', `${name} has ${r.foreignKeyViolations} foreign-key violations.`, { details: { reason: 'foreign-keys' } });
      }
      const report: VerifyReport = {
        name,
        format: isGzip ? 'gzip' : 'sqlite',
        fileBytes: size,
        dbBytes: r.dbBytes,
        schemaVersion: r.migrations.applied,
        appSchemaVersion: host.migrations.length,
        lots: r.lots ?? 0,
        profiles: r.profiles ?? 0,
        manifest: manifest
          ? { createdAt: manifest.createdAt, reason: manifest.reason, appVersion: manifest.appVersion, sha256Matches }
          : null,
      };
      return { report, candidate };
    } catch (e) {
      await removeCandidate(candidate);
      throw e;
    }
  }

  async function removeCandidate(candidate: string): Promise<void> {
    await Promise.all(['', '-journal', '-wal', '-shm'].map((s) => rm(`${candidate}${s}`, { force: true })));
  }

  async function verify(src: Source, run: RunOptions = {}): Promise<VerifyReport> {
    const file = resolveSource(src);
    const { report, candidate } = await inspect(file, run.signal);
    await removeCandidate(candidate);
    return report;
  }

  // ---------------------------------------------------------------- restore

  function stepError(step: string, e: unknown): AppError {
    const base = isAppError(e) ? e : diskError(e, host.paths.db, step);
    const msg = `Restore failed while ${step}; your current database is unchanged. ${base.message}`;
    return new AppError(base.code, msg, { cause: e, details: { ...(base.details ?? {}), step } });
  }

  async function restore(src: Source, run: RunOptions = {}): Promise<RestoreResult> {
    if (running?.kind === 'backup') await running.promise.catch(() => undefined);
    if (running) throw new AppError('busy', `A ${running.kind} is running; try again when it has finished.`);
    const { job, abort } = startJob('restore', null);
    const signal = linkSignals(abort.signal, run.signal);
    let resolveDone!: () => void;
    const promise = new Promise<void>((r) => (resolveDone = r));
    running = Object.assign(job, { promise, abort });
    let candidate: string | null = null;
    try {
      const file = resolveSource(src);
      // Fail fast when another program has the database open (checked again at the swap).
      const others = otherHolders(host.paths.dataDir);
      if (others.length) {
        throw stepError(
          'making sure no other BlockShelf program has the database open',
          new AppError('busy', `The database is open in another BlockShelf program: ${others.map((h) => `${h.kind} (pid ${h.pid})`).join(', ')}. Close it, then restore.`),
        );
      }
      report(job, 'verify', 0);
      let checked: Awaited<ReturnType<typeof inspect>>;
      try {
        checked = await inspect(file, signal);
      } catch (e) {
        throw stepError('checking the backup', e);
      }
      candidate = checked.candidate;
      const schemaFrom = checked.report.schemaVersion;

      // Migrate the unpacked copy forward before anything else is touched.
      report(job, 'verify', 30);
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

      report(job, 'pre-restore', 40);
      let pre: BackupEntry;
      try {
        pre = await snapshot('pre-restore', job, signal, 40, 90);
        events.emit('backups.changed', { reason: 'created' });
      } catch (e) {
        throw stepError('backing up the current database', e);
      }
      throwIfCancelled(signal, 'The restore');

      report(job, 'swap', 90);
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
                throw new AppError('busy', 'The database log could not be written back into the database (is another program reading it?).');
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
      report(job, 'done', 100);
      events.emit('backups.changed', { reason: 'restored' });
      log.info(`restored ${path.basename(file)} (schema ${schemaFrom} -> ${schemaTo}); pre-restore backup ${pre.id}`);
      const lots = host.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get() as number;
      return { restoredFrom: path.basename(file), preRestoreBackup: pre, schemaFrom, schemaTo, lots };
    } catch (e) {
      report(job, isAppError(e) && e.code === 'cancelled' ? 'cancelled' : 'failed', job.percent);
      log.error('restore failed', e);
      throw e;
    } finally {
      if (candidate) await removeCandidate(candidate);
      running = null;
      resolveDone();
    }
  }

  // ---------------------------------------------------------------- portable archive

  async function archive(target: string, run: RunOptions = {}): Promise<ArchiveResult> {
    if (running) throw new AppError('busy', `A ${running.kind} is running; try again when it has finished.`);
    const { job, abort } = startJob('archive', null);
    const signal = linkSignals(abort.signal, run.signal);
    let resolveDone!: () => void;
    running = Object.assign(job, { promise: new Promise<void>((r) => (resolveDone = r)), abort });
    const dir = await ensureFolder().catch((e: unknown) => {
      running = null;
      resolveDone();
      throw e;
    });
    const tmpDb = path.join(dir, tempName('db'));
    const targetDir = path.dirname(path.resolve(target));
    const tmpZip = path.join(targetDir, tempName('zip'));
    const csvFiles: string[] = [];
    try {
      report(job, 'archive', 0);
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
      if (!(r.integrity.length === 1 && r.integrity[0] === 'ok')) {
        throw new AppError('backup-corrupt', `The database snapshot failed its integrity check: ${r.integrity[0]}`);
      }
      report(job, 'archive', 40);
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
      report(job, 'archive', 60);
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
        report(job, 'archive', 60 + 38 * (p.fs.processedBytes / Math.max(1, p.fs.totalBytes)));
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
      report(job, 'done', 100);
      log.info(`archive written: ${target} (${s.size} bytes)`);
      return { name: path.basename(target), bytes: s.size, lots: manifest.lots };
    } catch (e) {
      report(job, isAppError(e) && e.code === 'cancelled' ? 'cancelled' : 'failed', job.percent);
      throw isAppError(e) ? e : diskError(e, target, 'Writing the archive');
    } finally {
      await Promise.all([tmpDb, tmpZip, ...csvFiles].map((f) => rm(f, { force: true }).catch(() => undefined)));
      running = null;
      resolveDone();
    }
  }

  // ---------------------------------------------------------------- picked files

  function registerPickedFile(file: string, purpose: 'restore' | 'archive'): PickedFile {
    const token = randomBytes(16).toString('hex');
    picked.set(token, { file: path.resolve(file), purpose, expires: host.now() + TOKEN_TTL });
    let bytes: number | null;
    try {
      bytes = statSync(file).size;
    } catch {
      bytes = null;
    }
    return { token, name: path.basename(file), bytes };
  }

  async function pickFile(purpose: 'restore' | 'archive'): Promise<PickedFile | null> {
    if (!opts.pickFile) throw new AppError('forbidden', 'No file dialog is available here.');
    const file = await opts.pickFile(purpose);
    return file ? registerPickedFile(file, purpose) : null;
  }

  function archiveTarget(token: string): string {
    const p = picked.get(token);
    if (!p || p.expires < host.now() || p.purpose !== 'archive') {
      throw new AppError('not-found', 'That file choice has expired; pick where to save again.');
    }
    return p.file;
  }

  // ---------------------------------------------------------------- status and schedule

  async function liveFingerprint(): Promise<string | null> {
    return fingerprintOf(host.paths.db, nativeBinding);
  }

  async function status(): Promise<BackupStatus> {
    const { dir, isDefault } = folder();
    const all = await list();
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
    return {
      folder: dir,
      folderIsDefault: isDefault,
      folderWritable: writable,
      running: running
        ? { id: running.id, kind: running.kind, reason: running.reason, phase: running.phase, percent: running.percent, startedAt: running.startedAt }
        : null,
      newest,
      count: all.length,
      totalBytes: all.reduce((s, b) => s + b.sizeBytes, 0),
      schedule: { auto: cfg.autoBackup, intervalHours: cfg.backupIntervalHours, nextAt: schedulerOn && cfg.autoBackup ? nextAt : null, changedSinceNewest: changed },
      policy: policy(),
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
    const all = await list();
    const newest = all.find((b) => b.verified) ?? null;
    const interval = cfg.backupIntervalHours * HOUR;
    if (kind === 'timer' && newest && host.now() - newest.createdAt < interval) return null;
    if (!(await changedSince(newest))) return null;
    try {
      const entry = await create(kind);
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
    const newest = (await list()).find((b) => b.verified);
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
    if (running && running.kind !== 'restore') running.abort.abort();
  }

  return {
    folder,
    list,
    create,
    cancel,
    prune,
    verify,
    restore,
    archive,
    archiveTarget,
    registerPickedFile,
    pickFile,
    status,
    autoBackup,
    startScheduler,
    stopScheduler,
    shutdown,
    cleanStale,
    liveFingerprint,
    isRunning: () => running !== null,
    inspect,
  };
}

export type BackupService = ReturnType<typeof createBackupService>;

