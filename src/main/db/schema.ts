// The database schema. drizzle-kit generates the SQL migrations in drizzle/ from this file.
// What drizzle cannot express (FTS5 search index, triggers, NOCASE expression indexes, the
// shipped colour table) lives in hand-written custom migrations beside the generated ones.
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The location fingerprint: length and six characters of lower(x) (ASCII folding, as COLLATE
 * NOCASE), mixed in base 97. Equal for locations equal under NOCASE; rarely equal otherwise
 * (then the exact test sorts it out). Stays below 2^63 for any 200-character text.
 */
export function locationFp(x: string): string {
  const ch = (k: string) => `coalesce(unicode(substr(lower(${x}), ${k}, 1)), 0)`;
  let h = `length(${x})`;
  for (const k of ['1', '2', '-1', '-2', '-3', `(length(${x}) + 1) / 2`]) h = `(${h} * 97 + ${ch(k)})`;
  return h;
}

/** Local profiles: one person's inventory each. A default one is created on first run. */
export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('users_name_uq').on(sql`${t.name} COLLATE NOCASE`),
    check('users_name_len', sql`length(${t.name}) BETWEEN 1 AND 60`),
  ],
);

/** Rebrickable colour ids (BrickLink's differ). Shipped with the app, see migration 0001. */
export const colors = sqliteTable('colors', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  rgb: text('rgb').notNull(),
  isTrans: integer('is_trans', { mode: 'boolean' }).notNull().default(false),
});

export const partCategories = sqliteTable('part_categories', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
});

export const parts = sqliteTable(
  'parts',
  {
    partNum: text('part_num').primaryKey(),
    name: text('name').notNull(),
    partCatId: integer('part_cat_id'),
    partMaterial: text('part_material'),
  },
  (t) => [index('parts_cat_idx').on(t.partCatId)],
);

export const elements = sqliteTable(
  'elements',
  {
    elementId: text('element_id').primaryKey(),
    partNum: text('part_num').notNull(),
    colorId: integer('color_id').notNull(),
    designId: text('design_id'),
  },
  (t) => [index('elements_part_color_idx').on(t.partNum, t.colorId)],
);

/**
 * A lot: one part in one colour at one storage location of one profile.
 * The same part and colour may sit in several locations (real exports do this).
 * color_name is a copy of colors.name kept by the service and by triggers, so that sorting
 * by colour is served by an index.
 */
