// What a part number (or an element id) looked up in the local parts catalogue stands for.
import type { CatalogLookup } from '../../../shared/contract/catalog';

export interface PartInfo {
  name: string;
  /** Set when the text typed was an element id (or a suffix fallback): the part it stands for. */
  resolvedPartId?: string;
  /** An element id fixes the colour too. */
  colorId?: number;
  matchedBy: CatalogLookup['matchedBy'];
}

/** The answer of `catalog.lookup`, as the item editor shows it (null: not in the catalogue). */
export function partInfo(lookup: CatalogLookup): PartInfo | null {
  if (!lookup.part) return null;
  const info: PartInfo = { name: lookup.part.name, matchedBy: lookup.matchedBy };
  if (lookup.matchedBy === 'element') {
    info.resolvedPartId = lookup.part.partNum;
    if (lookup.colorId !== null) info.colorId = lookup.colorId;
  }
  return info;
}
