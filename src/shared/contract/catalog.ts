// The offline parts catalogue: Rebrickable's downloads (colours, part categories, parts,
// elements) imported from files the user picked, lookups by part number or element id, name
// search for the add dialog, and filling in lot names from the catalogue.
import { z } from 'zod';
import { fileToken, out, ownerRef } from './common';
import { jobId } from './transfer';

export const CATALOG_TABLES = ['colors', 'part_categories', 'parts', 'elements'] as const;
export type CatalogTable = (typeof CATALOG_TABLES)[number];

export interface CatalogImportFile {
  /** The file (or zip entry) name. */
  name: string;
  table: CatalogTable;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface CatalogImportResult {
  files: CatalogImportFile[];
  /** Files (or zip entries) that are not a known Rebrickable table (e.g. themes.csv). */
  ignored: string[];
  durationMs: number;
}

export interface CatalogPart {
  partNum: string;
  name: string;
  categoryId: number | null;
  categoryName: string | null;
  material: string | null;
}

export interface CatalogLookup {
  /** What was asked for, trimmed. */
  query: string;
  /** exact part number, part number without its suffix (3684c → 3684), element id, or nothing. */
  matchedBy: 'part' | 'part-suffix' | 'element' | 'none';
  part: CatalogPart | null;
  /** An element id fixes the colour too. */
  colorId: number | null;
  colorName: string | null;
  /** Other part numbers that start with the query (e.g. 3068 → 3068a, 3068b), at most 20. */
  alternatives: CatalogPart[];
}

export interface CatalogStats {
  colors: number;
  partCategories: number;
  parts: number;
  elements: number;
}

export const catalogContract = {
  /** Imports Rebrickable downloads (.csv, .csv.gz, or a .zip holding them) as upserts. */
  'catalog.import': {
    input: z.strictObject({ files: z.array(fileToken).min(1).max(20), jobId: jobId.optional() }),
    output: out<CatalogImportResult>(),
  },
  'catalog.stats': { input: z.strictObject({}), output: out<CatalogStats>() },
  /** A part number (with suffix fallback) or an element id. */
  'catalog.lookup': {
    input: z.strictObject({ query: z.string().trim().min(1, 'enter a part number or element id').max(64) }),
    output: out<CatalogLookup>(),
  },
  /** Parts whose name contains all the words (or whose number starts with the query). */
  'catalog.search': {
    input: z.strictObject({
      query: z.string().trim().min(1).max(200),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    output: out<CatalogPart[]>(),
  },
  /** Gives lots with an empty name the catalogue's name (part number, then suffix fallback). */
  'catalog.fillNames': {
    input: z.strictObject({ ...ownerRef }),
    output: out<{ updated: number; stillMissing: number }>(),
  },
} as const;
