// Checking a backup file before it is trusted: size bounds while it is unpacked, its checksum,
// the integrity and foreign-key checks, the migration history and the schema compared object by
// object with what this app's migrations make (schema.ts). `inspect` leaves a checked, unpacked
// copy in the data folder for a restore; `verify` removes it.
import { existsSync } from 'node:fs';
import { copyFile, open, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { VerifyReport } from '../../shared/contract/backup';
import { AppError } from '../../shared/errors';
import { assertNotNewer } from '../db/migrate';
import { diskError, gunzipGuarded, sha256File } from './fsutil';
import type { BackupHost, BackupServiceOptions, RunOptions, Source } from './host';
import { throwIfCancelled } from './jobs';
import type { Listing } from './listing';
import { integrityProblems, readManifest } from './manifest';
import { BACKUP_RE, tempName } from './names';
import { checkHistory, compareSchema, referenceSchema } from './schema';
import { checkDatabaseFile, type CheckResult } from './worker';

const DEFAULT_MAX_RESTORE = 16 * 1024 ** 3;

export function createVerifier(host: BackupHost, opts: BackupServiceOptions, listing: Listing) {
  const nativeBinding = opts.nativeBinding;

  function resolveSource(src: Source): string {
    if ('path' in src) return path.resolve(src.path);
    if (!BACKUP_RE.test(src.backupId)) throw new AppError('invalid-input', 'not a backup id');
    const file = path.join(listing.folder().dir, src.backupId);
    if (!existsSync(file)) throw new AppError('not-found', `The backup ${src.backupId} is no longer in the backup folder.`);
    return file;
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
      const problems = integrityProblems(r.integrity);
      if (problems !== null) {
        throw new AppError('backup-corrupt', `${name} failed the integrity check: ${problems}`, {
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

  return { resolveSource, inspect, verify, removeCandidate };
}

export type Verifier = ReturnType<typeof createVerifier>;
