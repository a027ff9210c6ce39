// CLI commands of the Sets feature:
//   set search WORDS [--theme T] [--year Y|Y1-Y2] [--limit N] | set show SET
//   build SET|FILE [options] [--json]      can I build it: figures, missing lines, pick list
//   build --all [--theme T] [--min PCT]    which sets can I build, ranked
//   partout SET|FILE --location L [--qty N] [--spares]
//   built SET|FILE | unbuilt SET|FILE | builds
//   missing SET|FILE --export FILE [--format bricklink-xml|rebrickable-csv]
// SET|FILE: an existing file is a part list; anything else is a set number (75331-1, or 75331).
import { existsSync, statSync } from 'node:fs';
import type {
  BuildOptions,
  BuildReport,
  ExportMissingFormat,
  ListSource,
  MissingLine,
  PickLine,
  ThemeNode,
  UnmatchedLine,
} from '../../shared/contract';
import { EXPORT_MISSING_FORMATS } from '../../shared/contract';
import type { CliCore, Command, CommandContext } from './types';
import { call, fileToken, UsageError } from './types';

const MATCH_FLAGS = {
  'count-used': { type: 'boolean' },
  'ignore-prints': { type: 'boolean' },
  moulds: { type: 'boolean' },
  alternates: { type: 'boolean' },
  'ignore-color': { type: 'boolean' },
  'no-minifigs': { type: 'boolean' },
  spares: { type: 'boolean' },
  qty: { type: 'string' },
} as const;

function source(core: CliCore, arg: string | undefined, what: string): ListSource {
  if (!arg) throw new UsageError(`${what} needs a set number or a part list file`);
  if (existsSync(arg) && statSync(arg).isFile()) return { file: fileToken(core, arg, 'read') };
  return { setNum: arg };
}

function qty(values: CommandContext['values']): number | undefined {
  if (values.qty === undefined) return undefined;
  const n = Number(values.qty);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError('--qty must be a whole number from 1 to 1000');
  return n;
}

function buildOptions(values: CommandContext['values']): BuildOptions {
  const o: BuildOptions = {};
  if (values['count-used']) o.countUsed = true;
  if (values['ignore-prints']) o.ignorePrints = true;
  if (values.moulds) o.moulds = true;
  if (values.alternates) o.alternates = true;
  if (values['ignore-color']) o.ignoreColor = true;
  if (values['no-minifigs']) o.noMinifigs = true;
  if (values.spares) o.spares = true;
  const q = qty(values);
  if (q !== undefined) o.quantity = q;
  return o;
}

/** A theme by id, or by name (the first of that name). */
async function themeId(core: CliCore, value: string | boolean | string[] | undefined): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const v = String(value).trim();
  if (/^\d+$/.test(v)) return Number(v);
  const themes: ThemeNode[] = await call(core, 'sets.themes', {});
  const t =
    themes.find((x) => x.name.toLowerCase() === v.toLowerCase() && x.parentId === null) ??
    themes.find((x) => x.name.toLowerCase() === v.toLowerCase());
  if (!t) throw new UsageError(`no theme “${v}” (give its name or id)`);
  return t.id;
}

function years(value: string | boolean | string[] | undefined): { yearFrom?: number; yearTo?: number } {
  if (value === undefined) return {};
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(String(value).trim());
  if (!m) throw new UsageError('--year is a year (2022) or a range (2020-2023)');
  return { yearFrom: Number(m[1]), yearTo: Number(m[2] ?? m[1]) };
}

const pct = (p: number) => `${p.toFixed(1)} %`;
const colour = (name: string, id: number) => `${name} (${id})`;

/** The JSON of a build report: needed, owned, pct, missing[] with part, color, need, have. */
function reportJson(r: BuildReport) {
  return {
    source: r.source,
    options: r.options,
    needed: r.needed,
    owned: r.owned,
    pct: r.pct,
    lines: r.lines,
    missing: r.missing.map((m: MissingLine) => ({
      part: m.partId,
      color: m.colorId,
      colorName: m.colorName,
      name: m.name,
      need: m.need,
      have: m.have,
      missing: m.missing,
    })),
    pick: r.pick.map((p: PickLine) => ({
      lot: p.lotId,
      location: p.location,
      part: p.partId,
      color: p.colorId,
      colorName: p.colorName,
      take: p.take,
      forPart: p.forPartId,
      forColor: p.forColorId,
    })),
    unmatched: r.unmatched,
  };
}

