// The core's one connection and its life: open (read-only or writable), guarded migrations with
// the pre-migration backup, the read-only start checks, and replacing the file under a restore
// (installation settings kept, the old file reopened when anything fails). Services never see
// this module: they get the live handle from the composition root.
import { AppError } from '../../shared/errors';
import { preMigrationBackupSync } from '../backup/premigration';
import { openDatabase, type DbHandle } from '../db/open';
import {
  assertNotNewer,
  migrate,
  pendingMigrations,
  readMigrationState,
  type MigrateResult,
  type Migration,
} from '../db/migrate';
import type { Logger } from '../log';
import { lockError } from './errors';

export interface ConnectionOptions {
  paths: { dataDir: string; db: string; backups: string };
  migrations: Migration[];
  appVersion: string;
  now: () => number;
  log: Logger;
  readOnly: boolean;
  nativeBinding?: string | undefined;
  beforeMigrate?: ((info: { from: number; to: number; pending: string[]; db: DbHandle }) => void) | undefined;
}

export interface Connection {
  readonly db: DbHandle;
  readonly migration: MigrateResult;
  schemaVersion(): number;
  /**
   * Closes the connection, runs `swap` (replace the file), reopens and migrates, and writes this
   * installation's settings back. If anything fails, `undo` puts the old file back, the old
   * database is reopened (`onFallback` runs then) and the error is rethrown.
   */
  replace(
    files: { swap?: (() => void) | undefined; undo?: (() => void) | undefined },
    around: { beforeClose: () => void; onFallback: () => void },
  ): MigrateResult;
  close(): void;
}

/** Opens the database and brings it up to date (or, read-only, checks it needs nothing). */
export function openConnection(opts: ConnectionOptions): Connection {
  const { paths, migrations, readOnly, log, now } = opts;
  const open = () =>
    openDatabase(paths.db, {
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
      ...(readOnly ? { readonly: true, fileMustExist: true } : {}),
    });

  function runMigrations(handle: DbHandle): MigrateResult {
    const result = migrate(handle.sqlite, migrations, {
      beforeMigrate: (info) => {
        if (opts.beforeMigrate) return opts.beforeMigrate({ ...info, db: handle });
        const file = preMigrationBackupSync({
          sqlite: handle.sqlite,
          defaultDir: paths.backups,
          appVersion: opts.appVersion,
          now,
          nativeBinding: opts.nativeBinding,
        });
        log.info(`backup before migrating ${info.from} -> ${info.to}: ${file}`);
      },
    });
    if (result.applied.length) log.info(`migrated database ${result.from} -> ${result.to}`, result.applied);
    // Write only when there is something to write: a start-up that writes fails while another
    // program holds a write transaction, even for a command that only reads.
    if (!handle.sqlite.prepare('SELECT 1 FROM app_config WHERE id = 1').get()) {
      handle.sqlite.prepare('INSERT OR IGNORE INTO app_config (id, updated_at) VALUES (1, ?)').run(now());
    }
    return result;
  }

  /** Read-only start: the database must be usable as it is. */
  function checkReadable(handle: DbHandle): MigrateResult {
    const state = readMigrationState(handle.sqlite);
    assertNotNewer(state, migrations);
    const needs = (what: string) =>
      new AppError(
        'read-only',
        `The database ${what} before it can be read; open it once in BlockShelf (or run a command that changes it).`,
      );
    if (pendingMigrations(state, migrations).length) throw needs('needs an upgrade');
    if (!handle.sqlite.prepare('SELECT 1 FROM app_config WHERE id = 1').get()) throw needs('needs its settings row');
    if (!handle.sqlite.prepare('SELECT 1 FROM users LIMIT 1').get()) throw needs('needs its first profile');
    return { from: state.applied, to: state.applied, applied: [] };
  }

  let db: DbHandle;
  try {
    db = open();
  } catch (e) {
    if (readOnly && (e as NodeJS.ErrnoException).code === 'SQLITE_CANTOPEN') {
      throw new AppError('read-only', `There is no database in ${paths.dataDir} yet to read.`, { cause: e });
    }
    throw e;
  }
  let migration: MigrateResult;
  try {
    migration = readOnly ? checkReadable(db) : runMigrations(db);
  } catch (e) {
    db.close();
    throw e;
  }

  return {
    get db() {
      return db;
    },
    get migration() {
      return migration;
    },
    schemaVersion: () => db.sqlite.pragma('user_version', { simple: true }) as number,
    replace(files, around): MigrateResult {
      if (readOnly) throw new AppError('read-only', 'The database is open read-only here; nothing was changed.');
      if (files.swap) assertNoOtherConnection(db);
      const installation = readInstallationSettings(db);
      around.beforeClose();
      db.close();
      let fresh: DbHandle | null = null;
      try {
        files.swap?.();
        fresh = open();
        migration = runMigrations(fresh);
        writeInstallationSettings(fresh, installation, now());
        db = fresh;
      } catch (e) {
        try {
          fresh?.close();
        } catch {
          // closing a broken connection
        }
        files.undo?.();
        db = open();
        migration = runMigrations(db);
        around.onFallback();
        throw e;
      }
      return migration;
    },
    close: () => db.close(),
  };
}

/**
 * Settings of this installation kept in app_config: where backups go, when they are made and how
 * many are kept. They belong to this computer, not to the data, so a restore never takes them
 * from the restored file. (`last_profile_id` names a profile of the data and comes with it.)
 */
const INSTALLATION_COLUMNS = [
  'backup_dir',
  'auto_backup',
  'backup_interval_hours',
  'keep_recent_hours',
  'keep_recent_max',
  'keep_daily',
  'keep_weekly',
  'keep_monthly',
] as const;
type InstallationSettings = Record<(typeof INSTALLATION_COLUMNS)[number], unknown>;

function readInstallationSettings(handle: DbHandle): InstallationSettings {
  const row = handle.sqlite.prepare(`SELECT ${INSTALLATION_COLUMNS.join(', ')} FROM app_config WHERE id = 1`).get();
  if (!row) throw new AppError('internal', 'app_config row is missing');
  return row as InstallationSettings;
}

/** Puts this installation's settings into a database that has just been swapped in. */
function writeInstallationSettings(handle: DbHandle, settings: InstallationSettings, at: number): void {
  const set = INSTALLATION_COLUMNS.map((c) => `${c} = @${c}`).join(', ');
  handle.sqlite.prepare(`UPDATE app_config SET ${set}, updated_at = @at WHERE id = 1`).run({ ...settings, at });
}

/**
 * Before a restore swaps the file: no other program may hold the database (a transaction open,
 * or a reader keeping the log from being written back). Asks without waiting (busy timeout 0):
 * this runs on the thread that answers calls, which must not sit out another writer's lock.
 */
function assertNoOtherConnection(handle: DbHandle): void {
  const inUse = (e?: unknown) =>
    new AppError('db-locked', 'The database is in use by another program; close it, then restore.', e ? { cause: e } : {});
  const timeout = handle.sqlite.pragma('busy_timeout', { simple: true }) as number;
  handle.sqlite.pragma('busy_timeout = 0');
  try {
    try {
      handle.sqlite.exec('BEGIN IMMEDIATE');
      handle.sqlite.exec('ROLLBACK');
    } catch (e) {
      if (lockError(e)) throw inUse(e);
      throw e;
    }
    const [ckpt] = handle.sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (ckpt && ckpt.busy) throw inUse();
  } finally {
    handle.sqlite.pragma(`busy_timeout = ${Number(timeout)}`);
  }
}
