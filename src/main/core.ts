// The composition root of everything that is not Electron: opens the database (guarded
// migrations), builds the services, and exposes the contract's handler map plus `invoke`,
// which validates input and wraps results in the {ok, data} / {ok: false, error} envelope.
// The Electron main process, the CLI and the e2e test host all run this same core.
import { mkdirSync } from 'node:fs';
import { AppError, isAppError, type Result } from '../shared/errors';
import {
  contract,
  isChannel,
  type Channel,
  type Output,
  type ParsedInput,
} from '../shared/contract';
import { openDatabase, type DbHandle } from './db/open';
import {
  assertNotNewer,
  loadMigrations,
  migrate,
  pendingMigrations,
  readMigrationState,
  type MigrateResult,
  type Migration,
} from './db/migrate';
import { appHandlers } from './handlers/app';
import { backupHandlers } from './handlers/backup';
import { assertNoRestoreRunning, registerOpen } from './backup/lock';
import { preMigrationBackupSync } from './backup/premigration';
import { createBackupService, type BackupService, type BackupServiceOptions } from './backup/service';
import { inventoryHandlers } from './handlers/inventory';
import { desktopHandlers } from './handlers/desktop';
import { noDesktop, type DesktopHost } from './desktop';
import { transferHandlers } from './handlers/transfer';
import { catalogHandlers } from './handlers/catalog';
import { createCatalogService, type CatalogService } from './catalog/service';
import { createFileRegistry, type FileRegistry } from './files';
import { createTransferService, type Gate, type TransferHooks, type TransferService } from './transfer/service';
import { createInventoryService, type InventoryService } from './inventory/service';
import { createFileLogger, silentLogger, type Logger } from './log';
import { appVersion, dataPaths, defaultMigrationsDir } from './paths';
import { createPreferencesService, type PreferencesService } from './preferences/service';
import { createProfilesService, type Access, type ProfilesService } from './profiles/service';

export interface CoreOptions {
  dataDir: string;
  /** Clock in ms since the epoch; tests freeze it. */
  now?: () => number;
  migrationsDir?: string;
  logger?: Logger;
  /** Write a log file in `<dataDir>/logs` (default true). */
  logToFile?: boolean;
  /** better-sqlite3 addon built for Electron, when running inside Electron. */
  nativeBinding?: string;
  appVersion?: string;
  /**
   * Called before a database holding data is migrated. By default the backup engine makes a
   * pre-migration backup here (a failure aborts the migration and leaves the file untouched).
   */
  beforeMigrate?: (info: { from: number; to: number; pending: string[]; db: DbHandle }) => void;
  /** Native dialogs and the file manager (the Electron shell's; none in the CLI). */
  desktop?: DesktopHost;
  /** Backup engine options (gzip level, size guard, the native file dialog). */
  backup?: BackupServiceOptions;
  /** What this process is, for the inter-process lock (e.g. `app`, `cli`). */
  processKind?: string;
  /**
   * Open the database read-only (commands that only read): no start-up writes at all (no
   * migration, no default rows, no clean-up of backup temp files), and every write is refused
   * with `read-only`. A database that needs one of those writes first (missing, older schema,
   * no profile yet) is refused with `read-only` at start: open it writable once.
   */
  readOnly?: boolean;
}

export interface HandlerContext {
  signal?: AbortSignal;
}

export type Handlers = {
  [K in Channel]: (input: ParsedInput<K>, ctx: HandlerContext) => Output<K> | Promise<Output<K>>;
};