export const inventoryItems = sqliteTable(
  'inventory_items',
  {
    id: integer('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    partId: text('part_id').notNull(),
    colorId: integer('color_id')
      .notNull()
      .references(() => colors.id),
    colorName: text('color_name').notNull(),
    name: text('name').notNull().default(''),
    quantityTotal: integer('quantity_total').notNull(),
    quantityUsed: integer('quantity_used').notNull().default(0),
    storageLocation: text('storage_location').notNull().default(''),
    notes: text('notes').notNull().default(''),
    imageUrl: text('image_url'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /**
     * A small integer fingerprint of the storage location (case-insensitive), computed by
     * SQLite (virtual: never stored in the row). It rides along in the sort indexes, so a
     * location filter is tested on the index entry while walking one: only lots whose
     * fingerprint matches are read. See LOCATION_FP in src/main/inventory/query.ts.
     */
    locationFp: integer('location_fp').generatedAlwaysAs(sql.raw(locationFp('storage_location')), { mode: 'virtual' }),
  },
  (t) => [
    check('inventory_items_qty', sql`${t.quantityUsed} >= 0 AND ${t.quantityUsed} <= ${t.quantityTotal}`),
    check('inventory_items_part_len', sql`length(${t.partId}) BETWEEN 1 AND 64`),
    check('inventory_items_name_len', sql`length(${t.name}) <= 200`),
    check('inventory_items_location_len', sql`length(${t.storageLocation}) <= 200`),
    check('inventory_items_notes_len', sql`length(${t.notes}) <= 2000`),
    // Duplicate detection and "where is this part?": (user, part, colour) is the prefix.
    uniqueIndex('inventory_items_user_part_color_location_uq').on(t.userId, t.partId, t.colorId, t.storageLocation),
    // Sort and keyset-paging indexes: (user, key, id) for every sort key. color_id and the
    // location fingerprint ride along (migration 0003) so that colour and location filters are
    // tested on the index entry while walking it.
    index('inventory_items_user_part_idx').on(t.userId, t.partId, t.id, t.colorId, t.locationFp),
    index('inventory_items_user_color_name_idx').on(t.userId, t.colorName, t.id, t.colorId, t.locationFp),
    index('inventory_items_user_color_idx').on(t.userId, t.colorId),
    index('inventory_items_user_total_idx').on(t.userId, t.quantityTotal, t.id, t.colorId, t.locationFp),
    index('inventory_items_user_used_idx').on(t.userId, t.quantityUsed, t.id, t.colorId, t.locationFp),
    index('inventory_items_user_created_idx').on(t.userId, t.createdAt, t.id, t.colorId, t.locationFp),
    index('inventory_items_user_updated_idx').on(t.userId, t.updatedAt, t.id, t.colorId, t.locationFp),
    // Search ranks an exact part number first (case-insensitively): a seek, not a scan.
    index('inventory_items_user_part_nocase_idx').on(t.userId, sql`${t.partId} COLLATE NOCASE`),
  ],
);

/*
 * Maintained aggregates (migration 0003): kept in step with inventory_items by triggers, so
 * every write path (service, bulk import, profile delete cascade, a restored backup) agrees.
 * They answer list totals and the dashboard in O(1) instead of aggregating a million rows.
 */

/** Per profile: number of lots and quantities. A row exists once the profile has had a lot. */
export const inventoryStats = sqliteTable('inventory_stats', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  lots: integer('lots').notNull().default(0),
  quantityTotal: integer('quantity_total').notNull().default(0),
  quantityUsed: integer('quantity_used').notNull().default(0),
});

/**
 * Per (profile, storage location), grouped case-insensitively like the location filter:
 * location_key = lower(storage_location) (ASCII folding, the same as COLLATE NOCASE).
 * storage_location keeps the spelling of the first lot seen. Rows with no lots are deleted.
 */
export const inventoryLocationStats = sqliteTable(
  'inventory_location_stats',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    locationKey: text('location_key').notNull(),
    storageLocation: text('storage_location').notNull(),
    lots: integer('lots').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.locationKey] })],
);

/** Per (profile, colour). Rows with no lots are deleted. */
export const inventoryColorStats = sqliteTable(
  'inventory_color_stats',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    colorId: integer('color_id').notNull(),
    colorName: text('color_name').notNull(),
    lots: integer('lots').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.colorId] })],
);

