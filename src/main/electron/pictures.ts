// The app's picture scheme, `blockshelf-pic://pictures/<key>`: the only place the page may load
// images from (its Content-Security-Policy says so). Each request is answered by the core's
// picture service (`respond`), from the cache on disk or with a placeholder; the page never
// names a remote address. The e2e host wires the same `respond` to an HTTP path.
import type { Protocol } from 'electron';
import { PICTURE_SCHEME } from '../../shared/contract';
import { pictureHeaders, type PictureResponse } from '../pictures/service';

/** Before the app is ready: the scheme parses like http (host and path) and counts as secure. */
export function registerPictureScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: PICTURE_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** Answers the scheme from `respond`; anything but a GET of `pictures/…` is refused. */
export function handlePictures(
  protocol: Pick<Protocol, 'handle'>,
  respond: (pathname: string) => Promise<PictureResponse>,
): void {
  protocol.handle(PICTURE_SCHEME, async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return new Response('bad address', { status: 400 });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    if (url.hostname !== 'pictures') return new Response('not found', { status: 404 });
    const r = await respond(url.pathname);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(r.body), {
      status: r.status,
      headers: pictureHeaders(r),
    });
  });
}

/** A PDF of labels in a window of its own, with the system's print dialog over it. */
export function printPdfWindow(deps: {
  create: (
    opts: Electron.BrowserWindowConstructorOptions,
  ) => Pick<Electron.BrowserWindow, 'loadFile' | 'webContents' | 'once' | 'isDestroyed'>;
  lockDown: (contents: Electron.WebContents) => void;
}) {
  return (file: string): Promise<boolean> =>
    new Promise((resolve) => {
      const win = deps.create({
        title: 'Print labels',
        width: 900,
        height: 700,
        autoHideMenuBar: true,
        webPreferences: {
          // Chromium's PDF viewer is a plugin; nothing else is enabled in this window.
          plugins: true,
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          webSecurity: true,
        },
      });
      deps.lockDown(win.webContents);
      win.webContents.once('did-finish-load', () => {
        win.webContents.print({}, (ok) => resolve(ok));
      });
      win.once('closed', () => resolve(false));
      win.loadFile(file).catch(() => resolve(false));
    });
}
