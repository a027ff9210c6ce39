// Import and export: the import wizard (pick a file → detect → map columns → preview → apply)
// and the export dialog. The renderer never names a path: files are opaque tokens that main
// hands out after a native file dialog (`files.pickImport` / `files.pickExport`).
// Long calls take an optional client-chosen `jobId`; `import.progress` events carry it and
// `import.cancel({jobId})` stops that job (nothing is half-applied).
import { z } from 'zod';
import { LIMITS, fileToken, out, ownerRef } from './common';
import { SORT_KEYS } from '../types';

export const IMPORT_FORMATS = ['rebrickable-csv', 'blockshelf-csv', 'csv', 'xlsx', 'bricklink-xml', 'bsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const EXPORT_FORMATS = ['blockshelf-csv', 'rebrickable-csv', 'bricklink-xml', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const ENCODINGS = ['utf-8', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export const IMPORT_MODES = ['add', 'replace'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** The lot fields a table column can be mapped to. */
export const MAPPABLE_FIELDS = ['part', 'color', 'quantity', 'used', 'isUsed', 'location', 'name', 'notes', 'imageUrl'] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];
/** Field → 0-based column index in the header (null or missing: not in the file). */
export type ColumnMapping = Partial<Record<MappableField, number | null>>;

export const jobId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'job id: letters, digits, _ . : - (at most 64)');

export interface FileRef {
  token: string;
  /** File name only (no folders). */
  name: string;
  /** Bytes, for files picked to read. */
  size: number | null;
}

/** One row the app could not place: reported, never dropped silently. */
export interface RowProblem {
  file: string;
  /** 1-based line (CSV: physical line where the record starts; XLSX: sheet row; XML: item number). */
  row: number;
  field: string;
  reason: string;
}

export interface ImportDetection {
  file: FileRef;
  format: ImportFormat;
  /** false: the format or the column mapping is a guess; show the mapping step. */
  confident: boolean;
  encoding: Encoding | null;
  delimiter: string | null;
  /** Tabular formats: the header row and a few rows after it, as text. */
  headers: string[];
  sample: string[][];
  mapping: ColumnMapping;
  /** Required fields (part, color, quantity) that no column maps to yet. */
  missing: MappableField[];
  /** XLSX: the worksheet names; the first is read unless `sheet` is given. */
  sheets: string[];
  notes: string[];
}

export interface ImportSampleLot {
  row: number;
  partId: string;
  colorId: number;
  colorName: string;
  quantityTotal: number;
  quantityUsed: number;
  storageLocation: string;
  name: string;
  /** What applying would do with this lot. */
  action: 'new' | 'merge' | 'replace';
}

export interface ImportPreview {
  /** Pass to import.apply / import.cancel. */
  importId: string;
  file: string;
  format: ImportFormat;
  mode: ImportMode;
  /** Data rows read (header excluded). */
  rows: number;
  /** Rows that can be imported. */
  valid: number;
  /** Lots the file holds after merging its own duplicate rows. */
  lots: number;
  newLots: number;
  /** Lots of the file matching an existing lot (same part, colour and location). */
  mergedLots: number;
  invalidCount: number;
  /** The first invalid rows (at most 1000; invalidCount has the total). */
  invalid: RowProblem[];
  unknownColors: { value: string; rows: number }[];
  /** Parts not in the catalogue (still importable); empty when no catalogue is loaded. */
  unknownParts: { partId: string; rows: number }[];
  /** Items that are not parts (sets, minifigures, gear …): reported, not imported. */
  nonParts: { type: string; itemId: string; rows: number }[];
  sample: ImportSampleLot[];
  catalogLoaded: boolean;
}

/** Every invalid row a pending preview recorded (up to 10,000), beyond the preview's first 1,000. */
export interface ImportProblems {
  importId: string;
  invalidCount: number;
  invalid: RowProblem[];
}

export interface ImportResult {
  importId: string;
  file: string;
  format: ImportFormat;
  mode: ImportMode;
  rows: number;
  created: number;
  merged: number;
  replaced: number;
  skippedInvalid: number;
  applied: boolean;
  dryRun: boolean;
  /** Name of the backup taken first, when the backup engine made one. */
  backup: string | null;
  durationMs: number;
}

export interface ExportResult {
  file: string;
  format: ExportFormat;
  lots: number;
  /** Rows written (a Rebrickable part list writes partly used lots as two rows). */
  rows: number;
  /** BrickLink XML: lots left out because their colour has no BrickLink id. */
  skipped: { partId: string; colorId: number; reason: string }[];
}

const readOpts = {
  format: z.enum(IMPORT_FORMATS).optional(),
  encoding: z.enum(ENCODINGS).optional(),
  delimiter: z.enum([',', ';', '\t', '|']).optional(),
  sheet: z.string().max(100).optional(),
};

const mappingSchema = z.strictObject(
  Object.fromEntries(MAPPABLE_FIELDS.map((f) => [f, z.number().int().min(0).max(500).nullable().optional()])) as Record<
    MappableField,
    z.ZodOptional<z.ZodNullable<z.ZodNumber>>
  >,
);

export const ExportFilterSchema = z.strictObject({
  search: z.string().max(LIMITS.search).optional(),
  location: z.string().max(LIMITS.location).optional(),
  colorId: z.number().int().min(-1).max(1_000_000).optional(),
  sort: z.enum(SORT_KEYS).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
});

export const transferContract = {
  /** Shows the native open dialog; null when the user cancelled. */
  'files.pickImport': {
    input: z.strictObject({ title: z.string().max(100).optional() }),
    output: out<FileRef | null>(),
  },
  /** Shows the native save dialog; null when the user cancelled. */
  'files.pickExport': {
    input: z.strictObject({ suggestedName: z.string().max(200).optional(), format: z.enum(EXPORT_FORMATS).optional() }),
    output: out<FileRef | null>(),
  },
  /** Reads the start of the file: format, encoding, delimiter, header, sample rows, mapping. */
  'import.detect': {
    input: z.strictObject({ file: fileToken, ...readOpts }),
    output: out<ImportDetection>(),
  },
  /** Reads the whole file (streamed, with progress) and says what applying would do. */
  'import.preview': {
    input: z.strictObject({
      ...ownerRef,
      file: fileToken,
      ...readOpts,
      mapping: mappingSchema.optional(),
      mode: z.enum(IMPORT_MODES).optional(),
      jobId: jobId.optional(),
    }),
    output: out<ImportPreview>(),
  },
  /** Applies a preview in one transaction (after a before-import backup). */
  'import.apply': {
    input: z.strictObject({
      importId: jobId,
      mode: z.enum(IMPORT_MODES).optional(),
      /** Import the valid rows although some are invalid (default false: nothing is applied). */
      skipInvalid: z.boolean().optional(),
      dryRun: z.boolean().optional(),
    }),
    output: out<ImportResult>(),
  },
  /** The invalid rows of a pending preview, all that were recorded (the CLI lists them). */
  'import.problems': {
    input: z.strictObject({ importId: jobId }),
    output: out<ImportProblems>(),
  },
  /** Stops a running job (preview, apply, export, catalogue import) or drops a pending preview. */
  'import.cancel': {
    input: z.strictObject({ jobId }),
    output: out<{ cancelled: boolean }>(),
  },
  /** Writes the whole inventory, or the lots matching `filter` (the current view), to a file. */
  'export.run': {
    input: z.strictObject({
      ...ownerRef,
      file: fileToken,
      format: z.enum(EXPORT_FORMATS),
      filter: ExportFilterSchema.optional(),
      jobId: jobId.optional(),
    }),
    output: out<ExportResult>(),
  },
} as const;
