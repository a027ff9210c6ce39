// The desktop shell's logic with electron faked: menu commands, single instance, window
// state, the secure window, native dialogs, clean quit.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { cleanupTempDirs, makeCore, tempDir } from '../../helpers';

type FakeWin = InstanceType<typeof hoisted.FakeWindow>;
const hoisted = vi.hoisted(() => {
  const created: { opts: Record<string, unknown>; win: FakeWin }[] = [];
  class FakeWindow {
    handlers = new Map<string, ((...a: unknown[]) => void)[]>();
    contentsHandlers = new Map<string, (e: { preventDefault: () => void }) => void>();
    openHandler: ((d: { url: string }) => { action: string }) | null = null;
    loaded: string | null = null;
    maximized = false;
    webContents = {
      on: (n: string, h: (e: { preventDefault: () => void }) => void) => this.contentsHandlers.set(n, h),
      setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => {
        this.openHandler = h;
      },
    };
    constructor(opts: Record<string, unknown>) {
      created.push({ opts, win: this as unknown as FakeWin });
    }
    on(n: string, h: (...a: unknown[]) => void) {
      this.handlers.set(n, [...(this.handlers.get(n) ?? []), h]);
      return this;
    }
    once(n: string, h: (...a: unknown[]) => void) {
      return this.on(n, h);
    }
    emit(n: string) {
      for (const h of this.handlers.get(n) ?? []) h();
    }
    maximize() {
      this.maximized = true;
    }
    isMaximized() {
      return this.maximized;
    }
    isDestroyed() {
      return false;
    }
    getNormalBounds() {
      return { x: 40, y: 50, width: 1111, height: 777 };
    }
    loadFile(f: string) {
      this.loaded = f;
      return Promise.resolve();
    }
    loadURL(u: string) {
      this.loaded = u;
      return Promise.resolve();
    }
  }

  return { created, FakeWindow };
});
const { created } = hoisted;
vi.mock('electron', () => ({
  BrowserWindow: hoisted.FakeWindow,
  nativeTheme: { shouldUseDarkColors: false, themeSource: 'system' },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  shell: { openExternal: vi.fn() },
}));

import { MENU_COMMANDS, type MenuCommand } from '../../../src/shared/contract';
import { INVOKE_CHANNEL } from '../../../src/shared/ipc';
import { electronDesktop } from '../../../src/main/electron/desktop-host';
import { claimSingleInstance } from '../../../src/main/electron/instance';
import { registerIpc } from '../../../src/main/electron/ipc';
import { menuTemplate, stepLabel, type MenuActions } from '../../../src/main/electron/menu';
import { installQuitGuard } from '../../../src/main/electron/quit';
import { applyNativeTheme } from '../../../src/main/electron/theme';
import { createMainWindow } from '../../../src/main/electron/window';
import { DEFAULT_STATE, loadWindowState, saveWindowState } from '../../../src/main/electron/window-state';

afterEach(() => {
  cleanupTempDirs();
  created.length = 0;
});

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

function fakeActions() {
  const log: string[] = [];
  const actions: MenuActions = {
    command: (c) => log.push(`command:${c}`),
    setTheme: (t) => log.push(`theme:${t}`),
    openBackupsFolder: () => log.push('open:backups'),
    openDataFolder: () => log.push('open:data'),
    openLogFile: () => log.push('open:log'),
    quit: () => log.push('quit'),
  };
  return { actions, log };
}

const click = (item: MenuItemConstructorOptions) => (item.click as () => void)();

