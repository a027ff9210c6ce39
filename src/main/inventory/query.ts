// SQL shapes of the inventory list: every sort key maps to an expression that an index of
// (user_id, <expr>, id) serves, so each page is an index range seek (keyset paging), never a
// scan plus sort. Kept apart from the service so that the query-plan tests and the benchmark
// exercise exactly the SQL the app runs.
import type { SortDir, SortKey } from '../../shared/types';
import { AppError } from '../../shared/errors';

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

export interface ListShape {
  sort: SortKey;
  dir: SortDir;
  search?: { fts: string | null; likes: string[]; exact: string } | undefined;
  location?: boolean;
  color?: boolean;
  cursor?: boolean;
  offset?: boolean;
}

/** Splits a search box text into FTS5 trigram phrases (3+ chars) and LIKE patterns (1-2 chars). */
export function parseSearch(text: string): { fts: string | null; likes: string[]; exact: string } | undefined {
  const terms = text
    .trim()
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .slice(0, 8);
  if (terms.length === 0) return undefined;
  const long = terms.filter((t) => [...t].length >= 3);
  const short = terms.filter((t) => [...t].length < 3);
  return {
    fts: long.length ? long.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ') : null,
    likes: short.map((t) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
    exact: text.trim(),
  };
}

/**
 * Builds the list statement. Parameters, in order: user_id, [fts], [like x4 per short term],
 * [location], [color], [exact (search rank)], [cursor values], limit, [offset].
 * Cursor values: search: exact, rank, exact, value, id; otherwise: value, value, id.
 */
export function listSql(shape: ListShape): string {
  const expr = SORT_EXPR[shape.sort];
  const where = ['user_id = ?'];
  if (shape.search?.fts) where.push('id IN (SELECT rowid FROM inventory_fts WHERE inventory_fts MATCH ?)');
  for (let i = 0; i < (shape.search?.likes.length ?? 0); i++) {
    where.push(
      "(name LIKE ? ESCAPE '\\' OR part_id LIKE ? ESCAPE '\\' OR color_name LIKE ? ESCAPE '\\' OR storage_location LIKE ? ESCAPE '\\')",
    );
  }
  if (shape.location) where.push('storage_location = ? COLLATE NOCASE');
  if (shape.color) where.push('color_id = ?');
  // A location holds few lots: seek them by the location index, then sort those few.
  const from =
    shape.location && !shape.search ? 'inventory_items INDEXED BY inventory_items_user_location_idx' : 'inventory_items';
  const cmp = shape.dir === 'asc' ? '>' : '<';
  const d = shape.dir === 'asc' ? 'ASC' : 'DESC';
  let order: string;
  if (shape.search) {
    // Exact part-number matches first, then the chosen order.
    const rank = '(part_id = ? COLLATE NOCASE)';
    if (shape.cursor) {
      where.push(`(${rank} < ? OR (${rank} = ? AND (${expr}, id) ${cmp} (?, ?)))`);
    }
    order = `${rank} DESC, ${expr} ${d}, id ${d}`;
  } else {
    // `expr >= v` gives the index a range to seek; the OR only sorts out ties on id.
    if (shape.cursor) where.push(`${expr} ${cmp}= ? AND (${expr} ${cmp} ? OR id ${cmp} ?)`);
    order = `${expr} ${d}, id ${d}`;
  }
  return `SELECT ${LOT_COLUMNS} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?${
    shape.offset ? ' OFFSET ?' : ''
  }`;
}

export function countSql(shape: Pick<ListShape, 'search' | 'location' | 'color'>): string {
  const where = ['user_id = ?'];
  if (shape.search?.fts) where.push('id IN (SELECT rowid FROM inventory_fts WHERE inventory_fts MATCH ?)');
  for (let i = 0; i < (shape.search?.likes.length ?? 0); i++) {
    where.push(
      "(name LIKE ? ESCAPE '\\' OR part_id LIKE ? ESCAPE '\\' OR color_name LIKE ? ESCAPE '\\' OR storage_location LIKE ? ESCAPE '\\')",
    );
  }
  if (shape.location) where.push('storage_location = ? COLLATE NOCASE');
  if (shape.color) where.push('color_id = ?');
  return `SELECT count(*) FROM inventory_items WHERE ${where.join(' AND ')}`;
}

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
