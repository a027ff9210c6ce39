// The composition root of everything that is not Electron: opens the database (guarded
// migrations, ./database.ts), builds each service with only what it uses, and exposes the
// contract's handler map plus `invoke` (./invoke.ts). The Electron main process, the CLI and the
// e2e test host all run this same core. Nothing under src/main imports this module but ./index.ts.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { createAppInfo } from '../app/info';
import { assertNoRestoreRunning, registerOpen } from '../backup/lock';
import { createBackupService, type BackupHost, type BackupService } from '../backup/service';
import { createCatalogService } from '../catalog/service';
import { openDatabase, type DbHandle } from '../db/open';
import { loadMigrations, type Migration } from '../db/migrate';
import { createEvents } from '../events';
import { createFileRegistry } from '../files';
import { createHandlers } from '../handlers';
import { createHistoryService } from '../history/service';
import { createJournal } from '../history/journal';
import { createInventoryService } from '../inventory/service';
import { createLabelsService } from '../labels/service';
import { createFileLogger, silentLogger, type Logger } from '../log';
import { appVersion, dataPaths, defaultLabelFont, defaultMigrationsDir } from '../paths';
import { createPictureService } from '../pictures/service';
import { createConfigService } from '../preferences/config';
import { createPreferencesService } from '../preferences/service';
import { createProfilesService, type AccessCheck } from '../profiles/service';
import { createSetsService } from '../sets/service';
import { createTransferService, type Gate } from '../transfer/service';
import { bulkTriggers } from '../transfer/importing/apply';
import { openConnection, type Connection } from './database';
import { toErrorPayload } from './errors';
import { createInvoke } from './invoke';
import type { Core, CoreHooks, CoreOptions } from './types';

