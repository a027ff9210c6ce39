// SQL shapes of the inventory list: every sort key maps to an expression that an index of
// (user_id, <expr>, id) serves, so each page is an index range seek (keyset paging), never a
// scan plus sort. Kept apart from the service so that the query-plan tests and the benchmark
// exercise exactly the SQL the app runs.
import type { SortDir, SortKey } from '../../shared/types';
import { AppError } from '../../shared/errors';
import { locationFp } from '../db/schema';

/** The location fingerprint of the @location parameter (the same expression as the column). */
export const LOCATION_FP_PARAM = locationFp('@location');

export const SORT_EXPR: Record<SortKey, string> = {
  name: 'name COLLATE NOCASE',
  part: 'part_id',
  color: 'color_name',
  total: 'quantity_total',
  used: 'quantity_used',
  available: '(quantity_total - quantity_used)',
  location: 'storage_location COLLATE NOCASE',
  created: 'created_at',
  updated: 'updated_at',
};

export const LOT_COLUMNS = `id, user_id AS ownerId, part_id AS partId, color_id AS colorId,
  color_name AS colorName, name, quantity_total AS quantityTotal, quantity_used AS quantityUsed,
  quantity_total - quantity_used AS quantityAvailable, storage_location AS storageLocation,
  notes, image_url AS imageUrl, created_at AS createdAt, updated_at AS updatedAt`;

/** The (user_id, <expr>, id) index that serves each sort key (migrations 0000/0001). */
export const SORT_INDEX: Record<SortKey, string> = {
  name: 'inventory_items_user_name_idx',
  part: 'inventory_items_user_part_idx',
  color: 'inventory_items_user_color_name_idx',
  total: 'inventory_items_user_total_idx',
  used: 'inventory_items_user_used_idx',
  available: 'inventory_items_user_available_idx',
  location: 'inventory_items_user_location_idx',
  created: 'inventory_items_user_created_idx',
  updated: 'inventory_items_user_updated_idx',
};

export interface ParsedSearch {
  /** FTS5 query of the 3+ character terms (quoted phrases, all must match), or null. */
  fts: string | null;
  /** LIKE patterns of the 3+ character terms (the same test as `fts`, for the scan plan). */
  longLikes: string[];
  /** LIKE patterns of the 1-2 character terms (too short for trigrams). */
  likes: string[];
  /** The whole search text: a lot whose part number equals it ranks first. */
  exact: string;
  /** Every 3+ character term is ASCII, so LIKE (ASCII case folding) agrees with the FTS index. */
  asciiOnly: boolean;
}

/**
 * How a list page is fetched. Every shape names its index (INDEXED BY / NOT INDEXED), so the
 * plan does not depend on sqlite_stat1 being present or current:
 * - sort: walk the sort key's index in order, test the filters on each row, stop after a page.
 *   Cheap when the filters keep many rows (a common colour, a common search term).
 * - location / color: seek the few rows of one location or colour by its index, then sort them.
 * - fts: look the few search matches up by rowid, then sort them.
 * - exact: the lots whose part number equals the search text (they rank first).
 * The service picks the driver from maintained counts (see service.list).
 */
export type Driver = 'sort' | 'location' | 'color' | 'fts' | 'exact';

export interface ListShape {
  sort: SortKey;
  dir: SortDir;
  search?: ParsedSearch | undefined;
  location?: boolean;
  color?: boolean;
  /** Default 'sort' (or 'fts' when there is a search term that only the FTS index can test). */
  driver?: Driver;
  /**
   * Search ranking. 'mixed': exact part matches first, in one statement (small driving sets);
   * 'exact' / 'rest': only the exact / only the other matches (the sort driver pages the two
   * segments one after the other, so that neither needs a sort of the whole match set).
   */
  segment?: 'mixed' | 'exact' | 'rest';
  /**
   * Keyset condition after the cursor row. true: one condition (small, sorted sets).
   * 'ties': the rest of the cursor value's run (key = v AND id after the cursor), a pure seek.
   * 'after': rows with a key after v. Walking a sort index pages with 'ties' then 'after', so a
   * key with many equal values (quantity used = 0) never scans its run from the start.
   */
  cursor?: boolean | 'ties' | 'after';
  offset?: boolean;
  /**
   * Driver 'fts' only: the probe already holds every match (@ids, a JSON array of rowids), so
   * the page reads them instead of evaluating the FTS query a second time.
   */
  matchIds?: boolean;
  /**
   * Driver 'sort' with a search only: the walk reads at most @budget entries of the sort index
   * (and their rows) and returns the matches among them (see WALK_BUDGET).
   */
  budget?: boolean;
}

