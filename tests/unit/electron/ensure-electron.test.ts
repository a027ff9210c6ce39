// `npm start` where Electron's runtime cannot be fetched: a plain message and exit 1, no crash.
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupTempDirs, repoRoot, tempDir } from '../../helpers';

describe('start-up check', () => {
  it('explains that the Electron runtime could not be fetched and points to what still works', () => {
    // An electron package without its runtime, as right after `npm install` (Electron 42+).
    const pkg = tempDir();
    for (const f of ['package.json', 'install.js', 'checksums.json']) {
      symlinkSync(path.join(repoRoot, 'node_modules', 'electron', f), path.join(pkg, f));
    }
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'ensure-electron.mjs')], {
      cwd: repoRoot,
      encoding: 'utf8',
      // An unreachable mirror makes the download fail here even on a machine with internet.
      env: {
        ...process.env,
        BLOCKSHELF_ELECTRON_DIR: pkg,
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        ELECTRON_OVERRIDE_DIST_PATH: '',
      },
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('BlockShelf cannot start the desktop window');
    expect(r.stderr).toContain('the Electron runtime could not be downloaded');
    expect(r.stderr).toContain('npm test');
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
    cleanupTempDirs();
  });
});
