// Handlers of the backup area: the Backups & Restore dialog's calls, on the backup service.
// Files are named by a backup id from the list or by a token the main process handed out
// (`backup.pickFile`): the renderer never passes a path.
import type { CoreContext, Handlers } from '../core';

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

export function backupHandlers(core: CoreContext): Pick<Handlers, BackupKeys> {
  return {
    'backup.status': () => core.backup.status(),
    'backup.list': () => core.backup.list(),
    'backup.create': ({ reason }, ctx) => core.backup.create(reason ?? 'manual', { signal: ctx.signal }),
    'backup.cancel': () => ({ cancelled: core.backup.cancel() }),
    'backup.verify': (source, ctx) => core.backup.verify(source, { signal: ctx.signal }),
    'backup.restore': (source, ctx) => core.backup.restore(source, { signal: ctx.signal }),
    'backup.prune': ({ dryRun }) => core.backup.prune(dryRun ?? false),
    'backup.archive': ({ fileToken }, ctx) => core.backup.archive(core.backup.archiveTarget(fileToken), { signal: ctx.signal }),
    'backup.pickFile': ({ purpose }) => core.backup.pickFile(purpose),
  };
}