describe('application menu', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`every File-menu command reaches the renderer as its menu.command (${platform})`, () => {
      const { actions, log } = fakeActions();
      const items = flatten(menuTemplate(actions, { platform, isDev: false, theme: 'system' }));
      const byId = new Map(items.filter((i) => i.id).map((i) => [i.id!, i]));
      for (const command of MENU_COMMANDS) {
        const item = byId.get(`command:${command}`);
        expect(item, command).toBeDefined();
        log.length = 0;
        click(item!);
        expect(log).toEqual([`command:${command}`]);
      }
    });
  }

  it('names Undo and Redo after the operations a real core would step, with their accelerators', async () => {
    const core = makeCore();
    const created = await core.invoke('inventory.create', {
      lot: { partId: '3001', colorId: 4, quantityTotal: 12, storageLocation: 'Tom & Jerry' },
    });
    if (!created.ok || created.data.status === 'duplicate') throw new Error('not created');
    await core.invoke('inventory.update', { id: created.data.lot.id, patch: { quantityTotal: 20 } });
    await core.invoke('inventory.update', { id: created.data.lot.id, patch: { quantityUsed: 1 } });
    await core.invoke('history.undo', {});
    const st = core.history.state();
    core.close();
    const names = { undo: st.undo?.label ?? null, redo: st.redo?.label ?? null };
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const { actions, log } = fakeActions();
      const items = flatten(menuTemplate(actions, { platform, isDev: false, theme: 'system', history: names }));
      const undo = items.find((i) => i.id === 'command:edit.undo')!;
      const redo = items.find((i) => i.id === 'command:edit.redo')!;
      expect(undo.label).toBe('Undo Edit 3001 Red: total 12 → 20');
      expect(redo.label).toBe('Redo Edit 3001 Red: used 0 → 1');
      expect(undo.accelerator).toBe('CmdOrCtrl+Z');
      expect(redo.accelerator).toBe(platform === 'darwin' ? 'Shift+Cmd+Z' : 'Ctrl+Y');
      // The page handles the keys (a text field keeps its own undo): the menu only shows them.
      expect(undo.registerAccelerator).toBe(false);
      click(undo);
      click(redo);
      expect(log).toEqual(['command:edit.undo', 'command:edit.redo']);
    }
    const plain = flatten(menuTemplate(fakeActions().actions, { platform: 'linux', isDev: false, theme: 'system' }));
    expect(plain.find((i) => i.id === 'command:edit.undo')!.label).toBe('Undo');
    expect(stepLabel('Undo', 'Move 3001 Red: A & B → C')).toBe('Undo Move 3001 Red: A && B → C');
    expect(stepLabel('Redo', 'x'.repeat(80))).toBe(`Redo ${'x'.repeat(47)}…`);
  });

  it('has the File items in order with accelerators', () => {
    const { actions } = fakeActions();
    const [file] = menuTemplate(actions, { platform: 'linux', isDev: false, theme: 'system' });
    const labels = (file!.submenu as MenuItemConstructorOptions[]).filter((i) => i.type !== 'separator').map((i) => i.label);
    expect(labels).toEqual([
      'New Item',
      'Import…',
      'Export…',
      'Can I Build…',
      'Backup Now',
      'Backups && Restore…',
      'Restore from File…',
      'Open Backups Folder',
      'Settings…',
      'Quit',
    ]);
    const acc = (id: string) => flatten([file!]).find((i) => i.id === id)?.accelerator;
    expect(acc('command:item.new')).toBe('CmdOrCtrl+N');
    expect(acc('command:import.open')).toBe('CmdOrCtrl+I');
    expect(acc('command:export.open')).toBe('CmdOrCtrl+E');
    expect(acc('command:backup.now')).toBe('CmdOrCtrl+B');
    expect(acc('command:backups.open')).toBe('CmdOrCtrl+Shift+B');
    expect(acc('quit')).toBe('CmdOrCtrl+Q');
  });

  it('Open Backups Folder, Help items and Quit run their actions in main', () => {
    const { actions, log } = fakeActions();
    const items = flatten(menuTemplate(actions, { platform: 'linux', isDev: false, theme: 'system' }));
    for (const id of ['open-backups-folder', 'open-data-folder', 'open-log-file', 'quit']) click(items.find((i) => i.id === id)!);
    expect(log).toEqual(['open:backups', 'open:data', 'open:log', 'quit']);
  });

  it('Edit: Undo and Redo step the journal, the rest are the standard roles; View has theme, zoom, and reload only in development', () => {
    const { actions, log } = fakeActions();
    const prod = menuTemplate(actions, { platform: 'linux', isDev: false, theme: 'dark' });
    const edit = prod.find((m) => m.label === '&Edit')!;
    expect((edit.submenu as MenuItemConstructorOptions[]).map((i) => i.role).filter(Boolean)).toEqual([
      'cut',
      'copy',
      'paste',
      'delete',
      'selectAll',
    ]);
    const roles = flatten(prod).map((i) => i.role);
    expect(roles).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut']));
    expect(roles).not.toContain('reload');
    expect(flatten(menuTemplate(actions, { platform: 'linux', isDev: true, theme: 'dark' })).map((i) => i.role)).toContain(
      'reload',
    );
    const themes = flatten(prod).filter((i) => i.id?.startsWith('theme:'));
    expect(themes.map((t) => [t.id, t.checked])).toEqual([
      ['theme:light', false],
      ['theme:dark', true],
      ['theme:system', false],
    ]);
    click(themes[0]!);
    expect(log).toEqual(['theme:light']);
  });

  it('nativeTheme follows the theme setting', () => {
    const nt = { themeSource: 'system' as 'system' | 'light' | 'dark' };
    applyNativeTheme(nt, 'dark');
    expect(nt.themeSource).toBe('dark');
  });
});

