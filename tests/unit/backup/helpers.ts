// Test helpers of the backup engine: data folders with many lots made by a fast bulk insert,
// a child process running the real CLI-side core, and database checks.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { buildManifest, manifestText } from '../../../src/main/backup/manifest';
import { freeBackupName } from '../../../src/main/backup/names';
import { createCore, type Core } from '../../../src/main/core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function tempDir(prefix = 'bs-backup-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function openCore(dataDir: string, extra: Partial<Parameters<typeof createCore>[0]> = {}): Core {
  return createCore({ dataDir, logToFile: false, ...extra });
}

const LOCATIONS = ['Drawer A1', 'Drawer A2', 'Bin 3-1 | Tiles', 'Shelf "top"', 'Box, red', ''];

/** Adds `n` lots to profile 1 in one transaction (prepared statement; ~100k lots in a few seconds). */
export function bulkInsert(core: Core, n: number, start = 0, ownerId?: number): void {
  const sqlite = core.db.sqlite;
  const owner = ownerId ?? core.profiles.current().id;
  const colors = sqlite.prepare('SELECT id, name FROM colors WHERE id >= 0 ORDER BY id LIMIT 60').all() as {
    id: number;
    name: string;
  }[];
  const ins = sqlite.prepare(
    `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
       storage_location, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const t0 = 1_700_000_000_000;
  sqlite.transaction(() => {
    for (let i = start; i < start + n; i++) {
      const c = colors[i % colors.length]!;
      const total = (i % 97) + 1;
      ins.run(
        owner,
        `${3000 + (i % 5000)}p${Math.floor(i / 5000)}`,
        c.id,
        c.name,
        `Brick ${i % 311} x ${i % 7}`,
        total,
        i % 3 === 0 ? Math.min(total, i % 5) : 0,
        LOCATIONS[i % LOCATIONS.length]!,
        i % 10 === 0 ? `note ${i}` : '',
        t0 + i,
        t0 + i,
      );
    }
  })();
}

/** A data folder holding `lots` lots, made once and copied for each use. */
export function makeTemplate(lots: number): string {
  const dir = tempDir('bs-template-');
  const core = openCore(dir);
  bulkInsert(core, lots);
  core.close();
  return dir;
}

export function copyDataDir(template: string): string {
  const dir = tempDir('bs-data-');
  rmSync(dir, { recursive: true, force: true });
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** integrity_check and the number of lots of a database file, on a fresh connection. */
export function inspectDb(file: string): { integrity: string; lots: number; sum: number } {
  const db = new Database(file, { fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const row = db.prepare('SELECT count(*) AS lots, total(quantity_total) AS sum FROM inventory_items').get() as {
      lots: number;
      sum: number;
    };
    return { integrity, ...row };
  } finally {
    db.close();
  }
}

const childScript = path.join(repoRoot, 'tests/unit/backup/child.ts');
const tsxLoader = path.join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs');

/** Runs tests/unit/backup/child.ts in a real Node process; resolves once it printed `ready`. */
export function startChild(args: string[]): Promise<{ child: ChildProcess; output: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', tsxLoader, childScript, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = () => {
      if (out.includes('ready\n')) {
        child.stdout!.off('data', onData);
        resolve({ child, output: () => out, exit });
      }
    };
    child.stdout!.on('data', onData);
    void exit.then((code) => {
      if (!out.includes('ready\n')) reject(new Error(`child exited (${code}) before it was ready: ${out}`));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A full backup written the way BlockShelf wrote every backup before compact backups: the whole
 * database (indexes, search index, aggregates) copied with the online backup API, put in
 * rollback-journal mode, gzipped, with a version 1 manifest beside it in the backup folder.
 * Returns the backup's file.
 */
export async function fullBackup(core: Core, at = Date.now()): Promise<string> {
  const dir = core.backup.folder().dir;
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `full-${process.pid}-${at}.db`);
  await core.db.sqlite.backup(tmp);
  const db = new Database(tmp);
  db.pragma('journal_mode = DELETE');
  const info = {
    lots: db.prepare('SELECT count(*) FROM inventory_items').pluck().get() as number,
    profiles: db.prepare('SELECT count(*) FROM users').pluck().get() as number,
    version: db.pragma('user_version', { simple: true }) as number,
  };
  db.close();
  const raw = readFileSync(tmp);
  rmSync(tmp, { force: true });
  const gz = gzipSync(raw, { level: 5 });
  const { name, at: when } = freeBackupName(dir, at, 'manual');
  const file = path.join(dir, name);
  writeFileSync(file, gz);
  const manifest = buildManifest({
    id: name,
    createdAt: when,
    reason: 'manual',
    sha256: createHash('sha256').update(gz).digest('hex'),
    sizeBytes: gz.length,
    dbBytes: raw.length,
    schemaVersion: info.version,
    appVersion: core.appVersion,
    lots: info.lots,
    profiles: info.profiles,
    fingerprint: null,
  });
  writeFileSync(`${file}.json`, manifestText(manifest));
  return file;
}
