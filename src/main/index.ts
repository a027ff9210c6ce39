// Electron composition root: everything here is Electron glue around the plain-Node core.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MenuCommand } from '../shared/contract';
import type { Theme } from '../shared/types';
import { createCore, type Core } from './core';
import { defaultCatalogDir } from './paths';
import { electronDesktop } from './electron/desktop-host';
import { claimSingleInstance } from './electron/instance';
import { forwardEvents, registerIpc } from './electron/ipc';
import { menuTemplate } from './electron/menu';
import { devNativeBinding } from './electron/native';
import { installQuitGuard } from './electron/quit';
import { handlePictures, printPdfWindow, registerPictureScheme } from './electron/pictures';
import { isAppUrl, lockDownContents } from './electron/security';
import { applyNativeTheme } from './electron/theme';
import { createMainWindow } from './electron/window';

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = path.join(here, '../renderer/index.html');
const preloadPath = path.join(here, '../preload/index.cjs');
const isDev = !app.isPackaged;

let core: Core | null = null;
let win: BrowserWindow | null = null;

// The picture scheme must be known before the app is ready.
registerPictureScheme(protocol);

if (claimSingleInstance(app, () => win)) {
  if (process.env.BLOCKSHELF_DATA_DIR) app.setPath('userData', path.resolve(process.env.BLOCKSHELF_DATA_DIR));

  void app.whenReady().then(() => {
    const nativeBinding = devNativeBinding({
      isPackaged: app.isPackaged,
      appRoot: app.getAppPath(),
      electronVersion: process.versions.electron ?? '',
    });
    const desktop = electronDesktop({
      dialog,
      shell,
      window: () => win,
      printPdf: printPdfWindow({
        create: (o) => new BrowserWindow(o),
        lockDown: (contents) => lockDownContents(contents, (url) => void shell.openExternal(url)),
      }),
    });
    try {
      core = createCore({
        dataDir: app.getPath('userData'),
        appVersion: app.getVersion(),
        desktop,
        ...(app.isPackaged ? { migrationsDir: path.join(process.resourcesPath, 'drizzle') } : {}),
        // The shipped catalogue, loaded in the background on first start.
        ...catalogDirOf(app.isPackaged),
        ...(nativeBinding ? { nativeBinding } : {}),
        processKind: 'the BlockShelf app',
      });
    } catch (e) {
      dialog.showErrorBox('BlockShelf cannot open its database', e instanceof Error ? e.message : String(e));
      app.exit(1);
      return;
    }
    const activeCore = core;
    const log = activeCore.log;
    handlePictures(protocol, (pathname) => activeCore.pictures.respond(pathname));
    process.on('uncaughtException', (e) => log.error('uncaught exception in the main process', e));
    process.on('unhandledRejection', (e) => log.error('unhandled rejection in the main process', e));
    log.info(`BlockShelf ${app.getVersion()} started (Electron ${process.versions.electron ?? '?'})`);

    const currentTheme = (): Theme => activeCore.prefs.get(activeCore.profiles.current().id).theme;
    const send = (command: MenuCommand) => activeCore.events.emit('menu.command', { command });
    const openFolder = (folder: string) =>
      void shell.openPath(folder).then((err) => err && log.warn(`could not open ${folder}: ${err}`));
    const installMenu = () =>
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          menuTemplate(
            {
              command: send,
              setTheme: (theme) => {
                activeCore.prefs.set(activeCore.profiles.current().id, { theme });
                themeChanged();
                activeCore.events.emit('data.changed', { ownerId: null, reason: 'preferences' });
              },
              openBackupsFolder: () => openFolder(activeCore.prefs.getConfig().backupDir ?? activeCore.paths.backups),
              openDataFolder: () => openFolder(activeCore.dataDir),
              openLogFile: () => openFolder(activeCore.paths.logFile),
              quit: () => app.quit(),
            },
            { platform: process.platform, isDev, theme: currentTheme(), history: historyNames() },
          ),
        ),
      );
    // Undo / Redo name the operation they would step: the menu follows every change of data.
    const historyNames = () => {
      try {
        const st = activeCore.history.state();
        return { undo: st.undo?.label ?? null, redo: st.redo?.label ?? null };
      } catch {
        return { undo: null, redo: null };
      }
    };
    // (After the change's transaction: data.changed can be emitted inside it.)
    let menuTimer: NodeJS.Timeout | null = null;
    activeCore.events.on('data.changed', () => {
      menuTimer ??= setTimeout(() => {
        menuTimer = null;
        installMenu();
      }, 0);
    });
    const themeChanged = () => {
      applyNativeTheme(nativeTheme, currentTheme());
      installMenu();
    };
    themeChanged();

    registerIpc({
      ipcMain,
      core: () => activeCore,
      isTrustedFrame: (url) =>
        isAppUrl(url, { file: pathToFileURL(rendererFile).href, ...(devServerUrl ? { devServer: devServerUrl } : {}) }),
      onResult: (channel, result) => {
        if (result.ok && (channel === 'preferences.set' || channel === 'profiles.switch' || channel === 'backup.restore')) {
          themeChanged();
        }
      },
    });
    win = createMainWindow({
      preloadPath,
      rendererFile,
      stateFile: path.join(activeCore.dataDir, 'window-state.json'),
      ...(devServerUrl ? { devServerUrl } : {}),
    });
    forwardEvents(activeCore, () => win?.webContents ?? null);
    win.on('closed', () => {
      win = null;
    });
    // Start-up backup (when the data changed since the newest one) and the wall-clock timer.
    activeCore.backup.startScheduler();

    installQuitGuard(app, {
      drain: () => finishBackups(activeCore),
      close: () => {
        activeCore.close();
        core = null;
        log.info('BlockShelf closed the database and quit');
      },
      log: (m, e) => log.error(m, e),
    });
  });

  app.on('window-all-closed', () => app.quit());
}

/**
 * On quit: stop the timer and cancel a running backup (it leaves no partial file), then wait
 * for the engine to be idle; a restore that is swapping files is let finish.
 */
async function finishBackups(c: Core, timeoutMs = 120_000): Promise<void> {
  c.backup.shutdown();
  const until = Date.now() + timeoutMs;
  while (c.backup.isRunning() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (c.backup.isRunning()) c.log.warn('quitting while a backup job still runs');
}

function catalogDirOf(packaged: boolean): { catalogDir?: string } {
  const dir = packaged ? path.join(process.resourcesPath, 'resources', 'catalog') : defaultCatalogDir();
  return dir ? { catalogDir: dir } : {};
}
