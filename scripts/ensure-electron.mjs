#!/usr/bin/env node
// Runs before `npm start`. Makes sure that
//  1. Electron's runtime is present (Electron 42+ fetches it on first start, not at install), and
//  2. a better-sqlite3 addon built for Electron's ABI exists beside Node's own build, in
//     node_modules/.blockshelf-electron/<electron version>-<platform>-<arch>/better_sqlite3.node.
// Node's build in node_modules/better-sqlite3 stays untouched, so `npm test` and the CLI keep
// working, and `npm test` / `npm start` can run in either order after one `npm install`.
// When something cannot be had (no network to fetch Electron, no compiler), it says so plainly
// and exits 1 instead of letting Electron crash later.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

function fail(lines) {
  process.stderr.write(`\nBlockShelf cannot start the desktop window:\n  ${lines.join('\n  ')}\n\n`);
  process.stderr.write(
    'Everything else works without it: `npm test`, `npm run cli -- info`, and\n' +
      '`npm run preview:web -- --data-dir DIR` (the same UI in your browser).\n\n',
  );
  process.exit(1);
}

function electronDir() {
  // BLOCKSHELF_ELECTRON_DIR points the check at another electron package folder (tests use it).
  if (process.env.BLOCKSHELF_ELECTRON_DIR) return process.env.BLOCKSHELF_ELECTRON_DIR;
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return fail(['the electron package is not installed. Run `npm install` first.']);
  }
}

export function electronBinaryPresent(dir) {
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  const rel = readFileSync(pathFile, 'utf8').trim();
  return rel.length > 0 && existsSync(path.join(dir, 'dist', rel));
}

function ensureElectronBinary(dir) {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH || electronBinaryPresent(dir)) return;
  process.stdout.write('Fetching the Electron runtime (first start only)…\n');
  const r = spawnSync(process.execPath, [path.join(dir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'] });
  if (r.status !== 0 || !electronBinaryPresent(dir)) {
    const why = String(r.stderr ?? '')
      .split('\n')
      .find((l) => /error/i.test(l));
    fail([
      'the Electron runtime could not be downloaded' + (why ? ` (${why.trim()})` : '') + '.',
      'Check the internet connection (or a proxy: ELECTRON_GET_USE_PROXY / ELECTRON_MIRROR) and run `npm start` again.',
    ]);
  }
}

function nodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  const bundled = path.join(
    path.dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  return existsSync(bundled) ? bundled : null;
}

function ensureElectronAddon(electronVersion) {
  const target = path.join(
    root,
    'node_modules',
    '.blockshelf-electron',
    `${electronVersion}-${process.platform}-${process.arch}`,
  );
  const addon = path.join(target, 'better_sqlite3.node');
  if (existsSync(addon)) return;
  const src = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = path.join(root, 'node_modules', '.blockshelf-electron', `build-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  cpSync(src, work, { recursive: true, filter: (p) => !p.startsWith(path.join(src, 'build')) });
  process.stdout.write(`Preparing the database engine for Electron ${electronVersion} (first start only)…\n`);
  const env = { ...process.env, npm_config_runtime: 'electron', npm_config_target: electronVersion };
  // 1. A prebuilt addon for this Electron, if one can be downloaded.
  const prebuild = spawnSync(
    process.execPath,
    [
      require.resolve('prebuild-install/bin.js', { paths: [src] }),
      '--runtime',
      'electron',
      '--target',
      electronVersion,
      '--arch',
      process.arch,
    ],
    { cwd: work, stdio: 'inherit', env },
  );
  let built = prebuild.status === 0 && existsSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'));
  // 2. Otherwise compile it against Electron's headers.
  if (!built) {
    const gyp = nodeGyp();
    if (!gyp) fail(['no prebuilt better-sqlite3 for Electron, and node-gyp was not found to build one.']);
    const r = spawnSync(
      process.execPath,
      [
        gyp,
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        '--runtime=electron',
        '--dist-url=https://electronjs.org/headers',
      ],
      { cwd: work, stdio: 'inherit', env },
    );
    built = r.status === 0 && existsSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'));
  }
  if (!built) {
    rmSync(work, { recursive: true, force: true });
    fail([
      `better-sqlite3 could not be prepared for Electron ${electronVersion}.`,
      "It needs either a download of a prebuilt addon or Electron's headers plus a C++ compiler (python3, make, g++ / Xcode / Visual Studio Build Tools).",
    ]);
  }
  mkdirSync(target, { recursive: true });
  renameSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), addon);
  rmSync(work, { recursive: true, force: true });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const dir = electronDir();
  const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  ensureElectronBinary(dir);
  ensureElectronAddon(version);
}
