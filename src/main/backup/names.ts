// Backup file names: `blockshelf-<UTC time>-<reason>.db.gz`, which sort by time as text and say
// why they were made, with a manifest `<name>.json` beside each. Temporary files carry the pid
// of the process writing them, so a start-up clean-up removes only those of dead processes.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BACKUP_REASONS, type BackupReason } from '../../shared/contract/backup';

export const BACKUP_RE = new RegExp(
  `^blockshelf-(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2})-(\\d{2})-(\\d{2})-(\\d{3})Z-(${BACKUP_REASONS.join('|')})\\.db\\.gz$`,
);
// A temporary database may have SQLite's -wal, -shm or -journal beside it (a copy that failed midway).
export const TEMP_RE = /^\.blockshelf-(\d+)-[0-9a-f]+\.(?:db|gz|json|zip|csv)\.tmp(?:-wal|-shm|-journal)?$/;
export const MANIFEST_SUFFIX = '.json';

export function backupName(at: number, reason: BackupReason): string {
  const iso = new Date(at).toISOString(); // 2026-11-27T21:30:00.000Z
  return `blockshelf-${iso.replace(/[:.]/g, '-')}-${reason}.db.gz`;
}

/** The first free name at or after `at` in `dir` (two backups in one millisecond get 1 ms apart). */
export function freeBackupName(dir: string, at: number, reason: BackupReason): { name: string; at: number } {
  let name = backupName(at, reason);
  while (existsSync(path.join(dir, name))) name = backupName(++at, reason);
  return { name, at };
}

export function parseBackupName(name: string): { createdAt: number; reason: BackupReason } | null {
  const m = BACKUP_RE.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms, reason] = m;
  const createdAt = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, +ms!);
  if (Number.isNaN(createdAt)) return null;
  return { createdAt, reason: reason as BackupReason };
}

export function tempName(ext: 'db' | 'gz' | 'json' | 'zip' | 'csv'): string {
  const rand = Math.floor(Math.random() * 0xffffffff).toString(16);
  return `.blockshelf-${process.pid}-${rand}.${ext}.tmp`;
}

export function tempOwnerPid(name: string): number | null {
  const m = TEMP_RE.exec(name);
  return m ? Number(m[1]) : null;
}

export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
