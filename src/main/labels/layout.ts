// Places every label's contents by the shared layout numbers (src/shared/labels.ts), measuring
// text with the embedded font: a text that does not fit its line is shortened with “…” (the
// full text is kept in the PDF, see pdf.ts). Pure: the PDF writer draws this plan as it is, and
// the tests check the plan and the PDF against the cell it belongs to.
import type { LabelItem } from '../../shared/contract';
import { labelGeometry, labelPlace, type LabelLayout, type LabelLine } from '../../shared/labels';

/** Width of `text` at `size` points in the embedded font. */
export type Measure = (text: string, size: number) => number;

export interface PlacedText {
  line: LabelLine;
  /** What is drawn (maybe shortened). */
  text: string;
  /** The whole text (the PDF's text layer carries it). */
  full: string;
  /** From the page's top-left, in points. */
  x: number;
  baseline: number;
  size: number;
  /** The room the line has: `x + width(text) ≤ x + maxWidth`. */
  maxWidth: number;
}

export interface PlacedLabel {
  item: LabelItem;
  page: number;
  /** The label's top-left on its page. */
  cell: { x: number; y: number; w: number; h: number };
  picture: { x: number; y: number; size: number };
  swatch: { x: number; y: number; size: number } | null;
  texts: PlacedText[];
}

const ELLIPSIS = '…';

/** Control characters never reach a label. */
export function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/** `text`, or its longest beginning that fits `maxWidth` with “…” after it. */
export function shorten(text: string, maxWidth: number, size: number, measure: Measure): string {
  if (measure(text, size) <= maxWidth) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join('').trimEnd() + ELLIPSIS, size) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  const head = chars.slice(0, lo).join('').trimEnd();
  return measure(head + ELLIPSIS, size) <= maxWidth ? head + ELLIPSIS : '';
}

/** Places `items`, the first of them being label number `first` of the sheet (0-based). */
export function planLabels(items: LabelItem[], layout: LabelLayout, measure: Measure, first = 0): PlacedLabel[] {
  const g = labelGeometry(layout);
  const size = g.fontSize;
  return items.map((item, i) => {
    const at = labelPlace(layout, first + i);
    const cell = { x: at.x, y: at.y, w: layout.cell.w, h: layout.cell.h };
    const baselineOf = (line: LabelLine) => at.y + g.lineTop[line] + (g.lineHeight - size) / 2 + size * 0.8;
    const texts: PlacedText[] = [];
    const put = (line: LabelLine, full: string, x: number, maxWidth: number) => {
      const f = clean(full);
      if (!f) return;
      texts.push({ line, text: shorten(f, maxWidth, size, measure), full: f, x, baseline: baselineOf(line), size, maxWidth });
    };
    const tx = at.x + g.text.x;
    put('part', item.partId, tx, g.text.w);
    put('name', item.name, tx, g.text.w);
    const sw = g.swatch;
    const swatchTop = at.y + g.lineTop.color + (g.lineHeight - sw.size) / 2;
    put('color', item.colorName, tx + sw.size + sw.gap, g.text.w - sw.size - sw.gap);
    // A set's part that the inventory does not hold (no lot) has no location line: a blank to write on.
    put('location', item.location ? item.location : item.lotId === null ? '' : '(no location)', tx, g.text.w);
    return {
      item,
      page: at.page,
      cell,
      picture: { x: at.x + g.picture.x, y: at.y + g.picture.y, size: g.picture.size },
      swatch: { x: tx, y: swatchTop, size: sw.size },
      texts,
    };
  });
}
