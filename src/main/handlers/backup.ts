// Handlers of the backup area: the Backups & Restore dialog's calls, on the backup service.
// Files are named by a backup id from the list or by a token the main process handed out
// (`backup.pickFile`, or the CLI's registered paths): the renderer never passes a path.
import type { BackupService } from '../backup/service';
import { pickBackupFile } from '../backup/picked';
import type { DesktopHost } from '../desktop';
import type { FileRegistry } from '../files';
import type { Handlers } from './types';

type BackupKeys =
  | 'backup.status'
  | 'backup.list'
  | 'backup.create'
  | 'backup.cancel'
  | 'backup.verify'
  | 'backup.restore'
  | 'backup.prune'
  | 'backup.archive'
  | 'backup.pickFile';

export interface BackupHandlerServices {
  readonly backup: BackupService;
  readonly files: FileRegistry;
  readonly desktop: DesktopHost | null;
  now(): number;
}

export function backupHandlers(s: BackupHandlerServices): Pick<Handlers, BackupKeys> {
  /** A picked file's token becomes its path here; a backup id is looked up by the engine. */
  const source = (src: { backupId: string } | { fileToken: string }) =>
    'fileToken' in src ? { path: s.files.resolve(src.fileToken, 'restore') } : src;
  return {
    'backup.status': () => s.backup.status(),
    'backup.list': () => s.backup.list(),
    'backup.create': ({ reason }, ctx) => s.backup.create(reason ?? 'manual', { signal: ctx.signal }),
    'backup.cancel': () => ({ cancelled: s.backup.cancel() }),
    'backup.verify': (src, ctx) => s.backup.verify(source(src), { signal: ctx.signal }),
    'backup.restore': (src, ctx) => s.backup.restore(source(src), { signal: ctx.signal }),
    'backup.prune': ({ dryRun }) => s.backup.prune(dryRun ?? false),
    'backup.archive': ({ fileToken }, ctx) => s.backup.archive(s.files.resolve(fileToken, 'archive'), { signal: ctx.signal }),
    'backup.pickFile': ({ purpose }) => pickBackupFile(s, purpose),
  };
}
