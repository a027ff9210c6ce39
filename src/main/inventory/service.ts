// Inventory lots: read, list with search/filter/sort/keyset paging, "where is this part?",
// locations and the dashboard summary; the writes (create, update, delete; journaled) are in
// ./writes.ts. Hot, fixed-shape queries run as cached prepared statements on the one connection.
// Permissions are checked here, whatever the caller: every read or write of a profile's lots
// asks `access` (the acting profile: owner, or sharing with canEdit / canDelete).
// Over 400 lines as one thing: the page planner and the reads it chooses between share the
// maintained counts and the statement shapes of ./query.ts.
import type { DbHandle } from '../db/open';
import { AppError } from '../../shared/errors';
import type { Color, ListPage, Lot, Placement, RelType, SortDir, SortKey, Summary } from '../../shared/types';
import { relationText } from '../../shared/types';
import type { ListQuery } from '../../shared/contract';
import { LIMITS } from '../../shared/contract';
import type { AccessCheck } from '../profiles/service';
import { createJumps } from './jump';
import {
  FTS_PROBE,
  LOT_COLUMNS,
  WALK_BUDGET,
  budgetedCountSql,
  candidatesLengthSql,
  countSql,
  decodeCursor,
  encodeCursor,
  filterParams,
  listSql,
  parseSearch,
  sortValue,
  walkLengthSql,
  type Cursor,
  type Driver,
  type ParsedSearch,
} from './query';
import type { Journal } from '../history/journal';
import { createLotWrites } from './writes';

export type { LotPatch, Owner } from './writes';

/** Filtered and search totals are counted up to this many; beyond it ListPage.totalCapped is set. */
export const TOTAL_CAP = 1000;

/**
 * Largest set of rows a page may sort itself (seek by a filter's index or by the search
 * matches, then sort) before walking the sort index is cheaper. Seek-and-sort costs about
 * `matches` row reads; the walk reads about limit * lots / matches index entries, each tested
 * for the filter: cheap for a colour or a location (color_id and the location fingerprint are
 * in every sort index), a table row for a search term. The costs meet near sqrt(limit * lots) times the square root of
 * their per-row cost ratio (measured with bench/, see docs/PERFORMANCE.md).
 */
export function sortBudget(driver: Driver, limit: number, lots: number): number {
  const factor = driver === 'color' || driver === 'location' ? 0.25 : driver === 'fts' ? 0.6 : 0.85;
  return Math.max(500, Math.round(Math.sqrt(Math.max(limit, 50) * lots) * factor));
}

export interface InventoryDeps {
  db: DbHandle;
  now: () => number;
  /** What the acting profile may do with an inventory (throws `forbidden` when nothing). */
  access: AccessCheck;
  /** The acting profile's list and dashboard defaults (from its preferences). */
  viewer: () => { sortKey: SortKey; sortDir: SortDir; lowStockThreshold: number };
  onChanged?: (ownerId: number, reason: string) => void;
  /** The operation journal every write is recorded in (absent on a read-only connection). */
  journal?: Journal | undefined;
}

const SELECT_BY_ID = `SELECT ${LOT_COLUMNS} FROM inventory_items WHERE id = ?`;
const SELECT_PLACEMENTS = `SELECT id AS lotId, storage_location AS storageLocation,
  quantity_total AS quantityTotal, quantity_total - quantity_used AS quantityAvailable
  FROM inventory_items INDEXED BY inventory_items_user_part_color_location_uq
  WHERE user_id = ? AND part_id = ? AND color_id = ?
  ORDER BY storage_location COLLATE NOCASE, id`;
const SELECT_PLACEMENTS_ANY_COLOR = `SELECT id AS lotId, storage_location AS storageLocation,
  quantity_total AS quantityTotal, quantity_total - quantity_used AS quantityAvailable
  FROM inventory_items INDEXED BY inventory_items_user_part_color_location_uq WHERE user_id = ? AND part_id = ?
  ORDER BY storage_location COLLATE NOCASE, id`;