export function createCore(opts: CoreOptions): Core {
  const paths = dataPaths(opts.dataDir);
  mkdirSync(paths.dataDir, { recursive: true });
  const now = opts.now ?? Date.now;
  const log = opts.logger ?? (opts.logToFile === false ? silentLogger : createFileLogger(paths.logFile, { now }));
  const migrations: Migration[] = loadMigrations(opts.migrationsDir ?? defaultMigrationsDir());
  const version = opts.appVersion ?? appVersion();
  const events = createEvents();
  const readOnly = opts.readOnly ?? false;

  // Inter-process rule: never open the database while another process is restoring it.
  assertNoRestoreRunning(paths.dataDir);
  const releaseOpen = registerOpen(paths.dataDir, opts.processKind ?? 'BlockShelf');
  let conn: Connection;
  try {
    conn = openConnection({
      paths,
      migrations,
      appVersion: version,
      now,
      log,
      readOnly,
      nativeBinding: opts.nativeBinding,
      beforeMigrate: opts.beforeMigrate,
    });
  } catch (e) {
    releaseOpen();
    throw e;
  }
  const db = () => conn.db;

  // Services on the connection are rebuilt when a restore replaces it.
  function build(handle: DbHandle) {
    const prefs = createPreferencesService({ db: handle, now });
    const profiles = createProfilesService({
      db: handle,
      now,
      onProfileChanged: (id) => prefs.invalidateUser(id),
      onDataChanged: (ownerId, reason) => events.emit('data.changed', { ownerId, reason }),
      // A deleted profile's lots are gone with it: its operations leave the journal (swept later).
      onDeleting: (id) => {
        handle.stmt(`UPDATE history_ops SET state = 'dropped' WHERE owner_id = ? AND state <> 'dropped'`).run(id);
        history.scheduleSweep();
      },
    });
    // The operation journal of this connection (a read-only one writes nothing).
    const journal = readOnly
      ? undefined
      : createJournal({
          db: handle,
          now,
          actor: () => profiles.current().id,
          bounds: () => history.bounds(),
          onDropped: () => history.scheduleSweep(),
        });
    const inventory = createInventoryService({
      db: handle,
      now,
      access: profiles.accessFor,
      viewer: () => prefs.get(profiles.current().id),
      onChanged: (ownerId, reason) => events.emit('data.changed', { ownerId, reason }),
      journal,
    });
    return { prefs, profiles, inventory, journal };
  }
  let services = build(conn.db);
  const rebuild = () => {
    services = build(conn.db);
    services.prefs.invalidateAll();
  };
  /** The acting profile and what it may do with `ownerId`'s inventory (default: its own). */
  const access: AccessCheck = (ownerId) => services.profiles.accessFor(ownerId);

  const files = createFileRegistry({ now });
  const desktop = opts.desktop ?? null;
  const hooks: CoreHooks = {};
  const gate: Gate = { holder: null, catalog: 0 };
  let normalTimeout = 0;
  /**
   * A catalogue worker is about to take SQLite's write lock (and till it ends): writes are
   * answered `busy` at once by the gate, and the main connection's busy timeout is 0 meanwhile,
   * so nothing on this thread waits for the lock (a write that slipped through fails at once).
   */
  const catalogLock = {
    take() {
      const sqlite = conn.db.sqlite;
      if (!gate.catalog++ && !gate.holder) normalTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
      sqlite.pragma('busy_timeout = 0');
    },
    release() {
      if (--gate.catalog || gate.holder) return; // the import's apply restores it when it ends
      const sqlite = conn.db.sqlite;
      if (sqlite.open && normalTimeout) sqlite.pragma(`busy_timeout = ${normalTimeout}`);
    },
  };
  const transfer = createTransferService({
    migrations,
    db,
    inventory: () => services.inventory,
    access,
    files,
    events,
    hooks,
    gate,
    now,
    log,
    nativeBinding: opts.nativeBinding,
    journal: () => ({ actorId: services.profiles.current().id, bounds: history.bounds() }),
    exportReader: () => {
      const handle = openDatabase(conn.db.file, {
        readonly: true,
        fileMustExist: true,
        ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
      });
      // Pages through a small page cache only (an export reads every row once), inside one read
      // transaction: the file holds the data as it was when the export began.
      handle.sqlite.pragma('mmap_size = 0');
      handle.sqlite.pragma('cache_size = -8192');
      handle.sqlite.exec('BEGIN');
      const inventory = createInventoryService({
        db: handle,
        now,
        access,
        viewer: () => services.prefs.get(services.profiles.current().id),
        onChanged: () => undefined,
      });
      return {
        inventory,
        close: () => {
          if (handle.sqlite.inTransaction) handle.sqlite.exec('COMMIT');
          handle.close();
        },
      };
    },
  });
  const history = createHistoryService({
    db,
    now,
    access,
    actor: () => services.profiles.current().id,
    events,
    gate,
    log,
    nativeBinding: opts.nativeBinding,
    deleteTriggers: (({ ftsAd, ad }) => ({ fts: ftsAd, stats: ad }))(bulkTriggers(migrations)),
    ...(opts.historyWorkerMinLots !== undefined ? { workerMinLots: opts.historyWorkerMinLots } : {}),
    afterWorker: () => {
      services.prefs.invalidateAll();
      services.inventory.invalidateCaches();
    },
  });
  const catalog = createCatalogService({
    db,
    onColorsChanged: () => services.inventory.invalidateColors(),
    access,
    events,
    runJob: transfer.runJob,
    journal: () => services.journal,
    now,
    nativeBinding: opts.nativeBinding,
    snapshotDir: opts.catalogDir ?? null,
    onLoadProgress: (p) => events.emit('catalog.progress', p),
    onChanged: () => events.emit('data.changed', { ownerId: null, reason: 'catalog' }),
    writeLock: catalogLock,
  });
  const sets = createSetsService({
    db,
    access,
    events,
    now,
    colors: () => services.inventory.colors(),
    runJob: transfer.runJob,
    nativeBinding: opts.nativeBinding,
    journal: () => services.journal,
  });
  // Make sure the default profile exists from the first run on.
  services.profiles.current();
  const info = createAppInfo({
    db,
    profiles: () => services.profiles,
    prefs: () => services.prefs,
    paths,
    appVersion: version,
    schemaVersion: () => conn.schemaVersion(),
  });
  const config = createConfigService({ prefs: () => services.prefs, files, log, events });
  const pictures = createPictureService({
    dataDir: paths.dataDir,
    db,
    events,
    log,
    appVersion: version,
    ...(opts.pictures ? { options: opts.pictures } : {}),
  });
  const labels = createLabelsService({
    db,
    access,
    pictures: { get: (key) => pictures.cached(key) },
    fontFile: opts.labelFont ?? defaultLabelFont(),
    tempDir: path.join(paths.dataDir, 'pictures', 'print'),
    setLines: (ownerId, setNum) => sets.pickedLines(ownerId, setNum),
  });

  /**
   * Swaps in another database file's connection (a restore): the caller has already put the
   * file in place. Reopens, migrates, clears every cache and tells listeners.
   */
  function reopen(change: { swap?: () => void; undo?: () => void } = {}) {
    if (change.swap && catalog.busy()) {
      throw new AppError('busy', 'The parts catalogue is being updated. Try again when it has finished; nothing was changed.');
    }
    conn.replace(change, { beforeClose: () => transfer.close(), onFallback: rebuild });
    rebuild();
    services.profiles.current();
    // Undo does not reach back past a restore: the backup made before it is the way back.
    if (change.swap && !readOnly) services.journal?.mark('restore', 'Restore of a backup', services.profiles.current().id);
    events.emit('data.changed', { ownerId: null, reason: 'reopened' });
    // A restored file may hold an older catalogue than the one shipped.
    if (opts.catalogDir && opts.catalogLoad !== 'manual') catalog.startSnapshotLoad();
    return conn.migration;
  }

  const backupHost: BackupHost = {
    paths,
    log,
    events,
    migrations,
    appVersion: version,
    now,
    get db() {
      return conn.db;
    },
    get prefs() {
      return services.prefs;
    },
    schemaVersion: () => conn.schemaVersion(),
    reopen,
  };
  const backup = createBackupService(backupHost, { ...opts.backup, nativeBinding: opts.nativeBinding });
  if (!readOnly) backup.cleanStale();
  hooks.beforeImport = () => backupBeforeImport({ db, backup, log });
  // An import commits on the worker's connection: forget what this side cached of the old data.
  hooks.afterImport = () => {
    services.prefs.invalidateAll();
    services.inventory.invalidateCaches();
  };
  // First start (or a newer shipped snapshot): load the catalogue in a worker; calls keep answering.
  if (!readOnly && opts.catalogDir && opts.catalogLoad !== 'manual') catalog.startSnapshotLoad();

  // Getters stay live: a restore replaces the connection and the services on it.
  const handlers = createHandlers({
    get inventory() {
      return services.inventory;
    },
    get profiles() {
      return services.profiles;
    },
    get prefs() {
      return services.prefs;
    },
    info,
    config,
    transfer,
    catalog,
    sets,
    backup,
    history,
    files,
    desktop,
    paths,
    now,
    pictures,
    labels,
  });

  return {
    paths,
    dataDir: paths.dataDir,
    now,
    log,
    events,
    migrations,
    appVersion: version,
    get db() {
      return conn.db;
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
    history,
    sets,
    hooks,
    gate,
    get lastMigration() {
      return conn.migration;
    },
    desktop,
    backup,
    pictures,
    labels,
    readOnly,
    schemaVersion: () => conn.schemaVersion(),
    access,
    reopen,
    close(): void {
      pictures.close();
      void catalog.close();
      history.close();
      void sets.close();
      backup.shutdown();
      transfer.close();
      conn.close();
      releaseOpen();
    },
    handlers,
    invoke: createInvoke({ handlers, gate, readOnly, log }),
  };
}

/**
 * The backup an import makes before it changes anything (every surface applies imports through
 * the transfer service, so the app, the CLI and the test host all get it). A database holding no
 * lots needs none: the import can only add to it, and there is nothing a backup could give back.
 * A backup that fails stops the import: the error says so, and nothing was changed.
 */
async function backupBeforeImport(deps: { db: () => DbHandle; backup: BackupService; log: Logger }): Promise<string | null> {
  const anyLot = deps.db().sqlite.prepare('SELECT 1 FROM inventory_items LIMIT 1').get();
  if (!anyLot) return null;
  try {
    const entry = await deps.backup.create('before-import');
    return entry.id;
  } catch (e) {
    const p = toErrorPayload(e, deps.log, 'the backup before an import');
    throw new AppError(p.code, `Nothing was imported: the backup before the import could not be made. ${p.message}`, {
      cause: e,
      details: { ...(p.details ?? {}), step: 'backup' },
    });
  }
}