/** What handlers and other modules see of the core. */
export interface CoreContext {
  readonly paths: ReturnType<typeof dataPaths>;
  readonly dataDir: string;
  readonly now: () => number;
  readonly log: Logger;
  readonly events: Events;
  readonly migrations: Migration[];
  readonly appVersion: string;
  readonly db: DbHandle;
  readonly prefs: PreferencesService;
  readonly profiles: ProfilesService;
  readonly inventory: InventoryService;
  /** Files the user picked, known to the renderer only by token. */
  readonly files: FileRegistry;
  readonly transfer: TransferService;
  readonly catalog: CatalogService;
  /** Hooks between services: createCore sets hooks.beforeImport to the before-import backup. */
  readonly hooks: CoreHooks;
  /** Held while an import's transaction is open: invoke answers `busy` to other calls. */
  readonly gate: Gate;
  readonly lastMigration: MigrateResult;
  readonly desktop: DesktopHost;
  readonly backup: BackupService;
  /** Opened with `readOnly`: nothing is written to the database. */
  readonly readOnly: boolean;
  schemaVersion(): number;
  access(ownerId?: number): Access;
  /**
   * Closes the connection, runs `swap` (replace the file), reopens and migrates. If anything
   * fails, `undo` puts the old file back and the old database is reopened before rethrowing.
   */
  reopen(opts?: { swap?: () => void; undo?: () => void }): MigrateResult;
  close(): void;
}

export type CoreHooks = TransferHooks;

/**
 * Calls answered while an import's transaction is open in its worker: reads, answered from the
 * last commit (WAL), and the import's cancel. Writes get `busy` at once rather than waiting: the
 * worker holds SQLite's one write lock for the whole apply, so a write could only block this
 * thread (better-sqlite3 is synchronous) and every call behind it, then fail anyway.
 */
const CALLS_DURING_IMPORT = new Set<string>([
  'import.cancel',
  'app.info',
  'colors.list',
  'profiles.list',
  'profiles.current',
  'profiles.accessible',
  'collabs.list',
  'preferences.get',
  'config.get',
  'backup.status',
  'backup.list',
  'catalog.stats',
  'catalog.lookup',
  'catalog.search',
  'inventory.list',
  'inventory.get',
  'inventory.whereIs',
  'inventory.locations',
  'inventory.summary',
]);

export interface Core extends CoreContext {
  handlers: Handlers;
  /** Validates `input` against the contract, runs the handler, and wraps the result. */
  invoke<K extends Channel>(channel: K, input: unknown, ctx?: HandlerContext): Promise<Result<Output<K>>>;
  invoke(channel: string, input: unknown, ctx?: HandlerContext): Promise<Result<unknown>>;
}

import { createEvents, type Events } from './events';
export { createEvents, type Events };

