// Sets: find a set in the catalogue, read a list of needed parts (a catalogue set, or a part list
// file in any format the importer reads), match it against the acting profile's lots ("can I
// build it?", "which sets can I build?"), part a set out into a location, mark it as built
// (its parts move into `used`) and take it apart again, and export exactly the missing parts.
//
// Reading a list never changes the inventory. The writes (partOut, markBuilt, takeApart) each run
// in one transaction and emit `data.changed`; a write that cannot be done whole changes nothing.
// `sets.buildable` is a long job: it takes an optional `jobId`, reports `import.progress` events
// with it (phase `sets:…`) and stops on `import.cancel({jobId})`, like imports.
import { z } from 'zod';
import { ENCODINGS, IMPORT_FORMATS, jobId, type ImportFormat } from './transfer';
import { LIMITS, fileToken, id, out, ownerRef } from './common';

/** Rebrickable set and minifig numbers: `75331-1`, `fig-012345`; letters, digits, `-` and `.`. */
export const setNum = z
  .string({ error: 'set number is required' })
  .trim()
  .min(1, 'set number is required')
  .max(40, 'set number must be at most 40 characters')
  .regex(/^[A-Za-z0-9.-]+$/, 'set number may hold only letters, digits, “-” and “.”');

/**
 * Where a list of needed parts comes from.
 * - `{setNum}`: a catalogue set (`75331-1`; a number without `-N` means `-1`). Its newest
 *   inventory version, with sub-sets and minifigures expanded into their parts and multiplied by
 *   their quantities.
 * - `{file}`: a file the user picked (Rebrickable part list CSV `Part,Color,Quantity,Is Spare`,
 *   BrickLink XML set inventory or wanted list, BrickStore BSX, XLSX, any CSV the importer reads).
 *   The format is recognised from the content unless `format` is given.
 */
export const ListSourceSchema = z.union([
  z.strictObject({ setNum }),
  z.strictObject({
    file: fileToken,
    format: z.enum(IMPORT_FORMATS).optional(),
    encoding: z.enum(ENCODINGS).optional(),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    sheet: z.string().max(100).optional(),
  }),
]);
export type ListSource = z.input<typeof ListSourceSchema>;

/** How many copies of a list: parts needed are multiplied by it. */
const copies = z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000');

/**
 * How a list is read. All default to false (quantity 1).
 * - `spares`: include the spare parts a set's inventory (or an `Is Spare` column) lists.
 * - `noMinifigs`: leave the set's minifigures out (catalogue sets only).
 * - `quantity`: copies of the list.
 */
export const ReadListOptionsSchema = z.strictObject({
  spares: z.boolean().optional(),
  noMinifigs: z.boolean().optional(),
  quantity: copies.optional(),
});
export type ReadListOptions = z.input<typeof ReadListOptionsSchema>;

/**
 * Build matching options, as Rebrickable's build matching has them (all default to false).
 * - `countUsed`: `have` counts every piece of a lot (total) instead of the free ones (total − used).
 * - `ignorePrints`: a print (P) or pattern (T) counts as its base part and the base part as any
 *   of its prints.
 * - `moulds`: mould variants (M) of a part are equal.
 * - `alternates`: alternates (A) of a part are equal.
 * - `ignoreColor`: any colour of a part counts.
 * plus the list options (`spares`, `noMinifigs`, `quantity`).
 */
export const BuildOptionsSchema = ReadListOptionsSchema.extend({
  countUsed: z.boolean().optional(),
  ignorePrints: z.boolean().optional(),
  moulds: z.boolean().optional(),
  alternates: z.boolean().optional(),
  ignoreColor: z.boolean().optional(),
});
export type BuildOptions = z.input<typeof BuildOptionsSchema>;
/** The options a result was computed with, every one filled in. */
export type ResolvedBuildOptions = Required<z.output<typeof BuildOptionsSchema>>;

/** Filters shared by search and "which sets can I build?". Years and sizes are inclusive. */
const setFilters = {
  /** A theme and all its sub-themes. */
  themeId: id.optional(),
  yearFrom: z.number().int().min(1900).max(2200).optional(),
  yearTo: z.number().int().min(1900).max(2200).optional(),
  /** Size: the catalogue's part count of the set (`num_parts`). */
  minParts: z.number().int().min(0).max(1_000_000).optional(),
  maxParts: z.number().int().min(0).max(1_000_000).optional(),
};

export const EXPORT_MISSING_FORMATS = ['bricklink-xml', 'rebrickable-csv'] as const;
export type ExportMissingFormat = (typeof EXPORT_MISSING_FORMATS)[number];

/** A set in search results and lists. */
export interface SetSummary {
  setNum: string;
  name: string;
  year: number;
  themeId: number | null;
  /** The theme's own name (the leaf of `themePath`). */
  themeName: string | null;
  /** The catalogue's part count (`num_parts` of sets.csv). */
  numParts: number;
  imgUrl: string | null;
  /** Whether the parts of the set's newest inventory are known (inventory_parts imported). */
  partsKnown: boolean;
}

