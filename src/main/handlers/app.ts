// Handlers of the app area: info, colours, profiles and sharing, preferences, app config.
import type { CoreContext, Handlers } from '../core';
import { setBackupFolder } from '../preferences/backup-folder';

type AppKeys =
  | 'app.info'
  | 'colors.list'
  | 'profiles.list'
  | 'profiles.current'
  | 'profiles.create'
  | 'profiles.rename'
  | 'profiles.delete'
  | 'profiles.switch'
  | 'profiles.accessible'
  | 'collabs.list'
  | 'collabs.grant'
  | 'collabs.accept'
  | 'collabs.revoke'
  | 'preferences.get'
  | 'preferences.set'
  | 'config.get'
  | 'config.set';

export function appHandlers(core: CoreContext): Pick<Handlers, AppKeys> {
  const me = () => core.profiles.current();
  return {
    'app.info': () => {
      const profile = me();
      const counts = core.db.sqlite
        .prepare(
          `SELECT (SELECT count(*) FROM inventory_items WHERE user_id = @id) AS lots,
                  (SELECT coalesce(sum(quantity_total), 0) FROM inventory_items WHERE user_id = @id) AS quantityTotal,
                  (SELECT count(*) FROM (SELECT 1 FROM inventory_items WHERE user_id = @id AND storage_location <> ''
                     GROUP BY storage_location COLLATE NOCASE)) AS locations,
                  (SELECT count(*) FROM users) AS profiles`,
        )
        .get({ id: profile.id }) as { lots: number; quantityTotal: number; locations: number; profiles: number };
      const cfg = core.prefs.getConfig();
      return {
        appVersion: core.appVersion,
        schemaVersion: core.schemaVersion(),
        dataDir: core.dataDir,
        dbPath: core.paths.db,
        backupDir: cfg.backupDir ?? core.paths.backups,
        profile,
        counts,
      };
    },
    'colors.list': () => core.inventory.colors(),

    'profiles.list': () => core.profiles.list(),
    'profiles.current': () => me(),
    'profiles.create': ({ name }) => core.profiles.create(name),
    'profiles.rename': ({ id, name }) => core.profiles.rename(id, name),
    'profiles.delete': ({ id }) => {
      const r = core.profiles.remove(id);
      core.events.emit('data.changed', { ownerId: id, reason: 'profile-deleted' });
      return r;
    },
    'profiles.switch': ({ id }) => {
      const p = core.profiles.switchTo(id);
      core.events.emit('data.changed', { ownerId: id, reason: 'profile-switched' });
      return p;
    },
    'profiles.accessible': () => core.profiles.accessible(me().id),

    'collabs.list': () => core.profiles.listCollabs(me().id),
    'collabs.grant': ({ collaboratorId, canEdit, canDelete }) =>
      core.profiles.grant(me().id, collaboratorId, {
        ...(canEdit !== undefined ? { canEdit } : {}),
        ...(canDelete !== undefined ? { canDelete } : {}),
      }),
    'collabs.accept': ({ id }) => core.profiles.accept(me().id, id),
    'collabs.revoke': ({ id }) => core.profiles.revoke(me().id, id),

    'preferences.get': () => core.prefs.get(me().id),
    'preferences.set': (patch) => core.prefs.set(me().id, stripUndefined(patch)),
    'config.get': () => core.prefs.getConfig(),
    'config.set': ({ backupFolder, ...patch }) => {
      const rest = stripUndefined(patch);
      if (backupFolder === undefined) return core.prefs.setConfig(rest);
      // A token from desktop.pickBackupFolder, never a path: resolved before anything is written.
      return setBackupFolder(core, backupFolder === null ? null : core.files.resolve(backupFolder, 'folder'), rest);
    },
  };
}

export function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
