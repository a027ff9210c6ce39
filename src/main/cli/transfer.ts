// CLI commands for import and export: the same pipeline as the app's import wizard.
//   import FILE [--format F] [--mode add|replace] [--dry-run] [--skip-invalid] [--encoding E]
//               [--delimiter D] [--map FIELD=COLUMN]...
//   export FILE [--format F] [--search Q] [--location L] [--color C]
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  ENCODINGS,
  EXPORT_FORMATS,
  IMPORT_FORMATS,
  MAPPABLE_FIELDS,
  type ColumnMapping,
  type Encoding,
  type ExportFormat,
  type ImportFormat,
  type ImportResult,
  type MappableField,
  type RowProblem,
} from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { colorMaps } from '../colors/maps';
import { normHeader } from '../transfer/formats';
import { newJobId } from '../util/jobs';
import type { Command } from './types';
import { call, fileToken, UsageError } from './types';

const FORMAT_ALIASES: Record<string, ImportFormat> = {
  blockshelf: 'blockshelf-csv',
  rebrickable: 'rebrickable-csv',
  bricklink: 'bricklink-xml',
  xml: 'bricklink-xml',
  brickstore: 'bsx',
};

function importFormat(v: unknown): ImportFormat | undefined {
  if (v === undefined) return undefined;
  const s = String(v).toLowerCase();
  const f = FORMAT_ALIASES[s] ?? s;
  if (!(IMPORT_FORMATS as readonly string[]).includes(f)) {
    throw new UsageError(
      `--format must be one of ${IMPORT_FORMATS.join(', ')} (or blockshelf, rebrickable, bricklink, brickstore)`,
    );
  }
  return f as ImportFormat;
}

