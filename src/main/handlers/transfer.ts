// Handlers of import and export. Files arrive as tokens that main handed out (files.pick*, or
// the CLI's registered paths), never as paths from the renderer.
import { AppError } from '../../shared/errors';
import type { CoreContext, Handlers } from '../core';
import { EXPORT_EXTENSIONS } from '../transfer/export';

type TransferKeys =
  | 'files.pickImport'
  | 'files.pickExport'
  | 'import.detect'
  | 'import.preview'
  | 'import.apply'
  | 'import.problems'
  | 'import.cancel'
  | 'export.run';

/** The kinds of file the import dialog offers (the desktop adds “All files”). */
export const IMPORT_FILTERS = [{ name: 'Part lists', extensions: ['csv', 'tsv', 'txt', 'xlsx', 'xml', 'bsx', 'gz', 'zip'] }];

export function transferHandlers(core: CoreContext): Pick<Handlers, TransferKeys> {
  const dialogs = () => {
    if (!core.desktop) throw new AppError('unsupported-format', 'No file dialog is available here.');
    return core.desktop;
  };
  return {
    'files.pickImport': async ({ title }) => {
      const [file] = (await dialogs().openFile({ title: title ?? 'Import a part list', filters: IMPORT_FILTERS })) ?? [];
      return file ? core.files.register(file, 'read') : null;
    },
    'files.pickExport': async ({ suggestedName, format }) => {
      const ext = format ? EXPORT_EXTENSIONS[format] : undefined;
      const file = await dialogs().saveFile({
        title: 'Export',
        ...(suggestedName !== undefined ? { suggestedName } : {}),
        filters: ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : [],
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
    'import.problems': ({ importId }) => {
      const owner = core.transfer.pendingOwner(importId);
      if (owner !== null) core.access(owner);
      const found = core.transfer.problems(importId);
      if (!found) throw new AppError('not-found', 'That import is no longer pending; preview the file again.');
      return { importId, ...found };
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
