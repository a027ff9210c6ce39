// Draws a label plan as a PDF with pdf-lib. Self-contained: it refers to nothing outside its
// parameters (the libraries come in as arguments), because the same function runs in a worker
// thread from its source text (./worker.ts) and, where no worker can start, on this thread.
import type * as PdfLib from 'pdf-lib';
import type { PlacedLabel } from './layout';

export interface DrawInput {
  title: string;
  page: { w: number; h: number };
  plan: PlacedLabel[];
  pages: number;
  fontBytes: Uint8Array;
  features: Record<string, boolean>;
  /** Cached pictures by key (PNG or JPEG; others are drawn as the colour block). */
  pictures: Record<string, { bytes: Uint8Array; type: string }>;
  /** Key of each label's picture, by index in the plan. */
  pictureKeys: string[];
  /** ms since the epoch, for the document's dates. */
  date: number;
}

export async function drawLabelsPdf(lib: typeof PdfLib, fontkit: unknown, input: DrawInput): Promise<Uint8Array> {
  const { PDFDocument, PDFHexString, PDFName, PDFOperator, PDFOperatorNames, rgb } = lib;
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit as Parameters<typeof doc.registerFontkit>[0]);
  const font = await doc.embedFont(input.fontBytes, { subset: true, features: input.features });
  const date = new Date(input.date);
  doc.setTitle(input.title);
  doc.setCreator('BlockShelf');
  doc.setProducer('BlockShelf (pdf-lib)');
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  const H = input.page.h;
  const pages: PdfLib.PDFPage[] = [];
  for (let i = 0; i < input.pages; i++) pages.push(doc.addPage([input.page.w, input.page.h]));
  const grey = rgb(0.42, 0.42, 0.42);
  const ink = rgb(0.08, 0.08, 0.08);
  const colorOf = (hex: string) => {
    if (!/^[0-9a-f]{6}$/i.test(hex)) return rgb(0.78, 0.78, 0.78);
    const n = parseInt(hex, 16);
    return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
  };
  const images = new Map<string, PdfLib.PDFImage | null>();
  const imageOf = async (key: string) => {
    if (images.has(key)) return images.get(key)!;
    const got = input.pictures[key];
    let img: PdfLib.PDFImage | null = null;
    try {
      if (got?.type === 'png') img = await doc.embedPng(got.bytes);
      else if (got?.type === 'jpeg') img = await doc.embedJpg(got.bytes);
    } catch {
      img = null;
    }
    images.set(key, img);
    return img;
  };

  for (let i = 0; i < input.plan.length; i++) {
    const l = input.plan[i]!;
    const page = pages[l.page]!;
    const p = l.picture;
    const img = await imageOf(input.pictureKeys[i]!);
    if (img) {
      const scale = Math.min(p.size / img.width, p.size / img.height);
      const w = img.width * scale;
      const h = img.height * scale;
      page.drawImage(img, { x: p.x + (p.size - w) / 2, y: H - p.y - p.size + (p.size - h) / 2, width: w, height: h });
    } else {
      // The placeholder: a block in the part's colour.
      const inset = p.size * 0.12;
      page.drawRectangle({
        x: p.x + inset,
        y: H - p.y - p.size + inset,
        width: p.size - 2 * inset,
        height: (p.size - 2 * inset) * 0.62,
        color: colorOf(l.item.rgb),
        borderColor: grey,
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
        color: colorOf(l.item.rgb),
        borderColor: grey,
        borderWidth: 0.4,
      });
    }
    for (const t of l.texts) {
      const shortened = t.text !== t.full;
      // A shortened text carries the whole one as ActualText (search, copy, pdftotext).
      if (shortened) {
        page.pushOperators(
          PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [
            PDFName.of('Span'),
            // An inline property list: pdf-lib writes any PDF object, its types name fewer.
            doc.context.obj({ ActualText: PDFHexString.fromText(t.full) }) as unknown as PdfLib.PDFName,
          ]),
        );
      }
      if (t.text) page.drawText(t.text, { x: t.x, y: H - t.baseline, size: t.size, font, color: t.line === 'part' ? ink : grey });
      if (shortened) page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
    }
  }
  return doc.save();
}
