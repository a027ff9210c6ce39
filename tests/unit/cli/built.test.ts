// The built command line (out/cli/blockshelf.js) as installed: an executable with a shebang,
// run through a symlink (npm link, node_modules/.bin) from any folder, finding its migrations.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cliFile } from '../../../scripts/build-cli.mjs';
import { findUp, isEntryPoint } from '../../../src/main/paths';
import { cleanupTempDirs, tempDir } from '../../helpers';

const run = promisify(execFile);
afterAll(cleanupTempDirs);

describe('the built command line', () => {
  it('is an executable script with a node shebang', () => {
    expect(readFileSync(cliFile, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    if (process.platform !== 'win32') expect(() => accessSync(cliFile, constants.X_OK)).not.toThrow();
  });

  it.skipIf(process.platform === 'win32')(
    'runs through a bin symlink from another folder and migrates a new database',
    async () => {
      const home = tempDir();
      const bin = path.join(home, 'node_modules', '.bin');
      mkdirSync(bin, { recursive: true });
      symlinkSync(cliFile, path.join(bin, 'blockshelf'));
      const data = path.join(home, 'data');
      const r = await run(path.join(bin, 'blockshelf'), ['--data-dir', data, 'info', '--json'], { cwd: home });
      const info = JSON.parse(r.stdout);
      expect(info).toMatchObject({ dbPath: path.join(data, 'blockshelf.db'), counts: { lots: 0 } });
      expect(info.schemaVersion).toBeGreaterThan(0);
    },
  );
});

describe('paths', () => {
  it('finds the migrations beside app.asar in a packaged app, as from out/ in the repository', () => {
    const resources = path.join(tempDir(), 'resources');
    const chunks = path.join(resources, 'app.asar', 'out', 'cli', 'chunks');
    mkdirSync(chunks, { recursive: true });
    mkdirSync(path.join(resources, 'drizzle', 'meta'), { recursive: true });
    writeFileSync(path.join(resources, 'drizzle', 'meta', '_journal.json'), '{}');
    expect(findUp(path.join('drizzle', 'meta', '_journal.json'), chunks)).toBe(
      path.join(resources, 'drizzle', 'meta', '_journal.json'),
    );
  });

  it('knows the entry script through a symlink', () => {
    const dir = tempDir();
    const real = path.join(dir, 'real.js');
    writeFileSync(real, '');
    symlinkSync(real, path.join(dir, 'link'));
    const url = pathToFileURL(real).href;
    expect(isEntryPoint(url, real)).toBe(true);
    expect(isEntryPoint(url, path.join(dir, 'link'))).toBe(true);
    expect(isEntryPoint(url, path.join(dir, 'other.js'))).toBe(false);
    expect(isEntryPoint(url, undefined)).toBe(false);
  });
});
