// CLI command for storage labels, on the same layout engine and contract call as the app:
//   labels --location L | --set SET [--layout avery-5167|a4-24|roll-62mm] --out FILE.pdf
import path from 'node:path';
import { LABEL_LAYOUT_IDS, LABEL_LAYOUTS, type LabelLayoutId } from '../../shared/labels';
import type { Command } from './types';
import { call, fileToken, UsageError } from './types';

export const labelsCmd: Command = {
  summary: "print storage labels for a location or a set's parts as a PDF (picture, part, name, colour, location)",
  usage: `labels --location L | --set SET [--layout ${LABEL_LAYOUT_IDS.join('|')}] --out FILE.pdf`,
  readOnly: true,
  needsCatalog: ({ values }) => typeof values.set === 'string',
  options: {
    location: { type: 'string' },
    set: { type: 'string' },
    layout: { type: 'string' },
    out: { type: 'string' },
  },
  async run({ core, values, positionals }) {
    if (positionals.length) throw new UsageError(`unexpected argument “${positionals[0]}”`);
    const location = values.location;
    const set = values.set;
    if (typeof location === 'string' && typeof set === 'string') throw new UsageError('give --location or --set, not both');
    if (typeof location !== 'string' && typeof set !== 'string')
      throw new UsageError('--location L or --set SET is required (use --location "" for lots without one)');
    const out = values.out;
    if (typeof out !== 'string' || !out) throw new UsageError('--out FILE.pdf is required');
    if (path.extname(out).toLowerCase() !== '.pdf') throw new UsageError(`--out must name a .pdf file, not ${out}`);
    const layout = (values.layout ?? 'avery-5167') as string;
    if (!(LABEL_LAYOUT_IDS as readonly string[]).includes(layout)) {
      throw new UsageError(`--layout must be one of ${LABEL_LAYOUT_IDS.join(', ')}`);
    }
    const result = await call(core, 'labels.create', {
      selection: typeof set === 'string' ? { setNum: set } : { location: location as string },
      layout: layout as LabelLayoutId,
      file: fileToken(core, out, 'write'),
    });
    const l = result.labels;
    return {
      json: { ...result, file: path.resolve(out) },
      text: `Wrote ${l} ${l === 1 ? 'label' : 'labels'} on ${result.pages} ${result.pages === 1 ? 'page' : 'pages'} (${LABEL_LAYOUTS[result.layout].title}) to ${out}`,
    };
  },
};

export const labelsCommands: Record<string, Command> = { labels: labelsCmd };
