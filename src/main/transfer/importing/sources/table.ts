// Tables (CSV and XLSX) as rows to check: the header row names the columns, the mapping picks
// a column per field, and a CSV row with a different number of fields is reported.
import type { ImportDetection, MappableField } from '../../../../shared/contract';
import { AppError } from '../../../../shared/errors';
import { baseName } from '../../../util/names';
import type { TableRow } from '../../readers';
import type { SourceRow } from '../types';

export async function* tableSource(
  file: string,
  det: ImportDetection,
  batches: AsyncIterable<TableRow[]>,
): AsyncGenerator<SourceRow[]> {
  let header: string[] | null = null;
  const mapping = det.mapping;
  const fields = Object.entries(mapping).filter(([, i]) => i !== null && i !== undefined) as [MappableField, number][];
  let labels: Partial<Record<MappableField, string>> = {};
  for await (const rows of batches) {
    const out: SourceRow[] = [];
    for (const r of rows) {
      if (!header) {
        header = r.cells;
        labels = Object.fromEntries(fields.map(([f, i]) => [f, (header![i] ?? f).trim() || f]));
        continue;
      }
      if (r.cells.length === 1 && r.cells[0]!.trim() === '') continue; // blank line
      const values: Partial<Record<MappableField, string>> = {};
      for (const [f, i] of fields) values[f] = r.cells[i] ?? '';
      let problems: { field: string; reason: string }[] | undefined;
      if (det.format !== 'xlsx' && r.cells.length !== header.length) {
        if (r.cells.length < header.length || r.cells.slice(header.length).some((c) => c.trim() !== '')) {
          problems = [{ field: '(row)', reason: `has ${r.cells.length} fields, the header has ${header.length}` }];
        }
      }
      out.push({ row: r.row, values, labels, colorSpace: 'rebrickable', ...(problems ? { problems } : {}) });
    }
    if (out.length) yield out;
  }
  if (!header) throw new AppError('invalid-input', `${baseName(file)}: the file is empty`);
}

export async function* inBatches<T>(it: AsyncIterable<T>, size = 1000): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const x of it) {
    batch.push(x);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