describe('single instance', () => {
  function fakeApp(gotLock: boolean) {
    const on = new Map<string, () => void>();
    return {
      requestSingleInstanceLock: () => gotLock,
      quit: vi.fn(),
      on: (n: string, h: () => void) => on.set(n, h),
      handlers: on,
    };
  }

  it('a second launch brings the first window to the front', () => {
    const app = fakeApp(true);
    const w = { isMinimized: () => true, restore: vi.fn(), show: vi.fn(), focus: vi.fn(), isDestroyed: () => false };
    expect(claimSingleInstance(app as never, () => w)).toBe(true);
    app.handlers.get('second-instance')!();
    expect(w.restore).toHaveBeenCalled();
    expect(w.focus).toHaveBeenCalled();
    expect(app.quit).not.toHaveBeenCalled();
  });

  it('the second process quits without opening anything', () => {
    const app = fakeApp(false);
    expect(claimSingleInstance(app as never, () => null)).toBe(false);
    expect(app.quit).toHaveBeenCalled();
    expect(app.handlers.size).toBe(0);
  });
});

describe('main window', () => {
  it('is created with secure web preferences and locked-down contents', () => {
    const dir = tempDir();
    createMainWindow({
      preloadPath: '/app/preload.cjs',
      rendererFile: '/app/renderer/index.html',
      stateFile: path.join(dir, 'w.json'),
    });
    const { opts, win } = created[0]!;
    expect(opts.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    expect(win.loaded).toBe(path.resolve('/app/renderer/index.html'));
    const prevent = vi.fn();
    win.contentsHandlers.get('will-navigate')!({ preventDefault: prevent });
    expect(prevent).toHaveBeenCalled();
    expect(win.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('remembers its size and position across starts', () => {
    const dir = tempDir();
    const stateFile = path.join(dir, 'window-state.json');
    createMainWindow({ preloadPath: 'p', rendererFile: 'r', stateFile });
    created[0]!.win.emit('close');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ x: 40, y: 50, width: 1111, height: 777, maximized: false });
    createMainWindow({ preloadPath: 'p', rendererFile: 'r', stateFile });
    expect(created[1]!.opts).toMatchObject({ x: 40, y: 50, width: 1111, height: 777 });
  });

  it('drops a position no display shows any more, and survives a broken state file', () => {
    const dir = tempDir();
    const file = path.join(dir, 's.json');
    saveWindowState(file, { x: 5000, y: 3000, width: 1000, height: 700, maximized: true });
    const s = loadWindowState(file, [{ x: 0, y: 0, width: 1920, height: 1080 }]);
    expect(s).toEqual({ width: 1000, height: 700, maximized: true });
    saveWindowState(file, { x: 10, y: 10, width: 100, height: 100, maximized: false });
    expect(loadWindowState(file, [{ x: 0, y: 0, width: 1920, height: 1080 }])).toMatchObject({ width: 900, height: 600 });
    expect(loadWindowState(path.join(dir, 'missing.json'), [])).toEqual(DEFAULT_STATE);
  });
});

describe('native dialogs', () => {
  it('hand back the chosen paths, or null when cancelled', async () => {
    const answers = [
      { canceled: false, filePaths: ['/home/me/parts.csv'] },
      { canceled: true, filePaths: [] },
      { canceled: false, filePaths: ['/mnt/usb/backups'] },
    ];
    const calls: unknown[] = [];
    const dialog = {
      showOpenDialog: vi.fn(async (...a: unknown[]) => {
        calls.push(a.at(-1));
        return answers.shift()!;
      }),
      showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: '/home/me/out.csv' })),
    };
    const shell = { openPath: vi.fn(async (p: string) => (p === '/nope' ? 'No such folder' : '')) };
    const d = electronDesktop({ dialog: dialog as never, shell, window: () => null });
    expect(await d.openFile({ title: 'Import', filters: [{ name: 'CSV', extensions: ['csv'] }] })).toEqual([
      '/home/me/parts.csv',
    ]);
    expect(await d.openFile({})).toBeNull();
    expect(await d.chooseFolder({})).toBe('/mnt/usb/backups');
    expect(calls[2]).toMatchObject({ properties: ['openDirectory', 'createDirectory'] });
    expect(await d.saveFile({ suggestedName: 'out.csv' })).toBe('/home/me/out.csv');
    expect(await d.openPath('/home/me')).toBe(true);
    expect(await d.openPath('/nope')).toBe(false);
  });
});

