// Handlers of import and export. Files arrive as tokens that main handed out (files.pick*),
// never as paths from the renderer; tokens are resolved here, at the boundary, and the transfer
// service checks what the acting profile may do with the inventory.
import { AppError } from '../../shared/errors';
import type { FileRegistry } from '../files';
import { EXPORT_EXTENSIONS } from '../transfer/export';
import type { TransferService } from '../transfer/service';
import { stripUndefined } from '../util/objects';
import type { Handlers } from './types';

type TransferKeys =
  | 'files.pickImport'
  | 'files.pickExport'
  | 'import.detect'
  | 'import.preview'
  | 'import.apply'
  | 'import.cancel'
  | 'export.run';

export function transferHandlers(s: { readonly transfer: TransferService; readonly files: FileRegistry }): Pick<Handlers, TransferKeys> {
  const picker = () => {
    const p = s.files.picker;
    if (!p) throw new AppError('unsupported-format', 'No file dialog is available here.');
    return p;
  };
  return {
    'files.pickImport': async ({ title }) => {
      const file = await picker().open(title !== undefined ? { title } : {});
      return file ? s.files.register(file, 'read') : null;
    },
    'files.pickExport': async ({ suggestedName, format }) => {
      const file = await picker().save({
        ...(suggestedName !== undefined ? { suggestedName } : {}),
        ...(format ? { extensions: [EXPORT_EXTENSIONS[format]] } : {}),
      });
      return file ? s.files.register(file, 'write') : null;
    },
    'import.detect': ({ file, ...opts }) => {
      const path = s.files.resolve(file, 'read');
      return s.transfer.detect(path, s.files.register(path, 'read'), opts);
    },
    'import.preview': ({ file, ...opts }) => s.transfer.preview(s.files.resolve(file, 'read'), opts),
    'import.apply': ({ importId, ...opts }) => s.transfer.apply(importId, opts),
    'import.cancel': ({ jobId }) => ({ cancelled: s.transfer.cancel(jobId) }),
    'export.run': ({ file, filter, ...opts }) =>
      s.transfer.exportTo(s.files.resolve(file, 'write'), { ...opts, ...(filter ? { filter: stripUndefined(filter) } : {}) }),
  };
}
