// Handlers of the backup area: the Backups & Restore dialog's calls, on the backup service.
// Files are named by a backup id from the list or by a token the main process handed out
// (`backup.pickFile`): the renderer never passes a path.
import type { BackupService } from '../backup/service';
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

export function backupHandlers(s: { readonly backup: BackupService }): Pick<Handlers, BackupKeys> {
  return {
    'backup.status': () => s.backup.status(),
    'backup.list': () => s.backup.list(),
    'backup.create': ({ reason }, ctx) => s.backup.create(reason ?? 'manual', { signal: ctx.signal }),
    'backup.cancel': () => ({ cancelled: s.backup.cancel() }),
    'backup.verify': (source, ctx) => s.backup.verify(source, { signal: ctx.signal }),
    'backup.restore': (source, ctx) => s.backup.restore(source, { signal: ctx.signal }),
    'backup.prune': ({ dryRun }) => s.backup.prune(dryRun ?? false),
    'backup.archive': ({ fileToken }, ctx) => s.backup.archive(s.backup.archiveTarget(fileToken), { signal: ctx.signal }),
    'backup.pickFile': ({ purpose }) => s.backup.pickFile(purpose),
  };
}
