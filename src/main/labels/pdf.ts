// A sheet of labels as a PDF: the plan (layout.ts, measured with the embedded font's advances)
// is made here in slices; the pictures come from the cache; pdf-lib draws it all in a worker
// (draw.ts, worker.ts). A shortened text keeps its whole text in the PDF (ActualText).
import fontkit from '@pdf-lib/fontkit';
import { pictureKey, type LabelItem } from '../../shared/contract';
import type { LabelLayout } from '../../shared/labels';
import { planLabels, type PlacedLabel } from './layout';
import { drawInWorker } from './worker';

export interface PdfPictures {
  /** A cached picture, or null (then the colour block is drawn). */
  get(key: string): Promise<{ bytes: Buffer; type: string } | null>;
}

export interface LabelPdfInput {
  title: string;
  layout: LabelLayout;
  fontBytes: Uint8Array;
  pictures: PdfPictures;
  /** Fixed dates make the same input give the same bytes (tests). */
  date?: Date;
}

const PLAN_SLICE = 200;
const yieldNow = () => new Promise<void>((r) => setImmediate(r));

/**
 * Glyph substitutions that would make a drawn text wider or narrower than the sum of its
 * characters are off, so a label's text is measured per character (fast) exactly as drawn.
 */
export const LABEL_FONT_FEATURES = { liga: false, clig: false, dlig: false, calt: false, rlig: false };

const measures = new WeakMap<Uint8Array, (text: string, size: number) => number>();

/** Width of a text at a size in the embedded font: the sum of its characters' advances. */
export function fontMeasure(fontBytes: Uint8Array): (text: string, size: number) => number {
  const known = measures.get(fontBytes);
  if (known) return known;
  const font = fontkit.create(fontBytes as Buffer) as unknown as {
    unitsPerEm: number;
    glyphForCodePoint(cp: number): { advanceWidth: number };
  };
  const advance = new Map<number, number>();
  const measure = (text: string, size: number) => {
    let units = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let a = advance.get(cp);
      if (a === undefined) advance.set(cp, (a = font.glyphForCodePoint(cp).advanceWidth));
      units += a;
    }
    return (units * size) / font.unitsPerEm;
  };
  measures.set(fontBytes, measure);
  return measure;
}

export async function labelsPdf(
  items: LabelItem[],
  input: LabelPdfInput,
): Promise<{ bytes: Uint8Array; pages: number; plan: PlacedLabel[] }> {
  const { layout } = input;
  const measure = fontMeasure(input.fontBytes);
  const plan: PlacedLabel[] = [];
  for (let i = 0; i < items.length; i += PLAN_SLICE) {
    plan.push(...planLabels(items.slice(i, i + PLAN_SLICE), layout, measure, i));
    await yieldNow();
  }
  const pages = Math.max(1, plan.length ? plan[plan.length - 1]!.page + 1 : 1);
  const pictureKeys = plan.map((l) => pictureKey('part', l.item.partId, l.item.colorId));
  const pictures: Record<string, { bytes: Uint8Array; type: string }> = {};
  for (const key of new Set(pictureKeys)) {
    const got = await input.pictures.get(key);
    if (got && (got.type === 'png' || got.type === 'jpeg')) pictures[key] = { bytes: new Uint8Array(got.bytes), type: got.type };
  }
  const bytes = await drawInWorker({
    title: input.title,
    page: layout.page,
    plan,
    pages,
    fontBytes: input.fontBytes,
    features: LABEL_FONT_FEATURES,
    pictures,
    pictureKeys,
    date: (input.date ?? new Date()).getTime(),
  });
  return { bytes, pages, plan };
}
