// Defects of the wiring between the core's services, found by a hostile review, tested through
// the real wiring only: `makeCore()` (the real createCore on a temp folder) and `core.invoke`,
// the CLI as a real process, and the preview host over real HTTP.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import { queuedDesktop } from '../../src/main/desktop';
import type { ImportPreview, ImportResult } from '../../src/shared/contract';
import type { AppConfig, ListPage } from '../../src/shared/types';
import type { BackupEntry, RestoreResult, VerifyReport } from '../../src/shared/contract/backup';
import { startHost, type Host } from '../e2e/host';
import { cli } from '../cli';
import { cleanupTempDirs, makeCore, ok, tempDir } from '../helpers';

const cores: Core[] = [];
/** A core on a temp folder whose dialogs answer from a queue (`dialogs(c)`), as the e2e host's do. */
function core(opts: Parameters<typeof makeCore>[0] = {}): Core {
  const c = makeCore({ desktop: queuedDesktop(), ...opts });
  cores.push(c);
  return c;
}
const dialogs = (c: Core) => c.desktop as ReturnType<typeof queuedDesktop>;
afterAll(() => {
  for (const c of cores.splice(0)) {
    try {
      c.close();
    } catch {
      // already closed by its test
    }
  }
  cleanupTempDirs();
});

/** A Rebrickable part list in a temp folder. */
function partList(rows: string[]): string {
  const f = path.join(tempDir(), 'parts.csv');
  writeFileSync(f, ['Part,Color,Quantity', ...rows].join('\n'));
  return f;
}

/** Picks `file` in the import dialog (the desktop the Electron shell or the host gives) and previews it. */
async function previewImport(c: Core, file: string, mode: 'add' | 'replace' = 'add'): Promise<ImportPreview> {
  dialogs(c).queueOpen([file]);
  const ref = await ok(c.invoke('files.pickImport', {}));
  return ok(c.invoke('import.preview', { file: (ref as { token: string }).token, mode })) as Promise<ImportPreview>;
}

async function addLot(c: Core, partId: string, quantityTotal: number) {
  await ok(c.invoke('inventory.create', { lot: { partId, colorId: 4, quantityTotal, storageLocation: 'Drawer A' } }));
}

async function lots(c: Core) {
  const page = (await ok(c.invoke('inventory.list', { sort: 'part', dir: 'asc', limit: 500 }))) as ListPage;
  return page.items.map((l) => `${l.partId}|${l.colorId}|${l.storageLocation}|${l.quantityTotal}`);
}

