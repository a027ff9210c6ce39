// Inter-process rules for the database file, honoured by the app and the CLI alike (both open
// the database through createCore):
//  - every process that has the database open keeps `<data dir>/locks/open-<pid>` while it does;
//  - a restore takes `<data dir>/locks/restore` (created exclusively, holding its pid) and is
//    refused while any other live process has an open-<pid> file;
//  - a process does not open the database while another live process holds the restore lock.
// Files of processes that died (a crash, SIGKILL) are recognised by their pid and ignored.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { isAlive } from './names';

export const locksDir = (dataDir: string) => path.join(dataDir, 'locks');
const openFile = (dataDir: string, pid = process.pid) => path.join(locksDir(dataDir), `open-${pid}`);
const restoreFile = (dataDir: string) => path.join(locksDir(dataDir), 'restore');

interface LockInfo {
  pid: number;
  host: string;
  kind: string;
  since: number;
}

function readLock(file: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : null;
  } catch {
    return null;
  }
}

/** A lock held by a live process on this computer (locks from another host count as live). */
function live(info: LockInfo | null): boolean {
  if (!info) return false;
  if (info.host !== hostname()) return true;
  return isAlive(info.pid);
}

/** Throws `busy` when another process is restoring the database right now. */
export function assertNoRestoreRunning(dataDir: string): void {
  const info = readLock(restoreFile(dataDir));
  if (info && info.pid !== process.pid && live(info)) {
    throw new AppError(
      'busy',
      `Another BlockShelf process (pid ${info.pid}) is restoring the database. Try again when it has finished.`,
    );
  }
}

/** Marks this process as holding the database open; returns the release function. */
export function registerOpen(dataDir: string, kind: string): () => void {
  mkdirSync(locksDir(dataDir), { recursive: true });
  const file = openFile(dataDir);
  writeFileSync(file, JSON.stringify({ pid: process.pid, host: hostname(), kind, since: Date.now() } satisfies LockInfo));
  return () => rmSync(file, { force: true });
}

/** Other live processes that have the database open (stale files of dead ones are removed). */
export function otherHolders(dataDir: string): LockInfo[] {
  let names: string[];
  try {
    names = readdirSync(locksDir(dataDir));
  } catch {
    return [];
  }
  const out: LockInfo[] = [];
  for (const n of names) {
    const m = /^open-(\d+)$/.exec(n);
    if (!m || Number(m[1]) === process.pid) continue;
    const file = path.join(locksDir(dataDir), n);
    const info = readLock(file);
    if (live(info)) out.push(info!);
    else if (info && info.host === hostname()) rmSync(file, { force: true });
  }
  return out;
}

/**
 * Takes the restore lock, refusing (`busy`) while another live process has the database open
 * or is restoring. Returns the release function.
 */
export function acquireRestoreLock(dataDir: string): () => void {
  mkdirSync(locksDir(dataDir), { recursive: true });
  const file = restoreFile(dataDir);
  const body = JSON.stringify({ pid: process.pid, host: hostname(), kind: 'restore', since: Date.now() } satisfies LockInfo);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, body, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const info = readLock(file);
      if (live(info) && info!.pid !== process.pid) {
        throw new AppError('busy', `Another BlockShelf process (pid ${info!.pid}) is restoring the database.`);
      }
      rmSync(file, { force: true });
      if (attempt === 1) throw new AppError('busy', 'The restore lock could not be taken.');
    }
  }
  const holders = otherHolders(dataDir);
  if (holders.length) {
    rmSync(file, { force: true });
    const who = holders.map((h) => `${h.kind} (pid ${h.pid})`).join(', ');
    throw new AppError('busy', `The database is open in another BlockShelf program: ${who}. Close it, then restore.`, {
      details: { step: 'lock', holders: holders.map((h) => h.pid) },
    });
  }
  return () => rmSync(file, { force: true });
}
