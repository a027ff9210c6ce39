// Handlers of the parts catalogue.
import { AppError } from '../../shared/errors';
import type { CoreContext, Handlers } from '../core';
import { newJobId } from '../util/jobs';

type CatalogKeys = 'catalog.import' | 'catalog.stats' | 'catalog.status' | 'catalog.lookup' | 'catalog.search' | 'catalog.fillNames';

export function catalogHandlers(core: CoreContext): Pick<Handlers, CatalogKeys> {
  return {
    'catalog.import': async ({ files, jobId }) => {
      const paths = files.map((t) => core.files.resolve(t, 'read'));
      const id = jobId ?? newJobId('cat');
      const result = await core.transfer.runJob(id, (signal) =>
        core.catalog.importFiles(paths, {
          signal,
          progress: (p) => core.events.emit('import.progress', { id, phase: `catalog:${p.phase}:${p.item}`, done: p.percent, total: 100 }),
        }),
      );
      core.events.emit('import.progress', { id, phase: 'done', done: 1, total: 1 });
      return result;
    },
    'catalog.stats': () => core.catalog.stats(),
    'catalog.status': () => core.catalog.status(),
    'catalog.lookup': ({ query }) => core.catalog.lookup(query),
    'catalog.search': ({ query, limit }) => core.catalog.search(query, limit),
    'catalog.fillNames': ({ ownerId }) => {
      const access = core.access(ownerId);
      if (!access.canEdit) throw new AppError('forbidden', 'You may not change lots in this inventory.');
      const r = core.catalog.fillNames(access.ownerId);
      if (r.updated) core.events.emit('data.changed', { ownerId: access.ownerId, reason: 'names-filled' });
      return r;
    },
  };
}