export interface SetSearchPage {
  items: SetSummary[];
  /** Sets matching the query and filters (all pages). */
  total: number;
}

export interface ThemeNode {
  id: number;
  name: string;
  parentId: number | null;
  /** Names from the root down to this theme, e.g. ["Star Wars", "Star Wars Episode 4/5/6"]. */
  path: string[];
  /** Sets directly in this theme (not its sub-themes). */
  setCount: number;
}

export interface SetComponent {
  /** A sub-set number or a minifig number (`fig-…`). */
  num: string;
  name: string;
  /** How many the set holds. */
  quantity: number;
  numParts: number;
  imgUrl: string | null;
  partsKnown: boolean;
}

export interface SetDetail extends SetSummary {
  /** Theme names from the root down to the set's theme. */
  themePath: string[];
  /** The newest inventory version used for the set's parts (null: the set has no inventory). */
  inventoryVersion: number | null;
  partsKnown: boolean;
  /**
   * When the parts are not known: what to do, in plain words (import Rebrickable's
   * `inventory_parts` download with Update catalogue…, or open the set's own part list file
   * with Can I build…). Null when they are known.
   */
  partsHowTo: string | null;
  /** Pieces of the expanded list without spares (sub-sets and minifigures included); null when unknown. */
  pieces: number | null;
  /** Spare pieces the inventory lists besides; null when unknown. */
  spares: number | null;
  /** Distinct (part, colour) lines of the expanded list; null when unknown. */
  lines: number | null;
  subsets: SetComponent[];
  minifigs: SetComponent[];
}

/** One line of a list after summing by (part, colour). */
export interface ListLine {
  partId: string;
  colorId: number;
  colorName: string;
  /** The catalogue's part name ('' when the part is not in the catalogue). */
  name: string;
  quantity: number;
}

/** A line of a list that could not be matched: reported, never dropped silently. */
export interface UnmatchedLine {
  /** 1-based line of the file (CSV: line; XLSX: row; XML: item number); 0 for catalogue lists. */
  line: number;
  /** What the file said, as written. */
  part: string;
  color: string;
  quantity: number;
  /** e.g. `unknown colour “Glow”`, `BrickLink part 3001pb01 is not in the catalogue`, `item type M is not a part`. */
  reason: string;
}

export interface ListLabel {
  kind: 'set' | 'file';
  /** Set number for a set; file name (no folders) for a file. */
  id: string;
  /** Set name, or file name. */
  name: string;
  /** The file's format (null for a set). */
  format: ImportFormat | null;
}

export interface PartList {
  source: ListLabel;
  lines: ListLine[];
  /** Σ quantity of `lines`. */
  pieces: number;
  unmatched: UnmatchedLine[];
}

/** A line of the list you do not have enough of. */
export interface MissingLine {
  partId: string;
  colorId: number;
  colorName: string;
  name: string;
  need: number;
  /** Pieces this line can get from your lots (after the other lines of the list took theirs). */
  have: number;
  /** need − have. */
  missing: number;
}

/** One stop of the pick list: take `take` pieces from lot `lotId`. */
export interface PickLine {
  lotId: number;
  location: string;
  /** The lot's part and colour (a variant or another colour when options allow it). */
  partId: string;
  colorId: number;
  colorName: string;
  name: string;
  take: number;
  /** The list line it serves (differs from the lot's when options matched a variant). */
  forPartId: string;
  forColorId: number;
}

export interface BuildReport {
  source: ListLabel;
  options: ResolvedBuildOptions;
  /** Σ need over the list's lines. */
  needed: number;
  /** Σ owned, owned = min(need, have) per line; a lot is never counted for two lines. */
  owned: number;
  /** owned / needed × 100 (0 for an empty list: it is refused before). */
  pct: number;
  /** Lines of the list (after summing by part and colour). */
  lines: number;
  /** Lines short of pieces, sorted by part then colour. */
  missing: MissingLine[];
  /** Where to fetch what you have, sorted by location, then part, colour and lot. */
  pick: PickLine[];
  unmatched: UnmatchedLine[];
}

export interface BuildableSet extends SetSummary {
  needed: number;
  owned: number;
  pct: number;
}

export interface BuildableResult {
  /** Sets with known parts that pass the filters (before `minPct`). */
  considered: number;
  /** Sets at or above `minPct`, all pages. */
  total: number;
  /** Ranked by pct (highest first), then by fewest missing pieces, then set number. */
  items: BuildableSet[];
  durationMs: number;
}

export interface PartOutResult {
  source: ListLabel;
  location: string;
  /** Lots made new / lots of the same part, colour and location that grew. */
  created: number;
  merged: number;
  /** Pieces added (list × quantity). */
  pieces: number;
  /** Lines left out because they could not be matched (only with `skipUnmatched`). */
  unmatched: UnmatchedLine[];
}

/** What a recorded build took from one lot. */
export interface BuildTake {
  lotId: number;
  partId: string;
  colorId: number;
  location: string;
  quantity: number;
}

