// Compact backups for real: a backup holds the data without the indexes, the search index and
// the maintained aggregates; a restore rebuilds them from the migrations and the result is the
// same database. Hostile compact files are refused like full ones, full backups written the way
// older versions wrote them still restore, and a kill during the rebuild leaves the current
// database whole.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/main/backup/manifest';
import { readSchema } from '../../../src/main/backup/schema';
import type { Core } from '../../../src/main/core';
import type { ListPage } from '../../../src/shared/types';
import { cleanupTempDirs, makeCore, ok, tempDir } from '../../helpers';
import { bulkInsert, copyDataDir, fullBackup, inspectDb, makeTemplate, sleep, startChild } from './helpers';

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

const AGGREGATES = ['inventory_stats', 'inventory_location_stats', 'inventory_color_stats'];

/** Every row a user owns and every aggregate, in a stable order. */
function state(c: Core) {
  const all = (sql: string) => c.db.sqlite.prepare(sql).raw().all();
  return {
    lots: all('SELECT * FROM inventory_items ORDER BY id'),
    users: all('SELECT * FROM users ORDER BY id'),
    prefs: all('SELECT * FROM user_preferences ORDER BY user_id'),
    aggregates: AGGREGATES.map((t) => all(`SELECT * FROM ${t} ORDER BY 1, 2`)),
  };
}

async function search(c: Core, text: string): Promise<number[]> {
  const page = await ok(
    c.invoke('inventory.list', { search: text, limit: 500 }) as Promise<import('../../../src/shared/errors').Result<ListPage>>,
  );
  return page.items.map((l) => l.id).sort((a, b) => a - b);
}

/** A core holding real lots in two profiles, with updates and deletes behind it. */
async function collection(): Promise<Core> {
  const c = core();
  bulkInsert(c, 3000);
  const second = await ok(c.invoke('profiles.create', { name: 'Second shelf' }));
  bulkInsert(c, 400, 10_000, second.id);
  c.db.sqlite.exec(`UPDATE inventory_items SET quantity_total = quantity_total + 7, name = 'Technic axle 8' WHERE id % 97 = 0;
    DELETE FROM inventory_items WHERE id % 113 = 0;`);
  return c;
}

