// One source per format, chosen by the detected format: each turns a file into batches of rows
// that the checks then judge the same way.
import type { ImportDetection } from '../../../../shared/contract';
import { isGzip, rawHead } from '../../../util/file-head';
import { readCsv, readXlsx } from '../../readers';
import type { NonPart, ReadOptions, SourceRow } from '../types';
import { inBatches, tableSource } from './table';
import { xmlSource } from './xml';

export async function* sourceRows(
  file: string,
  opts: ReadOptions,
  det: ImportDetection,
  onBytes: (n: number) => void,
  signal: AbortSignal | undefined,
  nonParts: (np: NonPart) => void,
): AsyncGenerator<SourceRow[]> {
  const encoding = det.encoding ?? 'utf-8';
  const withSignal = signal ? { signal } : {};
  if (det.format === 'xlsx') {
    const rows = readXlsx(file, { ...withSignal, ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}) });
    yield* tableSource(file, det, inBatches(rows));
    return;
  }
  const gz = isGzip(await rawHead(file));
  if (det.format === 'bricklink-xml' || det.format === 'bsx') {
    yield* xmlSource(file, det.format, { encoding, gz, onBytes, signal }, nonParts);
    return;
  }
  yield* tableSource(file, det, readCsv(file, { encoding, delimiter: det.delimiter ?? ',', gz, onBytes, ...withSignal }));
}
