// Native file dialogs for import and export. The chosen path stays in main: the file registry
// (src/main/files.ts) gives the renderer an opaque token for it.
import type { BrowserWindow, Dialog } from 'electron';
import type { FilePicker } from '../files';

export const IMPORT_FILTERS = [
  { name: 'Part lists', extensions: ['csv', 'tsv', 'txt', 'xlsx', 'xml', 'bsx', 'gz', 'zip'] },
  { name: 'All files', extensions: ['*'] },
];

export function electronFilePicker(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, win: () => BrowserWindow | null): FilePicker {
  return {
    async open({ title }) {
      const w = win();
      const opts = { title: title ?? 'Import a part list', properties: ['openFile' as const], filters: IMPORT_FILTERS };
      const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts);
      return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
    },
    async save({ suggestedName, extensions }) {
      const w = win();
      const opts = {
        title: 'Export',
        ...(suggestedName ? { defaultPath: suggestedName } : {}),
        filters: extensions?.length ? [{ name: extensions.join(', ').toUpperCase(), extensions }] : [],
      };
      const r = w ? await dialog.showSaveDialog(w, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}
