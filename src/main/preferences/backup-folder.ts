// Setting the backup folder: one path for every surface. The app's renderer reaches it only with
// a folder the native dialog chose (a token, see config.set); the CLI with the path typed at the
// terminal. The folder must exist (or be creatable) and be writable before it is stored.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { AppConfig } from '../../shared/types';
import type { Events } from '../events';
import type { Logger } from '../log';
import type { PreferencesService } from './service';

/**
 * Creates `abs` and any missing parents one level at a time. (A recursive mkdir can loop for
 * ever on pseudo file systems such as /proc, where a folder that cannot be made reads as missing.)
 */
function makeFolder(abs: string): void {
  const missing: string[] = [];
  let dir = abs;
  while (!existsSync(dir)) {
    missing.unshift(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of missing) mkdirSync(d);
}

/** Checks a folder for backups; returns its absolute path. */
export function checkBackupFolder(folder: string): string {
  const abs = path.resolve(folder);
  try {
    makeFolder(abs);
    if (!statSync(abs).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(abs, constants.W_OK);
  } catch (e) {
    throw new AppError('no-permission', `BlockShelf cannot write backups to ${abs}.`, { cause: e, details: { file: abs } });
  }
  return abs;
}

/**
 * Stores the backup folder (null: the default `<data dir>/backups`) together with any other
 * config changes, in one write.
 */
export function setBackupFolder(
  core: { prefs: PreferencesService; log: Logger; events: Events },
  folder: string | null,
  rest: Partial<Omit<AppConfig, 'backupDir'>> = {},
): AppConfig {
  const backupDir = folder === null ? null : checkBackupFolder(folder);
  const config = core.prefs.setConfig({ ...rest, backupDir });
  core.log.info(`backup folder set to ${backupDir ?? 'the default folder'}`);
  core.events.emit('backups.changed', { reason: 'folder' });
  return config;
}