/**
 * Most lots one call reads to test a search on the row (LIKE on name, part, colour and
 * location), per walk. A search that matches rarely (a 1–2 character term, or a term tested
 * on the row) would otherwise read the whole inventory; with this budget a page stops after
 * this many lots and says so (ListPage.incomplete). Reading a lot by a sort index costs about
 * 1–1.5 µs of CPU at 1M lots (bench/), so a page and its count stay well under 50 ms.
 */
export const WALK_BUDGET = 15_000;

/** Splits a search box text into FTS5 trigram phrases (3+ chars) and LIKE patterns (1-2 chars). */
export function parseSearch(text: string): ParsedSearch | undefined {
  const terms = text
    .trim()
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .slice(0, 8);
  if (terms.length === 0) return undefined;
  const like = (t: string) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const long = terms.filter((t) => [...t].length >= 3);
  const short = terms.filter((t) => [...t].length < 3);
  return {
    fts: long.length ? long.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ') : null,
    longLikes: long.map(like),
    likes: short.map(like),
    exact: text.trim(),
    // eslint-disable-next-line no-control-regex
    asciiOnly: long.every((t) => /^[\x00-\x7f]*$/.test(t)),
  };
}

const likeTest = (p: string, t = '') =>
  `(${t}name LIKE ${p} ESCAPE '\\' OR ${t}part_id LIKE ${p} ESCAPE '\\' OR ${t}color_name LIKE ${p} ESCAPE '\\' OR ${t}storage_location LIKE ${p} ESCAPE '\\')`;

/** Named parameters of the filters, shared by listSql and countSql. */
export function filterParams(
  ownerId: number,
  search: ParsedSearch | undefined,
  location: string | undefined,
  colorId: number | undefined,
): Record<string, unknown> {
  const p: Record<string, unknown> = { owner: ownerId };
  if (search?.fts) p.fts = search.fts;
  search?.longLikes.forEach((l, i) => (p[`ll${i}`] = l));
  search?.likes.forEach((l, i) => (p[`l${i}`] = l));
  if (search) p.exact = search.exact;
  if (location !== undefined) p.location = location;
  if (colorId !== undefined) p.color = colorId;
  return p;
}

/**
 * WHERE terms of a shape. Search terms are tested with LIKE on the row (ASCII terms: the same
 * matches as the trigram index) except where the FTS index drives; a non-ASCII term always goes
 * through the FTS index. `t` qualifies the columns ('i.' inside the FTS join of the count).
 */
function whereOf(shape: ListShape, t = ''): string[] {
  const where = [`${t}user_id = @owner`];
  const s = shape.search;
  if (s?.fts && t === '') {
    if (shape.driver !== 'fts' && s.asciiOnly) s.longLikes.forEach((_, i) => where.push(likeTest(`@ll${i}`)));
    else if (shape.driver === 'fts' && shape.matchIds) where.push('id IN (SELECT value FROM json_each(@ids))');
    else where.push('id IN (SELECT rowid FROM inventory_fts WHERE inventory_fts MATCH @fts)');
  }
  s?.likes.forEach((_, i) => where.push(likeTest(`@l${i}`, t)));
  if (shape.location) {
    // Walking a sort index: test the location fingerprint on the index entry first.
    if ((shape.driver ?? 'sort') === 'sort') where.push(`${t}location_fp = ${LOCATION_FP_PARAM}`);
    where.push(`${t}storage_location = @location COLLATE NOCASE`);
  }
  if (shape.color) where.push(`${t}color_id = @color`);
  if (s && shape.segment === 'exact') where.push(`${t}part_id = @exact COLLATE NOCASE`);
  if (s && shape.segment === 'rest') where.push(`${t}part_id <> @exact COLLATE NOCASE`);
  return where;
}

