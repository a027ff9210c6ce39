// Storage labels: which lots (one location, or chosen lots, of an inventory the acting profile
// may read) or which parts (a catalogue set's list, each with where its pick list finds it), laid out on a label stock and written as a PDF (pdf.ts). The PDF goes to a file the
// user picked (written beside it, then renamed into place) or to a temporary file for the
// desktop's print dialog. The same service serves the window, the CLI and the e2e host.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_LABELS, type LabelItem, type LabelsPreview, type LabelsResult, type ParsedInput } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { LABELS_PER_PAGE, LABEL_LAYOUTS, labelPages, type LabelLayoutId } from '../../shared/labels';
import type { DbHandle } from '../db/open';
import type { Access } from '../profiles/service';
import type { PdfPictures } from './pdf';

/** A set's list, line by line, with the lots its pick list takes each line from (the Sets service). */
export type SetPickedLines = (
  ownerId: number | undefined,
  setNum: string,
) => Promise<{
  source: { id: string; name: string };
  lines: { partId: string; colorId: number; colorName: string; name: string; lots: { lotId: number; location: string }[] }[];
}>;

export type LabelSelection = ParsedInput<'labels.create'>['selection'];

export interface LabelsDeps {
  db: () => DbHandle;
  access: (ownerId?: number) => Access;
  pictures: PdfPictures;
  /** The TrueType font to embed; null when the app was installed without it. */
  fontFile: string | null;
  /** Where print jobs' PDFs are written. */
  tempDir: string;
  setLines: SetPickedLines;
}

const COLUMNS = `i.id AS lotId, i.part_id AS partId, i.name AS name, i.color_id AS colorId, i.color_name AS colorName,
  COALESCE(c.rgb, '') AS rgb, i.storage_location AS location`;

