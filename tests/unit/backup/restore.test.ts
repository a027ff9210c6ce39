// Verify and restore for real: bad files are rejected with distinct codes and change nothing;
// a good one replaces the database atomically, clears caches and tells the renderer.
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { bulkInsert, openCore, repoRoot, sleep, startChild, tempDir } from './helpers';

const dirs: string[] = [];
const cores: Core[] = [];
afterAll(() => {
  for (const c of cores) c.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function fresh(extra: Parameters<typeof openCore>[1] = {}): Core {
  const dir = tempDir();
  dirs.push(dir);
  const core = openCore(dir, extra);
  cores.push(core);
  return core;
}

/** Everything a user would notice changing: the rows, not the file's bytes (a checkpoint may move pages). */
function contentHash(core: Core): string {
  const rows = core.db.sqlite.prepare('SELECT * FROM inventory_items ORDER BY id').raw().all();
  const users = core.db.sqlite.prepare('SELECT * FROM users ORDER BY id').raw().all();
  const prefs = core.db.sqlite.prepare('SELECT * FROM user_preferences ORDER BY user_id').raw().all();
  return createHash('sha256')
    .update(JSON.stringify([rows, users, prefs]))
    .digest('hex');
}

describe('bad backups are rejected with distinct codes and nothing changes', () => {
  let core: Core;
  let good: string;
  let work: string;
  const SIZE_GUARD = 8 * 1024 * 1024;
  beforeAll(async () => {
    core = fresh({ backup: { maxRestoreBytes: SIZE_GUARD } });
    bulkInsert(core, 2000);
    good = (await core.backup.create('manual')).file;
    work = tempDir('bs-bad-');
    dirs.push(work);
  });

  function make(name: string, data: Buffer | string): string {
    const f = path.join(work, name);
    writeFileSync(f, data);
    return f;
  }
  function dbWith(setup: (db: Database.Database) => void): Buffer {
    const f = path.join(work, `${randomBytes(4).toString('hex')}.db`);
    writeFileSync(f, gunzipSync(readFileSync(good)));
    const db = new Database(f);
    setup(db);
    db.close();
    return readFileSync(f);
  }

  const cases: [string, () => string, string, string][] = [
    ['an empty file', () => make('empty.db.gz', ''), 'backup-corrupt', 'empty'],
    [
      'a truncated gzip',
      () => make('cut.db.gz', readFileSync(good).subarray(0, Math.floor(statSync(good).size / 2))),
      'backup-corrupt',
      'truncated',
    ],
    ['random bytes', () => make('random.db.gz', randomBytes(200_000)), 'unsupported-format', 'unknown-format'],
    [
      'a gzip of a text file',
      () => make('text.db.gz', gzipSync('Part,Color,Quantity\n3001,0,5\n'.repeat(500))),
      'not-blockshelf',
      'not-sqlite',
    ],
    [
      "a SQLite database that is not BlockShelf's",
      () => {
        const f = path.join(work, 'other.db');
        const db = new Database(f);
        db.exec("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO recipes (name) VALUES ('soup')");
        db.close();
        return make('other.db.gz', gzipSync(readFileSync(f)));
      },
      'not-blockshelf',
      'foreign-sqlite',
    ],
    [
      'a database from a newer BlockShelf',
      () =>
        make(
          'newer.db.gz',
          gzipSync(
            dbWith((db) =>
              db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', 9_999_999_999_999),
            ),
          ),
        ),
      'db-newer-than-app',
      '',
    ],
    [
      'a gzip that expands past the size guard',
      () => make('bomb.db.gz', gzipSync(Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(SIZE_GUARD * 4)]))),
      'backup-too-large',
      'too-large',
    ],
    [
      'a database damaged inside',
      () => {
        const buf = dbWith((db) => db.pragma('journal_mode = DELETE'));
        // Overwrite the middle of the file (b-tree pages of the lots) with garbage.
        randomBytes(40_000).copy(buf, Math.floor(buf.length / 2));
        return make('damaged.db.gz', gzipSync(buf));
      },
      'backup-corrupt',
      'integrity',
    ],
  ];

  it.each(cases)('%s', async (_label, makeFile, code, reason) => {
    const file = makeFile();
    const before = contentHash(core);
    const backupsBefore = readdirSync(path.dirname(good)).sort();
    const token = core.files.register(file, 'restore').token;

    const v = await core.invoke('backup.verify', { fileToken: token });
    expect(v).toMatchObject({ ok: false, error: { code } });
    if (reason) expect((v as { error: { details?: { reason?: string } } }).error.details?.reason).toBe(reason);

    const r = await core.invoke('backup.restore', { fileToken: token });
    expect(r).toMatchObject({ ok: false, error: { code, details: { step: 'checking the backup' } } });
    expect((r as { error: { message: string } }).error.message).toMatch(
      /Restore failed while checking the backup; your current database is unchanged/,
    );

    expect(contentHash(core)).toBe(before);
    expect(readdirSync(path.dirname(good)).sort()).toEqual(backupsBefore); // no pre-restore backup either
    expect(readdirSync(core.dataDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a listed backup changed after it was made fails its checksum', async () => {
    const copy = path.join(path.dirname(good), path.basename(good));
    const original = readFileSync(copy);
    const flipped = Buffer.from(original);
    flipped[flipped.length - 100]! ^= 0xff;
    writeFileSync(copy, flipped);
    try {
      const r = await core.invoke('backup.verify', { backupId: path.basename(good) });
      expect(r).toMatchObject({ ok: false, error: { code: 'backup-corrupt', details: { reason: 'checksum' } } });
    } finally {
      writeFileSync(copy, original);
    }
  });
});

describe('restore', () => {
  it('puts a listed backup back, backs up the current state first, clears caches and tells the renderer', async () => {
    const core = fresh();
    bulkInsert(core, 100);
    const me = core.profiles.current().id;
    core.prefs.set(me, { theme: 'dark' });
    const b = await core.backup.create('manual');
    bulkInsert(core, 50, 100);
    core.prefs.set(me, { theme: 'light' });
    expect(core.prefs.get(me).theme).toBe('light'); // cached now
    const seen: string[] = [];
    core.events.on('data.changed', (e) => seen.push(e.reason));
    core.events.on('backups.changed', (e) => seen.push(`backups:${e.reason}`));
    const phases: string[] = [];
    core.events.on('backup.progress', (p) => phases.push(p.phase));

    const r = await core.invoke('backup.restore', { backupId: b.id });
    expect(r).toMatchObject({
      ok: true,
      data: { restoredFrom: b.id, lots: 100, preRestoreBackup: { reason: 'pre-restore', lots: 150 } },
    });
    expect(core.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get()).toBe(100);
    expect(core.prefs.get(me).theme).toBe('dark');
    expect(seen).toEqual(expect.arrayContaining(['reopened', 'backups:restored']));
    expect(phases).toEqual(expect.arrayContaining(['verify', 'pre-restore', 'swap', 'done']));
    expect(core.db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(core.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(existsSync(`${core.paths.db}.restore-old`)).toBe(false);

    // ...and the pre-restore backup takes it back again.
    const back = await core.backup.restore({
      backupId: (r as { data: { preRestoreBackup: { id: string } } }).data.preRestoreBackup.id,
    });
    expect(back.lots).toBe(150);
    expect(core.prefs.get(me).theme).toBe('light');
  });

  it('restores a plain .db file', async () => {
    const core = fresh();
    bulkInsert(core, 10);
    const plain = path.join(core.dataDir, 'copy.db');
    await core.db.sqlite.backup(plain);
    bulkInsert(core, 5, 10);
    const r = await core.backup.restore({ path: plain });
    expect(r.lots).toBe(10);
    expect(r.schemaTo).toBe(core.migrations.length);
  });

  it('restores a backup made by an older version, migrating it forward', async () => {
    const migs = tempDir('bs-mig-');
    dirs.push(migs);
    cpSync(path.join(repoRoot, 'drizzle'), migs, { recursive: true });
    const jf = path.join(migs, 'meta', '_journal.json');
    const j = JSON.parse(readFileSync(jf, 'utf8')) as { entries: unknown[] };
    j.entries = j.entries.slice(0, 1);
    writeFileSync(jf, JSON.stringify(j));
    const old = fresh({ migrationsDir: migs });
    old.db.sqlite.prepare("INSERT INTO colors (id, name, rgb) VALUES (0, 'Black', '05131D')").run();
    old.db.sqlite
      .prepare(
        "INSERT INTO inventory_items (user_id, part_id, color_id, color_name, quantity_total, created_at, updated_at) VALUES (1, '3001', 0, 'Black', 7, 1, 1)",
      )
      .run();
    const oldBackup = await old.backup.create('manual');
    expect(oldBackup.schemaVersion).toBe(1);

    const core = fresh();
    bulkInsert(core, 5);
    const r = await core.backup.restore({ path: oldBackup.file });
    expect(r).toMatchObject({ schemaFrom: 1, schemaTo: core.migrations.length, lots: 1 });
    expect(core.schemaVersion()).toBe(core.migrations.length);
    const page = core.inventory.list(1, {}, { sort: 'updated', dir: 'desc' });
    expect(page.items.map((l) => [l.partId, l.quantityTotal])).toEqual([['3001', 7]]);
  });

  it('is refused while another process has the database open, and nothing changes', async () => {
    const core = fresh();
    bulkInsert(core, 20);
    const b = await core.backup.create('manual');
    bulkInsert(core, 5, 20);
    const before = contentHash(core);
    const holder = await startChild(['hold', core.dataDir]);
    try {
      const r = await core.invoke('backup.restore', { backupId: b.id });
      expect(r).toMatchObject({ ok: false, error: { code: 'busy' } });
      expect((r as { error: { message: string } }).error.message).toMatch(
        /open in another BlockShelf program: test hold \(pid \d+\)/,
      );
      expect(contentHash(core)).toBe(before);
      expect((await core.backup.list()).map((x) => x.reason)).toEqual(['manual']);
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exit;
    }
    // Once the other process is gone (even killed) the restore goes ahead.
    expect((await core.backup.restore({ backupId: b.id })).lots).toBe(20);
  });

  it('the CLI-side process refuses to restore while the app has the database open', async () => {
    const core = fresh();
    bulkInsert(core, 20);
    const b = await core.backup.create('manual');
    const child = await startChild(['restore', core.dataDir, b.file]);
    await child.exit;
    expect(child.output()).toMatch(/error busy .*open in another BlockShelf program/);
  });

  it('a process does not open the database while another one restores it', async () => {
    const core = fresh();
    const lock = path.join(core.dataDir, 'locks', 'restore');
    writeFileSync(
      lock,
      JSON.stringify({ pid: process.ppid, host: (await import('node:os')).hostname(), kind: 'restore', since: Date.now() }),
    );
    try {
      expect(() => openCore(core.dataDir)).toThrow(/is restoring the database/);
    } finally {
      rmSync(lock);
    }
  });

  it('a failure while swapping puts the old database back and names the step', async () => {
    const core = fresh();
    bulkInsert(core, 30);
    const before = contentHash(core);
    const garbage = path.join(core.dataDir, 'garbage.db');
    writeFileSync(garbage, Buffer.concat([Buffer.from('SQLite format 3\u0000'), randomBytes(8192)]));
    const old = `${core.paths.db}.restore-old`;
    expect(() =>
      core.reopen({
        swap: () => {
          linkSync(core.paths.db, old);
          renameSync(garbage, core.paths.db);
        },
        undo: () => {
          renameSync(old, core.paths.db);
        },
      }),
    ).toThrow();
    expect(contentHash(core)).toBe(before);
    expect(core.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('a failing pre-restore backup stops the restore with the step named', async () => {
    const core = fresh();
    bulkInsert(core, 30);
    const b = await core.backup.create('manual');
    bulkInsert(core, 3, 30);
    const before = contentHash(core);
    const token = core.files.register(b.file, 'restore').token;
    core.prefs.setConfig({ backupDir: path.join(core.dataDir, 'gone') });
    const r = await core.invoke('backup.restore', { fileToken: token });
    expect(r).toMatchObject({ ok: false, error: { code: 'io-error', details: { step: 'backing up the current database' } } });
    expect(contentHash(core)).toBe(before);
  });

  it('verify reports what a good backup holds', async () => {
    const core = fresh();
    bulkInsert(core, 42);
    const b = await core.backup.create('manual');
    const v = await core.backup.verify({ backupId: b.id });
    expect(v).toMatchObject({
      name: b.id,
      format: 'gzip',
      lots: 42,
      profiles: 1,
      schemaVersion: core.migrations.length,
      manifest: { reason: 'manual', sha256Matches: true },
    });
    truncateSync(b.file, 0);
    await expect(core.backup.verify({ backupId: b.id })).rejects.toMatchObject({ code: 'backup-corrupt' });
    await sleep(1);
  });
});
