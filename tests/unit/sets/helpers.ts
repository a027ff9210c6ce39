// A core on a real database with the shipped catalogue loaded and the fixture inventory_parts
// imported over it (Rebrickable's exact format), shared by the Sets tests of a file; each test
// works in a profile of its own.
import path from 'node:path';
import type { Core } from '../../../src/main/core';
import type { Lot } from '../../../src/shared/types';
import { catalogDir, makeCore, ok, repoRoot, tempDir } from '../../helpers';

export const fixture = (f: string) => path.join(repoRoot, 'tests/fixtures/sets', f);

export async function catalogCore(): Promise<Core> {
  const core = makeCore({ catalogDir });
  while (core.catalog.status().state === 'loading') await new Promise((r) => setTimeout(r, 100));
  if (core.catalog.status().state !== 'ready') throw new Error(`catalogue: ${core.catalog.status().error}`);
  await ok(core.invoke('catalog.import', { files: [readToken(core, fixture('inventory_parts.csv'))] }));
  return core;
}

export const readToken = (core: Core, file: string) => core.files.register(file, 'read').token;
export const writeToken = (core: Core, file: string) => core.files.register(file, 'write').token;
export const outFile = (name: string) => path.join(tempDir(), name);

/** A new profile, made the acting one. */
export async function freshProfile(core: Core, name: string): Promise<number> {
  const p = await ok(core.invoke('profiles.create', { name }));
  await ok(core.invoke('profiles.switch', { id: p.id }));
  return p.id;
}

export async function addLot(
  core: Core,
  partId: string,
  colorId: number,
  quantityTotal: number,
  storageLocation = '',
  quantityUsed = 0,
): Promise<Lot> {
  const r = await ok(
    core.invoke('inventory.create', {
      lot: { partId, colorId, quantityTotal, quantityUsed, storageLocation },
      onDuplicate: 'reject',
    }),
  );
  if (r.status === 'duplicate') throw new Error('duplicate');
  return r.lot;
}

/** Every column of every lot of a profile, and its maintained totals: the exact inventory. */
export function inventoryRows(core: Core, ownerId: number): unknown {
  const db = core.db.sqlite;
  return {
    lots: db.prepare('SELECT * FROM inventory_items WHERE user_id = ? ORDER BY id').all(ownerId),
    stats: db.prepare('SELECT * FROM inventory_stats WHERE user_id = ?').all(ownerId),
    locations: db.prepare('SELECT * FROM inventory_location_stats WHERE user_id = ? ORDER BY location_key').all(ownerId),
    colors: db.prepare('SELECT * FROM inventory_color_stats WHERE user_id = ? ORDER BY color_id').all(ownerId),
  };
}