export function exportFormat(v: unknown, file: string): ExportFormat {
  if (v === undefined) {
    const ext = path.extname(file).toLowerCase();
    return ext === '.xlsx' ? 'xlsx' : ext === '.xml' ? 'bricklink-xml' : 'blockshelf-csv';
  }
  const s = String(v).toLowerCase();
  const f = FORMAT_ALIASES[s] ?? s;
  if (!(EXPORT_FORMATS as readonly string[]).includes(f)) {
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (or blockshelf, rebrickable, bricklink)`);
  }
  return f as ExportFormat;
}

const DELIMITERS: Record<string, string> = {
  ',': ',',
  ';': ';',
  tab: '\t',
  '\t': '\t',
  '|': '|',
  comma: ',',
  semicolon: ';',
  pipe: '|',
};

export const importCmd: Command = {
  summary: 'import a part list (Rebrickable, BlockShelf, any CSV/XLSX, BrickLink XML, BrickStore BSX)',
  usage:
    'import FILE [--format F] [--mode add|replace] [--dry-run] [--skip-invalid] [--encoding utf-8|windows-1252] [--delimiter ,|;|tab|pipe] [--map FIELD=COLUMN]...',
  options: {
    format: { type: 'string' },
    mode: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'skip-invalid': { type: 'boolean' },
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    map: { type: 'string', multiple: true },
  },
  // Lots without a name get the catalogue's (a missing file is reported without loading it).
  needsCatalog: ({ positionals }) => positionals[0] !== undefined && existsSync(positionals[0]),
  async run({ core, values, positionals }) {
    const file = positionals[0];
    if (!file) throw new UsageError('import needs a FILE');
    if (!existsSync(file)) throw new AppError('not-found', `${file}: no such file`);
    const mode = (values.mode as string | undefined) ?? 'add';
    if (mode !== 'add' && mode !== 'replace') throw new UsageError('--mode must be add or replace');
    const encoding = values.encoding as string | undefined;
    if (encoding !== undefined && !(ENCODINGS as readonly string[]).includes(encoding)) {
      throw new UsageError(`--encoding must be one of ${ENCODINGS.join(', ')}`);
    }
    const delimiter = values.delimiter === undefined ? undefined : DELIMITERS[String(values.delimiter)];
    if (values.delimiter !== undefined && !delimiter) throw new UsageError('--delimiter must be , ; tab or pipe');
    const token = fileToken(core, file, 'read');
    const format = importFormat(values.format);
    const opts = {
      ...(format ? { format } : {}),
      ...(encoding ? { encoding: encoding as Encoding } : {}),
      ...(delimiter ? { delimiter: delimiter as ',' | ';' | '\t' | '|' } : {}),
    };
    let mapping: ColumnMapping | undefined;
    const maps = (values.map as string[] | undefined) ?? [];
    if (maps.length) {
      const det = await call(core, 'import.detect', { file: token, ...opts });
      mapping = { ...det.mapping };
      for (const m of maps) {
        const [field, col] = m.split('=', 2) as [string, string | undefined];
        if (!(MAPPABLE_FIELDS as readonly string[]).includes(field) || col === undefined) {
          throw new UsageError(`--map takes FIELD=COLUMN with FIELD one of ${MAPPABLE_FIELDS.join(', ')}`);
        }
        const byName = det.headers.findIndex((h) => normHeader(h) === normHeader(col));
        const idx = byName >= 0 ? byName : /^\d+$/.test(col) ? Number(col) - 1 : -1;
        if (idx < 0 || idx >= det.headers.length) throw new UsageError(`--map ${m}: no column “${col}” in the header`);
        mapping[field as MappableField] = idx;
      }
    }
    const preview = await call(core, 'import.preview', {
      file: token,
      ...opts,
      ...(mapping ? { mapping } : {}),
      mode,
      jobId: newJobId('cli'),
    });
    const dryRun = Boolean(values['dry-run']);
    const blocked = preview.invalidCount > 0 && !values['skip-invalid'];
    let all: { invalid: RowProblem[]; invalidCount: number } = preview;
    let result: ImportResult | null = null;
    try {
      // Every invalid row is listed here, not only the preview's first ones.
      if (preview.invalidCount > preview.invalid.length)
        all = await call(core, 'import.problems', { importId: preview.importId });
      if (!blocked) result = await call(core, 'import.apply', { importId: preview.importId, mode, skipInvalid: true, dryRun });
    } finally {
      await core.invoke('import.cancel', { jobId: preview.importId });
    }
    const lines = all.invalid.map((p) => `${p.file}:${p.row}: ${p.field}: ${p.reason}`);
    if (all.invalidCount > all.invalid.length) lines.push(`… and more: ${all.invalidCount} invalid rows in all`);
    for (const c of preview.unknownColors) lines.push(`unknown colour ${c.value}: ${c.rows} rows`);
    for (const n of preview.nonParts) lines.push(`not a part (${n.type} ${n.itemId}): ${n.rows} items not imported`);
    if (preview.unknownParts.length) {
      lines.push(
        `${preview.unknownParts.length} part numbers are not in the catalogue (imported anyway): ${preview.unknownParts
          .slice(0, 10)
          .map((p) => p.partId)
          .join(', ')}${preview.unknownParts.length > 10 ? ' …' : ''}`,
      );
    }
    const what = `${preview.file} (${preview.format}): ${preview.rows} rows, ${preview.lots} lots`;
    if (blocked) {
      lines.push(
        `Nothing imported: ${preview.invalidCount} invalid rows in ${preview.file} (use --skip-invalid to import the ${preview.valid} valid rows)`,
      );
    } else if (dryRun) {
      lines.push(
        `Dry run of ${what}: would add ${result!.created} new lots and ${mode === 'add' ? `merge into ${result!.merged}` : `replace ${result!.replaced}`}; nothing was changed`,
      );
    } else {
      lines.push(
        `Imported ${what}: ${result!.created} new lots, ${result!.merged} merged, ${result!.replaced} replaced${
          preview.invalidCount ? `, ${preview.invalidCount} invalid rows skipped` : ''
        }${result!.backup ? ` (backup first: ${result!.backup})` : ''}`,
      );
    }
    const report = {
      file: preview.file,
      format: preview.format,
      mode,
      rows: preview.rows,
      valid: preview.valid,
      lots: preview.lots,
      created: result?.created ?? 0,
      merged: result?.merged ?? 0,
      replaced: result?.replaced ?? 0,
      invalidCount: all.invalidCount,
      invalid: all.invalid,
      unknownColors: preview.unknownColors,
      unknownParts: preview.unknownParts,
      nonParts: preview.nonParts,
      applied: Boolean(result?.applied),
      dryRun,
      backup: result?.backup ?? null,
    };
    return { json: report, text: lines.join('\n'), exitCode: blocked ? 1 : 0 };
  },
};

export const exportCmd: Command = {
  summary: 'export lots (BlockShelf CSV, Rebrickable CSV, BrickLink XML wanted list, XLSX)',
  usage: `export FILE [--format ${EXPORT_FORMATS.join('|')}] [--search Q] [--location L] [--color C]`,
  readOnly: true,
  options: {
    format: { type: 'string' },
    search: { type: 'string' },
    location: { type: 'string' },
    color: { type: 'string' },
  },
  async run({ core, values, positionals }) {
    const file = positionals[0];
    if (!file) throw new UsageError('export needs a FILE');
    const format = exportFormat(values.format, file);
    let colorId: number | undefined;
    if (values.color !== undefined) {
      const id = colorMaps(await call(core, 'colors.list', {})).resolve(String(values.color));
      if (id === null) throw new AppError('invalid-input', `unknown colour “${String(values.color)}”`);
      colorId = id;
    }
    const result = await call(core, 'export.run', {
      file: fileToken(core, file, 'write'),
      format,
      filter: {
        ...(values.search !== undefined ? { search: String(values.search) } : {}),
        ...(values.location !== undefined ? { location: String(values.location) } : {}),
        ...(colorId !== undefined ? { colorId } : {}),
      },
    });
    const skipped = result.skipped.map((s) => `left out ${s.partId} (${s.reason})`);
    return {
      json: { ...result, file: path.resolve(file) },
      text: [...skipped, `Exported ${result.lots} lots (${result.rows} rows) to ${file} (${format})`].join('\n'),
    };
  },
};

export const transferCommands: Record<string, Command> = {
  import: importCmd,
  export: exportCmd,
};
