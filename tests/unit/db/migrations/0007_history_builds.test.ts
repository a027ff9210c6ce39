// Migration 0007 (the Sets builds in the journal): history_build_rows. Upgrades a schema-6
// database holding lots in three profiles: every row stays, the new table starts empty, and a
// build marked after the upgrade is undone and redone exactly, its build rows with it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, ok, tempDir } from '../../../helpers';
import { expectState, fullState } from '../../history/state';
import { ALL, freshSchema, reread, schemaOf, upgradeFrom, type Upgraded } from './fixture';

const FROM = ALL.findIndex((m) => m.tag === '0007_history_builds');
let up: Upgraded;
beforeAll(() => {
  up = upgradeFrom(FROM);
});
afterAll(() => {
  up.core.close();
  cleanupTempDirs();
});

const sql = () => up.core.db.sqlite;

describe('0007_history_builds on a database with lots', () => {
  it('migrated to the newest schema, which is object for object what a new database gets', () => {
    expect(FROM).toBeGreaterThan(0);
    expect(up.core.lastMigration).toEqual({ from: FROM, to: ALL.length, applied: ALL.slice(FROM).map((m) => m.tag) });
    expect(schemaOf(sql())).toEqual(freshSchema());
    expect(up.oldSchema.some((o) => o.name === 'history_build_rows')).toBe(false);
  });

  it('kept every row and starts with no build rows in the journal', () => {
    expect(reread(sql(), up.before)).toEqual(up.before);
    expect(sql().prepare('SELECT count(*) FROM history_build_rows').pluck().get()).toBe(0);
  });

  it('a build marked after the upgrade is undone and redone exactly', async () => {
    const lot = sql()
      .prepare(
        'SELECT part_id AS p, color_id AS c FROM inventory_items WHERE user_id = ? AND quantity_total > quantity_used LIMIT 1',
      )
      .get(up.core.profiles.current().id) as { p: string; c: number } | undefined;
    if (!lot) throw new Error('the fixture has no lot with free pieces for the current profile');
    const list = path.join(tempDir(), 'one.csv');
    writeFileSync(list, `Part,Color,Quantity\n${lot.p},${lot.c},1\n`);
    const before = fullState(sql());
    await ok(up.core.invoke('sets.markBuilt', { source: { file: up.core.files.register(list, 'read').token } }));
    const after = fullState(sql());
    expect(after.builds).toHaveLength(before.builds.length + 1);
    await ok(up.core.invoke('history.undo', {}));
    expectState(sql(), before);
    await ok(up.core.invoke('history.redo', {}));
    expectState(sql(), after);
  });
});