function unmatchedText(u: UnmatchedLine[]): string[] {
  if (!u.length) return [];
  return [
    '',
    `Lines that could not be matched (${u.length}):`,
    ...u.map((x) => `  ${x.line ? `line ${x.line}: ` : ''}${x.part} ${x.color} × ${x.quantity}: ${x.reason}`),
  ];
}

function reportText(r: BuildReport): string {
  const lines = [
    `${r.source.kind === 'set' ? `${r.source.id} ${r.source.name}` : r.source.name}: ${r.owned} of ${r.needed} pieces (${pct(r.pct)}) in ${r.lines} lines`,
  ];
  if (r.missing.length) {
    lines.push('', `Missing (${r.missing.length} lines, ${r.missing.reduce((n, m) => n + m.missing, 0)} pieces):`);
    for (const m of r.missing)
      lines.push(
        `  ${m.partId.padEnd(14)} ${colour(m.colorName, m.colorId).padEnd(26)} need ${m.need}, have ${m.have}, missing ${m.missing}  ${m.name}`,
      );
  } else lines.push('Nothing is missing.');
  if (r.pick.length) {
    lines.push('', 'Pick list:');
    for (const p of r.pick) {
      const serves = p.forPartId !== p.partId || p.forColorId !== p.colorId ? `  (for ${p.forPartId} ${p.forColorId})` : '';
      lines.push(
        `  ${(p.location || '(no location)').padEnd(24)} ${p.partId.padEnd(14)} ${colour(p.colorName, p.colorId).padEnd(26)} take ${p.take}  lot ${p.lotId}${serves}`,
      );
    }
  }
  lines.push(...unmatchedText(r.unmatched));
  return lines.join('\n');
}

export const setCmd: Command = {
  summary: 'sets in the catalogue: search WORDS | show SET',
  usage: 'set search WORDS [--theme T] [--year Y|Y1-Y2] [--limit N] | set show SET',
  options: { theme: { type: 'string' }, year: { type: 'string' }, limit: { type: 'string' } },
  readOnly: true,
  needsCatalog: true,
  async run({ core, values, positionals }) {
    const [sub, ...args] = positionals;
    if (sub === 'search') {
      const query = args.join(' ').trim();
      const limit = values.limit !== undefined ? Number(values.limit) : 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be 1 to 500');
      const theme = await themeId(core, values.theme);
      if (!query && theme === undefined && values.year === undefined)
        throw new UsageError('set search needs WORDS, --theme or --year');
      const page = await call(core, 'sets.search', {
        ...(query ? { query } : {}),
        ...(theme !== undefined ? { themeId: theme } : {}),
        ...years(values.year),
        limit,
      });
      const text = page.items.length
        ? [
            ...page.items.map(
              (s) =>
                `${s.setNum.padEnd(12)} ${String(s.year).padEnd(5)} ${s.name}  [${s.themeName ?? '?'}, ${s.numParts} parts${s.partsKnown ? '' : ', parts unknown'}]`,
            ),
            ...(page.total > page.items.length ? [`… ${page.total} sets in all`] : []),
          ].join('\n')
        : 'No sets found';
      return { json: page, text };
    }
    if (sub === 'show') {
      const num = args[0];
      if (!num) throw new UsageError('set show needs a set number');
      const s = await call(core, 'sets.get', { setNum: num });
      const lines = [
        `${s.setNum} ${s.name}`,
        `year ${s.year}, theme ${s.themePath.join(' › ') || '?'}, ${s.numParts} parts (catalogue)`,
      ];
      if (s.imgUrl) lines.push(s.imgUrl);
      if (s.partsKnown)
        lines.push(`inventory version ${s.inventoryVersion}: ${s.pieces} pieces in ${s.lines} lines, ${s.spares} spares`);
      else lines.push(s.partsHowTo ?? '');
      for (const c of s.subsets)
        lines.push(`  sub-set  ${c.num} × ${c.quantity}  ${c.name}${c.partsKnown ? '' : ' (parts unknown)'}`);
      for (const c of s.minifigs)
        lines.push(`  minifig  ${c.num} × ${c.quantity}  ${c.name}${c.partsKnown ? '' : ' (parts unknown)'}`);
      return { json: s, text: lines.join('\n') };
    }
    throw new UsageError(sub ? `unknown set command “${sub}”` : 'set needs search or show');
  },
};