/**
 * The tests of a shape that need the table row (search terms, the exact location, the
 * exact-part segment), on columns qualified by `t`. With `entry` the tests that an index entry
 * answers (owner, colour) are included too.
 */
function rowTests(shape: ListShape, t: string, entry: boolean, ftsDrives: boolean): string[] {
  const where = entry ? [`${t}user_id = @owner`] : [];
  const s = shape.search;
  if (s?.fts && !ftsDrives) {
    if (s.asciiOnly) s.longLikes.forEach((_, i) => where.push(likeTest(`@ll${i}`, t)));
    else where.push(`${t}id IN (SELECT rowid FROM inventory_fts WHERE inventory_fts MATCH @fts)`);
  }
  s?.likes.forEach((_, i) => where.push(likeTest(`@l${i}`, t)));
  if (shape.location) where.push(`${t}storage_location = @location COLLATE NOCASE`);
  if (entry && shape.color) where.push(`${t}color_id = @color`);
  if (s && shape.segment === 'exact') where.push(`${t}part_id = @exact COLLATE NOCASE`);
  if (s && shape.segment === 'rest') where.push(`${t}part_id <> @exact COLLATE NOCASE`);
  return where;
}

/**
 * The entries a bounded walk visits, in page order: the sort index from the cursor, tested
 * only on what the entry holds (owner, colour, location fingerprint), at most `limit` of them.
 * Selects `id AS wid` (a covering read: no table row).
 */
function walkSql(shape: ListShape, limit: string): string {
  const expr = SORT_EXPR[shape.sort];
  const cmp = shape.dir === 'asc' ? '>' : '<';
  const d = shape.dir === 'asc' ? 'ASC' : 'DESC';
  const entry = ['user_id = @owner'];
  if (shape.color) entry.push('color_id = @color');
  if (shape.location) entry.push(`location_fp = ${LOCATION_FP_PARAM}`);
  let order = `${expr} ${d}, id ${d}`;
  if (shape.cursor === 'ties') {
    entry.push(`${expr} = @cvalue AND id ${cmp} @cid`);
    order = `id ${d}`;
  } else if (shape.cursor === 'after') {
    entry.push(`${expr} ${cmp} @cvalue`);
  } else if (shape.cursor) {
    entry.push(`(${expr} ${cmp} @cvalue OR (${expr} = @cvalue AND id ${cmp} @cid))`);
  }
  return `SELECT id AS wid FROM inventory_items INDEXED BY ${SORT_INDEX[shape.sort]} WHERE ${entry.join(' AND ')} ORDER BY ${order} LIMIT ${limit}`;
}

/**
 * A page of a bounded walk: the matches among the first @budget entries of the sort index
 * after the cursor, in index order (the walk drives the join: CROSS JOIN keeps it outside).
 */
function budgetedListSql(shape: ListShape): string {
  // The walk yields only `wid`, so the lot's columns name `i` without qualification.
  const where = rowTests(shape, 'i.', false, false);
  return `SELECT ${LOT_COLUMNS} FROM (${walkSql(shape, '@budget')}) AS w CROSS JOIN inventory_items AS i ON i.id = w.wid${
    where.length ? ` WHERE ${where.join(' AND ')}` : ''
  } LIMIT @limit${shape.offset ? ' OFFSET @offset' : ''}`;
}

/**
 * How many entries the bounded walk of `shape` would visit, up to @budget + 1: more than
 * @budget means the walk stopped before the end of the index (the page is incomplete).
 */
export function walkLengthSql(shape: ListShape): string {
  return `SELECT count(*) FROM (${walkSql(shape, '@budget + 1')})`;
}

