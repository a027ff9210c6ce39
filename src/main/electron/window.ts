// The one main window, with secure defaults.
import { BrowserWindow, shell } from 'electron';
import path from 'node:path';
import { lockDownContents, secureWebPreferences } from './security';

export interface WindowOptions {
  preloadPath: string;
  rendererFile: string;
  devServerUrl?: string;
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'BlockShelf',
    webPreferences: secureWebPreferences(opts.preloadPath),
  });
  lockDownContents(win.webContents, (url) => void shell.openExternal(url));
  win.once('ready-to-show', () => win.show());
  if (opts.devServerUrl) void win.loadURL(opts.devServerUrl);
  else void win.loadFile(path.resolve(opts.rendererFile));
  return win;
}
