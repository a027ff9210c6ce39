// The Electron layer's logic with electron faked (the runtime cannot start here).
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanupTempDirs, makeCore, repoRoot, tempDir } from '../../helpers';

vi.mock('electron', () => ({}));

import { electronAddonDir, devNativeBinding } from '../../../src/main/electron/native';
import { forwardEvents, registerIpc } from '../../../src/main/electron/ipc';
import { isAllowedExternal, isAppUrl, lockDownContents, secureWebPreferences } from '../../../src/main/electron/security';
import { INVOKE_CHANNEL, EVENT_CHANNEL_PREFIX } from '../../../src/shared/ipc';
import { openDatabase } from '../../../src/main/db/open';

afterEach(cleanupTempDirs);

describe('security rules', () => {
  it('uses secure web preferences', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('opens only allowlisted https sites externally', () => {
    expect(isAllowedExternal('https://rebrickable.com/parts/3001/')).toBe(true);
    expect(isAllowedExternal('https://www.bricklink.com/v2/catalog/catalogitem.page?P=3001')).toBe(true);
    expect(isAllowedExternal('http://rebrickable.com/')).toBe(false);
    expect(isAllowedExternal('https://rebrickable.com.evil.example/')).toBe(false);
    expect(isAllowedExternal('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternal('not a url')).toBe(false);
  });

  it('recognises only the app’s own page as a trusted caller', () => {
    const file = 'file:///opt/BlockShelf/resources/app.asar/out/renderer/index.html';
    expect(isAppUrl(`${file}#/inventory`, { file })).toBe(true);
    expect(isAppUrl('file:///tmp/evil.html', { file })).toBe(false);
    expect(isAppUrl('http://localhost:5173/', { file, devServer: 'http://localhost:5173' })).toBe(true);
    expect(isAppUrl('http://localhost:5174/', { file, devServer: 'http://localhost:5173' })).toBe(false);
    expect(isAppUrl('https://example.com/', { file })).toBe(false);
  });

  it('denies navigation and new windows, sending allowlisted links to the system browser', () => {
    const handlers: Record<string, (e: { preventDefault: () => void }) => void> = {};
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (name: string, h: (e: { preventDefault: () => void }) => void) => {
        handlers[name] = h;
      },
      setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => {
        openHandler = h;
      },
    };
    const opened: string[] = [];
    lockDownContents(contents as never, (u) => opened.push(u));
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      handlers[name]!({ preventDefault });
      expect(preventDefault, name).toHaveBeenCalled();
    }
    expect(openHandler!({ url: 'https://rebrickable.com/parts/3001/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://rebrickable.com/parts/3001/']);
  });
});

describe('IPC wiring', () => {
  function fakeIpc() {
    const handlers = new Map<string, (...a: unknown[]) => unknown>();
    return {
      handle: (ch: string, fn: (...a: unknown[]) => unknown) => handlers.set(ch, fn),
      removeHandler: (ch: string) => handlers.delete(ch),
      handlers,
    };
  }

  it('answers contract calls from the app’s frame and refuses other senders', async () => {
    const core = makeCore();
    const ipc = fakeIpc();
    registerIpc({ ipcMain: ipc as never, core: () => core, isTrustedFrame: (u) => u === 'app://index' });
    const handler = ipc.handlers.get(INVOKE_CHANNEL)!;
    const good = (await handler({ senderFrame: { url: 'app://index', parent: null } }, 'profiles.current', {})) as {
      ok: boolean;
    };
    expect(good.ok).toBe(true);
    const foreign = (await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'profiles.current', {})) as {
      ok: boolean;
      error: { code: string };
    };
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const subframe = (await handler(
      { senderFrame: { url: 'app://index', parent: { url: 'app://index' } } },
      'profiles.current',
      {},
    )) as { ok: boolean };
    expect(subframe.ok).toBe(false);
    const badInput = (await handler({ senderFrame: { url: 'app://index', parent: null } }, 'inventory.get', { id: 'x' })) as {
      error: { code: string };
    };
    expect(badInput.error.code).toBe('invalid-input');
    core.close();
  });

  it('forwards core events to the window', () => {
    const core = makeCore();
    const sent: [string, unknown][] = [];
    const wc = { isDestroyed: () => false, send: (ch: string, p: unknown) => sent.push([ch, p]) };
    const off = forwardEvents(core, () => wc as never);
    core.events.emit('menu.command', { command: 'backups.open' });
    off();
    core.events.emit('menu.command', { command: 'item.new' });
    expect(sent).toEqual([[`${EVENT_CHANNEL_PREFIX}menu.command`, { command: 'backups.open' }]]);
    core.close();
  });
});

describe('the database engine build for Electron', () => {
  it('is looked up beside Node’s own build in development and left to the package when packaged', () => {
    const root = tempDir();
    expect(devNativeBinding({ isPackaged: false, appRoot: root, electronVersion: '44.11.5' })).toBeUndefined();
    const dir = electronAddonDir(root, '44.11.5', process.platform, process.arch);
    mkdirSync(dir, { recursive: true });
    // Node's own addon stands in for Electron's: the point is that the app loads the file it finds there.
    copyFileSync(
      path.join(repoRoot, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
      path.join(dir, 'better_sqlite3.node'),
    );
    const binding = devNativeBinding({ isPackaged: false, appRoot: root, electronVersion: '44.11.5' });
    expect(binding).toBe(path.join(dir, 'better_sqlite3.node'));
    expect(devNativeBinding({ isPackaged: true, appRoot: root, electronVersion: '44.11.5' })).toBeUndefined();
    const db = openDatabase(path.join(root, 'x.db'), { nativeBinding: binding! });
    expect(db.sqlite.prepare('SELECT sqlite_version()').pluck().get()).toMatch(/^3\./);
    db.close();
  });
});
