// Handlers of import and export. Files arrive as tokens that main handed out (files.pick*, or
// the CLI's registered paths), never as paths from the renderer; tokens are resolved here, at the
// boundary, and the transfer service checks what the acting profile may do with the inventory.
import { AppError } from '../../shared/errors';
import type { DesktopHost } from '../desktop';
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
  | 'import.problems'
  | 'import.cancel'
  | 'export.run';

/** The kinds of file the import dialog offers (the desktop adds “All files”). */
export const IMPORT_FILTERS = [{ name: 'Part lists', extensions: ['csv', 'tsv', 'txt', 'xlsx', 'xml', 'bsx', 'gz', 'zip'] }];

export interface TransferHandlerServices {
  readonly transfer: TransferService;
  readonly files: FileRegistry;
  readonly desktop: DesktopHost | null;
}

export function transferHandlers(s: TransferHandlerServices): Pick<Handlers, TransferKeys> {
  const dialogs = () => {
    if (!s.desktop) throw new AppError('unsupported-format', 'No file dialog is available here.');
    return s.desktop;
  };
  return {
    'files.pickImport': async ({ title }) => {
      const [file] = (await dialogs().openFile({ title: title ?? 'Import a part list', filters: IMPORT_FILTERS })) ?? [];
      return file ? s.files.register(file, 'read') : null;
    },
    'files.pickExport': async ({ suggestedName, format }) => {
      const ext = format ? EXPORT_EXTENSIONS[format] : undefined;
      const file = await dialogs().saveFile({
        title: 'Export',
        ...(suggestedName !== undefined ? { suggestedName } : {}),
        filters: ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : [],
      });
      return file ? s.files.register(file, 'write') : null;
    },
    'import.detect': ({ file, ...opts }) => {
      const path = s.files.resolve(file, 'read');
      return s.transfer.detect(path, s.files.register(path, 'read'), opts);
    },
    'import.preview': ({ file, ...opts }) => s.transfer.preview(s.files.resolve(file, 'read'), opts),
    'import.apply': ({ importId, ...opts }) => s.transfer.apply(importId, opts),
    'import.problems': ({ importId }) => {
      const found = s.transfer.problems(importId);
      if (!found) throw new AppError('not-found', 'That import is no longer pending; preview the file again.');
      return { importId, ...found };
    },
    'import.cancel': ({ jobId }) => ({ cancelled: s.transfer.cancel(jobId) }),
    'export.run': ({ file, filter, ...opts }) =>
      s.transfer.exportTo(s.files.resolve(file, 'write'), { ...opts, ...(filter ? { filter: stripUndefined(filter) } : {}) }),
  };
}
