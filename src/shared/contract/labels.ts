// Storage labels: a PDF of labels (picture, part number, name, colour and location) for one
// location, for chosen lots, or for a catalogue set's parts (one label per part and colour of
// the set's list, with the location its pick list takes it from; empty when not owned), on a label stock layout (src/shared/labels.ts). The PDF is written
// to a file picked in the save dialog (a token, never a path), or handed to the system's print
// dialog in the desktop app. `labels.preview` gives the window what the first page shows.
import { z } from 'zod';
import { LABEL_LAYOUT_IDS, type LabelLayoutId } from '../labels';
import { LIMITS, fileToken, id, out, ownerRef } from './common';
import { setNum } from './sets';
import type { FileRef } from './transfer';

/** At most this many labels in one PDF. */
export const MAX_LABELS = 5000;

const selection = z.union([
  z.strictObject({ ...ownerRef, location: z.string().max(LIMITS.location) }),
  z.strictObject({ ...ownerRef, lotIds: z.array(id).min(1, 'choose at least one lot').max(MAX_LABELS) }),
  /** A set's parts: its list (newest inventory, sub-sets and minifigures expanded, no spares). */
  z.strictObject({ ...ownerRef, setNum }),
]);

const layout = z.enum(LABEL_LAYOUT_IDS);

export interface LabelItem {
  /** The lot the label is for; for a set's part, the first lot its pick list takes from (null: not owned). */
  lotId: number | null;
  partId: string;
  name: string;
  colorId: number;
  colorName: string;
  /** Six hex digits, or '' when the colour is not known. */
  rgb: string;
  /** For a set's part: every location its pick list takes it from, joined by “, ” ('' when not owned). */
  location: string;
}

export interface LabelsPreview {
  layout: LabelLayoutId;
  /** Labels in the selection. */
  count: number;
  pages: number;
  /** The labels of the first page. */
  firstPage: LabelItem[];
}

export interface LabelsResult {
  layout: LabelLayoutId;
  labels: number;
  pages: number;
  bytes: number;
}

export const labelsContract = {
  'labels.preview': { input: z.strictObject({ selection, layout }), output: out<LabelsPreview>() },
  /** The save dialog for a label PDF: a token for `labels.create`, or null when cancelled. */
  'labels.pickSave': {
    input: z.strictObject({ suggestedName: z.string().max(120).optional() }),
    output: out<FileRef | null>(),
  },
  'labels.create': { input: z.strictObject({ selection, layout, file: fileToken }), output: out<LabelsResult>() },
  /** Opens the system's print dialog for the labels (the desktop app only). */
  'labels.print': { input: z.strictObject({ selection, layout }), output: out<LabelsResult & { printed: boolean }>() },
} as const;
