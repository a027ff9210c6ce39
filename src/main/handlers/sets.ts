// Handlers of the Sets feature: one line each over the sets service. A list's file arrives as a
// token main handed out, resolved here at the boundary (read for lists, write for the export).
import type { z } from 'zod';
import type { ListSourceSchema } from '../../shared/contract';
import type { FileRegistry } from '../files';
import type { SetsService, Source } from '../sets/service';
import type { Handlers } from './types';

type SetsKeys =
  | 'sets.search'
  | 'sets.themes'
  | 'sets.get'
  | 'sets.parts'
  | 'sets.build'
  | 'sets.buildable'
  | 'sets.partOut'
  | 'sets.markBuilt'
  | 'sets.takeApart'
  | 'sets.builds'
  | 'sets.exportMissing';

export function setsHandlers(s: { readonly sets: SetsService; readonly files: FileRegistry }): Pick<Handlers, SetsKeys> {
  const source = (src: z.output<typeof ListSourceSchema>): Source => {
    if ('setNum' in src) return { setNum: src.setNum };
    const { file, ...read } = src;
    return { path: s.files.resolve(file, 'read'), ...read };
  };
  return {
    'sets.search': (q) => s.sets.search(q),
    'sets.themes': () => s.sets.themes(),
    'sets.get': ({ setNum }) => s.sets.get(setNum),
    'sets.parts': ({ source: src, options }) => s.sets.parts(source(src), options),
    'sets.build': ({ ownerId, source: src, options }) => s.sets.build(ownerId, source(src), options),
    'sets.buildable': (q) => s.sets.buildable(q),
    'sets.partOut': ({ source: src, ...rest }) => s.sets.partOut({ ...rest, source: source(src) }),
    'sets.markBuilt': ({ source: src, ...rest }) => s.sets.markBuilt({ ...rest, source: source(src) }),
    'sets.takeApart': (input) =>
      'buildId' in input
        ? s.sets.takeApart({ ownerId: input.ownerId, buildId: input.buildId })
        : s.sets.takeApart({ ownerId: input.ownerId, source: source(input.source) }),
    'sets.builds': ({ ownerId }) => s.sets.builds(ownerId),
    'sets.exportMissing': ({ source: src, file, ...rest }) =>
      s.sets.exportMissing({ ...rest, source: source(src), path: s.files.resolve(file, 'write') }),
  };
}
