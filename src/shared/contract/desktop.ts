// Desktop integration the renderer may ask for: choosing the backup folder in a native dialog
// (main keeps the picked path and hands out a token for `config.set`; the renderer never sends a
// path) and opening the data, backups or log folder in the system file manager.
import { z } from 'zod';
import { out } from './common';
import type { FileRef } from './transfer';

export const OPENABLE = ['data', 'backups', 'logs'] as const;

export const desktopContract = {
  /**
   * Native folder dialog for the backup folder: a token for `config.set {backupFolder}`, or null
   * when cancelled. Picking alone changes nothing.
   */
  'desktop.pickBackupFolder': {
    input: z.strictObject({}),
    output: out<FileRef | null>(),
  },
  /** Shows the data, backups or log folder in the system file manager. */
  'desktop.openFolder': {
    input: z.strictObject({ which: z.enum(OPENABLE) }),
    output: out<{ opened: boolean; folder: string }>(),
  },
} as const;
