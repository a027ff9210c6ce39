// Row checks: a row the file offers becomes a lot, or the problems that keep it out, each as
// field + reason. The rules for part number, quantities, location, name, notes and image are the
// contract's own (lotFields), so an import accepts exactly what adding a lot by hand accepts;
// only the wording is the import report's (`is longer than 200 characters`).
import type { z } from 'zod';
import { lotFields, PART_ID_RULE, type MappableField } from '../../../shared/contract';
import type { ColorMaps } from '../../colors/maps';
import { unneutralise } from '../cells';
import type { CheckedLot, SourceRow } from './types';

const NUMBER_INT = /^\s*\+?\d+(\.0+)?\s*$/;
const BOOL_TRUE = new Set(['true', '1', 'yes', 'y', 'x']);
const BOOL_FALSE = new Set(['false', '0', 'no', 'n', '']);

type Issue = z.core.$ZodIssue;

/** The first rule of `schema` that `value` breaks, in the import report's words; null when none. */
function breaks(schema: z.ZodType, value: unknown, custom: string): string | null {
  const r = schema.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0] as Issue;
  switch (issue.code) {
    case 'too_small':
      return 'is empty';
    case 'too_big':
      return typeof value === 'number'
        ? `is larger than ${String(issue.maximum)}`
        : `is longer than ${String(issue.maximum)} characters`;
    case 'invalid_format':
      return PART_ID_RULE;
    default:
      return custom;
  }
}

/** Checks one row. Returns the lot or the problems (field + reason) that keep it out. */
export function checkRow(
  src: SourceRow,
  colors: ColorMaps,
): { lot: CheckedLot | null; problems: { field: string; reason: string }[]; unknownColor?: string } {
  const problems: { field: string; reason: string }[] = [...(src.problems ?? [])];
  const label = (f: MappableField) => src.labels[f] ?? f;
  const v = (f: MappableField) => src.values[f] ?? '';
  const bad = (f: MappableField, reason: string | null) => {
    if (reason !== null) problems.push({ field: label(f), reason });
  };

  const partId = unneutralise(v('part').trim());
  bad('part', breaks(lotFields.partId, partId, 'is not a part number'));

  const colorText = v('color').trim();
  let colorId: number | null = null;
  let unknownColor: string | undefined;
  if (!colorText) bad('color', 'is empty');
  else {
    colorId = src.colorSpace === 'bricklink' ? colors.fromBrickLink(colorText) : colors.resolve(colorText);
    if (colorId === null) {
      unknownColor = src.colorSpace === 'bricklink' ? `BrickLink ${colorText}` : colorText;
      bad(
        'color',
        src.colorSpace === 'bricklink'
          ? `BrickLink colour ${colorText} has no Rebrickable counterpart`
          : `unknown colour “${colorText}”`,
      );
    }
  }

  const qtyText = v('quantity');
  let quantityTotal = 0;
  if (qtyText.trim() === '') bad('quantity', 'is empty');
  else if (/^\s*-\s*\d/.test(qtyText)) bad('quantity', `is negative (${qtyText.trim()})`);
  else if (!NUMBER_INT.test(qtyText)) bad('quantity', `“${qtyText.trim().slice(0, 40)}” is not a whole number`);
  else {
    quantityTotal = Math.trunc(Number(qtyText));
    bad('quantity', breaks(lotFields.quantityTotal, quantityTotal, 'is not a quantity'));
  }

  let quantityUsed = 0;
  const usedText = v('used');
  if (usedText.trim() !== '') {
    if (/^\s*-\s*\d/.test(usedText)) bad('used', `is negative (${usedText.trim()})`);
    else if (!NUMBER_INT.test(usedText)) bad('used', `“${usedText.trim().slice(0, 40)}” is not a whole number`);
    else {
      quantityUsed = Math.trunc(Number(usedText));
      if (quantityUsed > quantityTotal) bad('used', `${quantityUsed} is more than the quantity ${quantityTotal}`);
    }
  } else if (src.values.isUsed !== undefined) {
    const flag = v('isUsed').trim().toLowerCase();
    if (BOOL_TRUE.has(flag)) quantityUsed = quantityTotal;
    else if (!BOOL_FALSE.has(flag)) bad('isUsed', `“${v('isUsed').slice(0, 40)}” is not True or False`);
  }

  const storageLocation = unneutralise(v('location').trim());
  bad('location', breaks(lotFields.storageLocation, storageLocation, 'is not a location'));
  const name = unneutralise(v('name').trim());
  bad('name', breaks(lotFields.name, name, 'is not a name'));
  const notes = unneutralise(v('notes'));
  bad('notes', breaks(lotFields.notes, notes, 'is not a note'));
  const imageUrl = v('imageUrl').trim();
  bad('imageUrl', breaks(lotFields.imageUrl, imageUrl, 'is not an http(s) address'));

  if (problems.length) return { lot: null, problems, ...(unknownColor ? { unknownColor } : {}) };
  return {
    lot: {
      row: src.row,
      partId,
      colorId: colorId!,
      quantityTotal,
      quantityUsed,
      storageLocation,
      name,
      notes,
      imageUrl: imageUrl || null,
    },
    problems,
  };
}
