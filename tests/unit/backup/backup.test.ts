// Making backups for real: files in temp folders, the real worker thread, real gzip.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskError } from '../../../src/main/backup/fsutil';
import { BACKUP_RE } from '../../../src/main/backup/names';
import type { Manifest } from '../../../src/main/backup/service';
import type { Core } from '../../../src/main/core';
import { AppError } from '../../../src/shared/errors';
import { bulkInsert, copyDataDir, inspectDb, makeTemplate, openCore, repoRoot, tempDir } from './helpers';

const dirs: string[] = [];
const cores: Core[] = [];
function fresh(extra: Parameters<typeof openCore>[1] = {}): { dir: string; core: Core } {
  const dir = tempDir();
  dirs.push(dir);
  const core = openCore(dir, extra);
  cores.push(core);
  return { dir, core };
}
afterAll(() => {
  for (const c of cores) c.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function unpack(file: string): string {
  const out = `${file}.unpacked.db`;
  writeFileSync(out, gunzipSync(readFileSync(file)));
  return out;
}

const backupFiles = (dir: string) => readdirSync(dir).filter((n) => BACKUP_RE.test(n));

describe('making a backup', () => {
  it('writes a time-named .db.gz with a manifest; the copy is whole and checked', async () => {
    const { core } = fresh();
    bulkInsert(core, 500);
    const progress: { phase: string; percent: number }[] = [];
    const changed: string[] = [];
    core.events.on('backup.progress', (p) => progress.push(p));
    core.events.on('backups.changed', (p) => changed.push(p.reason));

    const b = await core.backup.create('manual');

    expect(b.id).toMatch(/^blockshelf-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-manual\.db\.gz$/);
    expect(path.dirname(b.file)).toBe(path.join(core.dataDir, 'backups'));
    const m = JSON.parse(readFileSync(`${b.file}.json`, 'utf8')) as Manifest;
    expect(m.sha256).toBe(createHash('sha256').update(readFileSync(b.file)).digest('hex'));
    expect(m.sizeBytes).toBe(readFileSync(b.file).length);
    expect(m.schemaVersion).toBe(core.migrations.length);
    expect(m.appVersion).toBe(core.appVersion);
    expect(m).toMatchObject({ lots: 500, profiles: 1, reason: 'manual', integrity: 'ok' });
    const copy = unpack(b.file);
    expect(m.dbBytes).toBe(readFileSync(copy).length);
    expect(inspectDb(copy)).toMatchObject({ integrity: 'ok', lots: 500 });
    // A backup stands alone: rollback journal, no -wal needed.
    const db = new Database(copy, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    db.close();

    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['copy', 'check', 'compress', 'finish', 'done']));
    const pct = progress.map((p) => p.percent);
    expect(pct).toEqual([...pct].sort((a, b2) => a - b2));
    expect(changed).toContain('created');
    expect(readdirSync(path.dirname(b.file)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect((await core.backup.list())[0]).toMatchObject({ id: b.id, verified: true, lots: 500 });
  });

  it('a second request while one runs joins it: one file, one result', async () => {
    const { core } = fresh();
    bulkInsert(core, 100);
    const [a, b] = await Promise.all([core.backup.create('manual'), core.backup.create('manual')]);
    expect(a.id).toBe(b.id);
    expect(backupFiles(path.dirname(a.file))).toHaveLength(1);
  });

  it('says why it was made (before-import through the contract, reasons in the name)', async () => {
    const { core } = fresh();
    const r = await core.invoke('backup.create', { reason: 'before-import' });
    expect(r.ok).toBe(true);
    expect((r as { data: { id: string } }).data.id).toMatch(/-before-import\.db\.gz$/);
    const bad = await core.invoke('backup.create', { reason: 'pre-restore' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('a cancelled backup leaves no file behind and the next one works', async () => {
    const { core } = fresh();
    bulkInsert(core, 20_000);
    const ac = new AbortController();
    const off = core.events.on('backup.progress', (p) => {
      if (p.phase === 'check' || p.phase === 'compress') ac.abort();
    });
    await expect(core.backup.create('manual', { signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
    off();
    const folder = path.join(core.dataDir, 'backups');
    expect(readdirSync(folder)).toEqual([]);
    const ok = await core.backup.create('manual');
    expect(ok.verified).toBe(true);
  });

  it('backup.cancel stops the running backup', async () => {
    const { core } = fresh();
    bulkInsert(core, 20_000);
    const p = core.backup.create('manual');
    expect((await core.invoke('backup.cancel', {})) as unknown).toMatchObject({ ok: true, data: { cancelled: true } });
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(readdirSync(path.join(core.dataDir, 'backups'))).toEqual([]);
    expect(await core.invoke('backup.cancel', {})).toMatchObject({ ok: true, data: { cancelled: false } });
  });

  it('removes temporary files of dead processes at the next start, not those of live ones', async () => {
    const { dir, core } = fresh();
    await core.backup.create('manual');
    core.close();
    const folder = path.join(dir, 'backups');
    const dead = '.blockshelf-999999-abc.gz.tmp';
    const live = `.blockshelf-${process.pid}-abc.gz.tmp`;
    const orphanManifest = 'blockshelf-2020-01-01T00-00-00-000Z-timer.db.gz.json';
    for (const n of [dead, live, orphanManifest]) writeFileSync(path.join(folder, n), 'partial');
    writeFileSync(path.join(dir, '.blockshelf-999998-ab.db.tmp'), 'partial');
    const again = openCore(dir);
    cores.push(again);
    const names = readdirSync(folder);
    expect(names).toContain(live);
    expect(names).not.toContain(dead);
    expect(names).not.toContain(orphanManifest);
    expect(readdirSync(dir)).not.toContain('.blockshelf-999998-ab.db.tmp');
    expect((await again.backup.list()).every((b) => b.verified)).toBe(true);
  });

  it('writes during the backup: the backup is a consistent snapshot', async () => {
    const { core } = fresh();
    bulkInsert(core, 30_000);
    const sqlite = core.db.sqlite;
    // Each write transaction adds a pair of lots and notes the pair number on lot 1, so a
    // consistent snapshot holds whole pairs and lot 1 names the last pair it holds.
    const ins = sqlite.prepare(
      `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, quantity_total, created_at, updated_at)
       VALUES (1, ?, 0, 'Black', 5, 1, 1)`,
    );
    const note = sqlite.prepare('UPDATE inventory_items SET notes = ? WHERE id = 1');
    const pair = sqlite.transaction((k: number) => {
      ins.run(`pair-${k}-a`);
      ins.run(`pair-${k}-b`);
      note.run(`pair ${k}`);
    });
    const before = inspectDb(core.paths.db);
    let k = 0;
    let done = false;
    const writer = (async () => {
      while (!done) {
        pair(k++);
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const b = await core.backup.create('manual');
    done = true;
    await writer;
    expect(k).toBeGreaterThan(10); // the app kept writing while the backup ran
    const snap = new Database(unpack(b.file), { readonly: true });
    expect(snap.pragma('integrity_check', { simple: true })).toBe('ok');
    const a = snap.prepare("SELECT count(*) FROM inventory_items WHERE part_id LIKE 'pair-%-a'").pluck().get() as number;
    const bb = snap.prepare("SELECT count(*) FROM inventory_items WHERE part_id LIKE 'pair-%-b'").pluck().get() as number;
    const lastNote = snap.prepare('SELECT notes FROM inventory_items WHERE id = 1').pluck().get();
    expect(a).toBe(bb);
    expect(a).toBeGreaterThan(0); // writes made before the snapshot are in it
    expect(a).toBeLessThan(k); // and writes made after it are not
    expect(lastNote).toBe(`pair ${a - 1}`);
    expect(snap.prepare('SELECT count(*) FROM inventory_items').pluck().get()).toBe(before.lots + 2 * a);
    snap.close();
  }, 120_000);

  it('a missing custom backup folder is a clear io-error and touches no existing backup', async () => {
    const { core } = fresh();
    const first = await core.backup.create('manual');
    core.prefs.setConfig({ backupDir: path.join(core.dataDir, 'unplugged-drive', 'backups') });
    await expect(core.backup.create('manual')).rejects.toMatchObject({
      code: 'io-error',
      message: expect.stringMatching(/does not exist/),
    });
    core.prefs.setConfig({ backupDir: null });
    expect(backupFiles(path.dirname(first.file))).toEqual([first.id]);
  });

  it('a backup folder that is a file is refused', async () => {
    const { core } = fresh();
    const f = path.join(core.dataDir, 'not-a-folder');
    writeFileSync(f, 'x');
    core.prefs.setConfig({ backupDir: f });
    const r = await core.invoke('backup.create', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'io-error' } });
  });

  it('maps disk errors to codes', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(diskError(err('ENOSPC'), '/x', 'Saving').code).toBe('disk-full');
    expect(diskError(err('SQLITE_FULL'), '/x', 'Saving').code).toBe('disk-full');
    expect(diskError(err('EACCES'), '/x', 'Saving').code).toBe('no-permission');
    expect(diskError(err('EROFS'), '/x', 'Saving').code).toBe('no-permission');
    expect(diskError(err('ENOENT'), '/x', 'Saving').code).toBe('io-error');
    expect(diskError(err('EIO'), '/x', 'Saving').message).toMatch(/Saving: .*\/x/);
    const kept = new AppError('cancelled', 'c');
    expect(diskError(kept, '/x', 'y')).toBe(kept);
  });

  it("pruning deletes only the app's own files by the policy and logs them", async () => {
    const now = { t: Date.UTC(2026, 0, 10, 12) };
    const { core } = fresh({ now: () => now.t });
    core.prefs.setConfig({ keepRecentHours: 1, keepRecentMax: 1, keepDaily: 2, keepWeekly: 0, keepMonthly: 0 });
    const made: string[] = [];
    for (let d = 0; d < 5; d++) {
      now.t = Date.UTC(2026, 0, 10 + d, 12);
      core.prefs.setConfig({ keepDaily: 2 }); // a change, so the data differs
      made.push((await core.backup.create('timer')).id);
    }
    const folder = path.join(core.dataDir, 'backups');
    writeFileSync(path.join(folder, 'my-notes.txt'), 'keep me');
    writeFileSync(path.join(folder, 'blockshelf-old-copy.db.gz'), 'keep me');
    const dry = await core.backup.prune(true);
    expect(dry.deleted).toEqual([]); // each create already pruned
    expect(backupFiles(folder).sort()).toEqual(made.slice(-2).sort());
    expect(readdirSync(folder)).toEqual(expect.arrayContaining(['my-notes.txt', 'blockshelf-old-copy.db.gz']));
  });
});

describe('pre-migration backup', () => {
  function oldMigrations(): string {
    const dir = tempDir('bs-mig-');
    dirs.push(dir);
    cpSync(path.join(repoRoot, 'drizzle'), dir, { recursive: true });
    const jf = path.join(dir, 'meta', '_journal.json');
    const j = JSON.parse(readFileSync(jf, 'utf8')) as { entries: unknown[] };
    j.entries = j.entries.slice(0, 1);
    writeFileSync(jf, JSON.stringify(j));
    return dir;
  }

  it('a database holding data gets a verified backup before it is migrated; an empty one does not', async () => {
    const migs = oldMigrations();
    const dir = tempDir();
    dirs.push(dir);
    const old = openCore(dir, { migrationsDir: migs });
    expect(old.schemaVersion()).toBe(1);
    old.db.sqlite.prepare("INSERT INTO colors (id, name, rgb) VALUES (0, 'Black', '05131D')").run();
    old.db.sqlite
      .prepare(
        "INSERT INTO inventory_items (user_id, part_id, color_id, color_name, quantity_total, created_at, updated_at) VALUES (1, '3001', 0, 'Black', 7, 1, 1)",
      )
      .run();
    old.close();

    const now = openCore(dir);
    cores.push(now);
    expect(now.schemaVersion()).toBe(now.migrations.length);
    const list = await now.backup.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ reason: 'pre-migration', schemaVersion: 1, lots: 1, verified: true });
    const report = await now.backup.verify({ backupId: list[0]!.id });
    expect(report).toMatchObject({ schemaVersion: 1, appSchemaVersion: now.migrations.length, lots: 1 });

    const empty = tempDir();
    dirs.push(empty);
    const e = openCore(empty);
    cores.push(e);
    expect(existsSync(path.join(empty, 'backups')) ? readdirSync(path.join(empty, 'backups')) : []).toEqual([]);
  });
});

describe('automatic backups', () => {
  it('start-up backs up only when the data changed; the timer only when due and changed', async () => {
    const clock = { t: Date.UTC(2026, 5, 1, 8) };
    const { core } = fresh({ now: () => clock.t });
    bulkInsert(core, 50);
    const first = await core.backup.autoBackup('startup');
    expect(first?.reason).toBe('startup');
    expect(await core.backup.autoBackup('startup')).toBeNull(); // nothing changed
    expect((await core.backup.status()).schedule.changedSinceNewest).toBe(false);

    clock.t += 2 * 3_600_000;
    bulkInsert(core, 1, 50);
    expect((await core.backup.status()).schedule.changedSinceNewest).toBe(true);
    expect(await core.backup.autoBackup('timer')).toBeNull(); // changed but not due (24 h)
    clock.t += 23 * 3_600_000;
    const timer = await core.backup.autoBackup('timer');
    expect(timer?.reason).toBe('timer');
    expect(timer?.lots).toBe(51);
    clock.t += 48 * 3_600_000;
    expect(await core.backup.autoBackup('timer')).toBeNull(); // due, but nothing changed

    // Changes made by another program (the CLI) count too: the fingerprint is read from the file.
    const other = new Database(core.paths.db);
    other
      .prepare('UPDATE inventory_items SET quantity_total = quantity_total + 1, updated_at = updated_at + 1 WHERE id = 3')
      .run();
    other.close();
    expect((await core.backup.autoBackup('startup'))?.reason).toBe('startup');

    core.prefs.setConfig({ autoBackup: false });
    bulkInsert(core, 1, 60);
    expect(await core.backup.autoBackup('startup')).toBeNull();
  });

  it('a failing automatic backup is reported in the status and an event, and retried later', async () => {
    const { core } = fresh();
    bulkInsert(core, 10);
    core.prefs.setConfig({ backupDir: path.join(core.dataDir, 'missing') });
    const events: string[] = [];
    core.events.on('backups.changed', (e) => events.push(e.reason));
    expect(await core.backup.autoBackup('startup')).toBeNull();
    const st = await core.backup.status();
    expect(st.lastError).toMatchObject({ code: 'io-error', reason: 'startup' });
    expect(events).toContain('failed');
    mkdirSync(path.join(core.dataDir, 'missing'));
    expect((await core.backup.autoBackup('startup'))?.verified).toBe(true);
    expect((await core.backup.status()).lastError).toBeNull();
  });

  it('the scheduler runs the start-up backup without blocking and stops on close', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const core = openCore(dir, { backup: { tickMs: 50 } });
    bulkInsert(core, 10);
    core.backup.startScheduler();
    for (let i = 0; i < 100 && (await core.backup.list()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const list = await core.backup.list();
    expect(list.map((b) => b.reason)).toEqual(['startup']);
    const st = await core.backup.status();
    expect(st.schedule.nextAt).toBe(list[0]!.createdAt + 24 * 3_600_000);
    core.close();
  });
});

describe('the list remembers what it checked', () => {
  it('a later start lists unchanged backups without reading them again; a changed file is read and caught', async () => {
    let clock = 1_800_000_000_000;
    const { dir, core } = fresh({ now: () => clock });
    bulkInsert(core, 50);
    const a = await core.backup.create('manual');
    clock += 60_000;
    bulkInsert(core, 5, 50);
    const b = await core.backup.create('manual');
    const first = await core.backup.list();
    expect(first.map((e) => e.check)).toEqual(['checksum', 'checksum']);
    core.close();

    // A new process an hour later: the checks it shows are those made before, not new readings.
    clock += 3_600_000;
    const again = openCore(dir, { now: () => clock });
    cores.push(again);
    const second = await again.backup.list();
    expect(second.map((e) => [e.id, e.check, e.checkedAt])).toEqual(first.map((e) => [e.id, e.check, e.checkedAt]));
    expect(second.every((e) => e.checkedAt! < clock)).toBe(true);

    // The same size, a new modification time, other bytes: read again, and the damage is caught.
    const bytes = readFileSync(a.file);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    writeFileSync(a.file, bytes);
    const third = await again.backup.list();
    const damaged = third.find((e) => e.id === a.id)!;
    expect(damaged).toMatchObject({ check: 'checksum-differs', verified: false, checkedAt: clock });
    expect(third.find((e) => e.id === b.id)).toMatchObject({
      check: 'checksum',
      checkedAt: first.find((e) => e.id === b.id)!.checkedAt,
    });

    // A record that is not ours (garbage, or a forged entry) is ignored, never trusted.
    again.close();
    writeFileSync(path.join(dir, 'backup-checks.json'), JSON.stringify({ version: 1, files: { [a.file]: { size: 1 } } }));
    const fourth = openCore(dir, { now: () => clock + 1 });
    cores.push(fourth);
    expect((await fourth.backup.list()).find((e) => e.id === a.id)).toMatchObject({
      check: 'checksum-differs',
      checkedAt: clock + 1,
    });
  });
});

describe('status and the contract', () => {
  it('status tells the dialog the folder, newest backup, schedule and policy', async () => {
    const { core } = fresh();
    const r = await core.invoke('backup.status', {});
    expect(r).toMatchObject({
      ok: true,
      data: {
        folderIsDefault: true,
        newest: null,
        count: 0,
        running: null,
        schedule: { auto: true, intervalHours: 24, changedSinceNewest: true },
      },
    });
    await core.backup.create('manual');
    const s = await core.backup.status();
    expect(s.newest?.reason).toBe('manual');
    expect(s.count).toBe(1);
    expect(s.folderWritable).toBe(true);
    expect(s.policy).toEqual({ keepRecentHours: 24, keepRecentMax: 48, keepDaily: 30, keepWeekly: 12, keepMonthly: 12 });
  });

  it('the renderer cannot name paths: only backup ids from the list or tokens main handed out', async () => {
    const picks: string[] = [];
    const { core } = fresh({
      desktop: {
        openFile: async () => {
          picks.push('restore');
          return null;
        },
        saveFile: async () => {
          picks.push('archive');
          return path.join(core.dataDir, 'out.zip');
        },
        chooseFolder: async () => null,
        openPath: async () => false,
      },
    });
    const b = await core.backup.create('manual');
    expect(await core.invoke('backup.restore', { path: b.file })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await core.invoke('backup.verify', { backupId: '../blockshelf.db' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await core.invoke('backup.verify', { fileToken: 'a'.repeat(32) })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await core.invoke('backup.verify', { backupId: b.id })).toMatchObject({ ok: true, data: { lots: 0 } });
    expect(await core.invoke('backup.pickFile', { purpose: 'restore' })).toEqual({ ok: true, data: null });
    const noDialog = fresh();
    expect(await noDialog.core.invoke('backup.pickFile', { purpose: 'restore' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const picked = await core.invoke('backup.pickFile', { purpose: 'archive' });
    expect(picked).toMatchObject({ ok: true, data: { name: 'out.zip' } });
    // A token picked for saving an archive cannot be used to restore from.
    const token = (picked as { data: { token: string } }).data.token;
    expect(await core.invoke('backup.restore', { fileToken: token })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const restoreToken = core.files.register(b.file, 'restore').token;
    expect(await core.invoke('backup.verify', { fileToken: restoreToken })).toMatchObject({ ok: true });
    expect(picks).toEqual(['restore', 'archive']);
  });

  it('archive: a zip with the database snapshot, one CSV per profile and the manifest', async () => {
    const { core } = fresh();
    bulkInsert(core, 300);
    const target = path.join(core.dataDir, 'export.zip');
    const token = core.files.register(target, 'archive').token;
    const r = await core.invoke('backup.archive', { fileToken: token });
    expect(r).toMatchObject({ ok: true, data: { name: 'export.zip', lots: 300 } });
    const py = spawnSync(
      'python3',
      [
        '-c',
        `import zipfile,json,sys,sqlite3,tempfile,os
z=zipfile.ZipFile(sys.argv[1])
names=z.namelist()
m=json.loads(z.read('manifest.json'))
csv=[n for n in names if n.startswith('inventory/')]
rows=z.read(csv[0]).decode().strip().split('\\n')
d=tempfile.mkdtemp(); p=z.extract('blockshelf.db', d)
c=sqlite3.connect(p)
print(json.dumps({'names':sorted(names),'lots':m['lots'],'csvRows':len(rows)-1,'header':rows[0],'dbLots':c.execute('select count(*) from inventory_items').fetchone()[0],'ok':c.execute('pragma integrity_check').fetchone()[0]}))`,
        target,
      ],
      { encoding: 'utf8' },
    );
    expect(py.stderr).toBe('');
    const info = JSON.parse(py.stdout) as {
      names: string[];
      lots: number;
      csvRows: number;
      header: string;
      dbLots: number;
      ok: string;
    };
    expect(info.names).toEqual(['blockshelf.db', 'inventory/1-My collection.csv', 'manifest.json']);
    expect(info).toMatchObject({ lots: 300, csvRows: 300, dbLots: 300, ok: 'ok' });
    expect(info.header).toMatch(/^\uFEFF?name,part_id,color,quantity_total/); // BlockShelf CSV (with the BOM spreadsheets need)
    expect(readdirSync(core.dataDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('a big database', () => {
  let template: string;
  beforeAll(() => {
    template = makeTemplate(20_000);
    dirs.push(template);
  });
  it('the backup of a copied data folder lists and verifies', async () => {
    const dir = copyDataDir(template);
    dirs.push(dir);
    const core = openCore(dir);
    cores.push(core);
    const b = await core.backup.create('manual');
    expect(b.lots).toBe(20_000);
    expect((await core.backup.verify({ backupId: b.id })).lots).toBe(20_000);
  });
});
