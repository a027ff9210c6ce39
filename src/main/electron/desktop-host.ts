// The desktop host for the core: Electron's native dialogs (open a file, save a file, choose a
// folder: every dialog of the app) and the system file manager. The core's handlers say what
// each dialog asks; paths chosen here stay in main, and the renderer gets opaque tokens for them.
import type { BrowserWindow, Dialog, Shell } from 'electron';
import type { DesktopHost } from '../desktop';

export function electronDesktop(deps: {
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;
  shell: Pick<Shell, 'openPath'>;
  window: () => BrowserWindow | null;
  /** The print dialog for a PDF (./pictures.ts: printPdfWindow). */
  printPdf?: (file: string) => Promise<boolean>;
}): DesktopHost {
  const parent = () => {
    const w = deps.window();
    return w && !w.isDestroyed() ? w : undefined;
  };
  return {
    async openFile(opts) {
      const o = {
        ...(opts.title ? { title: opts.title } : {}),
        ...(opts.filters ? { filters: [...opts.filters, { name: 'All files', extensions: ['*'] }] } : {}),
        properties: opts.multi ? (['openFile', 'multiSelections'] as const) : (['openFile'] as const),
      };
      const w = parent();
      const r = w
        ? await deps.dialog.showOpenDialog(w, { ...o, properties: [...o.properties] })
        : await deps.dialog.showOpenDialog({ ...o, properties: [...o.properties] });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths;
    },
    async saveFile(opts) {
      const o = {
        ...(opts.title ? { title: opts.title } : {}),
        ...(opts.suggestedName ? { defaultPath: opts.suggestedName } : {}),
        ...(opts.filters ? { filters: opts.filters } : {}),
        properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[],
      };
      const w = parent();
      const r = w ? await deps.dialog.showSaveDialog(w, o) : await deps.dialog.showSaveDialog(o);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async chooseFolder(opts) {
      const o = {
        ...(opts.title ? { title: opts.title } : {}),
        ...(opts.defaultPath ? { defaultPath: opts.defaultPath } : {}),
        properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[],
      };
      const w = parent();
      const r = w ? await deps.dialog.showOpenDialog(w, o) : await deps.dialog.showOpenDialog(o);
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
    },
    async openPath(target) {
      // shell.openPath resolves to an error message, or '' on success.
      return (await deps.shell.openPath(target)) === '';
    },
    ...(deps.printPdf ? { printPdf: deps.printPdf } : {}),
  };
}
