// The application menu. File-menu items, and Undo / Redo (named after the operation they would
// step), reach the renderer as `menu.command` events; the rest are roles (Edit), view actions (theme, zoom, reload in development) and Help actions done in
// main (open the data folder or the log file). The template is built by a pure function so
// that tests can check every item without Electron.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/contract';
import type { Theme } from '../../shared/types';

export interface MenuActions {
  /** Sends a command to the renderer (a `menu.command` event). */
  command(command: MenuCommand): void;
  setTheme(theme: Theme): void;
  openBackupsFolder(): void;
  openDataFolder(): void;
  openLogFile(): void;
  quit(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  isDev: boolean;
  theme: Theme;
  appName?: string;
  /** The names of what Undo and Redo would step now (history.state), null when nothing. */
  history?: { undo: string | null; redo: string | null };
}

/** A menu label for an operation's name: bounded, and `&` shown as itself. */
export function stepLabel(verb: 'Undo' | 'Redo', name: string | null): string {
  if (!name) return verb;
  const short = name.length > 48 ? `${name.slice(0, 47)}…` : name;
  return `${verb} ${short.replace(/&/g, '&&')}`;
}

export function menuTemplate(actions: MenuActions, opts: MenuOptions): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin';
  const name = opts.appName ?? 'BlockShelf';
  const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    id: `command:${command}`,
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => actions.command(command),
  });
  const themeItem = (label: string, theme: Theme): MenuItemConstructorOptions => ({
    id: `theme:${theme}`,
    label,
    type: 'radio',
    checked: opts.theme === theme,
    click: () => actions.setTheme(theme),
  });

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      cmd('New Item', 'item.new', 'CmdOrCtrl+N'),
      { type: 'separator' },
      cmd('Import…', 'import.open', 'CmdOrCtrl+I'),
      cmd('Export…', 'export.open', 'CmdOrCtrl+E'),
      cmd('Can I Build…', 'sets.canBuild'),
      { type: 'separator' },
      cmd('Backup Now', 'backup.now', 'CmdOrCtrl+B'),
      cmd('Backups && Restore…', 'backups.open', 'CmdOrCtrl+Shift+B'),
      cmd('Restore from File…', 'restore.fromFile'),
      { id: 'open-backups-folder', label: 'Open Backups Folder', click: () => actions.openBackupsFolder() },
      ...(mac
        ? []
        : ([
            { type: 'separator' },
            cmd('Settings…', 'settings.open', 'CmdOrCtrl+,'),
            { type: 'separator' },
            { id: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
          ] satisfies MenuItemConstructorOptions[])),
    ],
  };

  // Undo and Redo step the journal (or a text field's own undo, when one has the focus: the
  // renderer decides). The keys are handled in the page, so the accelerators are only shown.
  const step = (verb: 'Undo' | 'Redo', command: MenuCommand, accelerator: string): MenuItemConstructorOptions => ({
    id: `command:${command}`,
    label: stepLabel(verb, (verb === 'Undo' ? opts.history?.undo : opts.history?.redo) ?? null),
    accelerator,
    registerAccelerator: false,
    click: () => actions.command(command),
  });
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      step('Undo', 'edit.undo', 'CmdOrCtrl+Z'),
      step('Redo', 'edit.redo', mac ? 'Shift+Cmd+Z' : 'Ctrl+Y'),
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      {
        id: 'theme',
        label: 'Theme',
        submenu: [themeItem('Light', 'light'), themeItem('Dark', 'dark'), themeItem('Same as the System', 'system')],
      },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(opts.isDev
        ? ([
            { type: 'separator' },
            { role: 'reload' },
            { role: 'forceReload' },
            { role: 'toggleDevTools' },
          ] satisfies MenuItemConstructorOptions[])
        : []),
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      ...(mac ? [] : [cmd(`About ${name}`, 'about.open')]),
      { id: 'open-data-folder', label: 'Open Data Folder', click: () => actions.openDataFolder() },
      { id: 'open-log-file', label: 'Open Log File', click: () => actions.openLogFile() },
    ],
  };

  const appMenu: MenuItemConstructorOptions = {
    label: name,
    submenu: [
      cmd(`About ${name}`, 'about.open'),
      { type: 'separator' },
      cmd('Settings…', 'settings.open', 'Cmd+,'),
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { id: 'quit', label: `Quit ${name}`, accelerator: 'Cmd+Q', click: () => actions.quit() },
    ],
  };

  return mac ? [appMenu, file, edit, view, { role: 'windowMenu' }, help] : [file, edit, view, help];
}
