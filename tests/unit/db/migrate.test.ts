import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core';
import { loadMigrations } from '../../../src/main/db/migrate';
import { defaultMigrationsDir } from '../../../src/main/paths';
import { isAppError } from '../../../src/shared/errors';
import { cleanupTempDirs, makeCore, ok, tempDir } from '../../helpers';

afterEach(cleanupTempDirs);

function tryCreate(dataDir: string, migrationsDir?: string) {
  try {
    const core = createCore({ dataDir, logToFile: false, ...(migrationsDir ? { migrationsDir } : {}) });
    core.close();
    return null;
  } catch (e) {
    return e;
  }
}

describe('database and migrations', () => {
  it('creates a fresh database with every table, the shipped colours and a default profile', async () => {
    const core = makeCore();
    const tables = core.db.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table') AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'users',
        'inventory_items',
        'user_preferences',
        'app_config',
        'inventory_collabs',
        'colors',
        'part_categories',
        'parts',
        'elements',
        'inventory_fts',
        '__drizzle_migrations',
      ]),
    );
    expect(core.schemaVersion()).toBe(loadMigrations(defaultMigrationsDir()).length);
    const colors = core.db.sqlite.prepare('SELECT count(*) FROM colors').pluck().get();
    expect(colors).toBe(275);
    expect(core.db.sqlite.prepare('SELECT name FROM colors WHERE id = 0').pluck().get()).toBe('Black');
    expect((await ok(core.invoke('profiles.list', {}))).map((p) => p.name)).toEqual(['My collection']);
    expect(core.db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(core.db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(core.db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(core.db.sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    core.close();
  });

  it('has the indexes the list, duplicate and where-is queries need', () => {
    const core = makeCore();
    const idx = core.db.sqlite
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'inventory_items' AND sql IS NOT NULL")
      .all() as { name: string; sql: string }[];
    const byName = Object.fromEntries(idx.map((i) => [i.name, i.sql.replace(/[`"]/g, '')]));
    expect(byName.inventory_items_user_part_color_location_uq).toMatch(
      /UNIQUE INDEX .* \(user_id,\s*part_id,\s*color_id,\s*storage_location\)/,
    );
    // Sort indexes are (user, key, id); migration 0003 appends color_id and location_fp
    // (filters tested on the index entry).
    expect(byName.inventory_items_user_name_idx).toMatch(/\(user_id, name COLLATE NOCASE, id(, color_id, location_fp)?\)/);
    expect(byName.inventory_items_user_location_idx).toMatch(/\(user_id, storage_location COLLATE NOCASE, id(, color_id)?\)/);
    expect(byName.inventory_items_user_created_idx).toMatch(/\(user_id,\s*created_at,\s*id(,\s*color_id,\s*location_fp)?\)/);
    expect(byName.inventory_items_user_updated_idx).toMatch(/\(user_id,\s*updated_at,\s*id(,\s*color_id,\s*location_fp)?\)/);
    core.close();
  });

  it('enforces the lot constraints in the database itself', () => {
    const core = makeCore();
    const insert = core.db.sqlite.prepare(
      `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, quantity_total, quantity_used, storage_location, created_at, updated_at)
       VALUES (1, ?, ?, 'Black', ?, ?, ?, 0, 0)`,
    );
    insert.run('3001', 0, 5, 2, 'A');
    expect(() => insert.run('3001', 0, 5, 6, 'B')).toThrow(/CHECK/); // used > total
    expect(() => insert.run('3001', 0, 5, -1, 'C')).toThrow(/CHECK/); // negative used
    expect(() => insert.run('3001', 0, 1, 0, 'A')).toThrow(/UNIQUE/); // same part, colour, location
    expect(() => insert.run('3001', 123456, 1, 0, 'D')).toThrow(/FOREIGN KEY/); // unknown colour
    insert.run('3001', 0, 1, 0, 'B'); // same part and colour in another location is fine
    core.close();
  });

  it('refuses a database written by a newer app and leaves it untouched', () => {
    const dir = tempDir();
    makeCore({ dataDir: dir }).close();
    const file = path.join(dir, 'blockshelf.db');
    const db = new Database(file);
    db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', 9_999_999_999_999);
    db.pragma('user_version = 99');
    db.close();
    const before = readFileSync(file);
    const err = tryCreate(dir);
    expect(isAppError(err) && err.code).toBe('db-newer-than-app');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a SQLite file that is not BlockShelf’s', () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, 'blockshelf.db'));
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')");
    db.close();
    const err = tryCreate(dir);
    expect(isAppError(err) && err.code).toBe('not-blockshelf');
    const after = new Database(path.join(dir, 'blockshelf.db'));
    expect(after.prepare('SELECT body FROM notes').pluck().get()).toBe('keep me');
    after.close();
  });

  it('rolls a failing migration back whole, keeping every lot', async () => {
    const dir = tempDir();
    const core = makeCore({ dataDir: dir });
    await ok(core.invoke('inventory.create', { lot: { partId: '3001', colorId: 4, quantityTotal: 7 } }));
    core.close();

    // A later app version whose new migration fails half-way.
    const migrations = tempDir();
    cpSync(defaultMigrationsDir(), migrations, { recursive: true });
    const journalFile = path.join(migrations, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8'));
    const last = journal.entries.at(-1);
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_broken' });
    writeFileSync(journalFile, JSON.stringify(journal));
    writeFileSync(
      path.join(migrations, '9999_broken.sql'),
      'DELETE FROM inventory_items;\n--> statement-breakpoint\nALTER TABLE inventory_items ADD COLUMN oops TEXT;\n--> statement-breakpoint\nTHIS IS NOT SQL;',
    );
    const err = tryCreate(dir, migrations);
    expect(isAppError(err) && err.message).toMatch(/9999_broken failed/);

    const reopened = makeCore({ dataDir: dir });
    const page = await ok(reopened.invoke('inventory.list', {}));
    expect(page.items.map((l) => [l.partId, l.quantityTotal])).toEqual([['3001', 7]]);
    const cols = reopened.db.sqlite.prepare("SELECT name FROM pragma_table_info('inventory_items')").pluck().all();
    expect(cols).not.toContain('oops');
    reopened.close();
  });

  it('calls the pre-migration hook only for a database that holds data, before changing it', async () => {
    const dir = tempDir();
    const calls: { from: number; to: number }[] = [];
    const fresh = makeCore({ dataDir: dir, beforeMigrate: (i) => calls.push(i) });
    expect(calls).toEqual([]); // a new, empty database needs no backup
    await ok(fresh.invoke('inventory.create', { lot: { partId: '3001', colorId: 4, quantityTotal: 1 } }));
    fresh.close();

    const migrations = tempDir();
    cpSync(defaultMigrationsDir(), migrations, { recursive: true });
    const journalFile = path.join(migrations, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8'));
    const last = journal.entries.at(-1);
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9998_add_column' });
    writeFileSync(journalFile, JSON.stringify(journal));
    writeFileSync(path.join(migrations, '9998_add_column.sql'), 'ALTER TABLE inventory_items ADD COLUMN extra TEXT;');
    let columnsSeenByHook: unknown[] = [];
    const core = makeCore({
      dataDir: dir,
      migrationsDir: migrations,
      beforeMigrate: (info) => {
        calls.push(info);
        columnsSeenByHook = info.db.sqlite.prepare("SELECT name FROM pragma_table_info('inventory_items')").pluck().all();
      },
    });
    expect(calls).toHaveLength(1);
    expect(columnsSeenByHook).toContain('part_id');
    expect(columnsSeenByHook).not.toContain('extra'); // the hook ran before anything changed
    expect(calls[0]).toMatchObject({ from: journal.entries.length - 1, to: journal.entries.length });
    expect(core.schemaVersion()).toBe(journal.entries.length);
    core.close();
  });
});
