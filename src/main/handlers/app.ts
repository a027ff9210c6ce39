// Handlers of the app area: info, colours, profiles and sharing, preferences, app config.
// One line each over a service; `s` is read at call time (a restore replaces the services).
import type { AppInfoService } from '../app/info';
import type { InventoryService } from '../inventory/service';
import type { ConfigService } from '../preferences/config';
import type { PreferencesService } from '../preferences/service';
import type { ProfilesService } from '../profiles/service';
import { stripUndefined } from '../util/objects';
import type { Handlers } from './types';

type AppKeys =
  | 'app.info'
  | 'colors.list'
  | 'profiles.list'
  | 'profiles.current'
  | 'profiles.create'
  | 'profiles.rename'
  | 'profiles.impact'
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

export interface AppServices {
  readonly info: AppInfoService;
  readonly inventory: Pick<InventoryService, 'colors'>;
  readonly profiles: ProfilesService;
  readonly prefs: PreferencesService;
  readonly config: ConfigService;
}

export function appHandlers(s: AppServices): Pick<Handlers, AppKeys> {
  /** The acting profile's id. */
  const me = () => s.profiles.current().id;
  return {
    'app.info': () => s.info.info(),
    'colors.list': () => s.inventory.colors(),

    'profiles.list': () => s.profiles.list(),
    'profiles.current': () => s.profiles.current(),
    'profiles.create': ({ name }) => s.profiles.create(name),
    'profiles.rename': ({ id, name }) => s.profiles.rename(id, name),
    'profiles.impact': ({ id }) => s.profiles.impact(id),
    'profiles.delete': ({ id }) => s.profiles.remove(id),
    'profiles.switch': ({ id }) => s.profiles.switchTo(id),
    'profiles.accessible': () => s.profiles.accessible(me()),

    'collabs.list': () => s.profiles.listCollabs(me()),
    'collabs.grant': ({ collaboratorId, ...flags }) => s.profiles.grant(me(), collaboratorId, stripUndefined(flags)),
    'collabs.accept': ({ id }) => s.profiles.accept(me(), id),
    'collabs.revoke': ({ id }) => s.profiles.revoke(me(), id),

    'preferences.get': () => s.prefs.get(me()),
    'preferences.set': (patch) => s.prefs.set(me(), stripUndefined(patch)),
    'config.get': () => s.config.get(),
    'config.set': (input) => s.config.set(input),
  };
}
