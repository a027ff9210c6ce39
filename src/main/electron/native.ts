// Where the better-sqlite3 addon built for Electron lives in development. Node (tests, CLI)
// uses node_modules/better-sqlite3's own build; the app loads a second build made for
// Electron's ABI by scripts/ensure-electron.mjs, so both work after one `npm install`.
// A packaged app has its addon rebuilt for Electron by electron-builder and needs nothing here.
import { existsSync } from 'node:fs';
import path from 'node:path';

export function electronAddonDir(appRoot: string, electronVersion: string, platform: string, arch: string): string {
  return path.join(appRoot, 'node_modules', '.blockshelf-electron', `${electronVersion}-${platform}-${arch}`);
}

export function devNativeBinding(opts: {
  isPackaged: boolean;
  appRoot: string;
  electronVersion: string;
  platform?: string;
  arch?: string;
}): string | undefined {
  if (opts.isPackaged) return undefined;
  const file = path.join(
    electronAddonDir(opts.appRoot, opts.electronVersion, opts.platform ?? process.platform, opts.arch ?? process.arch),
    'better_sqlite3.node',
  );
  return existsSync(file) ? file : undefined;
}
