// Writes a label plan (layout.ts) as a PDF with pdf-lib: the embedded font (subset), each
// label's picture from the cache (PNG or JPEG; anything else, or none, is a block in the part's
// colour), the colour swatch and the text lines. A shortened text is drawn inside a marked-
// content span whose ActualText is the whole text, so copying, searching or pdftotext give the
// full name. Work is cut into slices with a yield between them, so a long sheet does not hold
// the thread that answers calls.
import fontkit from '@pdf-lib/fontkit';
import {
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFOperator,
  PDFOperatorNames,
  rgb,
  type Color,
  type PDFFont,
  type PDFImage,
  type PDFPage,
} from 'pdf-lib';
import { pictureKey, type LabelItem } from '../../shared/contract';
import type { LabelLayout } from '../../shared/labels';
import { planLabels, type PlacedLabel } from './layout';

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

const LABELS_PER_SLICE = 20;
const PLAN_SLICE = 100;

/**
 * Glyph substitutions that would make a drawn text wider or narrower than the sum of its
 * characters are off, so a label's text is measured per character (fast) exactly as drawn.
 */
export const LABEL_FONT_FEATURES = { liga: false, clig: false, dlig: false, calt: false, rlig: false };

/** Width of a text at a size in the embedded font: the sum of its characters' advances. */
export function fontMeasure(fontBytes: Uint8Array): (text: string, size: number) => number {
  const font = fontkit.create(fontBytes as Buffer) as unknown as {
    unitsPerEm: number;
    glyphForCodePoint(cp: number): { advanceWidth: number };
  };
  const advance = new Map<number, number>();
  return (text, size) => {
    let units = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let a = advance.get(cp);
      if (a === undefined) advance.set(cp, (a = font.glyphForCodePoint(cp).advanceWidth));
      units += a;
    }
    return (units * size) / font.unitsPerEm;
  };
}
const yieldNow = () => new Promise<void>((r) => setImmediate(r));

function color(hex: string, fallback = 0.78): Color {
  if (!/^[0-9a-f]{6}$/i.test(hex)) return rgb(fallback, fallback, fallback);
  const n = parseInt(hex, 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

const GREY = rgb(0.42, 0.42, 0.42);
const INK = rgb(0.08, 0.08, 0.08);

export async function labelsPdf(
  items: LabelItem[],
  input: LabelPdfInput,
): Promise<{ bytes: Uint8Array; pages: number; plan: PlacedLabel[] }> {
  const { layout } = input;
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(input.fontBytes, { subset: true, features: LABEL_FONT_FEATURES });
  const date = input.date ?? new Date();
  doc.setTitle(input.title);
  doc.setCreator('BlockShelf');
  doc.setProducer('BlockShelf (pdf-lib)');
  doc.setCreationDate(date);
  doc.setModificationDate(date);

  const measure = fontMeasure(input.fontBytes);
  const plan: PlacedLabel[] = [];
  for (let i = 0; i < items.length; i += PLAN_SLICE) {
    plan.push(...planLabels(items.slice(i, i + PLAN_SLICE), layout, measure, i));
    await yieldNow();
  }
  const pageCount = Math.max(1, plan.length ? plan[plan.length - 1]!.page + 1 : 1);
  const pages: PDFPage[] = [];
  for (let i = 0; i < pageCount; i++) pages.push(doc.addPage([layout.page.w, layout.page.h]));
  const H = layout.page.h;
  const images = new Map<string, PDFImage | null>();

  async function picture(key: string): Promise<PDFImage | null> {
    if (images.has(key)) return images.get(key)!;
    let img: PDFImage | null = null;
    try {
      const got = await input.pictures.get(key);
      if (got?.type === 'png') img = await doc.embedPng(got.bytes);
      else if (got?.type === 'jpeg') img = await doc.embedJpg(got.bytes);
    } catch {
      img = null;
    }
    images.set(key, img);
    return img;
  }

  for (let i = 0; i < plan.length; i++) {
    if (i > 0 && i % LABELS_PER_SLICE === 0) await yieldNow();
    const l = plan[i]!;
    const page = pages[l.page]!;
    await drawLabel(page, l, font, H, await picture(pictureKey('part', l.item.partId, l.item.colorId)));
  }
  await yieldNow();
  const bytes = await doc.save({ objectsPerTick: 50 });
  return { bytes, pages: pageCount, plan };
}

async function drawLabel(page: PDFPage, l: PlacedLabel, font: PDFFont, H: number, img: PDFImage | null) {
  const p = l.picture;
  if (img) {
    const scale = Math.min(p.size / img.width, p.size / img.height);
    const w = img.width * scale;
    const h = img.height * scale;
    page.drawImage(img, { x: p.x + (p.size - w) / 2, y: H - p.y - p.size + (p.size - h) / 2, width: w, height: h });
  } else {
    // The placeholder: a brick in the part's colour.
    const inset = p.size * 0.12;
    page.drawRectangle({
      x: p.x + inset,
      y: H - p.y - p.size + inset,
      width: p.size - 2 * inset,
      height: (p.size - 2 * inset) * 0.62,
      color: color(l.item.rgb),
      borderColor: GREY,
      borderWidth: 0.5,
    });
  }
  if (l.swatch) {
    const s = l.swatch;
    page.drawRectangle({
      x: s.x,
      y: H - s.y - s.size,
      width: s.size,
      height: s.size,
      color: color(l.item.rgb),
      borderColor: GREY,
      borderWidth: 0.4,
    });
  }
  for (const t of l.texts) {
    const shortened = t.text !== t.full;
    if (shortened) {
      page.pushOperators(
        PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [
          PDFName.of('Span'),
          // An inline property list: pdf-lib writes any PDF object, its types name fewer.
          page.doc.context.obj({ ActualText: PDFHexString.fromText(t.full) }) as unknown as PDFName,
        ]),
      );
    }
    if (t.text) page.drawText(t.text, { x: t.x, y: H - t.baseline, size: t.size, font, color: t.line === 'part' ? INK : GREY });
    if (shortened) page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
  }
}