/**
 * Lots of the parts related to a part (one step in the catalogue's relationships, either way):
 * the relationship rows by their two keys, then each related part's lots by the lots' part index.
 */
const relatedPlacements = (withColor: boolean) => `WITH rel(part_id, rel_type, role) AS (
    SELECT parent_part_num, rel_type, 'parent' FROM part_relationships WHERE child_part_num = @part
    UNION SELECT child_part_num, rel_type, 'child' FROM part_relationships WHERE parent_part_num = @part)
  SELECT i.id AS lotId, i.storage_location AS storageLocation, i.quantity_total AS quantityTotal,
    i.quantity_total - i.quantity_used AS quantityAvailable, i.part_id AS partId, rel.rel_type AS relType, rel.role AS role
  FROM rel CROSS JOIN inventory_items i INDEXED BY inventory_items_user_part_color_location_uq
  WHERE i.user_id = @owner AND i.part_id = rel.part_id${withColor ? ' AND i.color_id = @color' : ''} AND rel.part_id <> @part
  ORDER BY i.part_id, rel.role, rel.rel_type, i.storage_location COLLATE NOCASE, i.id`;
export const SELECT_RELATED = relatedPlacements(true);
export const SELECT_RELATED_ANY_COLOR = relatedPlacements(false);
/** At most this many lots of related parts in one answer. */
const MAX_RELATED = 500;
const CATALOG_NAME = 'SELECT name FROM parts WHERE part_num = ?';
/**
 * The catalogue's names of a page's unnamed parts (a JSON array): one seek of the parts key
 * (the index SQLite makes for its text primary key) for each, whatever the planner's statistics
 * say; CROSS JOIN keeps the few part numbers outside.
 */
export const CATALOG_NAMES = `SELECT p.part_num AS partNum, p.name AS name FROM json_each(?) AS j
  CROSS JOIN parts AS p INDEXED BY sqlite_autoindex_parts_1 ON p.part_num = j.value`;

