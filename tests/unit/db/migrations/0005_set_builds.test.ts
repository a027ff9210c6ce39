// Migration 0005 (builds of the Sets feature): set_builds and set_build_takes, and the part index
// of inventory_parts made covering. Upgrades a schema-4 database holding lots in three profiles
// and inventory_parts rows an older app imported; every row stays, the new tables start empty,
// the index serves "which inventories use this part" from the index alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../../../helpers';
import { ALL, databaseAt, fillEra, freshSchema, openApp, planOf, reread, schemaOf, snapshot } from './fixture';
import type { Core } from '../../../../src/main/core';

let core: Core;
let before: ReturnType<typeof snapshot>;
beforeAll(() => {
  const old = databaseAt(5); // 0000 … 0004
  fillEra(old.sqlite, { parts: true });
  const ins = old.sqlite.prepare(
    'INSERT INTO inventory_parts (inventory_id, part_num, color_id, is_spare, quantity) VALUES (?, ?, ?, ?, ?)',
  );
  ins.run(635, '3007', 15, 0, 3);
  ins.run(635, '3006', 4, 1, 1);
  ins.run(85879, '3007', 15, 0, 2);
  before = snapshot(old.sqlite);
  old.sqlite.close();
  core = openApp(old.dataDir);
});
afterAll(() => {
  core.close();
  cleanupTempDirs();
});

describe('0005_set_builds on a schema-4 database', () => {
  it('migrates to the newest schema, keeps every row, and the build tables start empty', () => {
    expect(core.lastMigration).toEqual({ from: 5, to: ALL.length, applied: ALL.slice(5).map((m) => m.tag) });
    expect(schemaOf(core.db.sqlite)).toEqual(freshSchema());
    expect(reread(core.db.sqlite, before)).toEqual(before);
    for (const t of ['set_builds', 'set_build_takes'])
      expect(core.db.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get(), t).toBe(0);
  });

  it('reads the inventories of a part and colour from the covering index', () => {
    expect(
      planOf(
        core.db.sqlite,
        'SELECT inventory_id, quantity FROM inventory_parts WHERE part_num = ? AND color_id = ? AND is_spare = 0',
      ).join(' '),
    ).toMatch(/USING COVERING INDEX inventory_parts_part_color_idx/);
    expect(
      core.db.sqlite
        .prepare('SELECT inventory_id, quantity FROM inventory_parts WHERE part_num = ? AND color_id = ? ORDER BY inventory_id')
        .raw()
        .all('3007', 15),
    ).toEqual([
      [635, 3],
      [85879, 2],
    ]);
  });
});
