// CLI commands for the parts catalogue:
//   catalog import FILE...   (Rebrickable colors/part_categories/parts/elements .csv, .csv.gz or .zip)
//   catalog stats | catalog search WORDS | catalog fill-names
//   lookup ID                (part number, with suffix fallback, or element id)
import { existsSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import type { CatalogPart } from '../../shared/contract';
import type { Command } from './types';
import { call, fileToken, UsageError } from './types';

const partLine = (p: CatalogPart) => `${p.partNum.padEnd(14)} ${p.name}${p.categoryName ? `  [${p.categoryName}]` : ''}`;

export const catalogCmd: Command = {
  summary: 'the parts catalogue: import FILE... | stats | search WORDS | fill-names',
  usage: 'catalog import FILE... | catalog stats | catalog search WORDS [--limit N] | catalog fill-names',
  options: { limit: { type: 'string' } },
  readOnly: ({ positionals }) => positionals[0] === 'stats' || positionals[0] === 'search',
  async run({ core, values, positionals }) {
    const [sub, ...args] = positionals;
    if (sub === 'import') {
      if (!args.length) throw new UsageError('catalog import needs one or more FILEs');
      for (const f of args) if (!existsSync(f)) throw new AppError('not-found', `${f}: no such file`);
      const data = await call(core, 'catalog.import', { files: args.map((f) => fileToken(core, f, 'read')) });
      const lines = data.files.map(
        (f) => `${f.name}: ${f.rows} ${f.table} rows — ${f.inserted} new, ${f.updated} updated, ${f.unchanged} unchanged`,
      );
      if (data.ignored.length) lines.push(`ignored: ${data.ignored.join(', ')}`);
      lines.push(`Catalogue imported in ${(data.durationMs / 1000).toFixed(1)} s`);
      return { json: data, text: lines.join('\n') };
    }
    if (sub === 'stats') {
      const s = await call(core, 'catalog.stats', {});
      return {
        json: s,
        text: `Colours ${s.colors}, part categories ${s.partCategories}, parts ${s.parts}, elements ${s.elements}`,
      };
    }
    if (sub === 'search') {
      const q = args.join(' ').trim();
      if (!q) throw new UsageError('catalog search needs WORDS');
      const limit = values.limit !== undefined ? Number(values.limit) : 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new UsageError('--limit must be 1 to 200');
      const parts = await call(core, 'catalog.search', { query: q, limit });
      return { json: parts, text: parts.length ? parts.map(partLine).join('\n') : 'No parts found' };
    }
    if (sub === 'fill-names') {
      const r = await call(core, 'catalog.fillNames', {});
      return { json: r, text: `Named ${r.updated} lots from the catalogue; ${r.stillMissing} lots still have no name` };
    }
    throw new UsageError(sub ? `unknown catalog command “${sub}”` : 'catalog needs a subcommand');
  },
};

export const lookupCmd: Command = {
  summary: 'look up a part number (3684c falls back to 3684) or an element id',
  usage: 'lookup ID',
  readOnly: true,
  async run({ core, positionals }) {
    const q = positionals[0];
    if (!q) throw new UsageError('lookup needs a part number or element id');
    const r = await call(core, 'catalog.lookup', { query: q });
    if (!r.part) {
      return {
        json: r,
        text: `No part or element “${r.query}” in the catalogue${r.alternatives.length ? `\nDid you mean:\n${r.alternatives.map(partLine).join('\n')}` : ''}`,
        exitCode: 1,
      };
    }
    const how =
      r.matchedBy === 'element'
        ? `element ${r.query} is part ${r.part.partNum} in ${r.colorName ?? `colour ${r.colorId}`} (colour ${r.colorId})`
        : r.matchedBy === 'part-suffix'
          ? `${r.query} is not in the catalogue; its base part is ${r.part.partNum}`
          : `part ${r.part.partNum}`;
    return { json: r, text: `${how}\n${partLine(r.part)}` };
  },
};

export const catalogCommands: Record<string, Command> = {
  catalog: catalogCmd,
  lookup: lookupCmd,
};
