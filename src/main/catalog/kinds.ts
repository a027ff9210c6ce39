// The Rebrickable download kinds the catalogue reads: how each is recognised by its header,
// which columns it stores and how, its key, and how a newer download is applied. Plain data
// (JSON), handed to the import worker (worker.ts), which builds its SQL from it.
import type { CatalogTable } from '../../shared/contract';

/** int: a whole number; text: non-empty; `?`: may be empty (stored as NULL); bool: True/False; rgb: six hex digits. */
export type ColumnType = 'int' | 'int?' | 'text' | 'text?' | 'bool' | 'rgb';

export interface KindSpec {
  kind: CatalogTable;
  /** The header columns that identify the kind (every one must be present). */
  signature: string[];
  /** Stored columns, read from the CSV column of the same name. */
  columns: [name: string, type: ColumnType][];
  key: string[];
  /** A row repeating a key adds this column up (instead of the last row winning). */
  sum?: string;
  /**
   * Rows are grouped by this column: a download listing a group replaces that group's rows
   * (rows it no longer lists are removed). Groups it does not list are left alone.
   */
  replaceBy?: string;
  /** Foreign keys of the table: a row whose referenced row is missing is skipped and counted. */
  refs?: { column: string; table: string; key: string }[];
  /** FTS5 index rebuilt from the table after an import that read this kind. */
  fts?: { table: string; key: string; text: string };
}

/**
 * In the order they are applied (referenced tables first). Detection tries them from the most
 * specific signature to the least (see DETECT_ORDER).
 */
export const KINDS: KindSpec[] = [
  {
    kind: 'colors',
    signature: ['id', 'name', 'rgb'],
    columns: [
      ['id', 'int'],
      ['name', 'text'],
      ['rgb', 'rgb'],
      ['is_trans', 'bool'],
    ],
    key: ['id'],
  },
  {
    kind: 'part_categories',
    signature: ['id', 'name'],
    columns: [
      ['id', 'int'],
      ['name', 'text'],
    ],
    key: ['id'],
  },
  {
    kind: 'parts',
    signature: ['part_num', 'name'],
    columns: [
      ['part_num', 'text'],
      ['name', 'text'],
      ['part_cat_id', 'int?'],
      ['part_material', 'text?'],
    ],
    key: ['part_num'],
    fts: { table: 'parts_fts', key: 'part_num', text: 'name' },
  },
  {
    kind: 'elements',
    signature: ['element_id', 'part_num', 'color_id'],
    columns: [
      ['element_id', 'text'],
      ['part_num', 'text'],
      ['color_id', 'int'],
      ['design_id', 'text?'],
    ],
    key: ['element_id'],
  },
  {
    kind: 'themes',
    signature: ['id', 'name', 'parent_id'],
    columns: [
      ['id', 'int'],
      ['name', 'text'],
      ['parent_id', 'int?'],
    ],
    key: ['id'],
  },
  {
    kind: 'sets',
    signature: ['set_num', 'name', 'year', 'theme_id'],
    columns: [
      ['set_num', 'text'],
      ['name', 'text'],
      ['year', 'int?'],
      ['theme_id', 'int?'],
      ['num_parts', 'int'],
      ['img_url', 'text?'],
    ],
    key: ['set_num'],
    fts: { table: 'sets_fts', key: 'set_num', text: 'name' },
  },
  {
    kind: 'minifigs',
    signature: ['fig_num', 'name'],
    columns: [
      ['fig_num', 'text'],
      ['name', 'text'],
      ['num_parts', 'int'],
      ['img_url', 'text?'],
    ],
    key: ['fig_num'],
  },
  {
    kind: 'inventories',
    signature: ['id', 'version', 'set_num'],
    columns: [
      ['id', 'int'],
      ['version', 'int'],
      ['set_num', 'text'],
    ],
    key: ['id'],
  },
  {
    kind: 'inventory_parts',
    signature: ['inventory_id', 'part_num', 'color_id'],
    columns: [
      ['inventory_id', 'int'],
      ['part_num', 'text'],
      ['color_id', 'int'],
      ['is_spare', 'bool'],
      ['quantity', 'int'],
      ['img_url', 'text?'],
    ],
    key: ['inventory_id', 'part_num', 'color_id', 'is_spare'],
    sum: 'quantity',
    replaceBy: 'inventory_id',
  },
  {
    kind: 'inventory_sets',
    signature: ['inventory_id', 'set_num'],
    columns: [
      ['inventory_id', 'int'],
      ['set_num', 'text'],
      ['quantity', 'int'],
    ],
    key: ['inventory_id', 'set_num'],
    sum: 'quantity',
    replaceBy: 'inventory_id',
    refs: [
      { column: 'inventory_id', table: 'inventories', key: 'id' },
      { column: 'set_num', table: 'sets', key: 'set_num' },
    ],
  },
  {
    kind: 'inventory_minifigs',
    signature: ['inventory_id', 'fig_num'],
    columns: [
      ['inventory_id', 'int'],
      ['fig_num', 'text'],
      ['quantity', 'int'],
    ],
    key: ['inventory_id', 'fig_num'],
    sum: 'quantity',
    replaceBy: 'inventory_id',
  },
  {
    kind: 'part_relationships',
    signature: ['rel_type', 'child_part_num', 'parent_part_num'],
    columns: [
      ['rel_type', 'text'],
      ['child_part_num', 'text'],
      ['parent_part_num', 'text'],
    ],
    key: ['child_part_num', 'rel_type', 'parent_part_num'],
  },
];

/** Most specific signature first: a parts header (part_num, name) is also inside an elements one. */
export const DETECT_ORDER: CatalogTable[] = [
  'inventory_parts',
  'inventory_sets',
  'inventory_minifigs',
  'part_relationships',
  'elements',
  'inventories',
  'sets',
  'minifigs',
  'parts',
  'colors',
  'themes',
  'part_categories',
];

/** Which kind a header names (lower-cased, trimmed columns), or null. */
export function kindOfHeader(header: string[]): CatalogTable | null {
  const h = new Set(header.map((c) => c.trim().toLowerCase()));
  for (const kind of DETECT_ORDER) {
    const spec = KINDS.find((k) => k.kind === kind)!;
    if (!spec.signature.every((c) => h.has(c))) continue;
    // id,name is part_categories only when nothing else is there (colors and themes have more).
    if (kind === 'part_categories' && h.size !== 2) continue;
    return kind;
  }
  return null;
}