export const userPreferences = sqliteTable(
  'user_preferences',
  {
    userId: integer('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    theme: text('theme', { enum: ['light', 'dark', 'system'] })
      .notNull()
      .default('system'),
    itemsPerPage: integer('items_per_page').notNull().default(100),
    sortKey: text('sort_key').notNull().default('updated'),
    sortDir: text('sort_dir', { enum: ['asc', 'desc'] })
      .notNull()
      .default('desc'),
    lowStockThreshold: integer('low_stock_threshold').notNull().default(2),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check('user_preferences_theme', sql`${t.theme} IN ('light','dark','system')`),
    check('user_preferences_dir', sql`${t.sortDir} IN ('asc','desc')`),
    check('user_preferences_page', sql`${t.itemsPerPage} BETWEEN 10 AND 1000`),
    check('user_preferences_low', sql`${t.lowStockThreshold} BETWEEN 0 AND 1000000`),
  ],
);

/** One row (id = 1): settings of the installation rather than of a profile. */
export const appConfig = sqliteTable(
  'app_config',
  {
    id: integer('id').primaryKey(),
    backupDir: text('backup_dir'),
    autoBackup: integer('auto_backup', { mode: 'boolean' }).notNull().default(true),
    backupIntervalHours: integer('backup_interval_hours').notNull().default(24),
    keepRecentHours: integer('keep_recent_hours').notNull().default(24),
    keepRecentMax: integer('keep_recent_max').notNull().default(48),
    keepDaily: integer('keep_daily').notNull().default(30),
    keepWeekly: integer('keep_weekly').notNull().default(12),
    keepMonthly: integer('keep_monthly').notNull().default(12),
    lastProfileId: integer('last_profile_id'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check('app_config_single_row', sql`${t.id} = 1`),
    check('app_config_interval', sql`${t.backupIntervalHours} BETWEEN 1 AND 168`),
  ],
);

/** Sharing an inventory (owner) with another local profile (collaborator). */
export const inventoryCollabs = sqliteTable(
  'inventory_collabs',
  {
    id: integer('id').primaryKey(),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    collaboratorId: integer('collaborator_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    canEdit: integer('can_edit', { mode: 'boolean' }).notNull().default(false),
    canDelete: integer('can_delete', { mode: 'boolean' }).notNull().default(false),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
    acceptedAt: integer('accepted_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [
    check('inventory_collabs_not_self', sql`${t.ownerId} <> ${t.collaboratorId}`),
    uniqueIndex('inventory_collabs_active_pair_uq')
      .on(t.ownerId, t.collaboratorId)
      .where(sql`${t.isActive} = 1`),
    index('inventory_collabs_collaborator_idx').on(t.collaboratorId, t.isActive),
  ],
);

/*
 * The rest of Rebrickable's catalogue (migration 0004): themes, sets, minifigs, inventories and
 * their parts, sub-sets and minifigs, and part relationships. Written only by the catalogue
 * importer (src/main/catalog/), which upserts them; read by the Sets feature.
 *
 * Foreign keys only where Rebrickable's data is consistent. The April 2026 download has none of
 * these orphans: sets.theme_id → themes, themes.parent_id → themes, inventory_sets → inventories
 * and sets; so inventory_sets has both keys (the importer skips, and counts, a row whose
 * inventory or set is missing instead of failing). It does have: 3 inventory_minifigs rows whose
 * inventory is missing and 1 whose minifig is missing, 19 part_relationships children and 12
 * parents that are not in parts, 90 elements of unknown parts. inventory_parts cannot be checked
 * here (it is not shipped) and inventories.set_num names a set or a minifig (fig-…). Those
 * columns carry no foreign key: readers join with LEFT JOIN and expect a missing row.
 * sets.theme_id and themes.parent_id carry none either, so that a download listing a set before
 * its new theme, or a theme before its parent, never fails.
 */

export const themes = sqliteTable(
  'themes',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    parentId: integer('parent_id'),
  },
  (t) => [index('themes_parent_idx').on(t.parentId)],
);

export const sets = sqliteTable(
  'sets',
  {
    setNum: text('set_num').primaryKey(),
    name: text('name').notNull(),
    year: integer('year'),
    themeId: integer('theme_id'),
    numParts: integer('num_parts').notNull().default(0),
    imgUrl: text('img_url'),
  },
  (t) => [index('sets_theme_year_idx').on(t.themeId, t.year), index('sets_year_idx').on(t.year)],
);

export const minifigs = sqliteTable('minifigs', {
  figNum: text('fig_num').primaryKey(),
  name: text('name').notNull(),
  numParts: integer('num_parts').notNull().default(0),
  imgUrl: text('img_url'),
});

/** A version of a set's (or minifig's) contents; a set's newest is its highest version. */
export const inventories = sqliteTable(
  'inventories',
  {
    id: integer('id').primaryKey(),
    version: integer('version').notNull(),
    setNum: text('set_num').notNull(),
  },
  (t) => [uniqueIndex('inventories_set_version_uq').on(t.setNum, t.version)],
);

/**
 * Parts of an inventory. Rows repeating (inventory, part, colour, spare) are one row with the
 * quantities added up. A newer download replaces the rows of each inventory it lists.
 */
export const inventoryParts = sqliteTable(
  'inventory_parts',
  {
    inventoryId: integer('inventory_id').notNull(),
    partNum: text('part_num').notNull(),
    colorId: integer('color_id').notNull(),
    isSpare: integer('is_spare', { mode: 'boolean' }).notNull().default(false),
    quantity: integer('quantity').notNull(),
    imgUrl: text('img_url'),
  },
  (t) => [
    primaryKey({ columns: [t.inventoryId, t.partNum, t.colorId, t.isSpare] }),
    // Which inventories (so which sets) use a part, in a colour or in any. Covering (migration
    // 0005): "which sets can I build?" reads inventory, spare flag and quantity of the rows of
    // every owned part from the index alone, without a table lookup per row.
    index('inventory_parts_part_color_idx').on(t.partNum, t.colorId, t.isSpare, t.inventoryId, t.quantity),
  ],
);

export const inventorySets = sqliteTable(
  'inventory_sets',
  {
    inventoryId: integer('inventory_id')
      .notNull()
      .references(() => inventories.id, { onDelete: 'cascade' }),
    setNum: text('set_num')
      .notNull()
      .references(() => sets.setNum),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.inventoryId, t.setNum] }), index('inventory_sets_set_idx').on(t.setNum)],
);