/**
 * The candidate rows a bounded count reads, by its driver: at most `limit` of them.
 */
function candidatesSql(shape: ListShape, limit: string): string {
  switch (shape.driver ?? 'sort') {
    case 'color':
      return `SELECT id AS wid FROM inventory_items INDEXED BY inventory_items_user_color_idx WHERE user_id = @owner AND color_id = @color LIMIT ${limit}`;
    case 'location':
      return `SELECT id AS wid FROM inventory_items INDEXED BY inventory_items_user_location_idx WHERE user_id = @owner AND storage_location = @location COLLATE NOCASE${
        shape.color ? ' AND color_id = @color' : ''
      } LIMIT ${limit}`;
    case 'fts':
      return `SELECT rowid AS wid FROM inventory_fts WHERE inventory_fts MATCH @fts LIMIT ${limit}`;
    default:
      return walkSql({ ...shape, cursor: false }, limit);
  }
}

/**
 * A count that reads at most @budget candidate rows (and stops at @cap matches). With
 * candidatesLengthSql the caller learns whether it read them all.
 */
export function budgetedCountSql(shape: Omit<ListShape, 'dir' | 'cursor' | 'offset' | 'segment'>): string {
  const full: ListShape = { dir: 'asc', ...shape };
  const where = rowTests(full, 'i.', true, full.driver === 'fts');
  return `SELECT count(*) FROM (SELECT 1 FROM (${candidatesSql(full, '@budget')}) AS w CROSS JOIN inventory_items AS i NOT INDEXED ON i.id = w.wid
    WHERE ${where.join(' AND ')} LIMIT @cap)`;
}

/** Candidates of a bounded count, up to @budget + 1 (more than @budget: the count stopped early). */
export function candidatesLengthSql(shape: Omit<ListShape, 'dir' | 'cursor' | 'offset' | 'segment'>): string {
  return `SELECT count(*) FROM (${candidatesSql({ dir: 'asc', ...shape }, '@budget + 1')})`;
}

function fromOf(shape: ListShape): string {
  switch (shape.driver ?? 'sort') {
    case 'sort':
      return `inventory_items INDEXED BY ${SORT_INDEX[shape.sort]}`;
    case 'location':
      return 'inventory_items INDEXED BY inventory_items_user_location_idx';
    case 'color':
      return 'inventory_items INDEXED BY inventory_items_user_color_idx';
    case 'exact':
      return 'inventory_items INDEXED BY inventory_items_user_part_nocase_idx';
    case 'fts':
      // Rowid lookups of the matches only (NOT INDEXED still allows the rowid).
      return 'inventory_items NOT INDEXED';
  }
}

/**
 * Builds the list statement with named parameters: @owner, @fts, @ll0.., @l0.., @location,
 * @color, @exact, cursor @crank @cvalue @cid, @limit, @offset.
 */
export function listSql(shape: ListShape): string {
  if (shape.budget && (shape.driver ?? 'sort') === 'sort' && (shape.segment ?? 'mixed') !== 'mixed')
    return budgetedListSql(shape);
  const expr = SORT_EXPR[shape.sort];
  const where = whereOf(shape);
  const cmp = shape.dir === 'asc' ? '>' : '<';
  const d = shape.dir === 'asc' ? 'ASC' : 'DESC';
  let order = `${expr} ${d}, id ${d}`;
  if (shape.cursor) {
    if (shape.search && (shape.segment ?? 'mixed') === 'mixed') {
      // Exact part-number matches first (rank 1), then the chosen order.
      const rank = '(part_id = @exact COLLATE NOCASE)';
      where.push(
        `(${rank} < @crank OR (${rank} = @crank AND (${expr} ${cmp} @cvalue OR (${expr} = @cvalue AND id ${cmp} @cid))))`,
      );
    } else if (shape.cursor === 'ties') {
      where.push(`${expr} = @cvalue AND id ${cmp} @cid`);
    } else if (shape.cursor === 'after') {
      where.push(`${expr} ${cmp} @cvalue`);
    } else {
      where.push(`(${expr} ${cmp} @cvalue OR (${expr} = @cvalue AND id ${cmp} @cid))`);
    }
  }
  // Within a run of equal values the order is by id alone (the planner does not see that an
  // expression index's key is constant under `expr = v`, so spell it out).
  if (shape.cursor === 'ties') order = `id ${d}`;
  if (shape.search && (shape.segment ?? 'mixed') === 'mixed') order = `(part_id = @exact COLLATE NOCASE) DESC, ${order}`;
  return `SELECT ${LOT_COLUMNS} FROM ${fromOf(shape)} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT @limit${
    shape.offset ? ' OFFSET @offset' : ''
  }`;
}

