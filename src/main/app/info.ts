// What the About box and the status bar show: versions, where the data lives, the acting profile
// and its counts. The counts come from the maintained aggregates (migration 0003, kept by
// triggers), never from counting inventory_items: O(1) however many lots there are.
import type { AppInfo } from '../../shared/types';
import type { DbHandle } from '../db/open';
import type { PreferencesService } from '../preferences/service';
import type { ProfilesService } from '../profiles/service';

export interface AppInfoDeps {
  db: () => DbHandle;
  profiles: () => Pick<ProfilesService, 'current'>;
  prefs: () => Pick<PreferencesService, 'getConfig'>;
  paths: { dataDir: string; db: string; backups: string };
  appVersion: string;
  schemaVersion: () => number;
}

/** The acting profile's counts, read from inventory_stats and inventory_location_stats. */
export const INFO_COUNTS = `SELECT
    coalesce((SELECT lots FROM inventory_stats WHERE user_id = @id), 0) AS lots,
    coalesce((SELECT quantity_total FROM inventory_stats WHERE user_id = @id), 0) AS quantityTotal,
    (SELECT count(*) FROM inventory_location_stats WHERE user_id = @id AND location_key <> '') AS locations,
    (SELECT count(*) FROM users) AS profiles`;

export function createAppInfo(deps: AppInfoDeps) {
  function info(): AppInfo {
    const profile = deps.profiles().current();
    const counts = deps.db().stmt(INFO_COUNTS).get({ id: profile.id }) as AppInfo['counts'];
    const cfg = deps.prefs().getConfig();
    return {
      appVersion: deps.appVersion,
      schemaVersion: deps.schemaVersion(),
      dataDir: deps.paths.dataDir,
      dbPath: deps.paths.db,
      backupDir: cfg.backupDir ?? deps.paths.backups,
      profile,
      counts,
    };
  }
  return { info };
}

export type AppInfoService = ReturnType<typeof createAppInfo>;
