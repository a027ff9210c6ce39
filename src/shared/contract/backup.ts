// Backups and restore: what the Backups & Restore dialog (and the CLI) can ask of the backup
// engine in the main process. The renderer never passes a file path: a backup is named by its
// id from `backup.list`, and any other file (a backup to restore from, an archive to write) by a
// token that the main process handed out after the user picked it in a native dialog
// (`backup.pickFile`). Progress arrives as `backup.progress` events, list changes as
// `backups.changed`.
import { z } from 'zod';
import { fileToken, out } from './common';

/** Why a backup was made; part of its file name. */
export const BACKUP_REASONS = ['manual', 'startup', 'timer', 'pre-restore', 'pre-migration', 'before-import'] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];
/** The reasons a caller may give `backup.create`; the others belong to the engine itself. */
export const CREATE_REASONS = ['manual', 'before-import'] as const satisfies readonly BackupReason[];

/** Phases reported by `backup.progress` (percent is 0-100 over the whole job). */
export const BACKUP_PHASES = [
  'copy', // online copy of the live database
  'check', // integrity and foreign-key check of the copy
  'compress', // gzip
  'finish', // fsync, rename, manifest, rotation
  'verify', // restore: reading and checking the chosen file
  'pre-restore', // restore: backing up the current database first
  'swap', // restore: replacing the database file and reopening it
  'archive', // portable archive
  'done',
  'failed',
  'cancelled',
] as const;
export type BackupPhase = (typeof BACKUP_PHASES)[number];

/** One verified backup in the backup folder. */
export interface BackupEntry {
  /** The file name, e.g. `blockshelf-2026-11-27T21-30-00-000Z-manual.db.gz`; the id used by every call. */
  id: string;
  /** Full path, for display ("Show in folder"). */
  file: string;
  /** When the snapshot was taken (ms since the epoch, UTC). */
  createdAt: number;
  reason: BackupReason;
  /** Size of the .gz file in bytes. */
  sizeBytes: number;
  /** Size of the database inside, uncompressed. */
  dbBytes: number;
  lots: number;
  profiles: number;
  schemaVersion: number;
  appVersion: string;
  sha256: string;
  /**
   * Passed integrity and foreign-key checks when it was made, and the file's sha256 still matches
   * its manifest (checked when listed; the result is kept while the file's size and time stay the same).
   */
  verified: boolean;
  /**
   * What `verified` rests on: `checksum` (the sha256 matched), or why it is not verified: no
   * manifest beside the file, its size differs from the manifest, or its checksum does.
   */
  check: 'checksum' | 'no-manifest' | 'size-differs' | 'checksum-differs';
  /** When the file's checksum was last compared with its manifest (ms since the epoch), null if it was not. */
  checkedAt: number | null;
}

export interface RotationPolicy {
  keepRecentHours: number;
  keepRecentMax: number;
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
}

export interface BackupJob {
  /** Job id, the same as in `backup.progress` events. */
  id: string;
  kind: 'backup' | 'restore' | 'archive';
  reason: BackupReason | null;
  phase: BackupPhase;
  percent: number;
  startedAt: number;
}

export interface BackupStatus {
  /** The folder backups are written to. */
  folder: string;
  /** true when the folder is the default `<data dir>/backups` (app_config.backup_dir is null). */
  folderIsDefault: boolean;
  /** Whether the folder exists and can be written. */
  folderWritable: boolean;
  /** The job running now, if any. */
  running: BackupJob | null;
  newest: BackupEntry | null;
  count: number;
  totalBytes: number;
  schedule: {
    auto: boolean;
    intervalHours: number;
    /** When the timer will next consider a backup (null: automatic backups are off or not running in this process). */
    nextAt: number | null;
    /** Whether the data differs from the newest backup (an automatic backup would be made). */
    changedSinceNewest: boolean;
  };
  policy: RotationPolicy;
  /** The last automatic backup that failed, until one succeeds. */
  lastError: { code: string; message: string; at: number; reason: BackupReason } | null;
}

/** What `backup.verify` found (it throws a coded error when the file is not a good backup). */
export interface VerifyReport {
  /** File name only (no folder). */
  name: string;
  format: 'gzip' | 'sqlite';
  fileBytes: number;
  dbBytes: number;
  schemaVersion: number;
  /** The schema version of this app; an older backup is migrated forward on restore. */
  appSchemaVersion: number;
  lots: number;
  profiles: number;
  /** From the manifest beside the file, when there is one. */
  manifest: { createdAt: number; reason: BackupReason; appVersion: string; sha256Matches: boolean } | null;
}

export interface RestoreResult {
  restoredFrom: string;
  /** The backup of the database as it was just before the restore. */
  preRestoreBackup: BackupEntry;
  schemaFrom: number;
  schemaTo: number;
  lots: number;
}

export interface PruneResult {
  dryRun: boolean;
  deleted: { id: string; createdAt: number; reason: BackupReason; why: string }[];
  kept: number;
}

export interface ArchiveResult {
  name: string;
  bytes: number;
  lots: number;
}

export interface PickedFile {
  token: string;
  /** File name only, for display. */
  name: string;
  bytes: number | null;
}

const backupId = z
  .string()
  .max(200)
  .regex(/^blockshelf-[0-9TZ-]+-[a-z-]+\.db\.gz$/, 'not a backup id from the list');

/** A backup from the list or a file the user picked (token from `backup.pickFile`). */
const SourceSchema = z.union([z.strictObject({ backupId }), z.strictObject({ fileToken })]);

export const backupContract = {
  /** Folder, running job, newest backup, schedule, policy, last automatic failure. */
  'backup.status': { input: z.strictObject({}), output: out<BackupStatus>() },
  /** Verified backups in the folder, newest first. */
  'backup.list': { input: z.strictObject({}), output: out<BackupEntry[]>() },
  /** Makes a backup now; joins the running one if a backup is already being made. */
  'backup.create': {
    input: z.strictObject({ reason: z.enum(CREATE_REASONS).optional() }),
    output: out<BackupEntry>(),
  },
  /** Cancels the running backup (a restore cannot be cancelled once it swaps files). */
  'backup.cancel': { input: z.strictObject({}), output: out<{ cancelled: boolean }>() },
  /** Same checks as a restore, without restoring. */
  'backup.verify': { input: SourceSchema, output: out<VerifyReport>() },
  /** Verifies, backs up the current database, swaps the file, reopens; emits data.changed. */
  'backup.restore': { input: SourceSchema, output: out<RestoreResult>() },
  /** Applies the rotation policy (dryRun: only says what would go). */
  'backup.prune': { input: z.strictObject({ dryRun: z.boolean().optional() }), output: out<PruneResult>() },
  /** Writes a portable .zip (database snapshot, inventory CSV, manifest) to a picked target. */
  'backup.archive': { input: z.strictObject({ fileToken }), output: out<ArchiveResult>() },
  /**
   * Opens a native file dialog in the main process: `restore` picks a .db.gz/.db to restore or
   * verify, `archive` picks where to save a .zip. null when the user cancelled.
   */
  'backup.pickFile': {
    input: z.strictObject({ purpose: z.enum(['restore', 'archive']) }),
    output: out<PickedFile | null>(),
  },
} as const;
