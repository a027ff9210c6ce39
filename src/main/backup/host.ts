// What the backup engine's modules share: what it needs of the core, its options, and the
// sources a verify or restore may name.
import type { DbHandle } from '../db/open';
import type { Migration } from '../db/migrate';
import type { Events } from '../events';
import type { Logger } from '../log';
import type { PreferencesService } from '../preferences/service';

/** What the backup service needs of the core (the composition root builds it). */
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
  /** Milliseconds between scheduler ticks (wall-clock checks). */
  tickMs?: number;
}

export interface RunOptions {
  signal?: AbortSignal | undefined;
}

/** A backup from the list, or a file: a picked file's token is resolved to its path by the handler. */
export type Source = { backupId: string } | { path: string };

export const HOUR = 3_600_000;
