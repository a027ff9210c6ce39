// Migration 0000 (init): the tables a new database starts with, and what a fresh database of
// today's app holds before the user has done anything (the shipped colour table, one profile).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, ok, tempDir } from '../../../helpers';
import { ALL, catalogColors, databaseAt, openApp, userTables } from './fixture';

afterEach(cleanupTempDirs);

const INIT_TABLES = [
  'app_config',
  'colors',
  'elements',
  'inventory_collabs',
  'inventory_items',
  'part_categories',
  'parts',
  'user_preferences',
  'users',
];

const objects = (sqlite: import('better-sqlite3').Database, type: string) =>
  sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all(type) as string[];

describe('0000_init', () => {
  it('creates exactly the init tables and indexes, empty, and records one migration', () => {
    const { sqlite } = databaseAt(1);
    expect(userTables(sqlite)).toEqual(INIT_TABLES);
    expect(objects(sqlite, 'table')).toEqual(['__drizzle_migrations', ...INIT_TABLES]);
    expect(objects(sqlite, 'trigger')).toEqual([]);
    expect(objects(sqlite, 'index')).toEqual([
      'elements_part_color_idx',
      'inventory_collabs_active_pair_uq',
      'inventory_collabs_collaborator_idx',
      'inventory_items_user_color_idx',
      'inventory_items_user_color_name_idx',
      'inventory_items_user_created_idx',
      'inventory_items_user_part_color_location_uq',
      'inventory_items_user_part_idx',
      'inventory_items_user_total_idx',
      'inventory_items_user_updated_idx',
      'inventory_items_user_used_idx',
      'parts_cat_idx',
      'users_name_uq',
    ]);
    for (const t of INIT_TABLES) expect(sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get(), t).toBe(0);
    expect(sqlite.prepare('SELECT created_at FROM __drizzle_migrations').pluck().all()).toEqual([ALL[0]!.when]);
    expect(sqlite.pragma('user_version', { simple: true })).toBe(1);
    sqlite.close();
  });

  it('a fresh database of today’s app has every table and nothing but the shipped data', async () => {
    const dataDir = tempDir();
    const core = openApp(dataDir);
    const sqlite = core.db.sqlite;
    expect(core.lastMigration).toEqual({ from: 0, to: ALL.length, applied: ALL.map((m) => m.tag) });
    expect(userTables(sqlite)).toEqual([
      'app_config',
      'catalog_meta',
      'colors',
      'elements',
      'history_build_rows',
      'history_config',
      'history_names',
      'history_ops',
      'history_rows',
      'inventories',
      'inventory_collabs',
      'inventory_color_stats',
      'inventory_items',
      'inventory_location_stats',
      'inventory_minifigs',
      'inventory_parts',
      'inventory_sets',
      'inventory_stats',
      'minifigs',
      'part_categories',
      'part_relationships',
      'parts',
      'set_build_takes',
      'set_builds',
      'sets',
      'themes',
      'user_preferences',
      'users',
    ]);
    expect(objects(sqlite, 'table').filter((t) => /_fts$/.test(t))).toEqual(['inventory_fts', 'parts_fts', 'sets_fts']);

    // The shipped colour table is Rebrickable's, id for id and name for name.
    const shipped = sqlite.prepare('SELECT id, name, rgb, is_trans AS isTrans FROM colors ORDER BY id').all();
    expect(shipped).toEqual(catalogColors().sort((a, b) => a.id - b.id));
    expect(shipped).toHaveLength(275);

    // One default profile and the installation's settings row; nothing else holds a row.
    expect((await ok(core.invoke('profiles.list', {}))).map((p) => p.name)).toEqual(['My collection']);
    expect(sqlite.prepare('SELECT id, backup_dir, auto_backup, backup_interval_hours, keep_daily FROM app_config').all()).toEqual(
      [{ id: 1, backup_dir: null, auto_backup: 1, backup_interval_hours: 24, keep_daily: 30 }],
    );
    for (const t of [
      'elements',
      'inventory_collabs',
      'inventory_color_stats',
      'inventory_items',
      'inventory_location_stats',
      'inventory_stats',
      'part_categories',
      'parts',
      'user_preferences',
      'catalog_meta',
      'themes',
      'sets',
      'minifigs',
      'inventories',
      'inventory_parts',
      'inventory_sets',
      'inventory_minifigs',
      'part_relationships',
      'sets_fts',
      'history_config',
      'history_ops',
      'history_rows',
      'history_names',
      'set_builds',
      'set_build_takes',
    ]) {
      expect(sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get(), t).toBe(0);
    }
    expect(sqlite.prepare('SELECT count(*) FROM parts_fts').pluck().get()).toBe(0);
    expect(sqlite.prepare('SELECT count(*) FROM inventory_fts').pluck().get()).toBe(0);
    expect(sqlite.pragma('user_version', { simple: true })).toBe(ALL.length);
    expect(sqlite.prepare('SELECT created_at FROM __drizzle_migrations ORDER BY id').pluck().all()).toEqual(
      ALL.map((m) => m.when),
    );

    // A new, empty database needs no backup before its first migration.
    const backups = path.join(dataDir, 'backups');
    expect(existsSync(backups) ? readdirSync(backups).filter((f) => /pre-migration/.test(f)) : []).toEqual([]);
    core.close();
  });
});