export interface BuildRecord {
  id: number;
  ownerId: number;
  source: ListLabel;
  /** Copies built. */
  quantity: number;
  options: ResolvedBuildOptions;
  /** Pieces moved into `used`. */
  pieces: number;
  /** ms since the epoch. */
  builtAt: number;
  takes: BuildTake[];
}

export interface TakeApartResult {
  build: BuildRecord;
  /** Pieces moved back out of `used`. */
  pieces: number;
}

export interface ExportMissingResult {
  file: string;
  format: ExportMissingFormat;
  /** Lines and pieces written: exactly the shortfall. */
  lines: number;
  pieces: number;
  /** Lines left out of a BrickLink wanted list because their colour has no BrickLink id. */
  skipped: { partId: string; colorId: number; reason: string }[];
  /** The list was complete: nothing to write (the file then holds an empty list). */
  complete: boolean;
}

const sourceInput = { ...ownerRef, source: ListSourceSchema };

export const setsContract = {
  /**
   * Sets by number or name words (`75331`, `razor crest`) with filters; no query lists all
   * matching sets. Ordered by year (newest first), then set number.
   */
  'sets.search': {
    input: z.strictObject({
      query: z.string().trim().max(LIMITS.search).optional(),
      ...setFilters,
      limit: z.number().int().min(1).max(500).optional(),
      offset: z.number().int().min(0).max(1_000_000).optional(),
    }),
    output: out<SetSearchPage>(),
  },
  /** Every theme, flat, with its path; build the tree by `parentId`. */
  'sets.themes': { input: z.strictObject({}), output: out<ThemeNode[]>() },
  /** One set: name, year, theme path, part counts, image, sub-sets, minifigures, whether its parts are known. */
  'sets.get': { input: z.strictObject({ setNum }), output: out<SetDetail>() },
  /** Reads a list (set or file) summed by (part, colour), with the lines that could not be matched. */
  'sets.parts': {
    input: z.strictObject({ source: ListSourceSchema, options: ReadListOptionsSchema.optional() }),
    output: out<PartList>(),
  },
  /** "Can I build it?": the list against the acting profile's lots. Changes nothing. */
  'sets.build': {
    input: z.strictObject({ ...sourceInput, options: BuildOptionsSchema.optional() }),
    output: out<BuildReport>(),
  },
  /**
   * "Which sets can I build?": every catalogue set with known parts, ranked by pct. Runs off the
   * thread that answers calls; progress as `import.progress` with `jobId`, cancel with
   * `import.cancel`.
   */
  'sets.buildable': {
    input: z.strictObject({
      ...ownerRef,
      ...setFilters,
      /** Only sets at or above this percentage. */
      minPct: z.number().min(0).max(100).optional(),
      options: BuildOptionsSchema.omit({ quantity: true }).optional(),
      limit: z.number().int().min(1).max(500).optional(),
      offset: z.number().int().min(0).max(1_000_000).optional(),
      jobId: jobId.optional(),
    }),
    output: out<BuildableResult>(),
  },
  /**
   * Adds a list's parts (× quantity; spares only with `spares`) to a location, merging with lots
   * of the same part, colour and location, in one transaction. Refuses a list with unmatched
   * lines unless `skipUnmatched`.
   */
  'sets.partOut': {
    input: z.strictObject({
      ...sourceInput,
      location: z.string().trim().min(1, 'location is required').max(LIMITS.location),
      options: ReadListOptionsSchema.optional(),
      skipUnmatched: z.boolean().optional(),
    }),
    output: out<PartOutResult>(),
  },
  /**
   * Marks a list as built: each line's pieces move into `used` on the lots the pick list chose
   * (totals unchanged), and the build is recorded. Refuses with the shortfall (`conflict`,
   * `details.missing`: MissingLine[]) when pieces are missing, and a list with unmatched lines
   * unless `skipUnmatched`; then nothing changes.
   */
  'sets.markBuilt': {
    input: z.strictObject({ ...sourceInput, options: BuildOptionsSchema.optional(), skipUnmatched: z.boolean().optional() }),
    output: out<BuildRecord>(),
  },
  /**
   * Takes a recorded build apart: moves exactly what it took back out of `used`, lot by lot, and
   * forgets the build. By `buildId`, or the newest build of `source`. Refuses (`conflict`,
   * naming the lot) when a lot it took from is gone or no longer has those pieces in use.
   */
  'sets.takeApart': {
    input: z.union([z.strictObject({ ...ownerRef, buildId: id }), z.strictObject(sourceInput)]),
    output: out<TakeApartResult>(),
  },
  /** What the profile has built and not taken apart, newest first. */
  'sets.builds': { input: z.strictObject({ ...ownerRef }), output: out<BuildRecord[]>() },
  /** Writes exactly the shortfall of a list to a file (picked with files.pickExport). */
  'sets.exportMissing': {
    input: z.strictObject({
      ...sourceInput,
      options: BuildOptionsSchema.optional(),
      file: fileToken,
      format: z.enum(EXPORT_MISSING_FORMATS),
    }),
    output: out<ExportMissingResult>(),
  },
} as const;
