// Migration 0006 (the operation journal): history_ops, history_rows, history_names and the
// journal's bounds (history_config). Upgrades a schema-5 database holding lots in three profiles:
// every row stays, the journal starts empty with the default bounds, and the first change after
// the upgrade is undone exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, ok } from '../../../helpers';
import { expectState, fullState } from '../../history/state';
import { ALL, freshSchema, reread, schemaOf, upgradeFrom, type Upgraded } from './fixture';

const FROM = ALL.findIndex((m) => m.tag === '0006_history');
let up: Upgraded;
beforeAll(() => {
  up = upgradeFrom(FROM);
});
afterAll(() => {
  up.core.close();
  cleanupTempDirs();
});

const sql = () => up.core.db.sqlite;
const NEW_TABLES = ['history_config', 'history_ops', 'history_rows', 'history_names'];

describe('0006_history on a database with lots', () => {
  it('migrated to the newest schema, which is object for object what a new database gets', () => {
    expect(up.core.lastMigration).toEqual({ from: FROM, to: ALL.length, applied: ALL.slice(FROM).map((m) => m.tag) });
    expect(schemaOf(sql())).toEqual(freshSchema());
    for (const t of NEW_TABLES)
      expect(
        up.oldSchema.some((o) => o.name === t),
        t,
      ).toBe(false);
  });

  it('kept every row, starts with an empty journal and the default bounds', async () => {
    expect(reread(sql(), up.before)).toEqual(up.before);
    for (const t of NEW_TABLES) expect(sql().prepare(`SELECT count(*) FROM ${t}`).pluck().get(), t).toBe(0);
    expect(await ok(up.core.invoke('history.settings', {}))).toEqual({ maxOps: 1000, maxDays: 90 });
    expect((await ok(up.core.invoke('history.state', {}))).undo).toBeNull();
  });

  it('journals the first change after the upgrade, and undoes it exactly', async () => {
    const before = fullState(sql());
    const lot = sql()
      .prepare('SELECT id FROM inventory_items WHERE user_id = ? LIMIT 1')
      .pluck()
      .get(up.core.profiles.current().id) as number | undefined;
    if (lot === undefined) throw new Error('the fixture has no lot for the current profile');
    await ok(up.core.invoke('inventory.update', { id: lot, patch: { quantityTotal: 4321 } }));
    await ok(up.core.invoke('history.undo', {}));
    expectState(sql(), before);
  });
});