describe('a compact backup', () => {
  it('holds the data only, and restores to exactly the same rows, aggregates, search and schema', async () => {
    const c = await collection();
    const before = state(c);
    const hits = await search(c, 'axle 8');
    expect(hits.length).toBeGreaterThan(10);

    const b = await c.backup.create('manual');
    const m = JSON.parse(readFileSync(`${b.file}.json`, 'utf8')) as Manifest;
    expect(m).toMatchObject({ version: 2, layout: 'compact', lots: before.lots.length });
    expect(m.rows).toMatchObject({ inventory_items: before.lots.length, users: 2 });
    // What the file holds: no index made by CREATE INDEX, no search index, empty aggregates.
    const unpacked = path.join(tempDir(), 'b.db');
    writeFileSync(unpacked, gunzipSync(readFileSync(b.file)));
    const db = new Database(unpacked, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'inventory_fts%'").pluck().get()).toBe(0);
    for (const t of AGGREGATES) expect(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM inventory_items').pluck().get()).toBe(before.lots.length);
    db.close();
    const liveBytes =
      (c.db.sqlite.pragma('page_count', { simple: true }) as number) *
      (c.db.sqlite.pragma('page_size', { simple: true }) as number);
    expect(b.dbBytes).toBeLessThan(liveBytes / 2);

    // Change everything, then restore.
    bulkInsert(c, 500, 50_000);
    c.db.sqlite.exec('DELETE FROM inventory_items WHERE id % 5 = 0');
    const progress: string[] = [];
    c.events.on('backup.progress', (p) => progress.push(`${p.phase}:${p.percent}`));
    const r = await ok(c.invoke('backup.restore', { backupId: b.id }));
    expect(r.lots).toBe(before.lots.length);
    expect(progress.filter((p) => p.startsWith('verify:')).length).toBeGreaterThan(3);

    expect(state(c)).toEqual(before);
    expect(await search(c, 'axle 8')).toEqual(hits);
    expect(
      c.db.sqlite.prepare("INSERT INTO inventory_fts (inventory_fts, rank) VALUES ('integrity-check', 1)").run().changes,
    ).toBeGreaterThanOrEqual(0);
    expect(c.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(readSchema(c.db.sqlite)).toEqual(readSchema(core().db.sqlite));
    // New writes keep the rebuilt search index and aggregates in step.
    bulkInsert(c, 1, 90_000);
    const stats = c.db.sqlite.prepare('SELECT lots FROM inventory_stats WHERE user_id = 1').pluck().get() as number;
    expect(stats).toBe(c.db.sqlite.prepare('SELECT count(*) FROM inventory_items WHERE user_id = 1').pluck().get());
  });

  it('verify rebuilds it in a private copy and reports what it holds', async () => {
    const c = await collection();
    const b = await c.backup.create('manual');
    const v = await ok(c.invoke('backup.verify', { backupId: b.id }));
    expect(v).toMatchObject({ lots: state(c).lots.length, profiles: 2, manifest: { sha256Matches: true } });
    expect(readdirSync(c.dataDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

type Failure = { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

describe('hostile compact files are refused like full ones', () => {
  /** A compact backup of 60 lots, changed by `change` (SQL on the unpacked file), gzipped again. */
  async function hostileCompact(change: (db: Database.Database) => void): Promise<string> {
    const src = core();
    bulkInsert(src, 60);
    const b = await src.backup.create('manual');
    const f = path.join(tempDir('bs-compact-'), 'copy.db');
    writeFileSync(f, gunzipSync(readFileSync(b.file)));
    const db = new Database(f);
    change(db);
    db.close();
    writeFileSync(`${f}.gz`, gzipSync(readFileSync(f)));
    return `${f}.gz`;
  }
  async function refused(file: string, code: string, message: RegExp): Promise<void> {
    const c = core();
    bulkInsert(c, 5);
    const token = c.files.register(file, 'restore').token;
    const v = (await c.invoke('backup.verify', { fileToken: token })) as Failure;
    expect(v, JSON.stringify(v)).toMatchObject({ ok: false, error: { code } });
    expect(v.error.message).toMatch(message);
    const r = (await c.invoke('backup.restore', { fileToken: token })) as Failure;
    expect(r).toMatchObject({ ok: false, error: { code, details: { step: 'checking the backup' } } });
    expect(c.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get()).toBe(5);
    expect(await c.backup.list()).toEqual([]);
    expect(readdirSync(c.dataDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }

  it('an added trigger', async () => {
    const f = await hostileCompact((db) =>
      db.exec('CREATE TRIGGER x AFTER INSERT ON inventory_stats BEGIN DELETE FROM inventory_items; END;'),
    );
    await refused(f, 'backup-corrupt', /trigger x is not part of BlockShelf's schema/);
  });

  it('a rewritten CHECK', async () => {
    const f = await hostileCompact((db) => {
      db.unsafeMode(true);
      db.pragma('writable_schema = ON');
      db.prepare(
        `UPDATE sqlite_schema SET sql = replace(sql, '"inventory_items"."quantity_used" <= "inventory_items"."quantity_total"', '1')
          WHERE name = 'inventory_items'`,
      ).run();
      db.pragma('writable_schema = OFF');
    });
    await refused(f, 'backup-corrupt', /table inventory_items differs from BlockShelf's definition/);
  });

  it('rows that the missing unique index would have refused', async () => {
    // Without its indexes a compact file can hold a duplicate lot; re-creating the index finds it.
    const f = await hostileCompact((db) => {
      // The search trigger (its index is not in the file) is set aside for the insert and put back.
      const trigger = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'inventory_items_fts_ai'").pluck().get() as string;
      db.exec('DROP TRIGGER inventory_items_fts_ai');
      db.exec(`INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used, storage_location, notes, created_at, updated_at)
        SELECT user_id, part_id, color_id, color_name, name, quantity_total, quantity_used, storage_location, notes, created_at, updated_at FROM inventory_items WHERE id = 1`);
      db.exec(trigger);
    });
    await refused(f, 'backup-corrupt', /UNIQUE constraint failed/);
  });

  it('only some of the left-out objects put back: each missing one is named', async () => {
    const f = await hostileCompact((db) => db.exec('CREATE INDEX `parts_cat_idx` ON `parts` (`part_cat_id`)'));
    await refused(f, 'backup-corrupt', /index \S+ is missing/);
  });
});

describe('full backups of older versions', () => {
  it('a full backup written the way older versions did still verifies and restores', async () => {
    const c = await collection();
    const before = state(c);
    const hits = await search(c, 'axle 8');
    const file = await fullBackup(c);
    const id = path.basename(file);
    expect((await c.backup.list()).find((b) => b.id === id)).toMatchObject({ verified: true });
    bulkInsert(c, 200, 70_000);
    expect(await ok(c.invoke('backup.verify', { backupId: id }))).toMatchObject({ lots: before.lots.length });
    await ok(c.invoke('backup.restore', { backupId: id }));
    expect(state(c)).toEqual(before);
    expect(await search(c, 'axle 8')).toEqual(hits);
  });
});

describe('SIGKILL during the rebuild of a restore', () => {
  it('leaves the current database whole, and the app opens it', async () => {
    const LOTS = 100_000;
    const template = makeTemplate(LOTS);
    const other = copyDataDir(template);
    const src = makeCore({ dataDir: other });
    bulkInsert(src, 300, LOTS);
    const b = await src.backup.create('manual');
    src.close();
    const oldState = inspectDb(path.join(template, 'blockshelf.db'));
    const outcomes: string[] = [];
    for (let trial = 0; trial < 3; trial++) {
      const dir = copyDataDir(template);
      const child = await startChild(['restore', dir, b.file]);
      // Wait for the rebuild (the verify phase past its unpacking and first check), then kill.
      const t0 = Date.now();
      while (!/progress verify (\d{2}|[6-9])\n/.test(child.output()) && Date.now() - t0 < 120_000) await sleep(20);
      await sleep(trial * 150);
      const seen = child.output().trim().split('\n').at(-1);
      child.child.kill('SIGKILL');
      await child.exit;
      outcomes.push(`trial ${trial}: killed at "${seen}"`);
      expect(seen).toMatch(/^progress verify/);
      expect(inspectDb(path.join(dir, 'blockshelf.db'))).toEqual(oldState);
      const c = makeCore({ dataDir: dir });
      try {
        expect(c.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get()).toBe(LOTS);
        expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      } finally {
        c.close();
      }
      rmSync(dir, { recursive: true, force: true });
    }
    console.info(outcomes.join('\n'));
    rmSync(template, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }, 600_000);
});