export function createInventoryService({ db, now, access, viewer, onChanged, journal }: InventoryDeps) {
  let colorMap: Map<number, Color> | null = null;
  const jumps = createJumps(db);

  function colors(): Map<number, Color> {
    if (!colorMap) {
      const rows = db.stmt('SELECT id, name, rgb, is_trans AS isTrans FROM colors ORDER BY id').all() as (Omit<
        Color,
        'isTrans'
      > & { isTrans: number })[];
      colorMap = new Map(rows.map((r) => [r.id, { ...r, isTrans: r.isTrans === 1 }]));
    }
    return colorMap;
  }

  function colorOrThrow(colorId: number, field = 'colorId'): Color {
    const c = colors().get(colorId);
    if (!c) {
      throw new AppError('invalid-input', `unknown colour ${colorId}`, {
        fields: [{ field, message: `unknown colour ${colorId}` }],
      });
    }
    return c;
  }

  function catalogName(partId: string): string {
    const row = db.stmt(CATALOG_NAME).get(partId) as { name: string } | undefined;
    return row?.name.slice(0, LIMITS.name) ?? '';
  }

  function lotById(id: number): Lot {
    const lot = db.stmt(SELECT_BY_ID).get(id) as Lot | undefined;
    if (!lot) throw new AppError('not-found', `lot ${id} does not exist`);
    return lot;
  }

  /** One lot, if the acting profile may read its inventory. */
  function get(id: number): Lot {
    const lot = lotById(id);
    access(lot.ownerId);
    return lot;
  }

  /**
   * "Where is this part?": every lot of a part (and colour) in an inventory the acting profile may
   * read; with `relatives`, then the lots of its related parts, each saying how it is related.
   */
  function placements(ownerId: number | undefined, partId: string, colorId?: number, relatives = false): Placement[] {
    const owner = access(ownerId).ownerId;
    const part = partId.trim();
    const own = placementsOf(owner, part, colorId);
    if (!relatives) return own;
    type Row = Omit<Placement, 'related'> & { partId: string; relType: RelType; role: 'child' | 'parent' };
    const rows = (
      colorId === undefined
        ? db.stmt(SELECT_RELATED_ANY_COLOR).all({ owner, part })
        : db.stmt(SELECT_RELATED).all({ owner, part, color: colorId })
    ) as Row[];
    const seen = new Set<number>();
    const related: Placement[] = [];
    for (const r of rows) {
      // A part related in two ways (a mould variant that is also an alternate) is listed once.
      if (seen.has(r.lotId)) continue;
      seen.add(r.lotId);
      related.push({
        lotId: r.lotId,
        storageLocation: r.storageLocation,
        quantityTotal: r.quantityTotal,
        quantityAvailable: r.quantityAvailable,
        related: { partId: r.partId, relType: r.relType, relation: relationText(r.relType, r.role, part) },
      });
      if (related.length >= MAX_RELATED) break;
    }
    return [...own, ...related];
  }

  function placementsOf(ownerId: number, partId: string, colorId?: number): Placement[] {
    return (
      colorId === undefined
        ? db.stmt(SELECT_PLACEMENTS_ANY_COLOR).all(ownerId, partId)
        : db.stmt(SELECT_PLACEMENTS).all(ownerId, partId, colorId)
    ) as Placement[];
  }

  const writes = createLotWrites({ db, now, access, onChanged, colorOrThrow, catalogName, lotById, placementsOf, journal });

  function ownerStats(ownerId: number): { lots: number; quantityTotal: number; quantityUsed: number } {
    return (
      (db
        .stmt(
          `SELECT lots, quantity_total AS quantityTotal, quantity_used AS quantityUsed
             FROM inventory_stats WHERE user_id = ?`,
        )
        .get(ownerId) as { lots: number; quantityTotal: number; quantityUsed: number } | undefined) ?? {
        lots: 0,
        quantityTotal: 0,
        quantityUsed: 0,
      }
    );
  }

  function locationLots(ownerId: number, location: string): number {
    return (
      (db
        .stmt('SELECT lots FROM inventory_location_stats WHERE user_id = ? AND location_key = lower(?)')
        .pluck()
        .get(ownerId, location) as number | undefined) ?? 0
    );
  }

  function colorLots(ownerId: number, colorId: number): number {
    return (
      (db.stmt('SELECT lots FROM inventory_color_stats WHERE user_id = ? AND color_id = ?').pluck().get(ownerId, colorId) as
        number | undefined) ?? 0
    );
  }

  interface Plan {
    driver: Driver;
    /** Search pages walk the sort index: exact part matches first, as their own segment. */
    segmented: boolean;
    total: number | null;
    capped: boolean;
    /** Driver used to count when the total is not known yet. */
    countBy: Driver;
    /** Every FTS match of this owner (the probe saw them all), as a JSON array. */
    matchIds?: string;
  }

  /**
   * Picks how to fetch a page from maintained counts (O(1) lookups) and, for a search, from a
   * short probe of the FTS index: the smallest set of candidate rows that fits the sort budget
   * is sought by its index and sorted; when none is small, the sort index is walked.
   */
  function plan(
    ownerId: number,
    search: ParsedSearch | undefined,
    location: string | undefined,
    colorId: number | undefined,
    limit: number,
  ): Plan {
    const lots = ownerStats(ownerId).lots;
    const sets: { driver: Driver; size: number; exact: boolean }[] = [];
    let matchIds: string | undefined;
    const inLocation = location === undefined ? 0 : locationLots(ownerId, location);
    const inColor = colorId === undefined ? 0 : colorLots(ownerId, colorId);
    if (location !== undefined) {
      // The location index carries color_id: with a colour filter too, only the rows of that
      // colour are looked up and sorted (estimated as if location and colour were independent).
      const share = colorId === undefined ? 1 : Math.max(inColor / Math.max(lots, 1), 0.01);
      sets.push({ driver: 'location', size: Math.ceil(inLocation * share), exact: colorId === undefined });
    }
    if (colorId !== undefined) sets.push({ driver: 'color', size: inColor, exact: true });
    if (search?.fts) {
      // Rowids of the first matches: their density in the id range estimates the match count.
      const ids = db.stmt(FTS_PROBE).pluck().all({ fts: search.fts, owner: ownerId, limit: TOTAL_CAP }) as number[];
      let size = ids.length;
      if (ids.length >= TOTAL_CAP) {
        const maxId = (db.stmt('SELECT max(id) FROM inventory_items').pluck().get() as number | null) ?? 0;
        size = Math.round((ids.length * maxId) / Math.max(1, ids.at(-1)!));
      }
      if (ids.length < TOTAL_CAP) matchIds = JSON.stringify(ids);
      // The probe does not test the short terms: then its count is not the total.
      sets.push({ driver: 'fts', size, exact: ids.length < TOTAL_CAP && search.likes.length === 0 });
    }
    // A search of short terms only is tested on each row read: a location or colour of up to
    // WALK_BUDGET lots is read whole (a complete answer) rather than walked in sort order.
    const budgetOf = (set: { driver: Driver }) =>
      search?.likes.length && !search.fts && set.driver !== 'fts'
        ? Math.max(WALK_BUDGET, sortBudget(set.driver, limit, lots))
        : sortBudget(set.driver, limit, lots);
    // A search (its long and short terms together) is one filter.
    const filters = sets.length + (search?.likes.length && !search.fts ? 1 : 0);
    // The cheapest set to seek and sort: the smallest relative to its budget.
    sets.sort((a, b) => a.size / budgetOf(a) - b.size / budgetOf(b));
    const smallest = sets[0];
    const onlyOne = filters === 1 && smallest !== undefined;
    if (smallest && smallest.size <= budgetOf(smallest)) {
      return {
        driver: smallest.driver,
        segmented: false,
        total: onlyOne && smallest.exact ? smallest.size : null,
        capped: false,
        countBy: smallest.driver,
        ...(smallest.driver === 'fts' && matchIds ? { matchIds } : {}),
      };
    }
    if (filters === 0) return { driver: 'sort', segmented: false, total: lots, capped: false, countBy: 'sort' };
    if (onlyOne && smallest.exact) {
      return { driver: 'sort', segmented: !!search, total: smallest.size, capped: false, countBy: 'sort' };
    }
    if (onlyOne && smallest.driver === 'fts' && !search?.likes.length) {
      // The probe found at least TOTAL_CAP matches: report that many, flagged as a lower bound.
      return { driver: 'sort', segmented: true, total: TOTAL_CAP, capped: true, countBy: 'fts' };
    }
    return { driver: 'sort', segmented: !!search, total: null, capped: false, countBy: smallest?.driver ?? 'sort' };
  }

  /** A page of an inventory the acting profile may read; sort defaults from its preferences. */
  function list(
    ownerId: number | undefined,
    q: Omit<ListQuery, 'ownerId'>,
    defaults?: { sort: SortKey; dir: SortDir },
  ): ListPage {
    const owner = access(ownerId).ownerId;
    const prefs = defaults ?? (({ sortKey, sortDir }) => ({ sort: sortKey, dir: sortDir }))(viewer());
    return withCatalogNames(listPage(owner, q, prefs));
  }

  /**
   * Gives the page's lots without a name the catalogue's name of their part (`catalogName`),
   * in one batched lookup by the parts table's key, so the table can show a name where the
   * catalogue knows one. Exports and iteration read listPage and stay as stored.
   */
  function withCatalogNames(page: ListPage): ListPage {
    const unnamed = [...new Set(page.items.filter((l) => l.name === '').map((l) => l.partId))];
    if (unnamed.length === 0) return page;
    const rows = db.stmt(CATALOG_NAMES).all(JSON.stringify(unnamed)) as { partNum: string; name: string }[];
    if (rows.length === 0) return page;
    const names = new Map(rows.map((r) => [r.partNum, r.name.slice(0, LIMITS.name)]));
    const items = page.items.map((l) => {
      const catalogName = l.name === '' ? names.get(l.partId) : undefined;
      return catalogName ? { ...l, catalogName } : l;
    });
    return { ...page, items };
  }

  function listPage(ownerId: number, q: Omit<ListQuery, 'ownerId'>, defaults: { sort: SortKey; dir: SortDir }): ListPage {
    const sort = q.sort ?? defaults.sort;
    const dir = q.dir ?? defaults.dir;
    const limit = q.limit ?? 100;
    const searchText = (q.search ?? '').trim();
    const search = parseSearch(searchText);
    const locationValue = q.location === undefined ? undefined : q.location.trim();
    const location = locationValue !== undefined;
    const color = q.colorId !== undefined;
    const cursor = q.after ? decodeCursor(q.after, { sort, dir, search: searchText }) : undefined;
    const offset = !cursor && (q.offset ?? 0) > 0 ? q.offset! : 0;

    const filters = filterParams(ownerId, search, locationValue, q.colorId);
    const p = plan(ownerId, search, locationValue, q.colorId, limit);
    const base = { sort, dir, search, location, color, driver: p.driver, matchIds: !!p.matchIds };
    if (p.matchIds) filters.ids = p.matchIds;
    const cursorParams = (c: Cursor) => ({ crank: c.rank, cvalue: c.value, cid: c.id });
    const run = (shape: Parameters<typeof listSql>[0], params: Record<string, unknown>) =>
      db.stmt(listSql(shape)).all({ ...filters, ...params }) as Lot[];

    // Walking a sort index after a cursor: the rest of the cursor value's run, then what follows.
    const walkAfter = (shape: Parameters<typeof listSql>[0], c: Cursor, want: number): Lot[] => {
      const ties = run({ ...shape, cursor: 'ties' }, { ...cursorParams(c), limit: want });
      if (ties.length >= want) return ties;
      return ties.concat(run({ ...shape, cursor: 'after' }, { ...cursorParams(c), limit: want - ties.length }));
    };

    // A search walking a sort index tests each row: the walk reads at most WALK_BUDGET entries
    // (per part of the walk) and reports whether it stopped before the end (`cut`).
    const walkedMore = (shape: Parameters<typeof listSql>[0], params: Record<string, unknown>, budget: number) =>
      (db
        .stmt(walkLengthSql(shape))
        .pluck()
        .get({ ...filters, ...params, budget }) as number) > budget;
    const boundedWalk = (
      shape: Parameters<typeof listSql>[0],
      c: Cursor | undefined,
      want: number,
      skip: number,
    ): { rows: Lot[]; cut: boolean } => {
      const b = { ...shape, budget: true };
      if (!c) {
        const rows = run({ ...b, offset: skip > 0 }, { limit: want, budget: WALK_BUDGET, ...(skip > 0 ? { offset: skip } : {}) });
        return { rows, cut: rows.length < want && walkedMore(b, {}, WALK_BUDGET) };
      }
      const ties = run({ ...b, cursor: 'ties' }, { ...cursorParams(c), limit: want, budget: WALK_BUDGET });
      if (ties.length >= want) return { rows: ties, cut: false };
      // How much of the budget the run of the cursor's value took (a covering count).
      const tiesSeen = db
        .stmt(walkLengthSql({ ...b, cursor: 'ties' }))
        .pluck()
        .get({ ...filters, ...cursorParams(c), budget: WALK_BUDGET }) as number;
      if (tiesSeen > WALK_BUDGET) return { rows: ties, cut: true };
      const left = WALK_BUDGET - tiesSeen;
      const rows = ties.concat(run({ ...b, cursor: 'after' }, { ...cursorParams(c), limit: want - ties.length, budget: left }));
      return { rows, cut: rows.length < want && walkedMore({ ...b, cursor: 'after' }, cursorParams(c), left) };
    };

    let rows: Lot[];
    let cut = false;
    if (!p.segmented) {
      const shape = { ...base, segment: search ? ('mixed' as const) : undefined, offset: offset > 0 };
      const far =
        offset > 0 && p.driver === 'sort' && !search && !location && !color
          ? jumps.page(ownerId, sort, dir, offset, limit + 1)
          : undefined;
      rows =
        far ??
        (cursor && p.driver === 'sort' && !search
          ? walkAfter(shape, cursor, limit + 1)
          : run(
              { ...shape, cursor: !!cursor },
              { ...(cursor ? cursorParams(cursor) : {}), limit: limit + 1, ...(offset > 0 ? { offset } : {}) },
            ));
    } else {
      // Exact part-number matches (few, sought by their index) first, then the sort index walk.
      rows = [];
      let skip = offset;
      if (!cursor || cursor.rank === 1) {
        const exact = run(
          { ...base, driver: 'exact', segment: 'exact', cursor: !!cursor },
          { ...(cursor ? cursorParams(cursor) : {}), limit: skip + limit + 1 },
        );
        rows = exact.slice(skip);
        skip = Math.max(0, skip - exact.length);
      }
      if (rows.length < limit + 1) {
        const rest = boundedWalk(
          { ...base, segment: 'rest' },
          cursor?.rank === 0 ? cursor : undefined,
          limit + 1 - rows.length,
          skip,
        );
        rows.push(...rest.rows);
        cut = rest.cut;
      }
    }
    const hasMore = rows.length > limit;
    const items = hasMore ? rows.slice(0, limit) : rows;
    const last = items.at(-1);
    const nextCursor =
      hasMore && last
        ? encodeCursor({
            sort,
            dir,
            search: searchText,
            rank: search && last.partId.toLowerCase() === search.exact.toLowerCase() ? 1 : 0,
            value: sortValue(sort, last),
            id: last.id,
          })
        : null;
    // The walk stopped before the end: the lots shown all match, others may follow.
    const incomplete = cut ? { incomplete: true } : {};
    if (q.withTotal === false) return { items, total: -1, nextCursor, totalCapped: false, ...incomplete };
    let total = p.total;
    let capped = p.capped;
    if (cut && !cursor) {
      // The first walk already read the whole budget: what it found is what can be counted.
      total = offset + items.length;
      capped = true;
    } else if (total === null) {
      const countShape = { sort, search, location, color, driver: p.countBy, matchIds: p.countBy === 'fts' && !!p.matchIds };
      if (search && !countShape.matchIds) {
        // A count that tests rows reads at most WALK_BUDGET candidates.
        const n = db
          .stmt(budgetedCountSql(countShape))
          .pluck()
          .get({ ...filters, cap: TOTAL_CAP + 1, budget: WALK_BUDGET }) as number;
        const stopped =
          n <= TOTAL_CAP &&
          (db
            .stmt(candidatesLengthSql(countShape))
            .pluck()
            .get({ ...filters, budget: WALK_BUDGET }) as number) > WALK_BUDGET;
        capped = n > TOTAL_CAP || stopped;
        total = n > TOTAL_CAP ? TOTAL_CAP : n;
      } else {
        const n = db
          .stmt(countSql(countShape))
          .pluck()
          .get({ ...filters, cap: TOTAL_CAP + 1 }) as number;
        capped = n > TOTAL_CAP;
        total = capped ? TOTAL_CAP : n;
      }
    }
    // A page can hold more than a capped total says: never report fewer than were seen.
    if (capped && !cut && !hasMore && offset + items.length <= total) capped = false;
    if (capped && total < offset + items.length) total = offset + items.length;
    return { items, total, nextCursor, totalCapped: capped, ...incomplete };
  }

  /** Every lot matching a query, fetched in keyset-paged chunks (safe to interleave with writes). */
  function* iterate(ownerId: number | undefined, q: Omit<ListQuery, 'ownerId'> = {}, chunk = 1000): Generator<Lot> {
    const owner = access(ownerId).ownerId;
    let after: string | undefined;
    const sort = q.sort ?? 'part';
    const dir = q.dir ?? 'asc';
    for (;;) {
      const page = listPage(
        owner,
        { ...q, sort, dir, limit: chunk, withTotal: false, ...(after ? { after } : {}) },
        { sort, dir },
      );
      yield* page.items;
      if (!page.nextCursor) return;
      after = page.nextCursor;
    }
  }

  /** Storage locations with their lot counts (maintained aggregate, case-insensitive groups). */
  function locations(ownerId: number | undefined, prefix?: string, limit = 500): { storageLocation: string; lots: number }[] {
    const owner = access(ownerId).ownerId;
    if (prefix && prefix.trim()) {
      // location_key is lower(storage_location): a prefix is a key range, sought by the primary key.
      // lower() folds ASCII only (as COLLATE NOCASE and LIKE do): fold the prefix the same way.
      const lo = prefix.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
      return db
        .stmt(
          `SELECT storage_location AS storageLocation, lots FROM inventory_location_stats
            WHERE user_id = ? AND location_key >= ? AND location_key < ? || char(1114111) AND location_key <> ''
            ORDER BY location_key LIMIT ?`,
        )
        .all(owner, lo, lo, limit) as { storageLocation: string; lots: number }[];
    }
    return db
      .stmt(
        `SELECT storage_location AS storageLocation, lots FROM inventory_location_stats
          WHERE user_id = ? AND location_key <> '' ORDER BY location_key LIMIT ?`,
      )
      .all(owner, limit) as { storageLocation: string; lots: number }[];
  }

  /** The dashboard of an inventory the acting profile may read (low stock: its own threshold). */
  function summary(ownerId: number | undefined, lowStockThreshold = viewer().lowStockThreshold, top = 10): Summary {
    ownerId = access(ownerId).ownerId;
    const totals = ownerStats(ownerId);
    const locationCount = db
      .stmt(`SELECT count(*) FROM inventory_location_stats WHERE user_id = ? AND location_key <> ''`)
      .pluck()
      .get(ownerId) as number;
    const topColors = db
      .stmt(
        `SELECT color_id AS colorId, color_name AS colorName, quantity, lots
           FROM inventory_color_stats WHERE user_id = ? ORDER BY quantity DESC, colorName LIMIT ?`,
      )
      .all(ownerId, top) as Summary['topColors'];
    const topLocations = db
      .stmt(
        `SELECT storage_location AS storageLocation, lots, quantity
           FROM inventory_location_stats WHERE user_id = ? AND location_key <> ''
           ORDER BY lots DESC, storageLocation LIMIT ?`,
      )
      .all(ownerId, top) as Summary['topLocations'];
    const lowStock = db
      .stmt(
        `SELECT ${LOT_COLUMNS} FROM inventory_items INDEXED BY inventory_items_user_available_idx
          WHERE user_id = ? AND (quantity_total - quantity_used) <= ?
          ORDER BY (quantity_total - quantity_used) ASC, id ASC LIMIT ?`,
      )
      .all(ownerId, lowStockThreshold, top * 2) as Lot[];
    const recent = db
      .stmt(
        `SELECT ${LOT_COLUMNS} FROM inventory_items INDEXED BY inventory_items_user_created_idx
          WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(ownerId, top) as Lot[];
    return {
      lots: totals.lots,
      quantityTotal: totals.quantityTotal,
      quantityUsed: totals.quantityUsed,
      quantityAvailable: totals.quantityTotal - totals.quantityUsed,
      locations: locationCount,
      topColors,
      topLocations,
      lowStock,
      lowStockThreshold,
      recent,
    };
  }

  function colorList(): Color[] {
    return [...colors().values()];
  }

  /** Forget cached colours (after a catalogue import or a restore). */
  function invalidateColors(): void {
    colorMap = null;
  }

  /** Forget everything cached of the data (another connection changed it: an import). */
  function invalidateCaches(): void {
    colorMap = null;
    jumps.clear();
  }

  return {
    get,
    ...writes,
    list,
    iterate,
    placements,
    locations,
    summary,
    colors: colorList,
    colorOrThrow,
    catalogName,
    invalidateColors,
    invalidateCaches,
    /** Far jumps by offset: `jumps.build(ownerId, sort)` reads a sort key's sample now. */
    jumps,
  };
}

export type InventoryService = ReturnType<typeof createInventoryService>;
