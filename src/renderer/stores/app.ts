// App-wide UI state (zustand): current view, preferences, colours, open dialogs, toasts.
import { create } from 'zustand';
import type { AccessibleInventory, Color, Lot, Preferences, Profile, SortDir, SortKey, Theme } from '../../shared/types';
import type { MenuCommand } from '../../shared/contract';
import { callOrThrow, errorMessage } from '../api';

export type View = 'inventory' | 'dashboard' | 'settings';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
  action?: { label: string; run: () => void };
}

export type ItemDialogState = { mode: 'new' } | { mode: 'edit'; lot: Lot } | null;
export type BackupIntent = 'list' | 'now' | 'fromFile';
export type TransferIntent = 'import' | 'export';

interface AppState {
  view: View;
  prefs: Preferences | null;
  profile: Profile | null;
  inventories: AccessibleInventory[];
  /** Whose inventory is shown (undefined: the current profile's own). */
  ownerId: number | undefined;
  colors: Color[];
  colorById: Map<number, Color>;
  /** Bumped on every data.changed event; views refetch on change. */
  dataVersion: number;
  itemDialog: ItemDialogState;
  deleteTarget: Lot | null;
  backups: { open: boolean; intent: BackupIntent; nonce: number };
  transfer: { open: boolean; intent: TransferIntent };
  aboutOpen: boolean;
  toasts: Toast[];
  searchFocusNonce: number;
  /** What the inventory table shows now (exports can take it as their filter). */
  inventoryQuery: { search: string; location: string | undefined; colorId: number | undefined; sort: SortKey; dir: SortDir } | null;
  setInventoryQuery(q: AppState['inventoryQuery']): void;

  setView(v: View): void;
  loadBasics(): Promise<void>;
  setPrefs(patch: Partial<Preferences>): Promise<void>;
  setOwner(ownerId: number | undefined): void;
  dataChanged(): void;
  openItem(s: ItemDialogState): void;
  askDelete(lot: Lot | null): void;
  openBackups(intent?: BackupIntent): void;
  closeBackups(): void;
  openTransfer(intent: TransferIntent): void;
  closeTransfer(): void;
  setAbout(open: boolean): void;
  toast(t: Omit<Toast, 'id'>, ms?: number): void;
  dismiss(id: number): void;
  focusSearch(): void;
  menu(command: MenuCommand): void;
}

let toastSeq = 0;

export const useApp = create<AppState>((set, get) => ({
  view: 'inventory',
  prefs: null,
  profile: null,
  inventories: [],
  ownerId: undefined,
  colors: [],
  colorById: new Map(),
  dataVersion: 0,
  itemDialog: null,
  deleteTarget: null,
  backups: { open: false, intent: 'list', nonce: 0 },
  transfer: { open: false, intent: 'import' },
  aboutOpen: false,
  toasts: [],
  searchFocusNonce: 0,
  inventoryQuery: null,
  setInventoryQuery: (inventoryQuery) => set({ inventoryQuery }),

  setView: (view) => set({ view }),
  async loadBasics() {
    const [prefs, profile, colors, inventories] = await Promise.all([
      callOrThrow('preferences.get', {}),
      callOrThrow('profiles.current', {}),
      callOrThrow('colors.list', {}),
      callOrThrow('profiles.accessible', {}),
    ]);
    const { ownerId } = get();
    const stillThere = ownerId === undefined || inventories.some((i) => i.ownerId === ownerId);
    set({
      prefs,
      profile,
      colors,
      colorById: new Map(colors.map((c) => [c.id, c])),
      inventories,
      ...(stillThere ? {} : { ownerId: undefined }),
    });
    applyTheme(prefs.theme);
  },
  async setPrefs(patch) {
    const before = get().prefs;
    if (before) set({ prefs: { ...before, ...patch } });
    if (patch.theme) applyTheme(patch.theme);
    try {
      const prefs = await callOrThrow('preferences.set', patch);
      set({ prefs });
    } catch (e) {
      if (before) {
        set({ prefs: before });
        applyTheme(before.theme);
      }
      get().toast({ kind: 'error', text: `Could not save the setting: ${errorMessage(e)}` });
    }
  },
  setOwner: (ownerId) => set({ ownerId }),
  dataChanged: () => set((s) => ({ dataVersion: s.dataVersion + 1 })),
  openItem: (itemDialog) => set({ itemDialog }),
  askDelete: (deleteTarget) => set({ deleteTarget }),
  openBackups: (intent = 'list') => set((s) => ({ backups: { open: true, intent, nonce: s.backups.nonce + 1 } })),
  closeBackups: () => set((s) => ({ backups: { ...s.backups, open: false, intent: 'list' } })),
  openTransfer: (intent) => set({ transfer: { open: true, intent } }),
  closeTransfer: () => set((s) => ({ transfer: { ...s.transfer, open: false } })),
  setAbout: (aboutOpen) => set({ aboutOpen }),
  toast(t, ms = 6000) {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { ...t, id }] }));
    if (ms > 0) setTimeout(() => get().dismiss(id), ms);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  focusSearch: () => set((s) => ({ view: 'inventory', searchFocusNonce: s.searchFocusNonce + 1 })),
  menu(command) {
    const s = get();
    switch (command) {
      case 'item.new':
        set({ view: 'inventory' });
        s.openItem({ mode: 'new' });
        break;
      case 'import.open':
        s.openTransfer('import');
        break;
      case 'export.open':
        s.openTransfer('export');
        break;
      case 'backup.now':
        s.openBackups('now');
        break;
      case 'backups.open':
        s.openBackups('list');
        break;
      case 'restore.fromFile':
        s.openBackups('fromFile');
        break;
      case 'settings.open':
        set({ view: 'settings' });
        break;
      case 'about.open':
        s.setAbout(true);
        break;
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