export const inventoryMinifigs = sqliteTable(
  'inventory_minifigs',
  {
    inventoryId: integer('inventory_id').notNull(),
    figNum: text('fig_num').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.inventoryId, t.figNum] }), index('inventory_minifigs_fig_idx').on(t.figNum)],
);

/** rel_type: P print, T pattern, M mould, A alternate, R pair, B sub-part (child of parent). */
export const partRelationships = sqliteTable(
  'part_relationships',
  {
    relType: text('rel_type').notNull(),
    childPartNum: text('child_part_num').notNull(),
    parentPartNum: text('parent_part_num').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.childPartNum, t.relType, t.parentPartNum] }),
    index('part_relationships_parent_idx').on(t.parentPartNum, t.relType, t.childPartNum),
  ],
);

/**
 * One row (id = 1): which shipped catalogue snapshot the database holds. `snapshot` is the date
 * of the snapshot last loaded (resources/catalog/manifest.json); a shipped snapshot with a later
 * date is loaded over it on start. `imported_at`: the last import of the user's own downloads.
 */
export const catalogMeta = sqliteTable(
  'catalog_meta',
  {
    id: integer('id').primaryKey(),
    snapshot: text('snapshot'),
    snapshotLoadedAt: integer('snapshot_loaded_at'),
    importedAt: integer('imported_at'),
    /** Rows per catalogue table, JSON, written by each import (so stats count no million rows). */
    counts: text('counts'),
  },
  (t) => [check('catalog_meta_single_row', sql`${t.id} = 1`)],
);

/*
 * The operation journal (undo, redo and each lot's history). Every change to lots is one
 * operation, written in the same transaction as the change. `history_rows` holds, per lot the
 * operation touched, its row before (null: the operation created it) and after (null: deleted).
 * An import records the lots it created as an id range (batch_lo..batch_hi) and the before-images
 * of the lots it changed only; their after-images are taken when it is first undone.
 */
export const historyOps = sqliteTable(
  'history_ops',
  {
    id: integer('id').primaryKey(),
    /** The inventory (profile) whose lots changed. */
    ownerId: integer('owner_id').notNull(),
    /** The profile that acted (an owner, or a collaborator). */
    actorId: integer('actor_id').notNull(),
    kind: text('kind').notNull(),
    label: text('label').notNull(),
    createdAt: integer('created_at').notNull(),
    /** done | undone | dropped (off the journal: its rows are being swept) | mark (not undoable). */
    state: text('state').notNull(),
    /** Lots touched (rows in history_rows, plus the batch). */
    lots: integer('lots').notNull().default(0),
    batchLo: integer('batch_lo'),
    batchHi: integer('batch_hi'),
    /** 1 when history_rows holds every after-image (0: an import not yet undone). */
    afterKept: integer('after_kept').notNull().default(1),
    /** Whether the owner's inventory_stats row existed before the operation. */
    statsRow: integer('stats_row').notNull().default(1),
    undoneAt: integer('undone_at'),
  },
  (t) => [
    index('history_ops_actor_idx').on(t.actorId, t.state, t.id),
    index('history_ops_state_idx').on(t.state, t.id),
    index('history_ops_owner_idx').on(t.ownerId, t.id),
    check('history_ops_state', sql`${t.state} IN ('done', 'undone', 'dropped', 'mark')`),
  ],
);

/** One row (id = 1), once set: the journal's bounds (operations kept, and for how many days). */
export const historyConfig = sqliteTable(
  'history_config',
  {
    id: integer('id').primaryKey(),
    maxOps: integer('max_ops').notNull().default(1000),
    maxDays: integer('max_days').notNull().default(90),
  },
  (t) => [check('history_config_single_row', sql`${t.id} = 1`)],
);

