// CLI commands on the inventory: info, add, list, where (import and export live in cli/transfer.ts).
import { AppError } from '../../shared/errors';
import { SORT_KEYS, type Lot, type SortKey } from '../../shared/types';
import type { CliCore, Command } from './types';
import { call, UsageError } from './types';
import { colorMaps } from '../colors/maps';

function int(value: unknown, name: string, min = 0): number {
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) throw new UsageError(`--${name} must be a whole number`);
  const n = Number(value);
  if (n < min) throw new UsageError(`--${name} must be at least ${min}`);
  return n;
}

async function colorArg(core: CliCore, value: unknown): Promise<number> {
  if (typeof value !== 'string' || !value.trim()) throw new UsageError('--color is required');
  const id = colorMaps(await call(core, 'colors.list', {})).resolve(value.trim());
  if (id === null) throw new AppError('invalid-input', `unknown colour “${value}” (use a Rebrickable colour id or name)`);
  return id;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.min(40, Math.max(...rows.map((r) => (r[i] ?? '').length))));
  return rows
    .map((r) =>
      r
        .map((c, i) => (c.length > 40 ? `${c.slice(0, 39)}…` : c).padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const lotRows = (items: Lot[]) => [
  ['ID', 'PART', 'COLOUR', 'NAME', 'TOTAL', 'USED', 'AVAIL', 'LOCATION'],
  ...items.map((l) => [
    String(l.id),
    l.partId,
    l.colorName,
    l.name,
    String(l.quantityTotal),
    String(l.quantityUsed),
    String(l.quantityAvailable),
    l.storageLocation,
  ]),
];

export const info: Command = {
  summary: 'database path, schema version and counts',
  usage: 'info',
  readOnly: true,
  async run({ core }) {
    const data = await call(core, 'app.info', {});
    const text = [
      `Data folder:     ${data.dataDir}`,
      `Database:        ${data.dbPath}`,
      `Backups:         ${data.backupDir}`,
      `Schema version:  ${data.schemaVersion}`,
      `App version:     ${data.appVersion}`,
      `Profile:         ${data.profile.name}`,
      `Lots:            ${data.counts.lots}`,
      `Total quantity:  ${data.counts.quantityTotal}`,
      `Locations:       ${data.counts.locations}`,
    ].join('\n');
    return { json: data, text };
  },
};

export const add: Command = {
  summary: 'add a lot (merges into an existing lot of the same part, colour and location)',
  usage: 'add --part P --color C --qty N [--used N] [--location L] [--name S] [--notes S] [--reject-duplicate]',
  options: {
    part: { type: 'string' },
    color: { type: 'string' },
    qty: { type: 'string' },
    used: { type: 'string' },
    location: { type: 'string' },
    name: { type: 'string' },
    notes: { type: 'string' },
    'reject-duplicate': { type: 'boolean' },
  },
  async run({ core, values }) {
    if (!values.part) throw new UsageError('--part is required');
    if (values.qty === undefined) throw new UsageError('--qty is required');
    const lot = {
      partId: String(values.part),
      colorId: await colorArg(core, values.color),
      quantityTotal: int(values.qty, 'qty'),
      ...(values.used !== undefined ? { quantityUsed: int(values.used, 'used') } : {}),
      ...(values.location !== undefined ? { storageLocation: String(values.location) } : {}),
      ...(values.name !== undefined ? { name: String(values.name) } : {}),
      ...(values.notes !== undefined ? { notes: String(values.notes) } : {}),
    };
    const outcome = await call(core, 'inventory.create', { lot, onDuplicate: values['reject-duplicate'] ? 'reject' : 'merge' });
    if (outcome.status === 'duplicate') throw new AppError('conflict', 'duplicate lot');
    const l = outcome.lot;
    const elsewhere = outcome.elsewhere.length
      ? `\nAlso stored: ${outcome.elsewhere.map((p) => `${p.quantityTotal} in ${p.storageLocation || '(no location)'}`).join(', ')}`
      : '';
    return {
      json: outcome,
      text: `${outcome.status === 'merged' ? 'Merged into' : 'Added'} lot ${l.id}: ${l.quantityTotal} × ${l.partId} ${l.colorName}${
        l.storageLocation ? ` at ${l.storageLocation}` : ''
      }${elsewhere}`,
    };
  },
};

export const list: Command = {
  summary: 'list lots (search, filter, sort, page)',
  usage: `list [--search Q] [--sort ${SORT_KEYS.join('|')}] [--desc] [--location L] [--color C] [--limit N] [--after CURSOR]`,
  readOnly: true,
  options: {
    search: { type: 'string' },
    sort: { type: 'string' },
    desc: { type: 'boolean' },
    location: { type: 'string' },
    color: { type: 'string' },
    limit: { type: 'string' },
    after: { type: 'string' },
  },
  async run({ core, values }) {
    const sort = values.sort as string | undefined;
    if (sort !== undefined && !(SORT_KEYS as readonly string[]).includes(sort)) {
      throw new UsageError(`--sort must be one of ${SORT_KEYS.join(', ')}`);
    }
    const page = await call(core, 'inventory.list', {
      ...(values.search !== undefined ? { search: String(values.search) } : {}),
      sort: (sort as SortKey | undefined) ?? 'part',
      dir: values.desc ? 'desc' : 'asc',
      ...(values.location !== undefined ? { location: String(values.location) } : {}),
      ...(values.color !== undefined ? { colorId: await colorArg(core, values.color) } : {}),
      limit: values.limit !== undefined ? int(values.limit, 'limit', 1) : 50,
      ...(values.after !== undefined ? { after: String(values.after) } : {}),
    });
    const footer = `${page.items.length} of ${page.total}${page.totalCapped ? '+' : ''} lots${page.nextCursor ? `; next page: --after ${page.nextCursor}` : ''}`;
    return { json: page, text: page.items.length ? `${table(lotRows(page.items))}\n${footer}` : footer };
  },
};

export const where: Command = {
  summary: 'where is this part: its lots by location; --relatives adds the lots of related parts (prints, moulds, alternates…)',
  usage: 'where PART [--color C] [--relatives]',
  readOnly: true,
  needsCatalog: ({ values }) => values.relatives === true,
  options: { color: { type: 'string' }, relatives: { type: 'boolean' } },
  async run({ core, values, positionals }) {
    const [partId, ...rest] = positionals;
    if (!partId) throw new UsageError('where needs a PART');
    if (rest.length) throw new UsageError(`unexpected argument “${rest[0]}”`);
    const colorId = values.color !== undefined ? await colorArg(core, values.color) : undefined;
    const places = await call(core, 'inventory.whereIs', {
      partId,
      ...(colorId !== undefined ? { colorId } : {}),
      ...(values.relatives === true ? { relatives: true } : {}),
    });
    const rows = [
      ['PART', 'LOCATION', 'TOTAL', 'AVAIL', 'RELATED'],
      ...places.map((p) => [
        p.related?.partId ?? partId,
        p.storageLocation || '(no location)',
        String(p.quantityTotal),
        String(p.quantityAvailable),
        p.related ? p.related.relation : '',
      ]),
    ];
    return {
      json: places,
      text: places.length ? table(rows) : `No lots of ${partId}${values.relatives === true ? ' or its related parts' : ''}`,
      exitCode: places.length ? 0 : 1,
    };
  },
};

export const inventoryCommands: Record<string, Command> = {
  info,
  add,
  list,
  where,
};
