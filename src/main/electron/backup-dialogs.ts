// The native file dialogs of the backup engine: which file to restore from, where to save a
// portable archive. The picked path stays in the main process; the renderer gets a token.
import { dialog, type BrowserWindow } from 'electron';

export function backupFilePicker(win: () => BrowserWindow | null) {
  return async (purpose: 'restore' | 'archive'): Promise<string | null> => {
    const parent = win();
    if (purpose === 'restore') {
      const opts: Electron.OpenDialogOptions = {
        title: 'Restore from a backup',
        properties: ['openFile'],
        filters: [
          { name: 'BlockShelf backups', extensions: ['gz', 'db'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const r = parent ? await dialog.showOpenDialog(parent, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    }
    const stamp = new Date().toISOString().slice(0, 10);
    const opts: Electron.SaveDialogOptions = {
      title: 'Save a portable archive',
      defaultPath: `BlockShelf-${stamp}.zip`,
      filters: [{ name: 'Zip archive', extensions: ['zip'] }],
    };
    const r = parent ? await dialog.showSaveDialog(parent, opts) : await dialog.showSaveDialog(opts);
    if (r.canceled || !r.filePath) return null;
    return r.filePath.toLowerCase().endsWith('.zip') ? r.filePath : `${r.filePath}.zip`;
  };
}
