// Checking a backup file before it is trusted: size bounds while it is unpacked, its checksum,
// the integrity and foreign-key checks, the migration history and the schema compared object by
// object with what this app's migrations make (schema.ts). A compact backup (compact.ts) is
// compared with that schema minus what it leaves out, then the indexes, the search index and the
// aggregates are rebuilt from the migrations' own statements in a worker, and the result is
// checked and compared with the whole schema again: it gets the same scrutiny as a full one.
// `inspect` leaves a checked, unpacked copy in the data folder for a restore; `verify` removes it.
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
import { compactPlan, compactReference, layoutOf, type CompactPlan } from './compact';
import { checkHistory, compareSchema, referenceSchema } from './schema';
import { checkDatabaseFile, rebuildDatabaseFile, type CheckResult, type WorkerRun } from './worker';

/** Progress of a check: `fraction` of the work done (0-1), and the step it is in. */
export type InspectProgress = (fraction: number, step: string) => void;

/** Share of a compact backup's check spent unpacking and checking it, before the rebuild. */
const BEFORE_REBUILD = 0.15;

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
  /** Awaits a worker's result; maps SQLite's errors about the file to coded errors naming it. */
  async function workerResult(run: WorkerRun<CheckResult>, name: string, signal?: AbortSignal): Promise<CheckResult> {
    const onAbort = () => void run.terminate();
    signal?.addEventListener('abort', onAbort);
    try {
      return await run.result;
    } catch (e) {
      throwIfCancelled(signal, 'The check');
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (code === 'SQLITE_NOTADB') {
        throw new AppError('not-blockshelf', `${name} is not a SQLite database.`, { details: { reason: 'not-sqlite' } });
      }
      if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ') {
        throw new AppError('backup-corrupt', `${name} holds a damaged database (${(e as Error).message}).`, {
          details: { reason: 'integrity' },
        });
      }
      if (code.startsWith('SQLITE_CONSTRAINT')) {
        throw new AppError('backup-corrupt', `${name} holds rows that break BlockShelf's rules (${(e as Error).message}).`, {
          details: { reason: 'constraint' },
        });
      }
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Rebuilds what a compact backup leaves out in the unpacked `candidate`, and checks the result
   * as a full backup is checked: integrity, foreign keys, the whole schema, and the same rows.
   */
  async function rebuild(
    candidate: string,
    name: string,
    plan: CompactPlan,
    before: CheckResult,
    rows: Record<string, number> | null,
    signal?: AbortSignal,
    progress?: InspectProgress,
  ): Promise<CheckResult> {
    const steps = { indexes: 0.6, search: 0.25, aggregates: 0.05 } as Record<string, number>;
    const run = rebuildDatabaseFile(candidate, plan, nativeBinding, {
      onStep: (step, done, total) => {
        const f = step === 'check' ? 0.9 : 0.9 * (done / Math.max(1, total));
        progress?.(BEFORE_REBUILD + (1 - BEFORE_REBUILD) * f, steps[step] !== undefined || step === 'check' ? step : 'rebuild');
      },
    });
    const r = await workerResult(run, name, signal);
    const problems = integrityProblems(r.integrity);
    if (problems !== null) {
      throw new AppError('backup-corrupt', `${name} failed the integrity check after its indexes were rebuilt: ${problems}`, {
        details: { reason: 'integrity' },
      });
    }
    compareSchema(name, r.schema, referenceSchema(host.migrations, plan.version, nativeBinding));
    if (r.foreignKeyViolations > 0 || r.foreignKeyError) {
      throw new AppError(
        'backup-corrupt',
        `${name} has ${r.foreignKeyError ? `foreign keys that cannot be checked (${r.foreignKeyError})` : `${r.foreignKeyViolations} foreign-key violations`}.`,
        { details: { reason: 'foreign-keys' } },
      );
    }
    const differs = plan.dataTables.filter((t) => r.rows?.[t] !== (rows ? rows[t] : r.rows?.[t]));
    if (r.lots !== before.lots || r.profiles !== before.profiles || differs.length) {
      throw new AppError(
        'backup-corrupt',
        `${name} does not hold the rows its manifest records (${differs.join(', ') || 'lots'}).`,
        {
          details: { reason: 'rows', tables: differs },
        },
      );
    }
    return r;
  }

  async function inspect(
    file: string,
    signal?: AbortSignal,
    progress?: InspectProgress,
  ): Promise<{ report: VerifyReport; candidate: string }> {
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
        throw new AppError(
          'backup-corrupt',
          `${name} does not match its manifest (checksum differs): the file was changed or damaged.`,
          {
            details: { reason: 'checksum' },
          },
        );
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
        if (total > limit)
          throw new AppError('backup-too-large', `${name} is larger than the size guard allows.`, {
            details: { reason: 'too-large' },
          });
        await copyFile(file, candidate);
        for (const suffix of sidecars) await copyFile(`${file}${suffix}`, `${candidate}${suffix}`);
      }
      throwIfCancelled(signal, 'The check');
      progress?.(0.05, 'check');
      let r = await workerResult(checkDatabaseFile(candidate, nativeBinding), name, signal);
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
      assertNotNewer(
        { applied: r.migrations.applied, lastWhen: r.migrations.lastWhen, isEmpty: r.migrations.applied === 0 },
        host.migrations,
      );
      // The schema, object by object, against what this app's migrations make at that version.
      checkHistory(name, r.migrationRows ?? [], r.userVersion, host.migrations);
      // A compact backup (none of the objects it leaves out is there) is compared with that
      // schema minus those objects; anything else with the whole schema, so a file missing only
      // some of them is refused by name.
      const applied = r.migrations.applied;
      const reference = referenceSchema(host.migrations, applied, nativeBinding);
      const plan = compactPlan(host.migrations, applied, nativeBinding);
      const layout = layoutOf(r.schema, plan);
      compareSchema(name, r.schema, layout === 'compact' ? compactReference(reference, plan) : reference);
      if (r.foreignKeyViolations > 0 || r.foreignKeyError) {
        throw new AppError(
          'backup-corrupt',
          r.foreignKeyError
            ? `${name}'s foreign keys cannot be checked: ${r.foreignKeyError}.`
            : `${name} has ${r.foreignKeyViolations} foreign-key violations.`,
          { details: { reason: 'foreign-keys' } },
        );
      }
      if (layout === 'compact') {
        throwIfCancelled(signal, 'The check');
        progress?.(BEFORE_REBUILD, 'rebuild');
        const rows = sha256Matches && manifest?.layout === 'compact' && manifest.rows ? manifest.rows : null;
        r = await rebuild(candidate, name, plan, r, rows, signal, progress);
      }
      progress?.(1, 'done');
      const report: VerifyReport = {
        name,
        format: isGzip ? 'gzip' : 'sqlite',
        fileBytes: size,
        dbBytes: r.dbBytes,
        schemaVersion: applied,
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