export const historyRows = sqliteTable(
  'history_rows',
  {
    opId: integer('op_id').notNull(),
    lotId: integer('lot_id').notNull(),
    before: text('before'),
    after: text('after'),
  },
  (t) => [primaryKey({ columns: [t.opId, t.lotId] }), index('history_rows_lot_idx').on(t.lotId, t.opId)],
);

/**
 * The name a location's totals row showed (inventory_location_stats.storage_location: the
 * spelling of the first lot that made it) on each side of an operation, for the rows the
 * operation or its undo removed and made again: undo and redo put the same spelling back.
 */
export const historyNames = sqliteTable(
  'history_names',
  {
    opId: integer('op_id').notNull(),
    /** before | after: which side of the operation the name belongs to. */
    side: text('side').notNull(),
    userId: integer('user_id').notNull(),
    locationKey: text('location_key').notNull(),
    storageLocation: text('storage_location').notNull(),
  },
  (t) => [primaryKey({ columns: [t.opId, t.side, t.userId, t.locationKey] })],
);

/**
 * The rows of the Sets builds (set_builds, set_build_takes) an operation touched (migration 0007),
 * as JSON images before (null: the operation made it) and after (null: it removed it), so mark
 * built and take apart are undone and redone exactly, as lots are through history_rows.
 */
export const historyBuildRows = sqliteTable(
  'history_build_rows',
  {
    opId: integer('op_id').notNull(),
    /** set_builds | set_build_takes */
    tbl: text('tbl').notNull(),
    rowId: integer('row_id').notNull(),
    before: text('before'),
    after: text('after'),
  },
  (t) => [
    primaryKey({ columns: [t.opId, t.tbl, t.rowId] }),
    index('history_build_rows_row_idx').on(t.tbl, t.rowId, t.opId),
    check('history_build_rows_tbl', sql`${t.tbl} IN ('set_builds', 'set_build_takes')`),
  ],
);

/**
 * Builds (migration 0005): a list a profile marked as built, and what it took from which lot, so
 * "take apart" moves exactly those pieces back out of `used`. Written only by the Sets feature
 * (src/main/sets/). A take keeps the lot's part, colour and location as they were, to name the
 * lot when it is gone: deleting a lot keeps the build and sets the take's lot_id to NULL.
 */
export const setBuilds = sqliteTable(
  'set_builds',
  {
    id: integer('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** 'set' or 'file'. */
    sourceKind: text('source_kind').notNull(),
    /** Set number, or file name. */
    sourceId: text('source_id').notNull(),
    sourceName: text('source_name').notNull(),
    sourceFormat: text('source_format'),
    /** sha256 of the list's summed lines, so a file read again finds its build. */
    listKey: text('list_key').notNull(),
    quantity: integer('quantity').notNull(),
    /** The build options, JSON. */
    options: text('options').notNull(),
    pieces: integer('pieces').notNull(),
    builtAt: integer('built_at').notNull(),
  },
  (t) => [
    check('set_builds_kind', sql`${t.sourceKind} IN ('set', 'file')`),
    index('set_builds_user_idx').on(t.userId, t.builtAt),
    index('set_builds_source_idx').on(t.userId, t.sourceKind, t.sourceId),
  ],
);

export const setBuildTakes = sqliteTable(
  'set_build_takes',
  {
    id: integer('id').primaryKey(),
    buildId: integer('build_id')
      .notNull()
      .references(() => setBuilds.id, { onDelete: 'cascade' }),
    lotId: integer('lot_id').references(() => inventoryItems.id, { onDelete: 'set null' }),
    partId: text('part_id').notNull(),
    colorId: integer('color_id').notNull(),
    location: text('location').notNull(),
    quantity: integer('quantity').notNull(),
    /** The lot's updated_at before and after the build: taking apart an untouched lot gives the first back. */
    updatedBefore: integer('updated_before').notNull(),
    updatedAfter: integer('updated_after').notNull(),
  },
  (t) => [
    check('set_build_takes_qty', sql`${t.quantity} > 0`),
    index('set_build_takes_build_idx').on(t.buildId),
    // A lot's delete looks its takes up here.
    index('set_build_takes_lot_idx').on(t.lotId),
  ],
);
