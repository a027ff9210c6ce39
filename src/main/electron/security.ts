// Security rules as code: the window's web preferences, which pages may talk to main, where
// navigation may go (nowhere) and which external links open in the system browser.
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';

export const EXTERNAL_ALLOWLIST = ['https://rebrickable.com', 'https://www.bricklink.com', 'https://bricklink.com'];

export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    spellcheck: true,
  };
}

/** True for an http(s) address under one of the allowed external sites. */
export function isAllowedExternal(url: string, allowlist = EXTERNAL_ALLOWLIST): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:') return false;
  return allowlist.some((a) => {
    const base = new URL(a);
    return u.host === base.host;
  });
}

/** Whether a frame URL is the app's own renderer (the built file, or the dev server). */
export function isAppUrl(url: string, appOrigin: { file?: string; devServer?: string }): boolean {
  if (!url) return false;
  if (appOrigin.devServer) {
    try {
      if (new URL(url).origin === new URL(appOrigin.devServer).origin) return true;
    } catch {
      return false;
    }
  }
  if (appOrigin.file) {
    const strip = (s: string) => s.split('#')[0]!.split('?')[0]!;
    return strip(url) === strip(appOrigin.file);
  }
  return false;
}

/** Denies navigation and new windows; allowed external links go to the system browser. */
export function lockDownContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) openExternal(url);
    return { action: 'deny' };
  });
}
