// The Electron layer's picture scheme and print window, with electron faked (the runtime
// cannot start here); the scheme answers through the core's real picture service.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanupTempDirs, makeCore } from '../../helpers';

vi.mock('electron', () => ({}));

import { handlePictures, printPdfWindow, registerPictureScheme } from '../../../src/main/electron/pictures';
import type { Core } from '../../../src/main/core';

const cores: Core[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
  cleanupTempDirs();
});

describe('picture scheme', () => {
  it('is registered as a standard, secure scheme before the app is ready', () => {
    const registerSchemesAsPrivileged = vi.fn();
    registerPictureScheme({ registerSchemesAsPrivileged });
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'blockshelf-pic', privileges: { standard: true, secure: true } },
    ]);
  });

  it('answers GET blockshelf-pic://pictures/… from the core, and nothing else', async () => {
    const core = makeCore();
    cores.push(core);
    let handler: ((r: Request) => Promise<Response>) | undefined;
    handlePictures(
      {
        handle: (scheme: string, h: (r: Request) => Promise<Response>) => {
          expect(scheme).toBe('blockshelf-pic');
          handler = h;
        },
      } as never,
      (p) => core.pictures.respond(p),
    );
    const ok = await handler!(new Request('blockshelf-pic://pictures/part/3001/4'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/svg+xml');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.text()).toContain('#C91A09');
    expect((await handler!(new Request('blockshelf-pic://elsewhere/part/3001/4'))).status).toBe(404);
    expect((await handler!(new Request('blockshelf-pic://pictures/../../etc/passwd'))).status).toBe(404);
    expect((await handler!(new Request('blockshelf-pic://pictures/part/3001/4', { method: 'POST', body: 'x' }))).status).toBe(
      405,
    );
  });
});

describe('print window', () => {
  it('opens the PDF in a sandboxed, locked-down window and shows the print dialog', async () => {
    const listeners: Record<string, () => void> = {};
    const print = vi.fn((_opts: unknown, cb: (ok: boolean) => void) => cb(true));
    const win = {
      loadFile: vi.fn(async () => listeners['did-finish-load']!()),
      isDestroyed: () => false,
      once: (e: string, cb: () => void) => void (listeners[`win:${e}`] = cb),
      webContents: { once: (e: string, cb: () => void) => void (listeners[e] = cb), print },
    };
    const create = vi.fn((_opts: unknown) => win);
    const lockDown = vi.fn();
    const printed = await printPdfWindow({ create: create as never, lockDown })('/tmp/labels.pdf');
    expect(printed).toBe(true);
    expect(create.mock.calls[0]![0]).toMatchObject({
      webPreferences: { plugins: true, sandbox: true, contextIsolation: true, nodeIntegration: false },
    });
    expect(lockDown).toHaveBeenCalledWith(win.webContents);
    expect(win.loadFile).toHaveBeenCalledWith('/tmp/labels.pdf');
    expect(print).toHaveBeenCalled();
  });
});
