// Handlers of the Sets feature. The service is not wired yet: every call answers that the
// feature is not available, so the renderer can be built against the contract meanwhile.
import { AppError } from '../../shared/errors';
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

const notYet = (): never => {
  throw new AppError('unsupported-format', 'Sets are not available in this build yet.');
};

export function setsHandlers(): Pick<Handlers, SetsKeys> {
  return {
    'sets.search': notYet,
    'sets.themes': notYet,
    'sets.get': notYet,
    'sets.parts': notYet,
    'sets.build': notYet,
    'sets.buildable': notYet,
    'sets.partOut': notYet,
    'sets.markBuilt': notYet,
    'sets.takeApart': notYet,
    'sets.builds': notYet,
    'sets.exportMissing': notYet,
  };
}
