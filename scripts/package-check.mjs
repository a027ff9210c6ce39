#!/usr/bin/env node
// Packaging check that runs without Electron's binary: electron-builder --dir for Linux with a
// stand-in electronDist (a folder holding a dummy `electron` executable) and native rebuild
// off, then asserts the unpacked app holds main, preload, renderer, the command line, the
// migrations, the resources and an unpacked better-sqlite3 addon. Needs `npm run build` first.
//   node scripts/package-check.mjs [--keep]
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const keep = process.argv.includes('--keep');

export function checkPackage({ log = (m) => process.stdout.write(`${m}\n`) } = {}) {
  for (const f of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/cli/blockshelf.js']) {
    if (!existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-package-'));
  const dist = path.join(work, 'electron-dist');
  const output = path.join(work, 'release');
  mkdirSync(dist);
  // The stand-in runtime: electron-builder copies this folder and renames `electron`.
  writeFileSync(path.join(dist, 'electron'), '#!/bin/sh\necho "stand-in for the Electron binary"\n');
  chmodSync(path.join(dist, 'electron'), 0o755);
  writeFileSync(path.join(dist, 'version'), require('electron/package.json').version);
  writeFileSync(path.join(dist, 'LICENSE'), 'stand-in');
  mkdirSync(path.join(dist, 'resources'));
  try {
    const cli = require.resolve('electron-builder/cli.js');
    const r = spawnSync(
      process.execPath,
      [cli, '--dir', '--linux', '--x64', `-c.electronDist=${dist}`, '-c.npmRebuild=false', `-c.directories.output=${output}`],
      { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_BUILDER_CACHE: path.join(work, 'cache'), CI: '1' } },
    );
    if (r.status !== 0) throw new Error(`electron-builder failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    const app = path.join(output, 'linux-unpacked');
    const resources = path.join(app, 'resources');
    const asar = require('@electron/asar');
    const inAsar = new Set(asar.listPackage(path.join(resources, 'app.asar')).map((p) => p.replaceAll('\\', '/')));
    const problems = [];
    const needInAsar = [
      '/package.json',
      '/out/main/index.js',
      '/out/main/import-read-worker.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
    ];
    // The command line and every chunk it loads (its start-up and the commands' own libraries).
    const cliFiles = readdirSync(path.join(root, 'out/cli'), { recursive: true })
      .map((f) => `/out/cli/${String(f).replaceAll('\\', '/')}`)
      .filter((f) => f.endsWith('.js'));
    for (const f of [...needInAsar, ...cliFiles]) if (!inAsar.has(f)) problems.push(`app.asar lacks ${f}`);
    if (![...inAsar].some((f) => /^\/out\/renderer\/assets\/.*\.js$/.test(f)))
      problems.push('app.asar lacks the renderer bundle');
    if (![...inAsar].some((f) => f.startsWith('/node_modules/drizzle-orm/'))) problems.push('app.asar lacks drizzle-orm');
    for (const lib of ['pdf-lib', '@pdf-lib/fontkit']) {
      if (![...inAsar].some((f) => f.startsWith(`/node_modules/${lib}/`))) problems.push(`app.asar lacks ${lib}`);
    }
    const onDisk = [
      'drizzle/meta/_journal.json',
      'resources/icon.png',
      // The font the label PDFs embed, and its licence beside it.
      'resources/fonts/DejaVuSansCondensed.ttf',
      'resources/fonts/LICENSE',
      'app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    ];
    for (const f of onDisk) if (!existsSync(path.join(resources, f))) problems.push(`resources/${f} is missing`);
    const sql = readdirSync(path.join(resources, 'drizzle')).filter((f) => f.endsWith('.sql'));
    const want = readdirSync(path.join(root, 'drizzle')).filter((f) => f.endsWith('.sql'));
    for (const f of want) if (!sql.includes(f)) problems.push(`migration ${f} is missing`);
    // The catalogue snapshot the app loads on first start (process.resourcesPath/resources/catalog).
    const shipped = readdirSync(path.join(root, 'resources', 'catalog'));
    for (const f of shipped)
      if (!existsSync(path.join(resources, 'resources', 'catalog', f))) problems.push(`resources/catalog/${f} is missing`);
    if (!existsSync(path.join(app, 'blockshelf')) && !existsSync(path.join(app, 'BlockShelf'))) {
      problems.push('the app executable is missing');
    }
    if ([...inAsar].some((f) => f.endsWith('.map'))) problems.push('source maps were packaged');
    if (problems.length) throw new Error(`package check failed:\n  ${problems.join('\n  ')}`);
    log(`package check passed: ${inAsar.size} entries in app.asar, ${sql.length} migrations, better-sqlite3 unpacked`);
    return { app, asarEntries: inAsar.size, migrations: sql.length };
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    checkPackage();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
