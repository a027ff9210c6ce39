// The record of one backup: the manifest written beside each `.db.gz` (by the engine and by the
// pre-migration backup alike), read back in one place, and the one integrity verdict that every
// check of a database copy goes by.
import { readFile } from 'node:fs/promises';
import type { BackupReason } from '../../shared/contract/backup';
import { MANIFEST_SUFFIX } from './names';

export const MANIFEST_FORMAT = 'blockshelf-backup';

/**
 * What a backup file holds. 'full': the whole database (version 1 manifests, and plain .db
 * files). 'compact': the data without what the migrations can rebuild from it (indexes, the
 * search index, the maintained aggregates; see compact.ts); a restore rebuilds them.
 */
export type BackupLayout = 'full' | 'compact';

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** 1: a full backup; 2: `layout` says which, and `rows` holds the row counts of the data tables. */
  version: 1 | 2;
  layout?: BackupLayout;
  /** Rows of each data table in the backed-up snapshot (version 2). */
  rows?: Record<string, number>;
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

/** What a checked copy of the database tells the manifest (the rest is fixed by the format). */
export type ManifestFacts = Omit<Manifest, 'format' | 'version' | 'layout' | 'rows' | 'lots' | 'profiles' | 'integrity'> & {
  lots: number | null;
  profiles: number | null;
  /** A compact backup, with the row counts of its data tables (a full one when absent). */
  compact?: { rows: Record<string, number> } | undefined;
};

export function buildManifest({ compact, lots, profiles, ...facts }: ManifestFacts): Manifest {
  return {
    format: MANIFEST_FORMAT,
    version: compact ? 2 : 1,
    ...(compact ? { layout: 'compact' as const, rows: compact.rows } : {}),
    ...facts,
    lots: lots ?? 0,
    profiles: profiles ?? 0,
    integrity: 'ok',
  };
}

export function manifestText(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** The manifest beside `file`, or null when there is none or it is not one of ours. */
export async function readManifest(file: string): Promise<Manifest | null> {
  try {
    const m = JSON.parse(await readFile(`${file}${MANIFEST_SUFFIX}`, 'utf8')) as Manifest;
    return m && m.format === MANIFEST_FORMAT && typeof m.sha256 === 'string' ? m : null;
  } catch {
    return null;
  }
}

/** The integrity verdict: null when `PRAGMA integrity_check` said ok, else its first `n` findings. */
export function integrityProblems(integrity: string[], n = 3): string | null {
  return integrity.length === 1 && integrity[0] === 'ok' ? null : integrity.slice(0, n).join('; ');
}
