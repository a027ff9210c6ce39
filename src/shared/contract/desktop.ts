// Desktop integration the renderer may ask for: choosing the backup folder in a native dialog
// (main stores the picked path itself; the renderer never sends a path) and opening the data,
// backups or log folder in the system file manager.
import { z } from 'zod';
import type { AppConfig } from '../types';
import { out } from './common';

export const OPENABLE = ['data', 'backups', 'logs'] as const;

export const desktopContract = {
  /** Native folder dialog; the chosen folder becomes the backup folder. null when cancelled. */
  'desktop.chooseBackupFolder': {
    input: z.strictObject({}),
    output: out<{ folder: string; config: AppConfig } | null>(),
  },
  /** Shows the data, backups or log folder in the system file manager. */
  'desktop.openFolder': {
    input: z.strictObject({ which: z.enum(OPENABLE) }),
    output: out<{ opened: boolean; folder: string }>(),
  },
} as const;
