// Handlers of the parts catalogue: one line each over the catalogue service (files arrive as
// tokens main handed out, resolved here at the boundary).
import type { CatalogService } from '../catalog/service';
import type { FileRegistry } from '../files';
import type { Handlers } from './types';

type CatalogKeys =
  'catalog.import' | 'catalog.stats' | 'catalog.status' | 'catalog.lookup' | 'catalog.search' | 'catalog.fillNames';

export function catalogHandlers(s: {
  readonly catalog: CatalogService;
  readonly files: FileRegistry;
}): Pick<Handlers, CatalogKeys> {
  return {
    'catalog.import': ({ files, jobId }) =>
      s.catalog.importJob(
        files.map((t) => s.files.resolve(t, 'read')),
        jobId,
      ),
    'catalog.stats': () => s.catalog.stats(),
    'catalog.status': () => s.catalog.status(),
    'catalog.lookup': ({ query }) => s.catalog.lookup(query),
    'catalog.search': ({ query, limit }) => s.catalog.search(query, limit),
    'catalog.fillNames': ({ ownerId }) => s.catalog.fillNames(ownerId),
  };
}
