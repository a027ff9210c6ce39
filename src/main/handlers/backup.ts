// Handlers of the backup area: the Backups & Restore dialog's calls, on the backup service.
import { AppError } from '../../shared/errors';
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

export function backupHandlers(_core: CoreContext): Pick<Handlers, BackupKeys> {
  const todo = (): never => {
    throw new AppError('busy', 'The backup engine is not ready yet.');
  };
  return {
    'backup.status': todo,
    'backup.list': todo,
    'backup.create': todo,
    'backup.cancel': todo,
    'backup.verify': todo,
    'backup.restore': todo,
    'backup.prune': todo,
    'backup.archive': todo,
    'backup.pickFile': todo,
  };
}
