// Handlers of the backup area: the Backups & Restore dialog's calls, on the backup service.
// Files are named by a backup id from the list or by a token the main process handed out
// (`backup.pickFile`, or the CLI's registered paths): the renderer never passes a path.
import type { CoreContext, Handlers } from '../core';
import { pickBackupFile } from '../backup/picked';

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
  /** A picked file's token becomes its path here; a backup id is looked up by the engine. */
  const source = (s: { backupId: string } | { fileToken: string }) =>
    'fileToken' in s ? { path: core.files.resolve(s.fileToken, 'restore') } : s;
  return {
    'backup.status': () => core.backup.status(),
    'backup.list': () => core.backup.list(),
    'backup.create': ({ reason }, ctx) => core.backup.create(reason ?? 'manual', { signal: ctx.signal }),
    'backup.cancel': () => ({ cancelled: core.backup.cancel() }),
    'backup.verify': (s, ctx) => core.backup.verify(source(s), { signal: ctx.signal }),
    'backup.restore': (s, ctx) => core.backup.restore(source(s), { signal: ctx.signal }),
    'backup.prune': ({ dryRun }) => core.backup.prune(dryRun ?? false),
    'backup.archive': ({ fileToken }, ctx) => core.backup.archive(core.files.resolve(fileToken, 'archive'), { signal: ctx.signal }),
    'backup.pickFile': ({ purpose }) => pickBackupFile(core, purpose),
  };
}
