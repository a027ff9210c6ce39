// Test helpers: real cores on real SQLite files in temp folders.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core, type CoreOptions } from '../src/main/core';
import { unwrap, type Result } from '../src/shared/errors';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The Rebrickable catalogue snapshot that ships with the app (gzipped CSV downloads). */
export const catalogDir = path.join(repoRoot, 'resources/catalog');
/** Real Rebrickable part-list exports of one hobbyist's collection (4,964 rows in six files). */
export const exportsDir = path.join(repoRoot, 'tests/fixtures/exports');

const dirs: string[] = [];
export function tempDir(prefix = 'blockshelf-test-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function cleanupTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function makeCore(opts: Partial<CoreOptions> = {}): Core {
  return createCore({ dataDir: opts.dataDir ?? tempDir(), logToFile: false, ...opts });
}

/** A clock the test moves by hand. */
export function frozenClock(start = Date.UTC(2026, 10, 27, 12, 0, 0)) {
  let t = start;
  const now = () => t;
  return Object.assign(now, {
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  });
}

export async function ok<T>(p: Promise<Result<T>>): Promise<T> {
  return unwrap(await p);
}
