// Handlers of the desktop area: the backup folder dialog and showing folders.
import { mkdirSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import type { CoreContext, Handlers } from '../core';

type DesktopKeys = 'desktop.pickBackupFolder' | 'desktop.openFolder';

export function desktopHandlers(core: CoreContext): Pick<Handlers, DesktopKeys> {
  const backupFolder = () => core.prefs.getConfig().backupDir ?? core.paths.backups;
  return {
    // The folder stays in main; the renderer gets a token to pass to config.set.
    'desktop.pickBackupFolder': async () => {
      if (!core.desktop) throw new AppError('forbidden', 'File dialogs are only available in the desktop app.');
      const folder = await core.desktop.chooseFolder({ title: 'Choose the backup folder', defaultPath: backupFolder() });
      return folder ? core.files.register(folder, 'folder') : null;
    },
    'desktop.openFolder': async ({ which }) => {
      const folder = which === 'data' ? core.dataDir : which === 'logs' ? core.paths.logs : backupFolder();
      mkdirSync(folder, { recursive: true });
      return { opened: core.desktop ? await core.desktop.openPath(folder) : false, folder };
    },
  };
}
