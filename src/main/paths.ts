// Where things live on disk. Plain Node (no electron), so the CLI and the app agree.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const APP_NAME = 'BlockShelf';
export const DB_FILE = 'blockshelf.db';

/**
 * The desktop app's data folder (Electron's userData for the app name BlockShelf):
 * Linux `$XDG_CONFIG_HOME/BlockShelf` or `~/.config/BlockShelf`, macOS
 * `~/Library/Application Support/BlockShelf`, Windows `%APPDATA%\BlockShelf`.
 * `BLOCKSHELF_DATA_DIR` overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.BLOCKSHELF_DATA_DIR) return path.resolve(env.BLOCKSHELF_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

export function dataPaths(dataDir: string) {
  return {
    dataDir,
    db: path.join(dataDir, DB_FILE),
    backups: path.join(dataDir, 'backups'),
    logs: path.join(dataDir, 'logs'),
    logFile: path.join(dataDir, 'logs', 'blockshelf.log'),
    lock: path.join(dataDir, 'blockshelf.lock'),
  };
}

/** Walks up from this module to the first folder holding `rel` (works from src/ and out/). */
export function findUp(rel: string, from = path.dirname(fileURLToPath(import.meta.url))): string | null {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, rel);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * True when the module at `moduleUrl` is the script Node was started with. Node resolves
 * symlinks for the module (an `npm link`ed or node_modules/.bin `blockshelf`) but not in argv[1].
 */
export function isEntryPoint(moduleUrl: string, script: string | undefined = process.argv[1]): boolean {
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === moduleUrl;
  } catch {
    return false;
  }
}

export function defaultMigrationsDir(): string {
  const journal = findUp(path.join('drizzle', 'meta', '_journal.json'));
  if (!journal) throw new Error('the drizzle/ migrations folder was not found');
  return path.dirname(path.dirname(journal));
}

/**
 * The catalogue snapshot that ships with the app: `resources/catalog` found up from this module
 * (the clone from src/ or out/; from `app.asar/out/cli` in a packaged app that is
 * `process.resourcesPath/resources/catalog`, where electron-builder puts resources/). Null if
 * there is none.
 */
export function defaultCatalogDir(): string | null {
  const manifest = findUp(path.join('resources', 'catalog', 'manifest.json'));
  return manifest ? path.dirname(manifest) : null;
}

export function appVersion(): string {
  const pkg = findUp('package.json');
  if (!pkg) return '0.0.0';
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? '0.0.0';
}

/**
 * The font the labels embed: `resources/fonts/DejaVuSansCondensed.ttf`, found up from this
 * module like the catalogue (beside the app archive when packaged). Null if it is missing.
 */
export function defaultLabelFont(): string | null {
  return findUp(path.join('resources', 'fonts', 'DejaVuSansCondensed.ttf'));
}
