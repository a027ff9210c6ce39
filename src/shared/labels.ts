// The label layouts: page size, grid and the place of everything inside a label, in PDF points
// (1/72 in). The PDF engine (src/main/labels/) and the window's preview draw from these same
// numbers, so the preview shows what prints.

export const LABEL_LAYOUT_IDS = ['avery-5167', 'a4-24', 'roll-62mm'] as const;
export type LabelLayoutId = (typeof LABEL_LAYOUT_IDS)[number];

export interface LabelLayout {
  id: LabelLayoutId;
  title: string;
  page: { w: number; h: number };
  cols: number;
  rows: number;
  /** One label. */
  cell: { w: number; h: number };
  /** Top-left corner of the first label, from the page's top-left. */
  origin: { x: number; y: number };
  /** From one label's corner to the next one's. */
  pitch: { x: number; y: number };
  /** Blank border inside a label. */
  padding: number;
  /** Largest text size. */
  maxFont: number;
}

const IN = 72;
const MM = 72 / 25.4;

export const LABEL_LAYOUTS: Record<LabelLayoutId, LabelLayout> = {
  'avery-5167': {
    id: 'avery-5167',
    title: 'Avery 5167 — 1.75 × 0.5 in, 80 per US Letter sheet',
    page: { w: 8.5 * IN, h: 11 * IN },
    cols: 4,
    rows: 20,
    cell: { w: 1.75 * IN, h: 0.5 * IN },
    origin: { x: 0.28125 * IN, y: 0.5 * IN },
    pitch: { x: 2.0625 * IN, y: 0.5 * IN },
    padding: 3,
    maxFont: 7,
  },
  'a4-24': {
    id: 'a4-24',
    title: 'A4 sheet, 3 × 8 labels of 63.5 × 33.9 mm',
    page: { w: 210 * MM, h: 297 * MM },
    cols: 3,
    rows: 8,
    cell: { w: 63.5 * MM, h: 33.9 * MM },
    origin: { x: 7.2 * MM, y: 12.9 * MM },
    pitch: { x: 66 * MM, y: 33.9 * MM },
    padding: 2.5 * MM,
    maxFont: 10,
  },
  'roll-62mm': {
    id: 'roll-62mm',
    title: '62 mm continuous roll, one 29 mm label per page',
    page: { w: 62 * MM, h: 29 * MM },
    cols: 1,
    rows: 1,
    cell: { w: 62 * MM, h: 29 * MM },
    origin: { x: 0, y: 0 },
    pitch: { x: 62 * MM, y: 29 * MM },
    padding: 2.5 * MM,
    maxFont: 11,
  },
};

export const LABELS_PER_PAGE = (l: LabelLayout) => l.cols * l.rows;

/** The lines of text on a label, top to bottom. */
export const LABEL_LINES = ['part', 'name', 'color', 'location'] as const;
export type LabelLine = (typeof LABEL_LINES)[number];

export interface LabelGeometry {
  /** The picture's square, from the label's top-left. */
  picture: { x: number; y: number; size: number };
  /** The text column. */
  text: { x: number; w: number };
  fontSize: number;
  lineHeight: number;
  /** Top of each line, from the label's top-left. */
  lineTop: Record<LabelLine, number>;
  /** The colour swatch before the colour's name. */
  swatch: { size: number; gap: number };
}

/** Where everything goes inside one label of `layout`. */
export function labelGeometry(layout: LabelLayout): LabelGeometry {
  const p = layout.padding;
  const inner = layout.cell.h - 2 * p;
  const size = inner;
  const textX = p + size + p;
  const lineHeight = inner / LABEL_LINES.length;
  const fontSize = Math.min(layout.maxFont, lineHeight / 1.2);
  const top = p + (inner - lineHeight * LABEL_LINES.length) / 2;
  const lineTop = Object.fromEntries(LABEL_LINES.map((l, i) => [l, top + i * lineHeight])) as Record<LabelLine, number>;
  return {
    picture: { x: p, y: p, size },
    text: { x: textX, w: layout.cell.w - textX - p },
    fontSize,
    lineHeight,
    lineTop,
    swatch: { size: fontSize * 0.9, gap: fontSize * 0.35 },
  };
}

/** The label at `index` (0-based, across pages): its page and top-left corner. */
export function labelPlace(layout: LabelLayout, index: number): { page: number; x: number; y: number } {
  const per = LABELS_PER_PAGE(layout);
  const page = Math.floor(index / per);
  const k = index % per;
  const row = Math.floor(k / layout.cols);
  const col = k % layout.cols;
  return { page, x: layout.origin.x + col * layout.pitch.x, y: layout.origin.y + row * layout.pitch.y };
}

export function labelPages(layout: LabelLayout, count: number): number {
  return Math.max(1, Math.ceil(count / LABELS_PER_PAGE(layout)));
}
