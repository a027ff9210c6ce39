// The offline parts catalogue: Rebrickable's downloads (colours, part categories, parts,
// elements, themes, sets, minifigs, inventories and their parts, sub-sets and minifigs, part
// relationships). A snapshot ships with the app and loads on first start; newer downloads the
// user picks are imported over it. Lookups by part number or element id, name search for the
// add dialog, and filling in lot names from the catalogue.
import { z } from 'zod';
import type { RelType } from '../types';
import { fileToken, out, ownerRef } from './common';
import { jobId } from './transfer';

/** Rebrickable's download kinds, by their file names (colors.csv.gz …). */
export const CATALOG_TABLES = [
  'colors',
  'part_categories',
  'parts',
  'elements',
  'themes',
  'sets',
  'minifigs',
  'inventories',
  'inventory_parts',
  'inventory_sets',
  'inventory_minifigs',
  'part_relationships',
] as const;
export type CatalogTable = (typeof CATALOG_TABLES)[number];

export interface CatalogImportFile {
  /** The file (or zip entry) name; several names when one import held two files of a kind. */
  name: string;
  table: CatalogTable;
  /** Data rows read. A key repeated in a file counts once below (inventory quantities add up). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of a listed inventory that the newer download no longer has (inventory_* only). */
  removed: number;
  /** Rows not stored because what they refer to is missing (inventory_sets only). */
  skipped: number;
}

export interface CatalogImportResult {
  files: CatalogImportFile[];
  /** Files (or zip entries) whose header is not a known Rebrickable download. */
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
  /** How the found part relates to others (empty when no part was found). */
  relations: CatalogRelations;
}

/** P print, T pattern, M mould, A alternate, R pair, B sub-part: the child is a … of the parent. */
export type { RelType };

export interface CatalogRelation {
  relType: RelType;
  partNum: string;
  /** The related part's name, when it is in the catalogue. */
  name: string | null;
}

export interface CatalogRelations {
  /** The part is a … of these (3001pr0012 is a print of 3001). */
  parents: CatalogRelation[];
  /** These are a … of the part (at most 20; childCount says how many there are). */
  children: CatalogRelation[];
  childCount: number;
}

/** Rows per Rebrickable download kind. */
export type CatalogStats = Record<CatalogTable, number>;

export interface CatalogProgress {
  phase: 'reading' | 'applying';
  /** The file being read or the kind being applied. */
  item: string;
  rows: number;
  percent: number;
}

export interface CatalogStatus {
  /** loading: the shipped snapshot is being loaded in the background. */
  state: 'loading' | 'ready' | 'failed';
  /** Date of the shipped snapshot this database holds (null: none loaded yet). */
  snapshot: string | null;
  /** Date of the snapshot that ships with this app (null: none found). */
  shipped: string | null;
  /** When the user last imported their own downloads (ms since the epoch). */
  importedAt: number | null;
  progress: CatalogProgress | null;
  /** Why the last background load failed. */
  error: string | null;
}

export const catalogContract = {
  /** Imports Rebrickable downloads (.csv, .csv.gz, or a .zip holding them) as upserts. */
  'catalog.import': {
    input: z.strictObject({ files: z.array(fileToken).min(1).max(20), jobId: jobId.optional() }),
    output: out<CatalogImportResult>(),
  },
  'catalog.stats': { input: z.strictObject({}), output: out<CatalogStats>() },
  /** Which snapshot is loaded, and the progress of a background load. */
  'catalog.status': { input: z.strictObject({}), output: out<CatalogStatus>() },
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