export const buildCmd: Command = {
  summary: 'can I build it? a set or part list file against your lots; --all ranks every set',
  usage:
    'build SET|FILE [--count-used] [--ignore-prints] [--moulds] [--alternates] [--ignore-color] [--no-minifigs] [--spares] [--qty N] | build --all [--theme T] [--year Y|Y1-Y2] [--min PCT] [--limit N] [options]',
  options: {
    ...MATCH_FLAGS,
    all: { type: 'boolean' },
    theme: { type: 'string' },
    year: { type: 'string' },
    min: { type: 'string' },
    limit: { type: 'string' },
  },
  readOnly: true,
  needsCatalog: true,
  async run({ core, values, positionals }) {
    if (values.all) {
      if (positionals.length) throw new UsageError('build --all takes no SET or FILE');
      if (values.qty !== undefined) throw new UsageError('build --all takes no --qty');
      const min = values.min !== undefined ? Number(values.min) : undefined;
      if (min !== undefined && !(min >= 0 && min <= 100)) throw new UsageError('--min is a percentage from 0 to 100');
      const limit = values.limit !== undefined ? Number(values.limit) : 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be 1 to 500');
      const theme = await themeId(core, values.theme);
      const { quantity: _q, ...options } = buildOptions(values);
      const r = await call(core, 'sets.buildable', {
        ...(theme !== undefined ? { themeId: theme } : {}),
        ...years(values.year),
        ...(min !== undefined ? { minPct: min } : {}),
        options,
        limit,
      });
      const text = [
        ...r.items.map(
          (s) =>
            `${pct(s.pct).padStart(7)}  ${s.setNum.padEnd(12)} ${String(s.owned).padStart(5)} / ${String(s.needed).padEnd(5)} ${s.name}`,
        ),
        `${r.total} of ${r.considered} sets with known parts${min !== undefined ? ` at ${min} % or more` : ''}${r.total > r.items.length ? ` (first ${r.items.length} shown)` : ''}`,
      ].join('\n');
      return { json: r, text };
    }
    const r = await call(core, 'sets.build', { source: source(core, positionals[0], 'build'), options: buildOptions(values) });
    return { json: reportJson(r), text: reportText(r) };
  },
};

export const partOutCmd: Command = {
  summary: 'add a set or part list to a location (merging with the same part, colour and location)',
  usage: 'partout SET|FILE --location L [--qty N] [--spares] [--no-minifigs] [--skip-unmatched]',
  options: {
    location: { type: 'string' },
    qty: { type: 'string' },
    spares: { type: 'boolean' },
    'no-minifigs': { type: 'boolean' },
    'skip-unmatched': { type: 'boolean' },
  },
  needsCatalog: true,
  async run({ core, values, positionals }) {
    const location = typeof values.location === 'string' ? values.location.trim() : '';
    if (!location) throw new UsageError('partout needs --location L');
    const q = qty(values);
    const r = await call(core, 'sets.partOut', {
      source: source(core, positionals[0], 'partout'),
      location,
      options: {
        ...(q !== undefined ? { quantity: q } : {}),
        ...(values.spares ? { spares: true } : {}),
        ...(values['no-minifigs'] ? { noMinifigs: true } : {}),
      },
      ...(values['skip-unmatched'] ? { skipUnmatched: true } : {}),
    });
    return {
      json: r,
      text: [
        `Added ${r.pieces} pieces of ${r.source.name} to “${r.location}”: ${r.created} new lots, ${r.merged} lots grew`,
        ...unmatchedText(r.unmatched),
      ].join('\n'),
    };
  },
};

