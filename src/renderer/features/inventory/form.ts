// Pure helpers of the add/edit dialog.
import type { Placement } from '../../../shared/types';
import { fmtNumber } from '../../format';

/** Parses a quantity box: whole numbers only; anything else is reported at the field. */
export function parseQty(s: string, label: string): { value?: number; error?: string } {
  const t = s.trim();
  if (t === '') return { error: `${label} is required` };
  if (!/^-?\d+$/.test(t)) return { error: `${label} must be a whole number` };
  if (Number(t) < 0) return { error: `${label} must not be negative` };
  return { value: Number(t) };
}

/** "A (3), B (5) and 4 more places" */
export function placesText(places: Placement[], max = 5): string {
  const shown = places.slice(0, max).map((p) => `${p.storageLocation || 'no location'} (${fmtNumber(p.quantityTotal)})`);
  const more = places.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more ${more === 1 ? 'place' : 'places'}` : '');
}
