#!/usr/bin/env node
// Builds the command line (src/main/cli.ts) into plain JavaScript: out/cli/blockshelf.js, the
// package's `bin`. One ES module bundle for Node with the dependencies inside it, except the
// native better-sqlite3 addon, which is loaded from node_modules as the app loads it. Libraries
// that only some commands use (exceljs, archiver) are loaded with import() in the sources and
// land in their own chunks (out/cli/chunks/), so `info` or `list` never parses them.
//   node scripts/build-cli.mjs           build
//   node scripts/build-cli.mjs --if-stale   build only when a source is newer than the output
import { chmodSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cliOutDir = path.join(root, 'out', 'cli');
export const cliFile = path.join(cliOutDir, 'blockshelf.js');

/** What the bundle is made of: when any of these is newer than the output, it is stale. */
const inputs = [
  path.join(root, 'src', 'main'),
  path.join(root, 'src', 'shared'),
  path.join(root, 'package.json'),
  path.join(root, 'package-lock.json'),
  fileURLToPath(import.meta.url),
];

function newestMtime(p) {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted or renamed file changes its folder's mtime
  for (const e of readdirSync(p, { withFileTypes: true })) newest = Math.max(newest, newestMtime(path.join(p, e.name)));
  return newest;
}

/** True when out/cli/blockshelf.js is missing or older than a source it is built from. */
export function cliIsStale() {
  let built;
  try {
    built = statSync(cliFile).mtimeMs;
  } catch {
    return true;
  }
  return inputs.some((p) => newestMtime(p) > built);
}

// Bundled CommonJS packages call require(); an ES module has none, so the bundle makes one.
const requireShim =
  "import { createRequire as __blockshelfCreateRequire } from 'node:module';\n" +
  'const require = __blockshelfCreateRequire(import.meta.url);';

export async function buildCli({ log = () => {} } = {}) {
  const t0 = performance.now();
  const { build } = await import('esbuild');
  // Built beside the output and swapped in whole, so nobody runs a half-written bundle.
  const tmp = `${cliOutDir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await build({
      absWorkingDir: root,
      // The import's read worker is its own entry: a worker thread loads it beside the bundle.
      entryPoints: { blockshelf: 'src/main/cli.ts', 'import-read-worker': 'src/main/transfer/importing/read-worker.ts' },
      outdir: tmp,
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20.19',
      // The native addon finds its .node file relative to its own package: never bundle it.
      external: ['better-sqlite3'],
      banner: { js: `#!/usr/bin/env node\n${requireShim}` },
      sourcemap: 'linked',
      legalComments: 'none',
      logLevel: 'warning',
    });
    const built = path.join(tmp, path.basename(cliFile));
    if (!existsSync(built)) throw new Error(`the build did not write ${built}`);
    chmodSync(built, 0o755);
    rmSync(cliOutDir, { recursive: true, force: true });
    renameSync(tmp, cliOutDir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  log(`built ${path.relative(root, cliFile)} in ${Math.round(performance.now() - t0)} ms`);
  return cliFile;
}

export async function buildCliIfStale(opts) {
  if (!cliIsStale()) return { file: cliFile, built: false };
  return { file: await buildCli(opts), built: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const log = (m) => process.stdout.write(`${m}\n`);
  const run = process.argv.includes('--if-stale') ? buildCliIfStale({ log }) : buildCli({ log });
  run.catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