export const builtCmd: Command = {
  summary: 'mark a set or part list as built: its pieces move into used (refused with the shortfall)',
  usage:
    'built SET|FILE [--ignore-prints] [--moulds] [--alternates] [--ignore-color] [--no-minifigs] [--spares] [--qty N] [--skip-unmatched]',
  options: { ...MATCH_FLAGS, 'skip-unmatched': { type: 'boolean' } },
  needsCatalog: true,
  async run({ core, values, positionals }) {
    const r = await call(core, 'sets.markBuilt', {
      source: source(core, positionals[0], 'built'),
      options: buildOptions(values),
      ...(values['skip-unmatched'] ? { skipUnmatched: true } : {}),
    });
    return {
      json: r,
      text: `Built ${r.source.name}: ${r.pieces} pieces from ${r.takes.length} lots moved into used (build ${r.id})`,
    };
  },
};

export const unbuiltCmd: Command = {
  summary: 'take a built set or part list apart: exactly what it took goes back out of used',
  usage: 'unbuilt SET|FILE | unbuilt --build ID',
  options: { build: { type: 'string' } },
  needsCatalog: true,
  async run({ core, values, positionals }) {
    let input: { buildId: number } | { source: ListSource };
    if (values.build !== undefined) {
      const id = Number(values.build);
      if (!(Number.isInteger(id) && id > 0)) throw new UsageError('--build takes a build id');
      input = { buildId: id };
    } else input = { source: source(core, positionals[0], 'unbuilt') };
    const r = await call(core, 'sets.takeApart', input);
    return { json: r, text: `Took ${r.build.source.name} apart: ${r.pieces} pieces back out of used` };
  },
};

export const buildsCmd: Command = {
  summary: 'what this inventory has built and not taken apart',
  usage: 'builds',
  readOnly: true,
  async run({ core }) {
    const b = await call(core, 'sets.builds', {});
    const text = b.length
      ? b
          .map(
            (x) =>
              `${String(x.id).padStart(4)}  ${new Date(x.builtAt).toISOString().slice(0, 16).replace('T', ' ')}  ${x.source.kind === 'set' ? `${x.source.id} ` : ''}${x.source.name}${x.quantity > 1 ? ` × ${x.quantity}` : ''}  ${x.pieces} pieces`,
          )
          .join('\n')
      : 'Nothing is marked as built';
    return { json: b, text };
  },
};

export const missingCmd: Command = {
  summary: 'write the missing pieces of a set or part list to a BrickLink wanted list or Rebrickable CSV',
  usage: 'missing SET|FILE --export FILE [--format bricklink-xml|rebrickable-csv] [build options]',
  options: { ...MATCH_FLAGS, export: { type: 'string' }, format: { type: 'string' } },
  readOnly: true,
  needsCatalog: true,
  async run({ core, values, positionals }) {
    const out = typeof values.export === 'string' ? values.export : '';
    if (!out) throw new UsageError('missing needs --export FILE');
    const format = (values.format ?? (/\.xml$/i.test(out) ? 'bricklink-xml' : 'rebrickable-csv')) as ExportMissingFormat;
    if (!EXPORT_MISSING_FORMATS.includes(format)) throw new UsageError(`--format is one of ${EXPORT_MISSING_FORMATS.join(', ')}`);
    const src = source(core, positionals[0], 'missing');
    const r = await call(core, 'sets.exportMissing', {
      source: src,
      options: buildOptions(values),
      file: fileToken(core, out, 'write'),
      format,
    });
    const lines = [
      r.complete
        ? `Nothing is missing; wrote an empty list to ${r.file}`
        : `Wrote ${r.pieces} missing pieces in ${r.lines} lines to ${r.file} (${r.format})`,
    ];
    for (const s of r.skipped) lines.push(`  left out ${s.partId} colour ${s.colorId}: ${s.reason}`);
    return { json: r, text: lines.join('\n') };
  },
};

export const setsCommands: Record<string, Command> = {
  set: setCmd,
  build: buildCmd,
  partout: partOutCmd,
  built: builtCmd,
  unbuilt: unbuiltCmd,
  builds: buildsCmd,
  missing: missingCmd,
};
