// BrickLink XML (INVENTORY/ITEM) and BrickStore BSX (…/Inventory/Item) as rows to check: only
// parts (item type P) are offered as lots, other items are reported as non-parts. BrickLink
// colour ids are mapped when the row is checked.
import type { ImportFormat } from '../../../../shared/contract';
import type { Encoding } from '../../../../shared/contract';
import { readXmlItems } from '../../readers';
import type { NonPart, SourceRow } from '../types';

export async function* xmlSource(
  file: string,
  format: Extract<ImportFormat, 'bricklink-xml' | 'bsx'>,
  read: { encoding: Encoding; gz: boolean; onBytes: (n: number) => void; signal: AbortSignal | undefined },
  nonParts: (np: NonPart) => void,
): AsyncGenerator<SourceRow[]> {
  const { encoding: enc, gz, onBytes, signal } = read;
  const bsx = format === 'bsx';
  const tag = bsx
    ? { type: 'ITEMTYPEID', id: 'ITEMID', color: 'COLORID', qty: 'QTY', loc: 'REMARKS', notes: 'COMMENTS', name: 'ITEMNAME' }
    : { type: 'ITEMTYPE', id: 'ITEMID', color: 'COLOR', qty: 'QTY', loc: 'REMARKS', notes: 'NOTES', name: 'ITEMNAME' };
  const labels = bsx
    ? { part: 'ItemID', color: 'ColorID', quantity: 'Qty', location: 'Remarks', notes: 'Comments', name: 'ItemName' }
    : { part: 'ITEMID', color: 'COLOR', quantity: 'QTY', location: 'REMARKS', notes: 'NOTES', name: 'ITEMNAME' };
  let batch: SourceRow[] = [];
  for await (const it of readXmlItems(file, { encoding: enc, gz, onBytes, ...(signal ? { signal } : {}) })) {
    if (batch.length >= 1000) {
      yield batch;
      batch = [];
    }
    const f = it.fields;
    const type = (f[tag.type] ?? '').toUpperCase();
    if (type !== 'P') {
      nonParts({ row: it.item, type: type || '(none)', itemId: f[tag.id] ?? '' });
      continue;
    }
    const qtyKey = f[tag.qty] !== undefined ? tag.qty : 'MINQTY';
    batch.push({
      row: it.item,
      values: {
        part: f[tag.id] ?? '',
        color: f[tag.color] ?? (bsx ? '' : '0'),
        quantity: f[qtyKey] ?? '',
        location: f[tag.loc] ?? '',
        notes: f[tag.notes] ?? '',
        name: f[tag.name] ?? '',
      },
      labels: { ...labels, quantity: qtyKey === 'MINQTY' ? 'MINQTY' : labels.quantity },
      colorSpace: 'bricklink',
    });
  }
  if (batch.length) yield batch;
}
