// Handlers of the desktop area: the backup folder dialog and showing folders.
import { mkdirSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import type { DesktopHost } from '../desktop';
import type { FileRegistry } from '../files';
import type { PreferencesService } from '../preferences/service';
import type { Handlers } from './types';

type DesktopKeys = 'desktop.pickBackupFolder' | 'desktop.openFolder';

export interface DesktopServices {
  readonly desktop: DesktopHost | null;
  readonly files: FileRegistry;
  readonly prefs: PreferencesService;
  readonly paths: { dataDir: string; logs: string; backups: string };
}

export function desktopHandlers(s: DesktopServices): Pick<Handlers, DesktopKeys> {
  const backupFolder = () => s.prefs.getConfig().backupDir ?? s.paths.backups;
  return {
    // The folder stays in main; the renderer gets a token to pass to config.set.
    'desktop.pickBackupFolder': async () => {
      if (!s.desktop) throw new AppError('forbidden', 'File dialogs are only available in the desktop app.');
      const folder = await s.desktop.chooseFolder({ title: 'Choose the backup folder', defaultPath: backupFolder() });
      return folder ? s.files.register(folder, 'folder') : null;
    },
    'desktop.openFolder': async ({ which }) => {
      const folder = which === 'data' ? s.paths.dataDir : which === 'logs' ? s.paths.logs : backupFolder();
      mkdirSync(folder, { recursive: true });
      return { opened: s.desktop ? await s.desktop.openPath(folder) : false, folder };
    },
  };
}
