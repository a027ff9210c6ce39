// Shared helpers for the transfer and catalogue tests: a real core on a temp folder, files
// registered like a native dialog would, and reading lots back in a comparable shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core, type CoreOptions } from '../../../src/main/core';
import type { Result } from '../../../src/shared/errors';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export { catalogDir, exportsDir } from '../../helpers';
export const fixture = (name: string) => path.join(repoRoot, 'tests/fixtures/transfer', name);

const made: string[] = [];
export function tempDir(prefix = 'bs-transfer-'): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(d);
  return d;
}
export function cleanup(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function newCore(opts: Partial<CoreOptions> = {}): Core {
  return createCore({ dataDir: tempDir('bs-core-'), logToFile: false, ...opts });
}

export interface LotShape {
  partId: string;
  colorId: number;
  storageLocation: string;
  quantityTotal: number;
  quantityUsed: number;
  name?: string;
  notes?: string;
}

/** Every lot of the current profile, sorted, as plain comparable objects. */
export function lots(
  core: Core,
  fields: (keyof LotShape)[] = ['partId', 'colorId', 'storageLocation', 'quantityTotal', 'quantityUsed'],
) {
  const rows = core.db.sqlite
    .prepare(
      `SELECT part_id AS partId, color_id AS colorId, storage_location AS storageLocation, quantity_total AS quantityTotal,
              quantity_used AS quantityUsed, name, notes FROM inventory_items ORDER BY part_id, color_id, storage_location`,
    )
    .all() as LotShape[];
  return rows.map((r) => Object.fromEntries(fields.map((f) => [f, r[f]])));
}

export const lotCount = (core: Core) => core.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get() as number;

export function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

/** Registers a file as a picked one and returns its token. */
export const token = (core: Core, file: string, mode: 'read' | 'write' = 'read') => core.files.register(file, mode).token;

/** detect → preview → apply through the contract, as the import wizard does. */
export async function importFile(
  core: Core,
  file: string,
  opts: {
    format?: string;
    mode?: 'add' | 'replace';
    skipInvalid?: boolean;
    dryRun?: boolean;
    mapping?: object;
    encoding?: string;
    sheet?: string;
  } = {},
) {
  const t = token(core, file);
  const { mode, skipInvalid, dryRun, ...read } = opts;
  const preview = await core.invoke('import.preview', { file: t, ...read, ...(mode ? { mode } : {}) });
  if (!preview.ok) return { preview, result: null };
  const p = preview.data as { importId: string };
  const result = await core.invoke('import.apply', {
    importId: p.importId,
    ...(mode ? { mode } : {}),
    ...(skipInvalid !== undefined ? { skipInvalid } : {}),
    ...(dryRun !== undefined ? { dryRun } : {}),
  });
  return { preview, result };
}
