// The app itself: info, colours, profiles and sharing, preferences, app config.
import { z } from 'zod';
import type { AccessibleInventory, AppConfig, AppInfo, Collab, Color, Preferences, Profile, ProfileImpact } from '../types';
import { SORT_KEYS } from '../types';
import { LIMITS, empty, fileToken, id, out } from './common';

const profileName = z
  .string()
  .trim()
  .min(1, 'name is required')
  .max(LIMITS.profileName, `name must be at most ${LIMITS.profileName} characters`);

export const PreferencesPatchSchema = z.strictObject({
  theme: z.enum(['light', 'dark', 'system']).optional(),
  itemsPerPage: z.number().int().min(10).max(1000).optional(),
  sortKey: z.enum(SORT_KEYS).optional(),
  sortDir: z.enum(['asc', 'desc']).optional(),
  lowStockThreshold: z.number().int().min(0).max(1_000_000).optional(),
});

/**
 * The backup folder arrives as a token from `desktop.pickBackupFolder` (the native folder
 * dialog), never as a path: null goes back to the default folder.
 */
export const AppConfigPatchSchema = z.strictObject({
  backupFolder: fileToken.nullable().optional(),
  autoBackup: z.boolean().optional(),
  backupIntervalHours: z.number().int().min(1).max(168).optional(),
  keepRecentHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 14)
    .optional(),
  keepRecentMax: z.number().int().min(1).max(1000).optional(),
  keepDaily: z.number().int().min(0).max(3650).optional(),
  keepWeekly: z.number().int().min(0).max(520).optional(),
  keepMonthly: z.number().int().min(0).max(240).optional(),
});

export const appContract = {
  'app.info': { input: empty, output: out<AppInfo>() },
  'colors.list': { input: empty, output: out<Color[]>() },

  'profiles.list': { input: empty, output: out<Profile[]>() },
  'profiles.current': { input: empty, output: out<Profile>() },
  'profiles.create': { input: z.strictObject({ name: profileName }), output: out<Profile>() },
  'profiles.rename': { input: z.strictObject({ id, name: profileName }), output: out<Profile>() },
  /** What deleting the profile would take with it: lots, sharings (asked before `profiles.delete`). */
  'profiles.impact': { input: z.strictObject({ id }), output: out<ProfileImpact>() },
  'profiles.delete': { input: z.strictObject({ id }), output: out<{ deleted: number }>() },
  'profiles.switch': { input: z.strictObject({ id }), output: out<Profile>() },
  'profiles.accessible': { input: empty, output: out<AccessibleInventory[]>() },

  'collabs.list': { input: empty, output: out<Collab[]>() },
  'collabs.grant': {
    input: z.strictObject({
      collaboratorId: id,
      canEdit: z.boolean().optional(),
      canDelete: z.boolean().optional(),
    }),
    output: out<Collab>(),
  },
  'collabs.accept': { input: z.strictObject({ id }), output: out<Collab>() },
  'collabs.revoke': { input: z.strictObject({ id }), output: out<Collab>() },

  'preferences.get': { input: empty, output: out<Preferences>() },
  'preferences.set': { input: PreferencesPatchSchema, output: out<Preferences>() },

  'config.get': { input: empty, output: out<AppConfig>() },
  'config.set': { input: AppConfigPatchSchema, output: out<AppConfig>() },
} as const;