export function createLabelsService(deps: LabelsDeps) {
  let font: Uint8Array | null = null;
  const fontBytes = () => {
    if (font) return font;
    if (!deps.fontFile)
      throw new AppError(
        'not-found',
        'The label font (resources/fonts/DejaVuSansCondensed.ttf) is missing from this installation.',
      );
    font = readFileSync(deps.fontFile);
    return font;
  };

  /**
   * One label per (part, colour) of a set's list: the part's catalogue name, and the locations
   * its pick list takes it from (none when the inventory has none of it).
   */
  async function setItems(ownerId: number | undefined, setNum: string): Promise<{ title: string; rows: LabelItem[] }> {
    const { source, lines } = await deps.setLines(ownerId, setNum);
    const rgbOf = deps.db().stmt('SELECT rgb FROM colors WHERE id = ?');
    const rows = lines.map((l) => ({
      lotId: l.lots[0]?.lotId ?? null,
      partId: l.partId,
      name: l.name,
      colorId: l.colorId,
      colorName: l.colorName,
      rgb: (rgbOf.get(l.colorId) as { rgb: string } | undefined)?.rgb ?? '',
      location: [...new Set(l.lots.map((x) => x.location.trim() || '(no location)'))].join(', '),
    }));
    rows.sort((a, b) => (a.partId < b.partId ? -1 : a.partId > b.partId ? 1 : a.colorName.localeCompare(b.colorName)));
    return { title: `BlockShelf labels — ${source.id} ${source.name}`, rows };
  }

  /** The labels of a selection, in part and colour order; more than MAX_LABELS is refused. */
  async function items(sel: LabelSelection): Promise<{ title: string; rows: LabelItem[] }> {
    const { ownerId } = deps.access(sel.ownerId);
    if ('setNum' in sel) return capped(await setItems(sel.ownerId, sel.setNum));
    const sql = deps.db().sqlite;
    let rows: LabelItem[];
    if ('location' in sel) {
      rows = sql
        .prepare<[number, string, number], LabelItem>(
          `SELECT ${COLUMNS} FROM inventory_items i LEFT JOIN colors c ON c.id = i.color_id
           WHERE i.user_id = ? AND i.storage_location = ? COLLATE NOCASE
           ORDER BY i.part_id, i.color_name, i.id LIMIT ?`,
        )
        .all(ownerId, sel.location.trim(), MAX_LABELS + 1);
      if (rows.length === 0) {
        throw new AppError(
          'not-found',
          sel.location.trim() ? `No lots are stored at “${sel.location.trim()}”.` : 'No lots are without a location.',
        );
      }
    } else {
      const ids = [...new Set(sel.lotIds)];
      rows = sql
        .prepare<[number, string], LabelItem>(
          `SELECT ${COLUMNS} FROM inventory_items i LEFT JOIN colors c ON c.id = i.color_id
           WHERE i.user_id = ? AND i.id IN (SELECT value FROM json_each(?))
           ORDER BY i.part_id, i.color_name, i.id`,
        )
        .all(ownerId, JSON.stringify(ids));
      const found = new Set(rows.map((r) => r.lotId));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) {
        throw new AppError(
          'not-found',
          `Lot ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''} is not in this inventory.`,
          {
            details: { missing: missing.slice(0, 50) },
          },
        );
      }
    }
    const title =
      'location' in sel
        ? `BlockShelf labels — ${sel.location.trim() || '(no location)'}`
        : `BlockShelf labels — ${sel.lotIds.length} lots`;
    return capped({ title, rows });
  }

  function capped<T extends { rows: LabelItem[] }>(r: T): T {
    if (r.rows.length > MAX_LABELS) {
      throw new AppError('invalid-input', `That is more than ${MAX_LABELS} labels; choose fewer lots (one location at a time).`);
    }
    return r;
  }

  async function make(sel: LabelSelection, layoutId: LabelLayoutId) {
    const { title, rows: list } = await items(sel);
    const layout = LABEL_LAYOUTS[layoutId];
    // The PDF library loads when labels are first made, not with every command or window.
    const { labelsPdf } = await import('./pdf');
    const pdf = await labelsPdf(list, { title, layout, fontBytes: fontBytes(), pictures: deps.pictures });
    return { ...pdf, labels: list.length, layout: layoutId };
  }

  return {
    items,
    async preview(sel: LabelSelection, layoutId: LabelLayoutId): Promise<LabelsPreview> {
      const { rows: list } = await items(sel);
      const layout = LABEL_LAYOUTS[layoutId];
      return {
        layout: layoutId,
        count: list.length,
        pages: labelPages(layout, list.length),
        firstPage: list.slice(0, LABELS_PER_PAGE(layout)),
      };
    },
    /** The PDF's bytes and plan (tests, the CLI's dry runs). */
    make,
    /** Writes the PDF to `file`: complete, or not at all. */
    async write(sel: LabelSelection, layoutId: LabelLayoutId, file: string): Promise<LabelsResult> {
      const pdf = await make(sel, layoutId);
      const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(tmp, pdf.bytes);
        await rename(tmp, file);
      } catch (e) {
        await rm(tmp, { force: true });
        const code = (e as NodeJS.ErrnoException).code;
        throw new AppError(
          code === 'ENOSPC' ? 'disk-full' : code === 'EACCES' || code === 'EPERM' ? 'no-permission' : 'io-error',
          `The labels could not be saved to ${path.basename(file)}: ${(e as Error).message}`,
          { cause: e },
        );
      }
      return { layout: layoutId, labels: pdf.labels, pages: pdf.pages, bytes: pdf.bytes.length };
    },
    /** Writes the PDF to a temporary file for printing; the caller removes it with `done`. */
    async forPrint(sel: LabelSelection, layoutId: LabelLayoutId) {
      const pdf = await make(sel, layoutId);
      mkdirSync(deps.tempDir, { recursive: true });
      const file = path.join(deps.tempDir, `labels-${randomBytes(8).toString('hex')}.pdf`);
      await writeFile(file, pdf.bytes);
      return {
        file,
        result: { layout: layoutId, labels: pdf.labels, pages: pdf.pages, bytes: pdf.bytes.length },
        done: () => rmSync(file, { force: true }),
      };
    },
  };
}

export type LabelsService = ReturnType<typeof createLabelsService>;