export function createCore(opts: CoreOptions): Core {
  const paths = dataPaths(opts.dataDir);
  mkdirSync(paths.dataDir, { recursive: true });
  const now = opts.now ?? Date.now;
  const log = opts.logger ?? (opts.logToFile === false ? silentLogger : createFileLogger(paths.logFile, { now }));
  const migrations: Migration[] = loadMigrations(opts.migrationsDir ?? defaultMigrationsDir());
  const version = opts.appVersion ?? appVersion();
  const events = createEvents();

  // Inter-process rule: never open the database while another process is restoring it.
  assertNoRestoreRunning(paths.dataDir);
  const releaseOpen = registerOpen(paths.dataDir, opts.processKind ?? 'BlockShelf');
  const readOnly = opts.readOnly ?? false;
  const open = () =>
    openDatabase(paths.db, {
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
      ...(readOnly ? { readonly: true, fileMustExist: true } : {}),
    });
  let db: DbHandle;
  let migration: MigrateResult;
  try {
    db = open();
  } catch (e) {
    releaseOpen();
    if (readOnly && (e as NodeJS.ErrnoException).code === 'SQLITE_CANTOPEN') {
      throw new AppError('read-only', `There is no database in ${paths.dataDir} yet to read.`, { cause: e });
    }
    throw e;
  }
  try {
    migration = readOnly ? checkReadable(db) : runMigrations(db);
  } catch (e) {
    db.close();
    releaseOpen();
    throw e;
  }

  function runMigrations(handle: DbHandle): MigrateResult {
    const result = migrate(handle.sqlite, migrations, {
      beforeMigrate: (info) => {
        if (opts.beforeMigrate) return opts.beforeMigrate({ ...info, db: handle });
        const file = preMigrationBackupSync({
          sqlite: handle.sqlite,
          defaultDir: paths.backups,
          appVersion: version,
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
      new AppError('read-only', `The database ${what} before it can be read; open it once in BlockShelf (or run a command that changes it).`);
    if (pendingMigrations(state, migrations).length) throw needs('needs an upgrade');
    if (!handle.sqlite.prepare('SELECT 1 FROM app_config WHERE id = 1').get()) throw needs('needs its settings row');
    if (!handle.sqlite.prepare('SELECT 1 FROM users LIMIT 1').get()) throw needs('needs its first profile');
    return { from: state.applied, to: state.applied, applied: [] };
  }

  // Services are rebuilt when the connection is replaced (after a restore).
  function build(handle: DbHandle) {
    const prefs = createPreferencesService({ db: handle, now });
    const profiles = createProfilesService({
      db: handle,
      now,
      onProfileChanged: (id) => prefs.invalidateUser(id),
    });
    const inventory = createInventoryService({
      db: handle,
      now,
      onChanged: (ownerId, reason) => events.emit('data.changed', { ownerId, reason }),
    });
    return { prefs, profiles, inventory };
  }
  let services = build(db);
  const files = createFileRegistry();
  const hooks: CoreHooks = {};
  const gate: Gate = { holder: null };
  const transfer = createTransferService({
    db: () => db,
    inventory: () => services.inventory,
    files,
    events,
    hooks,
    gate,
    now,
    log,
    nativeBinding: opts.nativeBinding,
  });
  const catalog = createCatalogService({
    db: () => db,
    onColorsChanged: () => services.inventory.invalidateColors(),
  });
  // Make sure the default profile exists from the first run on.
  services.profiles.current();
  // eslint-disable-next-line prefer-const -- assigned once ctx exists (the service reads ctx's live getters)
  let backup: BackupService;

  const ctx: CoreContext = {
    paths,
    dataDir: paths.dataDir,
    now,
    log,
    events,
    migrations,
    appVersion: version,
    get db() {
      return db;
    },
    get prefs() {
      return services.prefs;
    },
    get profiles() {
      return services.profiles;
    },
    get inventory() {
      return services.inventory;
    },
    files,
    transfer,
    catalog,
    hooks,
    gate,
    get lastMigration() {
      return migration;
    },
    desktop: opts.desktop ?? noDesktop,
    get backup() {
      return backup;
    },
    readOnly,
    schemaVersion(): number {
      return db.sqlite.pragma('user_version', { simple: true }) as number;
    },
    /** The profile acting now and what it may do with `ownerId`'s inventory (default: its own). */
    access(ownerId?: number) {
      const me = services.profiles.current();
      return services.profiles.access(me.id, ownerId ?? me.id);
    },
    /**
     * Swaps in another database file's connection (a restore): the caller has already put the
     * file in place. Reopens, migrates, clears every cache and tells listeners.
     */
    reopen(ro: { swap?: () => void; undo?: () => void } = {}): MigrateResult {
      if (readOnly) throw new AppError('read-only', 'The database is open read-only here; nothing was changed.');
      if (ro.swap) assertNoOtherConnection(db);
      const installation = readInstallationSettings(db);
      transfer.close();
      db.close();
      let fresh: DbHandle | null = null;
      try {
        ro.swap?.();
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
        ro.undo?.();
        db = open();
        migration = runMigrations(db);
        services = build(db);
        services.prefs.invalidateAll();
        throw e;
      }
      services = build(db);
      services.prefs.invalidateAll();
      services.profiles.current();
      events.emit('data.changed', { ownerId: null, reason: 'reopened' });
      return migration;
    },
    close(): void {
      backup?.shutdown();
      transfer.close();
      db.close();
      releaseOpen();
    },
  };
  backup = createBackupService(ctx, { ...opts.backup, nativeBinding: opts.nativeBinding });
  if (!readOnly) backup.cleanStale();
  hooks.beforeImport = () => backupBeforeImport(ctx);
  // An import commits on the worker's connection: forget what this side cached of the old data.
  hooks.afterImport = () => {
    services.prefs.invalidateAll();
    services.inventory.invalidateCaches();
  };

  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...inventoryHandlers(ctx),
    ...transferHandlers(ctx),
    ...catalogHandlers(ctx),
    ...backupHandlers(ctx),
    ...desktopHandlers(ctx),
  };

  async function invoke(channel: string, input: unknown, hctx: HandlerContext = {}): Promise<Result<unknown>> {
    if (!isChannel(channel)) {
      return { ok: false, error: { code: 'invalid-input', message: `unknown call ${String(channel).slice(0, 80)}` } };
    }
    if (gate.holder && !CALLS_DURING_IMPORT.has(channel)) {
      return {
        ok: false,
        error: { code: 'busy', message: 'An import is being applied; changes can be made again when it has finished (reading works meanwhile).' },
      };
    }
    const parsed = contract[channel].input.safeParse(input ?? {});
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({
        field: i.path.map(String).join('.') || '(input)',
        message: i.message,
      }));
      return {
        ok: false,
        error: {
          code: 'invalid-input',
          message: fields.map((f) => `${f.field}: ${f.message}`).join('; '),
          fields,
        },
      };
    }
    try {
      const handler = handlers[channel] as (i: unknown, c: HandlerContext) => unknown;
      const data = await handler(parsed.data, hctx);
      return { ok: true, data };
    } catch (e) {
      if (readOnly && String((e as NodeJS.ErrnoException)?.code ?? '').startsWith('SQLITE_READONLY')) {
        return { ok: false, error: readOnlyError().toPayload() };
      }
      return { ok: false, error: toErrorPayload(e, log, channel) };
    }
  }

  // Getters must stay live (the connection is replaced on restore), so extend ctx in place.
  return Object.assign(ctx, { handlers, invoke }) as Core;
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
 * The backup an import makes before it changes anything (every surface applies imports through
 * the transfer service, so the app, the CLI and the test host all get it). A database holding no
 * lots needs none: the import can only add to it, and there is nothing a backup could give back.
 * A backup that fails stops the import: the error says so, and nothing was changed.
 */
async function backupBeforeImport(core: CoreContext): Promise<string | null> {
  const anyLot = core.db.sqlite.prepare('SELECT 1 FROM inventory_items LIMIT 1').get();
  if (!anyLot) return null;
  try {
    const entry = await core.backup.create('before-import');
    return entry.id;
  } catch (e) {
    const p = toErrorPayload(e, core.log, 'the backup before an import');
    throw new AppError(p.code, `Nothing was imported: the backup before the import could not be made. ${p.message}`, {
      cause: e,
      details: { ...(p.details ?? {}), step: 'backup' },
    });
  }
}

/**
 * Before a restore swaps the file: no other program may hold the database (a transaction open,
 * or a reader keeping the log from being written back). Waits the busy timeout, then refuses.
 */
function assertNoOtherConnection(handle: DbHandle): void {
  const inUse = (e?: unknown) =>
    new AppError('db-locked', 'The database is in use by another program; close it, then restore.', e ? { cause: e } : {});
  try {
    handle.sqlite.exec('BEGIN IMMEDIATE');
    handle.sqlite.exec('ROLLBACK');
  } catch (e) {
    if (lockError(e)) throw inUse(e);
    throw e;
  }
  const [ckpt] = handle.sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  if (ckpt && ckpt.busy) throw inUse();
}

function readOnlyError(): AppError {
  return new AppError('read-only', 'This command opened the database read-only and cannot change it.');
}

/** SQLite's "database is locked" (busy or locked, with any extended code). */
export function lockError(e: unknown): AppError | null {
  const code = String((e as NodeJS.ErrnoException)?.code ?? '');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError('db-locked', 'The database is busy in another program. Try again in a moment.', { cause: e });
  }
  return null;
}

/** Expected failures keep their code; anything else is logged and becomes `internal`. */
export function toErrorPayload(e: unknown, log: Logger, where: string) {
  if (isAppError(e)) return e.toPayload();
  const locked = lockError(e);
  if (locked) return locked.toPayload();
  log.error(`unexpected error in ${where}`, e);
  return { code: 'internal' as const, message: 'Something went wrong inside BlockShelf. The log file has details.' };
}
