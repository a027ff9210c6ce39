// Preferences (per profile) and app config (one row), read through an in-process LRU cache.
// Keys: `user_prefs:<id>`, `user_theme:<id>`, `app_config`. Every write path that can change
// them clears the affected keys: saving, deleting a profile, a restore, an import of a backup.
import { eq } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { DbHandle } from '../db/open';
import { appConfig, userPreferences } from '../db/schema';
import type { AppConfig, Preferences, SortKey, Theme } from '../../shared/types';
import { SORT_KEYS } from '../../shared/types';

export const DEFAULT_PREFERENCES: Preferences = {
  theme: 'system',
  itemsPerPage: 100,
  sortKey: 'updated',
  sortDir: 'desc',
  lowStockThreshold: 2,
};

type CacheValue = Preferences | Theme | AppConfig;

export const cacheKeys = {
  prefs: (userId: number) => `user_prefs:${userId}`,
  theme: (userId: number) => `user_theme:${userId}`,
  config: 'app_config',
} as const;

export function createPreferencesService({ db, now }: { db: DbHandle; now: () => number }) {
  const { orm } = db;
  const cache = new LRUCache<string, CacheValue>({ max: 500 });

  function readPrefs(userId: number): Preferences {
    const row = orm.select().from(userPreferences).where(eq(userPreferences.userId, userId)).get();
    if (!row) return { ...DEFAULT_PREFERENCES };
    const sortKey = (SORT_KEYS as readonly string[]).includes(row.sortKey)
      ? (row.sortKey as SortKey)
      : DEFAULT_PREFERENCES.sortKey;
    return {
      theme: row.theme,
      itemsPerPage: row.itemsPerPage,
      sortKey,
      sortDir: row.sortDir,
      lowStockThreshold: row.lowStockThreshold,
    };
  }

  function get(userId: number): Preferences {
    const key = cacheKeys.prefs(userId);
    const hit = cache.get(key) as Preferences | undefined;
    if (hit) return { ...hit };
    const value = readPrefs(userId);
    cache.set(key, value);
    return { ...value };
  }

  function theme(userId: number): Theme {
    const key = cacheKeys.theme(userId);
    const hit = cache.get(key) as Theme | undefined;
    if (hit) return hit;
    const value = get(userId).theme;
    cache.set(key, value);
    return value;
  }

  function set(userId: number, patch: Partial<Preferences>): Preferences {
    const next = { ...get(userId), ...patch };
    orm
      .insert(userPreferences)
      .values({ userId, ...next, updatedAt: now() })
      .onConflictDoUpdate({ target: userPreferences.userId, set: { ...next, updatedAt: now() } })
      .run();
    invalidateUser(userId);
    return get(userId);
  }

  function getConfig(): AppConfig {
    const hit = cache.get(cacheKeys.config) as AppConfig | undefined;
    if (hit) return { ...hit };
    const row = orm.select().from(appConfig).where(eq(appConfig.id, 1)).get();
    if (!row) throw new Error('app_config row is missing');
    const value: AppConfig = {
      backupDir: row.backupDir,
      autoBackup: row.autoBackup,
      backupIntervalHours: row.backupIntervalHours,
      keepRecentHours: row.keepRecentHours,
      keepRecentMax: row.keepRecentMax,
      keepDaily: row.keepDaily,
      keepWeekly: row.keepWeekly,
      keepMonthly: row.keepMonthly,
    };
    cache.set(cacheKeys.config, value);
    return { ...value };
  }

  function setConfig(patch: Partial<AppConfig>): AppConfig {
    orm
      .update(appConfig)
      .set({ ...patch, updatedAt: now() })
      .where(eq(appConfig.id, 1))
      .run();
    cache.delete(cacheKeys.config);
    return getConfig();
  }

  function invalidateUser(userId: number): void {
    cache.delete(cacheKeys.prefs(userId));
    cache.delete(cacheKeys.theme(userId));
  }

  /** After a restore or an import of a whole database: nothing cached is true any more. */
  function invalidateAll(): void {
    cache.clear();
  }

  return { get, theme, set, getConfig, setConfig, invalidateUser, invalidateAll, cache };
}

export type PreferencesService = ReturnType<typeof createPreferencesService>;
