// A compact backup carries the builds (migration 0005) and a restore gives them back, so a build
// made before a backup can still be taken apart after the restore, exactly.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/main/backup/manifest';
import type { BuildRecord } from '../../../src/shared/contract';
import { cleanupTempDirs, makeCore, ok, tempDir } from '../../helpers';
import { addLot, inventoryRows, readToken } from './helpers';

afterAll(() => cleanupTempDirs());

describe('builds in backups', () => {
  it('a compact backup holds set_builds and set_build_takes; a restore brings them back to take apart', async () => {
    const core = makeCore();
    try {
      await addLot(core, '3001', 4, 5, 'A');
      await addLot(core, '3001', 4, 2, 'B');
      await addLot(core, '3023', 15, 3, 'C');
      const before = inventoryRows(core, 1);
      const list = path.join(tempDir(), 'moc.csv');
      writeFileSync(list, 'Part,Color,Quantity\n3001,4,6\n3023,15,1\n');
      const rec = await ok<BuildRecord>(core.invoke('sets.markBuilt', { source: { file: readToken(core, list) } }));
      expect(rec.takes).toHaveLength(3);
      const built = inventoryRows(core, 1);
      const rows = () => ({
        builds: core.db.sqlite.prepare('SELECT * FROM set_builds ORDER BY id').all(),
        takes: core.db.sqlite.prepare('SELECT * FROM set_build_takes ORDER BY id').all(),
      });
      const saved = rows();

      const b = await core.backup.create('manual');
      const m = JSON.parse(readFileSync(`${b.file}.json`, 'utf8')) as Manifest;
      expect(m.rows).toMatchObject({ set_builds: 1, set_build_takes: 3 });
      const unpacked = path.join(tempDir(), 'b.db');
      writeFileSync(unpacked, gunzipSync(readFileSync(b.file)));
      const db = new Database(unpacked, { readonly: true });
      expect(db.prepare('SELECT count(*) FROM set_build_takes').pluck().get()).toBe(3);
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'set_build%' AND type = 'index'").pluck().get()).toBe(
        0,
      );
      db.close();

      await ok(core.invoke('sets.takeApart', { buildId: rec.id }));
      expect(inventoryRows(core, 1)).toEqual(before);
      await ok(core.invoke('backup.restore', { backupId: b.id }));
      expect(rows()).toEqual(saved);
      expect(inventoryRows(core, 1)).toEqual(built);
      expect(
        core.db.sqlite
          .prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'set_build%' AND type = 'index'")
          .pluck()
          .get(),
      ).toBe(4);
      await ok(core.invoke('sets.takeApart', { buildId: rec.id }));
      expect(inventoryRows(core, 1)).toEqual(before);
    } finally {
      core.close();
    }
  }, 120_000);
});
