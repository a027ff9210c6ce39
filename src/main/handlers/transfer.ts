// Handlers of import and export. Files arrive as tokens that main handed out (files.pick*),
// never as paths from the renderer.
import { AppError } from '../../shared/errors';
import type { CoreContext, Handlers } from '../core';
import { EXPORT_EXTENSIONS } from '../transfer/export';

type TransferKeys =
  | 'files.pickImport'
  | 'files.pickExport'
  | 'import.detect'
  | 'import.preview'
  | 'import.apply'
  | 'import.cancel'
  | 'export.run';

export function transferHandlers(core: CoreContext): Pick<Handlers, TransferKeys> {
  const picker = () => {
    const p = core.files.picker;
    if (!p) throw new AppError('unsupported-format', 'No file dialog is available here.');
    return p;
  };
  return {
    'files.pickImport': async ({ title }) => {
      const file = await picker().open(title !== undefined ? { title } : {});
      return file ? core.files.register(file, 'read') : null;
    },
    'files.pickExport': async ({ suggestedName, format }) => {
      const file = await picker().save({
        ...(suggestedName !== undefined ? { suggestedName } : {}),
        ...(format ? { extensions: [EXPORT_EXTENSIONS[format]] } : {}),
      });
      return file ? core.files.register(file, 'write') : null;
    },
    'import.detect': async ({ file, ...opts }) => {
      const path = core.files.resolve(file, 'read');
      return core.transfer.detect(path, core.files.register(path, 'read'), opts);
    },
    'import.preview': async ({ ownerId, file, ...opts }) => {
      const access = core.access(ownerId);
      return core.transfer.preview(core.files.resolve(file, 'read'), { ...opts, ownerId: access.ownerId });
    },
    'import.apply': async ({ importId, mode, skipInvalid, dryRun }) => {
      const owner = core.transfer.pendingOwner(importId);
      const canEdit = owner === null ? true : core.access(owner).canEdit;
      return core.transfer.apply(importId, { mode, skipInvalid, dryRun, canEdit });
    },
    'import.cancel': ({ jobId }) => ({ cancelled: core.transfer.cancel(jobId) }),
    'export.run': async ({ ownerId, file, format, filter, jobId }) => {
      const access = core.access(ownerId);
      return core.transfer.exportTo(core.files.resolve(file, 'write'), {
        ownerId: access.ownerId,
        format,
        ...(filter ? { filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) } : {}),
        jobId,
      });
    },
  };
}
