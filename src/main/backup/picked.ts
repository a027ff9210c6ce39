// The dialogs of the Backups & Restore dialog: a backup file to restore from (or verify), or
// where to save a portable archive. The desktop host shows them; the chosen path is registered
// in the core's file registry for that purpose, and the renderer gets only the token.
import type { PickedFile } from '../../shared/contract/backup';
import { AppError } from '../../shared/errors';
import type { DesktopHost } from '../desktop';
import type { FileRegistry } from '../files';

export async function pickBackupFile(
  core: { desktop: DesktopHost | null; files: FileRegistry; now(): number },
  purpose: 'restore' | 'archive',
): Promise<PickedFile | null> {
  if (!core.desktop) throw new AppError('forbidden', 'No file dialog is available here.');
  let file: string | null;
  if (purpose === 'restore') {
    const picked = await core.desktop.openFile({
      title: 'Restore from a backup',
      filters: [{ name: 'BlockShelf backups', extensions: ['gz', 'db'] }],
    });
    file = picked?.[0] ?? null;
  } else {
    const stamp = new Date(core.now()).toISOString().slice(0, 10);
    file = await core.desktop.saveFile({
      title: 'Save a portable archive',
      suggestedName: `BlockShelf-${stamp}.zip`,
      filters: [{ name: 'Zip archive', extensions: ['zip'] }],
    });
    if (file && !file.toLowerCase().endsWith('.zip')) file = `${file}.zip`;
  }
  if (!file) return null;
  const ref = core.files.register(file, purpose);
  return { token: ref.token, name: ref.name, bytes: ref.size };
}
