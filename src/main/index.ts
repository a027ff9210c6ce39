// Electron composition root: everything here is Electron glue around the plain-Node core.
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCore, type Core } from './core';
import { backupFilePicker } from './electron/backup-dialogs';
import { electronFilePicker } from './electron/dialogs';
import { devNativeBinding } from './electron/native';
import { forwardEvents, registerIpc } from './electron/ipc';
import { isAppUrl } from './electron/security';
import { createMainWindow } from './electron/window';

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = path.join(here, '../renderer/index.html');
const preloadPath = path.join(here, '../preload/index.cjs');

let core: Core | null = null;
let win: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  void app.whenReady().then(() => {
    const nativeBinding = devNativeBinding({
      isPackaged: app.isPackaged,
      appRoot: app.getAppPath(),
      electronVersion: process.versions.electron ?? '',
    });
    core = createCore({
      dataDir: app.getPath('userData'),
      appVersion: app.getVersion(),
      ...(app.isPackaged ? { migrationsDir: path.join(process.resourcesPath, 'drizzle') } : {}),
      ...(nativeBinding ? { nativeBinding } : {}),
      processKind: 'the BlockShelf app',
      backup: { pickFile: backupFilePicker(() => win) },
    });
    const activeCore = core;
    registerIpc({
      ipcMain,
      core: () => activeCore,
      isTrustedFrame: (url) =>
        isAppUrl(url, { file: pathToFileURL(rendererFile).href, ...(devServerUrl ? { devServer: devServerUrl } : {}) }),
    });
    win = createMainWindow({ preloadPath, rendererFile, ...(devServerUrl ? { devServerUrl } : {}) });
    forwardEvents(activeCore, () => win?.webContents ?? null);
    activeCore.files.setPicker(electronFilePicker(dialog, () => win));
    win.on('closed', () => {
      win = null;
    });
    // Start-up backup (when the data changed since the newest one) and the wall-clock timer.
    activeCore.backup.startScheduler();
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    core?.close();
    core = null;
  });
}
