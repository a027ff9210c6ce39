// Colours on import and export. BlockShelf keeps Rebrickable colour ids; files may name a colour
// by Rebrickable id or name, and BrickLink/BrickStore files use BrickLink ids, which differ
// (Black is 11 there, 0 here). BrickLink ids are mapped by normalised name (case, spaces,
// dashes, grey/gray, "Mx" = Modulex, "Satin" = Opal) plus an explicit table for the colours whose
// names differ; a colour that maps to nothing is reported, never guessed.
import type { Color } from '../../shared/types';
import { BRICKLINK_COLORS } from './bricklink';

export function normaliseColorName(name: string): string {
  return name
    .toLowerCase()
    .replace(/gr[ae]y/g, 'gray')
    .replace(/^mx\s+/, 'modulex ')
    .replace(/^satin\s+/, 'opal ')
    .replace(/[\s\-_.()']+/g, '');
}

/** BrickLink id → Rebrickable id where the names differ (checked against both colour lists). */
export const BRICKLINK_EXCEPTIONS: Readonly<Record<number, number>> = {
  13: 40, // BrickLink Trans-Black is Rebrickable Trans-Brown
  251: 1095, // BrickLink Trans-Black (2023) is Rebrickable Trans-Black
  228: 1055, // BrickLink Satin White is Rebrickable Opal Trans-Clear
  229: 1056, // BrickLink Satin Trans-Black is Rebrickable Opal Trans-Brown
};

export interface ColorMaps {
  /** Rebrickable colour by id, or by name (case and spacing ignored); null when unknown. */
  resolve(value: string): number | null;
  /** BrickLink id (as text) → Rebrickable id; null when BrickLink's colour has no counterpart. */
  fromBrickLink(value: string): number | null;
  /** Rebrickable id → BrickLink id; null when there is none. */
  toBrickLink(colorId: number): number | null;
  name(colorId: number): string | undefined;
}

const INT = /^\s*-?\d+\s*$/;

export function colorMaps(colors: readonly Pick<Color, 'id' | 'name'>[]): ColorMaps {
  const byId = new Map(colors.map((c) => [c.id, c.name]));
  const byName = new Map<string, number>();
  for (const c of colors) byName.set(normaliseColorName(c.name), c.id);
  const bl = new Map<number, number>();
  for (const [blId, blName] of BRICKLINK_COLORS) {
    const exception = BRICKLINK_EXCEPTIONS[blId];
    const rb = exception !== undefined ? exception : byName.get(normaliseColorName(blName));
    if (rb !== undefined && byId.has(rb)) bl.set(blId, rb);
  }
  // BrickLink 0 is "(Not Applicable)": parts without a colour.
  if (byId.has(9999)) bl.set(0, 9999);
  const reverse = new Map<number, number>();
  for (const [blId, rb] of bl) if (!reverse.has(rb)) reverse.set(rb, blId);
  return {
    resolve(value) {
      const v = value.trim();
      if (!v) return null;
      if (INT.test(v)) {
        const n = Number(v);
        return byId.has(n) ? n : null;
      }
      return byName.get(normaliseColorName(v)) ?? null;
    },
    fromBrickLink(value) {
      const v = value.trim();
      if (!INT.test(v)) return null;
      return bl.get(Number(v)) ?? null;
    },
    toBrickLink(colorId) {
      return reverse.get(colorId) ?? null;
    },
    name(colorId) {
      return byId.get(colorId);
    },
  };
}
