// The core's public types: what createCore takes (CoreOptions) and what the app shell, the CLI
// and the test host get back (Core). Services never import these: each takes only what it uses.
import type { Channel, Output } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import type { BackupService, BackupServiceOptions } from '../backup/service';
import type { CatalogService } from '../catalog/service';
import type { SetsService } from '../sets/service';
import type { DbHandle } from '../db/open';
import type { MigrateResult, Migration } from '../db/migrate';
import type { DesktopHost } from '../desktop';
import type { Events } from '../events';
import type { FileRegistry } from '../files';
import type { HandlerContext, Handlers } from '../handlers/types';
import type { InventoryService } from '../inventory/service';
import type { LabelsService } from '../labels/service';
import type { Logger } from '../log';
import type { dataPaths } from '../paths';
import type { PictureOptions, PictureService } from '../pictures/service';
import type { PreferencesService } from '../preferences/service';
import type { Access, ProfilesService } from '../profiles/service';
import type { Gate, TransferHooks, TransferService } from '../transfer/service';
import type { HistoryService } from '../history/service';

export type { HandlerContext, Handlers };

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
  /**
   * The dialogs that pick files and folders, and the file manager (the Electron shell's, or the
   * e2e host's queue); none in the CLI, whose paths come from the command line.
   */
  desktop?: DesktopHost;
  /** Backup engine options (gzip level, size guard). */
  backup?: BackupServiceOptions;
  /**
   * The catalogue snapshot that ships with the app (resources/catalog). When given, a writable
   * core loads it in the background on start if the database does not hold it yet.
   */
  catalogDir?: string;
  /** Only remember catalogDir (the CLI loads it itself, when a command needs the catalogue). */
  catalogLoad?: 'background' | 'manual';
  /** Undo and redo of operations touching more lots than this run in a worker (tests lower it). */
  historyWorkerMinLots?: number;
  /** What this process is, for the inter-process lock (e.g. `app`, `cli`). */
  processKind?: string;
  /**
   * Open the database read-only (commands that only read): no start-up writes at all (no
   * migration, no default rows, no clean-up of backup temp files), and every write is refused
   * with `read-only`. A database that needs one of those writes first (missing, older schema,
   * no profile yet) is refused with `read-only` at start: open it writable once.
   */
  readOnly?: boolean;
  /**
   * Where pictures are downloaded from and how (timeouts, retries, size cap). The app uses the
   * defaults (Rebrickable's CDN); tests point it at a server of their own. Never a contract input.
   */
  pictures?: PictureOptions;
  /** The TrueType font labels embed (default: resources/fonts/DejaVuSansCondensed.ttf). */
  labelFont?: string;
}

export type CoreHooks = TransferHooks;

/** What the app shell, the CLI and the test host get: the services, the handler map and `invoke`. */
export interface Core {
  readonly paths: ReturnType<typeof dataPaths>;
  readonly dataDir: string;
  readonly now: () => number;
  readonly log: Logger;
  readonly events: Events;
  readonly migrations: Migration[];
  readonly appVersion: string;
  /** The live connection (a restore replaces it). */
  readonly db: DbHandle;
  readonly prefs: PreferencesService;
  readonly profiles: ProfilesService;
  readonly inventory: InventoryService;
  /** Files the user picked, known to the renderer only by token. */
  readonly files: FileRegistry;
  readonly transfer: TransferService;
  readonly catalog: CatalogService;
  readonly history: HistoryService;
  readonly sets: SetsService;
  /** Hooks between services: createCore sets hooks.beforeImport to the before-import backup. */
  readonly hooks: CoreHooks;
  /** Held while an import's transaction is open: invoke answers `busy` to other calls. */
  readonly gate: Gate;
  readonly lastMigration: MigrateResult;
  /** null where there is no desktop (the CLI). */
  readonly desktop: DesktopHost | null;
  readonly backup: BackupService;
  /** Pictures of parts and sets: the cache, downloads and the picture scheme's handler. */
  readonly pictures: PictureService;
  readonly labels: LabelsService;
  /** Opened with `readOnly`: nothing is written to the database. */
  readonly readOnly: boolean;
  schemaVersion(): number;
  /** The acting profile and what it may do with `ownerId`'s inventory (default: its own). */
  access(ownerId?: number): Access;
  /**
   * Closes the connection, runs `swap` (replace the file), reopens and migrates. If anything
   * fails, `undo` puts the old file back and the old database is reopened before rethrowing.
   */
  reopen(opts?: { swap?: () => void; undo?: () => void }): MigrateResult;
  close(): void;
  handlers: Handlers;
  /** Validates `input` against the contract, runs the handler, and wraps the result. */
  invoke<K extends Channel>(channel: K, input: unknown, ctx?: HandlerContext): Promise<Result<Output<K>>>;
  invoke(channel: string, input: unknown, ctx?: HandlerContext): Promise<Result<unknown>>;
}
