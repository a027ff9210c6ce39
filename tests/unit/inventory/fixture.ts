// A real core on a temp folder, filled with a skewed inventory: one very common colour and
// location, a common word in names, many equal quantities (ties), a few exact part numbers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../../src/main/core';

export const MIGRATIONS = path.resolve(import.meta.dirname, '../../../drizzle');

export function tempCore(): { core: Core; dir: string; dispose: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-perf-'));
  let t = 1_700_000_000_000;
  const core = createCore({ dataDir: dir, migrationsDir: MIGRATIONS, logToFile: false, now: () => (t += 1000) });
  return {
    core,
    dir,
    dispose: () => {
      core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Deterministic pseudo-random numbers. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export const COMMON_COLOR = 0; // Black
export const COMMON_LOCATION = 'Drawer Ä'; // non-ASCII: NOCASE folds only ASCII

/** Inserts `n` lots for `ownerId` with plain SQL in one transaction (the triggers still run). */
export function fill(core: Core, ownerId: number, n: number, seed = 1): void {
  const rand = rng(seed);
  const colors = core.db.sqlite.prepare('SELECT id, name FROM colors WHERE id BETWEEN 1 AND 40').all() as {
    id: number;
    name: string;
  }[];
  const words = ['Brick', 'Plate', 'Tile', 'Slope', 'Technic Pin', 'Minifig Torso', 'Wedge', 'Panel'];
  const insert = core.db.sqlite.prepare(`INSERT OR IGNORE INTO inventory_items (user_id, part_id, color_id,
    color_name, name, quantity_total, quantity_used, storage_location, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  core.db.sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const common = rand() < 0.45;
      const color = common ? { id: COMMON_COLOR, name: 'Black' } : colors[Math.floor(rand() * colors.length)]!;
      const word = words[Math.floor(rand() ** 2 * words.length)]!;
      const partId = `${3000 + Math.floor(rand() * 400)}${rand() < 0.1 ? 'pr' + Math.floor(rand() * 9) : ''}`;
      const location = rand() < 0.3 ? COMMON_LOCATION : rand() < 0.05 ? '' : `Bin ${Math.floor(rand() * 60)}`;
      const total = Math.floor(rand() * 6) + 1;
      const used = rand() < 0.7 ? 0 : Math.floor(rand() * (total + 1));
      const t = 1_600_000_000_000 + Math.floor(rand() * 50) * 1000; // many equal times
      insert.run(
        ownerId,
        partId,
        color.id,
        color.name,
        `${word} ${1 + Math.floor(rand() * 4)} x ${i % 7}`,
        total,
        used,
        location,
        t,
        t + Math.floor(rand() * 3) * 1000,
      );
    }
  })();
}
