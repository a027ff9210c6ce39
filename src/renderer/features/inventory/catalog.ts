// Looks a part number (or an element id) up in the local parts catalogue.
import type { CatalogLookup } from '../../../shared/contract/catalog';
import { call } from '../../api';

export interface PartInfo {
  name: string;
  /** Set when the text typed was an element id (or a suffix fallback): the part it stands for. */
  resolvedPartId?: string;
  /** An element id fixes the colour too. */
  colorId?: number;
  matchedBy: CatalogLookup['matchedBy'];
}

export async function lookupPart(text: string): Promise<PartInfo | null> {
  const query = text.trim();
  if (!query) return null;
  const r = await call('catalog.lookup', { query });
  if (!r.ok || !r.data.part) return null;
  const info: PartInfo = { name: r.data.part.name, matchedBy: r.data.matchedBy };
  if (r.data.matchedBy === 'element') {
    info.resolvedPartId = r.data.part.partNum;
    if (r.data.colorId !== null) info.colorId = r.data.colorId;
  }
  return info;
}
