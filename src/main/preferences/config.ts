// App config writes from the contract (`config.set`): the backup folder arrives as a token that
// main handed out from its folder dialog, never as a path, and is resolved and checked before
// anything is written; the other settings are written together with it, in one write.
import type { ParsedInput } from '../../shared/contract';
import type { AppConfig } from '../../shared/types';
import type { Events } from '../events';
import type { FileRegistry } from '../files';
import type { Logger } from '../log';
import { stripUndefined } from '../util/objects';
import { setBackupFolder } from './backup-folder';
import type { PreferencesService } from './service';

export interface ConfigDeps {
  prefs: () => PreferencesService;
  files: Pick<FileRegistry, 'resolve'>;
  log: Logger;
  events: Events;
}

export function createConfigService(deps: ConfigDeps) {
  return {
    get: (): AppConfig => deps.prefs().getConfig(),
    set({ backupFolder, ...patch }: ParsedInput<'config.set'>): AppConfig {
      const rest = stripUndefined(patch);
      if (backupFolder === undefined) return deps.prefs().setConfig(rest);
      // A token from desktop.pickBackupFolder, never a path: resolved before anything is written.
      const folder = backupFolder === null ? null : deps.files.resolve(backupFolder, 'folder');
      return setBackupFolder({ prefs: deps.prefs(), log: deps.log, events: deps.events }, folder, rest);
    },
  };
}

export type ConfigService = ReturnType<typeof createConfigService>;
