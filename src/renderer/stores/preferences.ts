// The current profile's preferences (theme, page size, sort, low-stock threshold) and the theme
// they put on the page. Changes show at once and are rolled back when main refuses them.
import { create } from 'zustand';
import type { Preferences, Theme } from '../../shared/types';
import { callOrThrow, errorMessage } from '../api';
import { invalidateFor } from '../data/queries';
import { toast } from './toasts';

interface PreferencesState {
  prefs: Preferences | null;
  /** Takes preferences read from main (start, profile switch, restore). */
  loaded(prefs: Preferences): void;
  setPrefs(patch: Partial<Preferences>): Promise<void>;
}

export const usePreferences = create<PreferencesState>((set, get) => ({
  prefs: null,
  loaded(prefs) {
    set({ prefs });
    applyTheme(prefs.theme);
  },
  async setPrefs(patch) {
    const before = get().prefs;
    if (before) set({ prefs: { ...before, ...patch } });
    if (patch.theme) applyTheme(patch.theme);
    try {
      const prefs = await callOrThrow('preferences.set', patch);
      set({ prefs });
      // Views that read a preference in main (the dashboard's low-stock list) refresh.
      invalidateFor({ kind: 'data', ownerId: null, reason: 'preferences' });
    } catch (e) {
      if (before) {
        set({ prefs: before });
        applyTheme(before.theme);
      }
      toast({ kind: 'error', text: `Could not save the setting: ${errorMessage(e)}` });
    }
  },
}));

const darkQuery = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
let currentTheme: Theme = 'system';

export function resolveTheme(theme: Theme, systemDark: boolean): 'light' | 'dark' {
  return theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
}

export function applyTheme(theme: Theme): void {
  currentTheme = theme;
  const resolved = resolveTheme(theme, darkQuery?.matches ?? false);
  document.documentElement.dataset.theme = resolved;
  try {
    // Lets the next start paint the right colours before the preferences arrive.
    localStorage.setItem('blockshelf.theme', resolved);
  } catch {
    // storage may be unavailable
  }
}
darkQuery?.addEventListener('change', () => applyTheme(currentTheme));