/**
 * Counts the matches of a shape, stopping at @cap (a capped count reads few rows when matches
 * are many). With driver 'fts' it walks the FTS matches in rowid order, tests the other
 * filters on each row, and stops at @cap: it never collects the whole match set.
 */
export function countSql(shape: Omit<ListShape, 'sort' | 'dir' | 'cursor' | 'offset' | 'segment'> & { sort?: SortKey }): string {
  const full: ListShape = { sort: shape.sort ?? 'part', dir: 'asc', ...shape };
  if (full.driver === 'fts' && full.search?.fts && !full.matchIds) {
    return `SELECT count(*) FROM (SELECT 1 FROM inventory_fts AS f CROSS JOIN inventory_items AS i NOT INDEXED ON i.id = f.rowid
      WHERE inventory_fts MATCH @fts AND ${whereOf(full, 'i.').join(' AND ')} LIMIT @cap)`;
  }
  return `SELECT count(*) FROM (SELECT 1 FROM ${fromOf(full)} WHERE ${whereOf(full).join(' AND ')} LIMIT @cap)`;
}

/** Matches of the FTS query in rowid order, for this owner, up to @limit: sizes the match set. */
export const FTS_PROBE = `SELECT f.rowid FROM inventory_fts AS f CROSS JOIN inventory_items AS i NOT INDEXED ON i.id = f.rowid
  WHERE inventory_fts MATCH @fts AND i.user_id = @owner LIMIT @limit`;

/** The value of the sort expression for a row, as the cursor stores it. */
export function sortValue(
  sort: SortKey,
  lot: {
    name: string;
    partId: string;
    colorName: string;
    quantityTotal: number;
    quantityUsed: number;
    storageLocation: string;
    createdAt: number;
    updatedAt: number;
  },
): string | number {
  switch (sort) {
    case 'name':
      return lot.name;
    case 'part':
      return lot.partId;
    case 'color':
      return lot.colorName;
    case 'total':
      return lot.quantityTotal;
    case 'used':
      return lot.quantityUsed;
    case 'available':
      return lot.quantityTotal - lot.quantityUsed;
    case 'location':
      return lot.storageLocation;
    case 'created':
      return lot.createdAt;
    case 'updated':
      return lot.updatedAt;
  }
}

export interface Cursor {
  sort: SortKey;
  dir: SortDir;
  search: string;
  rank: number;
  value: string | number;
  id: number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.dir, c.search, c.rank, c.value, c.id])).toString('base64url');
}

export function decodeCursor(s: string, expect: { sort: SortKey; dir: SortDir; search: string }): Cursor {
  try {
    const [sort, dir, search, rank, value, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [
      SortKey,
      SortDir,
      string,
      number,
      string | number,
      number,
    ];
    if (sort !== expect.sort || dir !== expect.dir || search !== expect.search) {
      throw new Error('cursor belongs to another query');
    }
    if (typeof id !== 'number' || (typeof value !== 'number' && typeof value !== 'string')) {
      throw new Error('malformed');
    }
    return { sort, dir, search, rank: rank ? 1 : 0, value, id };
  } catch (e) {
    throw new AppError('invalid-input', `invalid page cursor: ${(e as Error).message}`, {
      fields: [{ field: 'after', message: 'invalid page cursor' }],
    });
  }
}
