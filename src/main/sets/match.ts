// Build matching: a list of needed lines against a profile's lots.
//
// Per line, need = its quantity; a lot offers total − used pieces (total with `countUsed`). Under
// the options, lines and lots fall into groups (same representative part, same colour unless
// colour is ignored; see variants.ts). Within a group every lot can serve every line, so the
// group owns min(Σ need, Σ offered) pieces whatever the order; each piece of a lot is given to one
// line only. Pieces are handed out the most exact way first: the same part and colour, then the
// same part in another colour (ignoreColor), then a variant in the same colour, then a variant in
// another colour; lots in location order at each step.
//
// A line's `have` is what it got plus what is left over in its group after every line took
// its share (so without options it is Σ offered by the lots of its part and colour, as in the
// definition: have = Σ(total − used)), `owned` = min(need, have), and a missing line has
// have < need. The list's needed = Σ need, owned = Σ owned, pct = owned / needed × 100.
import type { ListLine, MissingLine, PickLine } from '../../shared/contract';
import { matchKey, type Canon } from './variants';

export interface LotRow {
  id: number;
  partId: string;
  colorId: number;
  colorName: string;
  name: string;
  location: string;
  total: number;
  used: number;
}

export interface MatchOptions {
  countUsed: boolean;
  ignoreColor: boolean;
}

export interface MatchResult {
  needed: number;
  owned: number;
  pct: number;
  missing: MissingLine[];
  pick: PickLine[];
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Locations in the order a pick list walks them: by name (numbers in order), no location last. */
export function compareLocations(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  return collator.compare(a, b) || (a < b ? -1 : 1);
}

export const compareParts = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

export function matchList(lines: readonly ListLine[], lots: readonly LotRow[], canon: Canon, o: MatchOptions): MatchResult {
  const key = (part: string, color: number) => matchKey(canon, part, color, o.ignoreColor);
  const groups = new Map<string, { lines: { line: ListLine; got: number }[]; lots: { lot: LotRow; free: number }[] }>();
  const group = (k: string) => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { lines: [], lots: [] }));
    return g;
  };
  const sortedLines = [...lines].sort((a, b) => compareParts(a.partId, b.partId) || a.colorId - b.colorId);
  for (const line of sortedLines) group(key(line.partId, line.colorId)).lines.push({ line, got: 0 });
  const seen = new Set<number>();
  for (const lot of lots) {
    if (seen.has(lot.id)) continue; // a lot offered twice counts once
    seen.add(lot.id);
    const g = groups.get(key(lot.partId, lot.colorId));
    const free = o.countUsed ? lot.total : lot.total - lot.used;
    if (g && free > 0) g.lots.push({ lot, free });
  }

  const takes: PickLine[] = [];
  const missing: MissingLine[] = [];
  let needed = 0;
  let owned = 0;
  for (const g of groups.values()) {
    g.lots.sort((a, b) => compareLocations(a.lot.location, b.lot.location) || a.lot.id - b.lot.id);
    for (let tier = 0; tier < 4; tier++) {
      for (const l of g.lines) {
        let want = l.line.quantity - l.got;
        if (want <= 0) continue;
        for (const s of g.lots) {
          if (s.free === 0) continue;
          const t = (s.lot.partId === l.line.partId ? 0 : 2) + (s.lot.colorId === l.line.colorId ? 0 : 1);
          if (t !== tier) continue;
          const take = Math.min(want, s.free);
          s.free -= take;
          l.got += take;
          want -= take;
          takes.push({
            lotId: s.lot.id,
            location: s.lot.location,
            partId: s.lot.partId,
            colorId: s.lot.colorId,
            colorName: s.lot.colorName,
            name: s.lot.name,
            take,
            forPartId: l.line.partId,
            forColorId: l.line.colorId,
          });
          if (want === 0) break;
        }
      }
    }
    const left = g.lots.reduce((n, s) => n + s.free, 0);
    for (const l of g.lines) {
      const need = l.line.quantity;
      const have = l.got + left;
      needed += need;
      owned += Math.min(need, have);
      if (have < need) {
        const { partId, colorId, colorName, name } = l.line;
        missing.push({ partId, colorId, colorName, name, need, have, missing: need - have });
      }
    }
  }
  missing.sort((a, b) => compareParts(a.partId, b.partId) || a.colorId - b.colorId);
  takes.sort(
    (a, b) =>
      compareLocations(a.location, b.location) ||
      compareParts(a.partId, b.partId) ||
      a.colorId - b.colorId ||
      a.lotId - b.lotId ||
      compareParts(a.forPartId, b.forPartId) ||
      a.forColorId - b.forColorId,
  );
  return { needed, owned, pct: needed === 0 ? 0 : (owned / needed) * 100, missing, pick: takes };
}
