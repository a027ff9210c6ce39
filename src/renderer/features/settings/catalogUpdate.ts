// "Update catalogue…": pick newer Rebrickable downloads (a zip, or parts.csv.gz, sets.csv.gz,
// inventory_parts.csv.gz…) and import them, then say what changed with the counts before and
// after. Settings offers it, and so does a set whose parts are not known yet.
import type { CatalogTable } from '../../../shared/contract';
import { call } from '../../api';
import { invalidateChannel } from '../../data/queries';
import { fmtNumber } from '../../format';

/** The counts shown, with their names in words. */
export const CATALOG_LABELS: [CatalogTable, string][] = [
  ['parts', 'parts'],
  ['elements', 'elements'],
  ['colors', 'colours'],
  ['part_categories', 'categories'],
  ['sets', 'sets'],
  ['themes', 'themes'],
  ['minifigs', 'minifigs'],
  ['inventories', 'inventories'],
  ['inventory_parts', 'inventory parts'],
  ['inventory_sets', 'sub-sets'],
  ['inventory_minifigs', 'set minifigs'],
  ['part_relationships', 'part relationships'],
];

export type CatalogUpdateMessage = { kind: 'ok' | 'error'; text: string };

/**
 * Runs the whole update: the open dialog, the import, the message. `onBusy` gets what is being
 * done (null when done). Null when the user cancelled the dialog.
 */
export async function updateCatalogue(onBusy: (text: string | null) => void): Promise<CatalogUpdateMessage | null> {
  const picked = await call('files.pickImport', { title: 'Rebrickable downloads (a zip, or parts.csv.gz, sets.csv.gz…)' });
  if (!picked.ok) return { kind: 'error', text: picked.error.message };
  if (!picked.data) return null;
  const before = await call('catalog.stats', {});
  onBusy(`Reading ${picked.data.name}…`);
  const r = await call('catalog.import', { files: [picked.data.token] });
  onBusy(null);
  if (!r.ok) return { kind: 'error', text: r.error.message };
  const after = await call('catalog.stats', {});
  invalidateChannel('catalog.stats');
  invalidateChannel('catalog.status');
  const label = (t: CatalogTable) => CATALOG_LABELS.find(([k]) => k === t)?.[1] ?? t;
  const parts = r.data.files.map((f) => {
    const counts = before.ok && after.ok ? ` ${fmtNumber(before.data[f.table])} → ${fmtNumber(after.data[f.table])}` : '';
    const removed = f.removed ? `, ${fmtNumber(f.removed)} removed` : '';
    return `${label(f.table)}${counts} (${fmtNumber(f.inserted)} new, ${fmtNumber(f.updated)} changed${removed})`;
  });
  return {
    kind: 'ok',
    text: parts.length
      ? `Updated ${parts.join('; ')}${r.data.ignored.length ? `. Not catalogue files: ${r.data.ignored.join(', ')}` : ''}.`
      : `Nothing to update: ${r.data.ignored.join(', ')} ${r.data.ignored.length === 1 ? 'is' : 'are'} not Rebrickable catalogue files.`,
  };
}
