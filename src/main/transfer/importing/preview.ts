// What applying a staged import would do: new lots, lots it would merge or replace, parts the
// catalogue does not know, and a sample.
import type Database from 'better-sqlite3';
import type { ImportMode, ImportPreview, ImportSampleLot } from '../../../shared/contract';
import type { StageResult } from './types';

const yieldLoop = () => new Promise<void>((r) => setImmediate(r));

/** What applying a stage would do. Whole-stage passes run in chunks with yields between them. */
export async function previewStage(
  sqlite: Database.Database,
  stage: StageResult,
  ownerId: number,
  mode: ImportMode,
  importId: string,
): Promise<ImportPreview> {
  const t = `${stage.table}.lots`;
  const lots = sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  const maxId = sqlite.prepare(`SELECT coalesce(max(id), 0) FROM ${t}`).pluck().get() as number;
  const catalogLoaded = (sqlite.prepare('SELECT EXISTS (SELECT 1 FROM parts)').pluck().get() as number) === 1;
  const mergedIn = sqlite.prepare(
    `SELECT count(*) FROM ${t} s WHERE s.id BETWEEN ? AND ? AND EXISTS (SELECT 1 FROM inventory_items i
      WHERE i.user_id = ? AND i.part_id = s.part_id AND i.color_id = s.color_id AND i.storage_location = s.location)`,
  );
  const unknownIn = sqlite.prepare(
    `SELECT part_id AS partId, rows FROM ${t} s WHERE s.id BETWEEN ? AND ?
      AND NOT EXISTS (SELECT 1 FROM parts p WHERE p.part_num = s.part_id)`,
  );
  let merged = 0;
  const unknown = new Map<string, number>();
  const step = 20_000;
  for (let a = 1; a <= maxId; a += step) {
    merged += mergedIn.pluck().get(a, a + step - 1, ownerId) as number;
    if (catalogLoaded) {
      for (const u of unknownIn.all(a, a + step - 1) as { partId: string; rows: number }[]) {
        if (unknown.has(u.partId) || unknown.size < 500) unknown.set(u.partId, (unknown.get(u.partId) ?? 0) + u.rows);
      }
    }
    if (a + step <= maxId) await yieldLoop();
  }
  const unknownParts = [...unknown]
    .map(([partId, rows]) => ({ partId, rows }))
    .sort((x, y) => (x.partId < y.partId ? -1 : x.partId > y.partId ? 1 : 0));
  const sample = sqlite
    .prepare(
      `SELECT s.first_row AS row, s.part_id AS partId, s.color_id AS colorId, c.name AS colorName,
              s.qty AS quantityTotal, s.used AS quantityUsed, s.location AS storageLocation, s.name AS name,
              EXISTS (SELECT 1 FROM inventory_items i WHERE i.user_id = ? AND i.part_id = s.part_id
                AND i.color_id = s.color_id AND i.storage_location = s.location) AS existing
         FROM ${t} s JOIN colors c ON c.id = s.color_id ORDER BY s.id LIMIT 50`,
    )
    .all(ownerId) as (Omit<ImportSampleLot, 'action'> & { existing: number })[];
  return {
    importId,
    file: stage.file,
    format: stage.format,
    mode,
    rows: stage.rows,
    valid: stage.valid,
    lots,
    newLots: lots - merged,
    mergedLots: merged,
    invalidCount: stage.invalidCount,
    invalid: stage.invalid.slice(0, 1000),
    unknownColors: [...stage.unknownColors].map(([value, rows]) => ({ value, rows })),
    unknownParts,
    nonParts: [...stage.nonParts.values()],
    sample: sample.map(({ existing, ...l }) => ({ ...l, action: existing ? (mode === 'add' ? 'merge' : 'replace') : 'new' })),
    catalogLoaded,
  };
}