describe('an import that changes a non-empty inventory first makes a verified before-import backup', () => {
  it('names the backup in the result of import.apply; the file exists and verifies', async () => {
    const c = core();
    await addLot(c, '3001', 5);
    const p = await previewImport(c, partList(['3001,4,2', '3003,0,7']));
    const r = (await ok(c.invoke('import.apply', { importId: p.importId }))) as ImportResult;
    expect(r.applied).toBe(true);
    expect(r.backup).toMatch(/^blockshelf-.*-before-import\.db\.gz$/);
    expect(existsSync(path.join(c.backup.folder().dir, r.backup!))).toBe(true);
    const report = (await ok(c.invoke('backup.verify', { backupId: r.backup! }))) as VerifyReport;
    // The backup holds the inventory as it was before the import.
    expect(report.lots).toBe(1);
    const listed = (await ok(c.invoke('backup.list', {}))) as BackupEntry[];
    expect(listed.find((b) => b.id === r.backup)).toMatchObject({ reason: 'before-import', verified: true });
  });

  it('makes none for an import into an empty database, nor for a dry run', async () => {
    const c = core();
    const first = await previewImport(c, partList(['3001,4,2']));
    const r1 = (await ok(c.invoke('import.apply', { importId: first.importId }))) as ImportResult;
    expect(r1).toMatchObject({ applied: true, backup: null });
    const dry = await previewImport(c, partList(['3001,4,3']));
    const r2 = (await ok(c.invoke('import.apply', { importId: dry.importId, dryRun: true }))) as ImportResult;
    expect(r2).toMatchObject({ applied: false, dryRun: true, backup: null });
    expect(await ok(c.invoke('backup.list', {}))).toEqual([]);
  });

  it('does not import at all when the backup cannot be made, and says why', async () => {
    const c = core();
    await addLot(c, '3001', 5);
    const before = await lots(c);
    const blocker = path.join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a folder');
    c.prefs.setConfig({ backupDir: path.join(blocker, 'backups') });
    const p = await previewImport(c, partList(['3001,4,2', '3003,0,7']), 'replace');
    const r = await c.invoke('import.apply', { importId: p.importId });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('io-error');
      expect(r.error.message).toMatch(/backup/i);
      expect(r.error.message).toMatch(/nothing was imported/i);
    }
    expect(await lots(c)).toEqual(before);
  });

  it('the CLI prints the backup it made', async () => {
    const dir = tempDir();
    expect((await cli(['--data-dir', dir, 'add', '--part', '3001', '--color', '4', '--qty', '5'])).code).toBe(0);
    const r = await cli(['--data-dir', dir, 'import', partList(['3001,4,2']), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { backup: string | null; applied: boolean };
    expect(report.applied).toBe(true);
    expect(report.backup).toMatch(/before-import\.db\.gz$/);
    expect(existsSync(path.join(dir, 'backups', report.backup!))).toBe(true);
  });
});

describe('a restore keeps this installation’s settings', () => {
  it('keeps the backup folder and retention, and still lists the pre-restore backup', async () => {
    // A database from elsewhere whose settings name another folder and keep one backup.
    const other = core();
    const elsewhere = tempDir();
    other.prefs.setConfig({
      backupDir: elsewhere,
      autoBackup: false,
      backupIntervalHours: 1,
      keepRecentHours: 0,
      keepRecentMax: 1,
      keepDaily: 0,
      keepWeekly: 0,
      keepMonthly: 0,
    });
    await addLot(other, '3001', 1);
    const file = (await other.backup.create('manual')).file;
    other.close();
    const elsewhereBefore = readdirSync(elsewhere).sort();

    const c = core();
    dialogs(c).queueOpen([file]);
    await addLot(c, '3003', 2);
    await addLot(c, '3004', 3);
    const mine = tempDir();
    c.prefs.setConfig({ backupDir: mine, keepDaily: 9 });
    const before = (await ok(c.invoke('config.get', {}))) as AppConfig;

    const picked = (await ok(c.invoke('backup.pickFile', { purpose: 'restore' }))) as { token: string };
    const r = (await ok(c.invoke('backup.restore', { fileToken: picked.token }))) as RestoreResult;
    expect(r.lots).toBe(1);
    expect(await lots(c)).toEqual(['3001|4|Drawer A|1']);

    expect(await ok(c.invoke('config.get', {}))).toEqual(before);
    expect(c.backup.folder().dir).toBe(mine);
    const listed = ((await ok(c.invoke('backup.list', {}))) as BackupEntry[]).map((b) => b.id);
    expect(listed).toContain(r.preRestoreBackup.id);
    // Later backups go to this installation's folder, and its retention keeps the way back.
    const next = (await ok(c.invoke('backup.create', { reason: 'manual' }))) as BackupEntry;
    expect(path.dirname(next.file)).toBe(mine);
    expect(((await ok(c.invoke('backup.list', {}))) as BackupEntry[]).map((b) => b.id)).toContain(r.preRestoreBackup.id);
    expect(readdirSync(elsewhere).sort()).toEqual(elsewhereBefore);
  });
});

describe('the backup folder comes from the folder dialog, never as a path from the renderer', () => {
  it('refuses a raw path in config.set and changes nothing', async () => {
    const c = core();
    const before = (await ok(c.invoke('config.get', {}))) as AppConfig;
    for (const input of [{ backupDir: tempDir() }, { backupFolder: tempDir() }, { backupFolder: '/etc' }]) {
      const r = await c.invoke('config.set', input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid-input');
    }
    expect(await ok(c.invoke('config.get', {}))).toEqual(before);
  });

  it('takes a folder token from the picker, refuses a file token, and null resets to the default', async () => {
    const desktop = queuedDesktop();
    const c = core({ desktop });
    const dir = path.join(tempDir(), 'chosen');
    desktop.queueFolder(dir);
    const picked = (await ok(c.invoke('desktop.pickBackupFolder', {}))) as { token: string } | null;
    expect(picked?.token).toEqual(expect.any(String));
    // Picking alone changes nothing.
    expect(((await ok(c.invoke('config.get', {}))) as AppConfig).backupDir).toBeNull();
    const cfg = (await ok(c.invoke('config.set', { backupFolder: picked!.token }))) as AppConfig;
    expect(cfg.backupDir).toBe(dir);
    const b = (await ok(c.invoke('backup.create', { reason: 'manual' }))) as BackupEntry;
    expect(path.dirname(b.file)).toBe(dir);

    // A token for a file picked to import is not a folder.
    const csv = partList(['3001,4,1']);
    desktop.queueOpen([csv]);
    const fileRef = (await ok(c.invoke('files.pickImport', {}))) as { token: string };
    const refused = await c.invoke('config.set', { backupFolder: fileRef.token });
    expect(refused.ok).toBe(false);
    expect(((await ok(c.invoke('config.get', {}))) as AppConfig).backupDir).toBe(dir);

    const reset = (await ok(c.invoke('config.set', { backupFolder: null }))) as AppConfig;
    expect(reset.backupDir).toBeNull();
    expect(c.backup.folder().isDefault).toBe(true);
  });
});

describe('the command line names the backup folder as a path, through the same check', () => {
  it('sets a writable folder, refuses one under a file, and goes back to the default', async () => {
    const dir = tempDir();
    const chosen = path.join(tempDir(), 'bk');
    const set = await cli(['--data-dir', dir, 'config', '--backup-dir', chosen, '--json']);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ backupDir: chosen, folder: chosen });
    const blocker = path.join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    const bad = await cli(['--data-dir', dir, 'config', '--backup-dir', path.join(blocker, 'x')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/cannot write backups to/);
    const reset = await cli(['--data-dir', dir, 'config', '--backup-dir', 'default', '--json']);
    expect(JSON.parse(reset.stdout)).toMatchObject({ backupDir: null, folder: path.join(dir, 'backups') });
  });

  it('refuses a folder that cannot be made on a pseudo file system, instead of hanging', async () => {
    const dir = tempDir();
    const bad = await cli(['--data-dir', dir, 'config', '--backup-dir', '/proc/blockshelf-backups/x']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/cannot write backups to \/proc\/blockshelf-backups\/x/);
  }, 30_000);
});

describe('the preview host only answers its own page', () => {
  let host: Host | null = null;
  afterEach(async () => {
    await host?.close();
    host = null;
  });

  async function start() {
    const rendererDir = tempDir();
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
    mkdirSync(path.join(rendererDir, 'assets'));
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(tempDir(), 'secret.txt'), 'secret');
    host = await startHost({ dataDir: tempDir(), rendererDir, logToFile: false });
    return host;
  }

  function raw(port: number, opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      if (opts.body) req.write(opts.body);
      req.end();
    });
  }

  it('never hands the bridge script or a call to another site', async () => {
    const h = await start();
    const invoke = (headers: Record<string, string>) =>
      raw(h.port, {
        path: '/__invoke',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-blockshelf-token': h.token, ...headers },
        body: JSON.stringify({ channel: 'inventory.create', input: { lot: { partId: '3001', colorId: 4, quantityTotal: 2 } } }),
      });
    const foreign: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'null' },
      { origin: `http://localhost:${h.port + 1}` },
    ];
    for (const headers of foreign) {
      for (const p of ['/__blockshelf-bridge.js', '/', '/assets/app.js', `/__events?token=${h.token}`]) {
        const r = await raw(h.port, { path: p, headers });
        expect(r.status, `${p} ${JSON.stringify(headers)}`).toBe(403);
        expect(r.body).not.toContain(h.token);
      }
      const call = await invoke(headers);
      expect(call.status, JSON.stringify(headers)).toBe(403);
      expect(call.body).not.toContain(h.token);
    }
    expect(h.core.inventory.list(h.core.profiles.current().id, {}, { sort: 'part', dir: 'asc' }).total).toBe(0);

    // Its own page still works: same origin, or a navigation typed in the address bar.
    const own = { origin: `http://127.0.0.1:${h.port}`, 'sec-fetch-site': 'same-origin' };
    const bridge = await raw(h.port, { path: '/__blockshelf-bridge.js', headers: { 'sec-fetch-site': 'same-origin' } });
    expect(bridge.status).toBe(200);
    expect(bridge.body).toContain(h.token);
    expect((await raw(h.port, { path: '/', headers: { 'sec-fetch-site': 'none' } })).status).toBe(200);
    const call = await invoke(own);
    expect(call.status).toBe(200);
    expect(JSON.parse(call.body)).toMatchObject({ ok: true, data: { status: 'created' } });
  });

  it('still refuses a missing token, another Host name and paths outside the renderer', async () => {
    const h = await start();
    const body = JSON.stringify({
      channel: 'inventory.create',
      input: { lot: { partId: '3001', colorId: 4, quantityTotal: 2 } },
    });
    expect(
      (await raw(h.port, { path: '/__invoke', method: 'POST', body, headers: { 'content-type': 'application/json' } })).status,
    ).toBe(403);
    expect((await raw(h.port, { path: '/', headers: { host: `evil.example:${h.port}` } })).status).toBe(403);
    expect((await raw(h.port, { path: '/__blockshelf-bridge.js', headers: { host: `evil.example:${h.port}` } })).status).toBe(
      403,
    );
    expect((await raw(h.port, { path: '/../secret.txt' })).status).toBe(404);
    expect((await raw(h.port, { path: '/%2e%2e/%2e%2e/etc/passwd' })).status).toBe(404);
  });
});

