// The one main window, with secure defaults, remembered size and position, and a background
// colour matching the theme (no white flash in dark mode).
import { BrowserWindow, nativeTheme, screen, shell } from 'electron';
import path from 'node:path';
import { lockDownContents, secureWebPreferences } from './security';
import { loadWindowState, MIN_SIZE, saveWindowState, type WindowState } from './window-state';

export interface WindowOptions {
  preloadPath: string;
  rendererFile: string;
  devServerUrl?: string;
  /** Where the window's size and position are kept. */
  stateFile: string;
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const state = loadWindowState(
    opts.stateFile,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'BlockShelf',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15181d' : '#f6f7f9',
    webPreferences: secureWebPreferences(opts.preloadPath),
  });
  if (state.maximized) win.maximize();
  trackWindowState(win, opts.stateFile);
  lockDownContents(win.webContents, (url) => void shell.openExternal(url));
  win.once('ready-to-show', () => win.show());
  if (opts.devServerUrl) void win.loadURL(opts.devServerUrl);
  else void win.loadFile(path.resolve(opts.rendererFile));
  return win;
}

/** Saves the normal (not maximised) bounds shortly after a move or resize, and on close. */
export function trackWindowState(
  win: Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized' | 'isDestroyed'>,
  file: string,
  save: (file: string, s: WindowState) => void = saveWindowState,
): void {
  let timer: NodeJS.Timeout | null = null;
  const snapshot = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    save(file, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(snapshot, 400);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', snapshot);
  win.on('unmaximize', snapshot);
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    snapshot();
  });
}
