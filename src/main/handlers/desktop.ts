// Handlers of the desktop area: the backup folder dialog and showing folders.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import type { CoreContext, Handlers } from '../core';

type DesktopKeys = 'desktop.chooseBackupFolder' | 'desktop.openFolder';

export function desktopHandlers(core: CoreContext): Pick<Handlers, DesktopKeys> {
  const backupFolder = () => core.prefs.getConfig().backupDir ?? core.paths.backups;
  return {
    'desktop.chooseBackupFolder': async () => {
      const folder = await core.desktop.chooseFolder({ title: 'Choose the backup folder', defaultPath: backupFolder() });
      if (!folder) return null;
      try {
        mkdirSync(folder, { recursive: true });
        accessSync(folder, constants.W_OK);
      } catch (e) {
        throw new AppError('no-permission', `BlockShelf cannot write to ${folder}.`, { cause: e });
      }
      const config = core.prefs.setConfig({ backupDir: folder });
      core.log.info(`backup folder set to ${folder}`);
      core.events.emit('backups.changed', { reason: 'folder' });
      return { folder, config };
    },
    'desktop.openFolder': async ({ which }) => {
      const folder = which === 'data' ? core.dataDir : which === 'logs' ? core.paths.logs : backupFolder();
      mkdirSync(folder, { recursive: true });
      return { opened: await core.desktop.openPath(folder), folder };
    },
  };
}