describe('a read-only core', () => {
  it('writes nothing at start, refuses writes with read-only, and refuses a database that needs a first write', async () => {
    const dir = tempDir();
    expect(() => makeCore({ dataDir: dir, readOnly: true })).toThrow(expect.objectContaining({ code: 'read-only' }));
    const writer = core({ dataDir: dir });
    await addLot(writer, '3001', 5);
    writer.close();
    const reader = core({ dataDir: dir, readOnly: true });
    expect(reader.readOnly).toBe(true);
    expect(await lots(reader)).toEqual(['3001|4|Drawer A|5']);
    const r = await reader.invoke('inventory.create', { lot: { partId: '3003', colorId: 0, quantityTotal: 1 } });
    expect(r).toMatchObject({ ok: false, error: { code: 'read-only' } });
    const s = await reader.invoke('config.set', { keepDaily: 3 });
    expect(s).toMatchObject({ ok: false, error: { code: 'read-only' } });
    expect(await lots(reader)).toEqual(['3001|4|Drawer A|5']);
  });
});

describe('the command line while another program holds a write transaction', () => {
  it('reads answer, a write says db-locked plainly, a restore refuses clearly', async () => {
    const dir = tempDir();
    expect(
      (await cli(['--data-dir', dir, 'add', '--part', '3001', '--color', '4', '--qty', '5', '--location', 'Drawer A'])).code,
    ).toBe(0);
    const made = await cli(['--data-dir', dir, 'backup', '--json']);
    expect(made.code, made.stderr).toBe(0);
    const backupFile = (JSON.parse(made.stdout) as BackupEntry).file;

    const holder = new Database(path.join(dir, 'blockshelf.db'));
    holder.pragma('busy_timeout = 0');
    holder.exec('BEGIN IMMEDIATE');
    try {
      const answers = await Promise.all([
        cli(['--data-dir', dir, 'list', '--json']),
        cli(['--data-dir', dir, 'backups', '--json']),
        cli(['--data-dir', dir, 'verify', backupFile, '--json']),
        cli(['--data-dir', dir, 'info', '--json']),
        cli(['--data-dir', dir, 'catalog', 'stats', '--json']),
        cli(['--data-dir', dir, 'export', path.join(tempDir(), 'out.csv')]),
      ]);
      for (const a of answers) expect(a.code, a.stderr).toBe(0);
      expect((JSON.parse(answers[0]!.stdout) as ListPage).items.map((l) => l.partId)).toEqual(['3001']);
      expect((JSON.parse(answers[3]!.stdout) as { counts: { lots: number } }).counts.lots).toBe(1);

      const add = await cli(['--data-dir', dir, 'add', '--part', '3003', '--color', '0', '--qty', '1']);
      expect(add.code).not.toBe(0);
      expect(add.stderr).toMatch(/^blockshelf add: The database is busy in another program/m);
      expect(add.stderr).not.toMatch(/\n\s+at |SqliteError|database is locked/);

      const restore = await cli(['--data-dir', dir, 'restore', backupFile, '--yes']);
      expect(restore.code).not.toBe(0);
      expect(restore.stderr).toMatch(/^blockshelf restore: Restore failed while .*; your current database is unchanged\./m);
      expect(restore.stderr).toMatch(/another program/);
      expect(restore.stderr).not.toMatch(/\n\s+at |SqliteError|database is locked/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const after = await cli(['--data-dir', dir, 'list', '--json']);
    expect((JSON.parse(after.stdout) as ListPage).items.map((l) => `${l.partId}|${l.quantityTotal}`)).toEqual(['3001|5']);
  }, 180_000);
});
