// Times migration 0003 (aggregates, fingerprint column, rebuilt sort indexes) on an inventory
// made at schema 0001: what the first start after the update costs. `npx tsx bench/migration.ts 100000`
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../src/main/core';
import { MIGRATIONS_DIR, generatedDb } from './generate';

const size = Number(process.argv[2] ?? 100_000);
const src = generatedDb(size, (s) => process.stderr.write(`${s}\n`));
const work = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-migrate-'));
const old = path.join(work, 'migrations-before');
mkdirSync(path.join(old, 'meta'), { recursive: true });
const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8'));
const perf = journal.entries.find((e: { tag: string }) => e.tag.endsWith('_perf_aggregates'));
journal.entries = journal.entries.filter((e: { idx: number }) => e.idx < perf.idx);
writeFileSync(path.join(old, 'meta', '_journal.json'), JSON.stringify(journal));
for (const e of journal.entries) copyFileSync(path.join(MIGRATIONS_DIR, `${e.tag}.sql`), path.join(old, `${e.tag}.sql`));

const dataDir = path.join(work, 'data');
createCore({ dataDir, migrationsDir: old, logToFile: false }).close();
const db = new Database(path.join(dataDir, 'blockshelf.db'));
db.exec(`ATTACH '${src.file}' AS g`);
db.transaction(() => {
  db.exec(
    "INSERT OR IGNORE INTO users (id, name, created_at) SELECT id, name || ' (bench)', created_at FROM g.users WHERE id > 1",
  );
  db.exec(`INSERT INTO inventory_items (id, user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
    storage_location, notes, image_url, created_at, updated_at) SELECT id, user_id, part_id, color_id, color_name, name,
    quantity_total, quantity_used, storage_location, notes, image_url, created_at, updated_at FROM g.inventory_items`);
})();
db.exec('DETACH g');
db.close();
const t0 = performance.now();
const core = createCore({ dataDir, migrationsDir: MIGRATIONS_DIR, logToFile: false });
const ms = performance.now() - t0;
process.stdout.write(
  `${size} lots: migrating to ${core.lastMigration.applied.join(', ')} and opening took ${(ms / 1000).toFixed(1)} s\n`,
);
core.close();
rmSync(work, { recursive: true, force: true });