describe('clean quit', () => {
  it('waits for running work to end, closes the database once, then quits', async () => {
    const handlers = new Map<string, (e: { preventDefault: () => void }) => void>();
    let finish!: () => void;
    const steps = {
      drain: vi.fn(() => new Promise<void>((r) => (finish = r))),
      close: vi.fn(),
    };
    const app = {
      on: (n: string, h: (e: { preventDefault: () => void }) => void) => handlers.set(n, h),
      quit: vi.fn(() => handlers.get('before-quit')!({ preventDefault: vi.fn() })),
    };
    installQuitGuard(app as never, steps);
    const first = { preventDefault: vi.fn() };
    handlers.get('before-quit')!(first);
    expect(first.preventDefault).toHaveBeenCalled();
    const again = { preventDefault: vi.fn() };
    handlers.get('before-quit')!(again);
    expect(again.preventDefault).toHaveBeenCalled();
    expect(steps.drain).toHaveBeenCalledTimes(1);
    expect(steps.close).not.toHaveBeenCalled();
    finish();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    expect(steps.close).toHaveBeenCalledTimes(1);
  });

  it('still closes the database when finishing the work fails', async () => {
    const handlers = new Map<string, (e: { preventDefault: () => void }) => void>();
    const steps = { drain: vi.fn(async () => Promise.reject(new Error('stuck'))), close: vi.fn(), log: vi.fn() };
    const app = { on: (n: string, h: (e: { preventDefault: () => void }) => void) => handlers.set(n, h), quit: vi.fn() };
    installQuitGuard(app as never, steps);
    handlers.get('before-quit')!({ preventDefault: vi.fn() });
    await vi.waitFor(() => expect(steps.close).toHaveBeenCalled());
    expect(steps.log).toHaveBeenCalledWith('error while finishing work before quitting', expect.any(Error));
    expect(app.quit).toHaveBeenCalled();
  });
});

describe('IPC', () => {
  it('refuses foreign senders without running the call, and reports answered calls to the shell', async () => {
    const core = makeCore();
    const handlers = new Map<string, (...a: unknown[]) => Promise<unknown>>();
    const seen: string[] = [];
    registerIpc({
      ipcMain: {
        handle: (c: string, f: (...a: unknown[]) => Promise<unknown>) => handlers.set(c, f),
        removeHandler: () => undefined,
      } as never,
      core: () => core,
      isTrustedFrame: (u) => u === 'file:///app/index.html',
      onResult: (ch, r) => seen.push(`${ch}:${r.ok}`),
    });
    const h = handlers.get(INVOKE_CHANNEL)!;
    const refused = (await h({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'preferences.set', {
      theme: 'dark',
    })) as {
      ok: boolean;
    };
    expect(refused.ok).toBe(false);
    expect(core.prefs.get(core.profiles.current().id).theme).not.toBe('dark');
    expect(seen).toEqual([]);
    await h({ senderFrame: { url: 'file:///app/index.html', parent: null } }, 'preferences.set', { theme: 'dark' });
    expect(seen).toEqual(['preferences.set:true']);
    expect(core.prefs.get(core.profiles.current().id).theme).toBe('dark');
    core.close();
  });
});

// keep the type import used
export type _C = MenuCommand;
