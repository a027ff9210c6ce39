// Hostile and damaged backup files, built here for real (SQLite files, gzip, -wal files beside a
// database, files changed after they were made), go through the real core: verify and restore
// refuse each with a coded error naming the problem, and nothing of the current data changes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import { cleanupTempDirs, frozenClock, makeCore, tempDir } from '../helpers';
import { bulkInsert, fullBackup } from '../unit/backup/helpers';

const cores: Core[] = [];
afterAll(() => {
  for (const c of cores) c.close();
  cleanupTempDirs();
});
function core(opts: Parameters<typeof makeCore>[0] = {}): Core {
  const c = makeCore(opts);
  cores.push(c);
  return c;
}

const lots = (c: Core) => c.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get() as number;
const temps = (dir: string) => readdirSync(dir).filter((n) => n.includes('.tmp'));

type Failure = { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

/** verify and restore of `file` through the contract; both must fail with `code`, and nothing changes. */
async function refused(c: Core, file: string, code: string, message?: RegExp): Promise<Failure> {
  const before = lots(c);
  const backupsBefore = (await c.backup.list()).length;
  const token = c.files.register(file, 'restore').token;
  const v = (await c.invoke('backup.verify', { fileToken: token })) as Failure;
  expect(v, JSON.stringify(v)).toMatchObject({ ok: false, error: { code } });
  if (message) expect(v.error.message).toMatch(message);
  const r = (await c.invoke('backup.restore', { fileToken: token })) as Failure;
  expect(r).toMatchObject({ ok: false, error: { code, details: { step: 'checking the backup' } } });
  expect(lots(c)).toBe(before);
  expect((await c.backup.list()).length).toBe(backupsBefore);
  expect(temps(c.dataDir)).toEqual([]);
  return v;
}

/**
 * A real backup of a core holding `n` lots, unpacked into a .db file that the caller may change
 * (`full`: a full backup as older versions wrote them, a database that can be written to as is).
 */
async function unpackedBackup(n = 50, full = false): Promise<string> {
  const src = core();
  bulkInsert(src, n);
  const file = full ? await fullBackup(src) : (await src.backup.create('manual')).file;
  const f = path.join(tempDir('bs-hostile-'), 'copy.db');
  writeFileSync(f, gunzipSync(readFileSync(file)));
  return f;
}

/** A .db.gz holding a real BlockShelf backup changed by `change` (SQL run on the file itself). */
async function hostile(change: (db: Database.Database) => void, n = 50): Promise<string> {
  const f = await unpackedBackup(n);
  const db = new Database(f);
  change(db);
  db.close();
  const gz = `${f}.gz`;
  writeFileSync(gz, gzipSync(readFileSync(f)));
  return gz;
}

describe('schema objects the migrations never made are refused', () => {
  it('every connection runs with trusted_schema off', () => {
    const c = core();
    expect(c.db.sqlite.pragma('trusted_schema', { simple: true })).toBe(0);
  });

  it('an extra trigger that deletes every other lot', async () => {
    const file = await hostile((db) =>
      db.exec('create trigger x after insert on inventory_items begin delete from inventory_items; end;'),
    );
    const c = core();
    bulkInsert(c, 20);
    const v = await refused(c, file, 'backup-corrupt', /trigger x is not part of BlockShelf's schema/);
    expect(v.error.details).toMatchObject({ reason: 'schema', object: 'trigger x' });
    // The next add keeps every lot.
    bulkInsert(c, 1, 20);
    expect(lots(c)).toBe(21);
  });

  it('a CHECK rewritten so that used may exceed total', async () => {
    const file = await hostile((db) => {
      db.unsafeMode(true); // lifts SQLITE_DBCONFIG_DEFENSIVE, as any other SQLite tool allows
      db.pragma('writable_schema = ON');
      db.prepare(
        `UPDATE sqlite_schema SET sql = replace(sql, '"inventory_items"."quantity_used" <= "inventory_items"."quantity_total"', '1')
          WHERE name = 'inventory_items'`,
      ).run();
      db.pragma('writable_schema = OFF');
    });
    // A well-formed database that SQLite accepts: only the comparison with the migrations can tell.
    const c = core();
    await refused(c, file, 'backup-corrupt', /table inventory_items differs from BlockShelf's definition/);
  });

  it('an aggregate table replaced by a view', async () => {
    const file = await hostile((db) =>
      db.exec(`DROP TABLE inventory_stats;
        CREATE VIEW inventory_stats AS SELECT user_id, count(*) AS lots, total(quantity_total) AS quantity_total,
          total(quantity_used) AS quantity_used FROM inventory_items GROUP BY user_id;`),
    );
    const c = core();
    await refused(c, file, 'backup-corrupt', /view inventory_stats stands where BlockShelf's schema has table inventory_stats/);
  });

  it('a missing trigger (search would go stale)', async () => {
    const file = await hostile((db) => db.exec('DROP TRIGGER inventory_items_fts_ai'));
    await refused(core(), file, 'backup-corrupt', /trigger inventory_items_fts_ai is missing/);
  });

  it('an extra index, and an extra table', async () => {
    await refused(
      core(),
      await hostile((db) => db.exec('CREATE INDEX spy ON inventory_items (notes)')),
      'backup-corrupt',
      /index spy is not part/,
    );
    await refused(core(), await hostile((db) => db.exec('CREATE TABLE extra (x)')), 'backup-corrupt', /table extra is not part/);
  });

  it('what held up still holds: a view replacing inventory_items', async () => {
    const file = await hostile((db) => db.exec('DROP TABLE inventory_items; CREATE VIEW inventory_items AS SELECT 1 AS id'));
    await refused(core(), file, 'not-blockshelf');
  });

  it('the statistics SQLite keeps for itself are not a difference', async () => {
    const file = await hostile((db) => db.exec('ANALYZE'));
    const c = core();
    const token = c.files.register(file, 'restore').token;
    expect(await c.invoke('backup.verify', { fileToken: token })).toMatchObject({ ok: true, data: { lots: 50 } });
  });
});

describe('user_version and the migration history must agree', () => {
  it('user_version 99 is a database from a newer app', async () => {
    const file = await hostile((db) => db.pragma('user_version = 99'));
    await refused(core(), file, 'db-newer-than-app');
  });

  it('a user_version below the migration history is refused as inconsistent', async () => {
    const file = await hostile((db) => db.pragma('user_version = 1'));
    await refused(core(), file, 'backup-corrupt', /user_version 1\) does not match its migration history/);
  });

  it('what held up still holds: migration rows beyond this app', async () => {
    const file = await hostile((db) =>
      db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', 9_999_999_999_999),
    );
    await refused(core(), file, 'db-newer-than-app');
  });

  it('what held up still holds: rows written with constraints ignored', async () => {
    const file = await hostile((db) => {
      db.pragma('ignore_check_constraints = ON');
      db.exec('UPDATE inventory_items SET quantity_used = quantity_total + 5 WHERE id = 1');
    });
    await refused(core(), file, 'backup-corrupt');
  });
});

describe('a database with its -wal beside it is read as SQLite reads it', () => {
  it('restores the rows that sit only in the -wal, and leaves the files untouched', async () => {
    const f = await unpackedBackup(100, true);
    const writer = new Database(f);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    const ins = writer.prepare(
      `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, quantity_total, created_at, updated_at)
       SELECT 1, '99' || ?, id, name, 1, 1, 1 FROM colors WHERE id >= 0 ORDER BY id LIMIT 1`,
    );
    writer.transaction(() => {
      for (let i = 0; i < 21; i++) ins.run(i);
    })();
    // Copy the pair aside while the writer still holds them (the rows are in the -wal only).
    const aside = path.join(tempDir('bs-wal-'), 'aside.db');
    copyFileSync(f, aside);
    copyFileSync(`${f}-wal`, `${aside}-wal`);
    writer.close();
    expect(statSync(`${aside}-wal`).size).toBeGreaterThan(0);
    const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    const before = [hash(aside), hash(`${aside}-wal`)];

    const c = core();
    bulkInsert(c, 3);
    const token = c.files.register(aside, 'restore').token;
    expect(await c.invoke('backup.verify', { fileToken: token })).toMatchObject({ ok: true, data: { lots: 121 } });
    expect(await c.invoke('backup.restore', { fileToken: token })).toMatchObject({ ok: true, data: { lots: 121 } });
    expect(lots(c)).toBe(121);
    expect([hash(aside), hash(`${aside}-wal`)]).toEqual(before);
    expect(temps(c.dataDir)).toEqual([]);
  });
});

describe('unpacking is bounded by what the file declares', () => {
  it('a real database padded with zeros past its header size is refused early', async () => {
    const f = await unpackedBackup(20);
    const db = readFileSync(f);
    const declared = db.readUInt16BE(16) * db.readUInt32BE(28);
    expect(declared).toBe(db.length);
    const gz = `${f}.gz`;
    writeFileSync(gz, gzipSync(Buffer.concat([db, Buffer.alloc(48 * 1024 * 1024)]), { level: 1 }));
    const c = core();
    const v = await refused(c, gz, 'backup-corrupt', /more than the \d+ bytes its database header declares/);
    expect(v.error.details).toMatchObject({ reason: 'size-mismatch', limit: declared });
  });

  it('a backup unpacking to more than its manifest records is refused', async () => {
    const c = core();
    bulkInsert(c, 20);
    const b = await c.backup.create('manual');
    const mf = `${b.file}.json`;
    const m = JSON.parse(readFileSync(mf, 'utf8')) as { dbBytes: number };
    m.dbBytes -= 4096;
    writeFileSync(mf, JSON.stringify(m));
    const r = (await c.invoke('backup.verify', { backupId: b.id })) as Failure;
    expect(r).toMatchObject({ ok: false, error: { code: 'backup-corrupt', details: { reason: 'size-mismatch' } } });
    expect(r.error.message).toMatch(/its manifest records/);
    expect(temps(c.dataDir)).toEqual([]);
  });

  it('the size guard still stops a gzip bomb, leaving nothing behind', async () => {
    const f = await unpackedBackup(20);
    const gz = `${f}.gz`;
    // The header's page count made invalid: only the guard bounds it.
    const db = readFileSync(f);
    db.writeUInt32BE(db.readUInt32BE(24) + 1, 92);
    writeFileSync(gz, gzipSync(Buffer.concat([db, Buffer.alloc(24 * 1024 * 1024)]), { level: 1 }));
    const c = core({ backup: { maxRestoreBytes: 4 * 1024 * 1024 } });
    await refused(c, gz, 'backup-too-large');
  });
});

describe('the listing checks each backup against its manifest', () => {
  it('a backup with one flipped byte is not verified, and rotation keeps the intact older one', async () => {
    const clock = frozenClock();
    const c = core({ now: clock });
    bulkInsert(c, 30);
    const older = await c.backup.create('manual');
    clock.advance(3_600_000);
    bulkInsert(c, 1, 30);
    const newer = await c.backup.create('manual');
    const listed = await c.backup.list();
    expect(listed.map((b) => [b.id, b.verified, b.check])).toEqual([
      [newer.id, true, 'checksum'],
      [older.id, true, 'checksum'],
    ]);

    const bytes = readFileSync(newer.file);
    bytes[bytes.length - 50]! ^= 0xff;
    writeFileSync(newer.file, bytes);
    const after = await c.backup.list();
    expect(after[0]).toMatchObject({ id: newer.id, verified: false, check: 'checksum-differs', sizeBytes: newer.sizeBytes });
    expect(after[0]!.checkedAt).toEqual(expect.any(Number));
    expect(after[1]).toMatchObject({ id: older.id, verified: true, check: 'checksum' });
    expect((await c.backup.status()).newest?.id).toBe(older.id);

    // Two years on the policy keeps nothing but the newest good backup.
    clock.advance(2 * 365 * 24 * 3_600_000);
    const plan = await c.backup.prune(true);
    expect(plan.deleted.map((d) => d.id)).toEqual([newer.id]);
  });
});

describe('disk trouble', () => {
  it('temporary -wal and -shm files of a dead process are removed at the next start', async () => {
    const dataDir = tempDir();
    const first = makeCore({ dataDir });
    first.close();
    const dead = 4_194_000; // above the usual pid range
    const names = ['db.tmp-wal', 'db.tmp-shm', 'db.tmp-journal'].map((s) => `.blockshelf-${dead}-abc123.${s}`);
    mkdirSync(path.join(dataDir, 'backups'), { recursive: true });
    for (const n of names) {
      writeFileSync(path.join(dataDir, n), 'x');
      writeFileSync(path.join(dataDir, 'backups', n), 'x');
    }
    core({ dataDir });
    expect(temps(dataDir)).toEqual([]);
    expect(temps(path.join(dataDir, 'backups'))).toEqual([]);
  });

  // As root, chmod does not stop writes but an immutable folder (chattr +i) does; anyone else
  // gets a read-only folder from chmod.
  const asRoot = process.getuid?.() === 0;
  const immutable = (dir: string, on: boolean) =>
    asRoot ? execFileSync('chattr', [on ? '+i' : '-i', dir], { stdio: 'ignore' }) : chmodSync(dir, on ? 0o555 : 0o755);

  it('a backup folder that cannot be written is reported as not writable, not as missing', async () => {
    const c = core();
    bulkInsert(c, 5);
    const dir = tempDir('bs-readonly-');
    c.prefs.setConfig({ backupDir: dir });
    immutable(dir, true);
    try {
      const r = (await c.invoke('backup.create', { reason: 'manual' })) as Failure;
      expect(r).toMatchObject({ ok: false, error: { code: 'no-permission' } });
      expect(r.error.message).toMatch(/is not writable/);
      expect(r.error.message).not.toMatch(/does not exist/);
    } finally {
      immutable(dir, false);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
