// Which columns mean what. Known layouts (Rebrickable part lists, the BlockShelf CSV) are
// recognised by their header; any other table is mapped through header aliases, and the
// import wizard asks for an explicit mapping when a required field has no column.
import type { ColumnMapping, ImportFormat, MappableField } from '../../shared/contract';

export const REQUIRED_FIELDS: MappableField[] = ['part', 'color', 'quantity'];

export const normHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.#/]+/g, ' ')
    .trim();

/** Header aliases per field, normalised (lower case, separators as one space). */
export const HEADER_ALIASES: Record<MappableField, string[]> = {
  part: [
    'part',
    'part id',
    'partid',
    'part num',
    'part number',
    'part no',
    'item no',
    'item id',
    'itemid',
    'item number',
    'design id',
    'element design',
  ],
  color: ['color', 'colour', 'color id', 'colour id', 'colorid', 'color name', 'colour name'],
  quantity: ['quantity', 'qty', 'quantity total', 'total', 'count', 'amount', 'min qty', 'minqty', 'pieces', 'pcs'],
  used: ['quantity used', 'used', 'qty used', 'in use'],
  isUsed: ['isused', 'is used'],
  location: ['location', 'storage location', 'storage', 'bin', 'drawer', 'box', 'container', 'place', 'remarks', 'storage loc'],
  name: ['name', 'description', 'part name', 'item name', 'desc'],
  notes: ['notes', 'note', 'comment', 'comments'],
  imageUrl: ['image url', 'image', 'image link', 'picture', 'img'],
};

/** Finds a column per field from the header. Earlier aliases win; a column is used once. */
export function mapHeader(header: string[]): ColumnMapping {
  const norm = header.map(normHeader);
  const taken = new Set<number>();
  const mapping: ColumnMapping = {};
  // Fields with more specific aliases first, so "quantity used" is not taken for quantity.
  const order: MappableField[] = ['used', 'isUsed', 'imageUrl', 'part', 'color', 'quantity', 'location', 'name', 'notes'];
  for (const field of order) {
    for (const alias of HEADER_ALIASES[field]) {
      const i = norm.findIndex((h, idx) => h === alias && !taken.has(idx));
      if (i >= 0) {
        mapping[field] = i;
        taken.add(i);
        break;
      }
    }
  }
  return mapping;
}

export function missingFields(mapping: ColumnMapping): MappableField[] {
  return REQUIRED_FIELDS.filter((f) => mapping[f] === undefined || mapping[f] === null);
}

const REBRICKABLE_FULL = ['part', 'color', 'quantity', 'notes', 'location', 'isused', 'isstickered'];
const REBRICKABLE_SPARE = ['part', 'color', 'quantity', 'is spare'];
export const BLOCKSHELF_HEADER = [
  'name',
  'part_id',
  'color',
  'quantity_total',
  'quantity_used',
  'storage_location',
  'image_url',
  'notes',
];

/** Recognises the known CSV layouts by their header; anything else is a generic table. */
export function tabularFormat(header: string[]): { format: ImportFormat; mapping: ColumnMapping } {
  const raw = header.map((h) =>
    h
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  );
  const has = (cols: string[]) => cols.every((c) => raw.includes(c));
  const at = (c: string) => raw.indexOf(c);
  if (has(['part_id', 'color', 'quantity_total'])) {
    return {
      format: 'blockshelf-csv',
      mapping: {
        part: at('part_id'),
        color: at('color'),
        quantity: at('quantity_total'),
        used: at('quantity_used') >= 0 ? at('quantity_used') : null,
        location: at('storage_location') >= 0 ? at('storage_location') : null,
        name: at('name') >= 0 ? at('name') : null,
        notes: at('notes') >= 0 ? at('notes') : null,
        imageUrl: at('image_url') >= 0 ? at('image_url') : null,
      },
    };
  }
  if (has(REBRICKABLE_FULL.slice(0, 3)) && (has(REBRICKABLE_FULL) || has(REBRICKABLE_SPARE))) {
    return {
      format: 'rebrickable-csv',
      mapping: {
        part: at('part'),
        color: at('color'),
        quantity: at('quantity'),
        location: at('location') >= 0 ? at('location') : null,
        notes: at('notes') >= 0 ? at('notes') : null,
        isUsed: at('isused') >= 0 ? at('isused') : null,
      },
    };
  }
  return { format: 'csv', mapping: mapHeader(header) };
}
