// What the window shows: the current view, which dialog is open, search focus requests, and
// the inventory table's current query (exports can take it as their filter).
import { create } from 'zustand';
import { menuStep } from '../features/history/step';
import type { Lot, SortDir, SortKey } from '../../shared/types';
import type { MenuCommand } from '../../shared/contract';
import { useSets } from './sets';

export type View = 'inventory' | 'sets' | 'dashboard' | 'settings';
export type ItemDialogState = { mode: 'new' } | { mode: 'edit'; lot: Lot } | null;
export type BackupIntent = 'list' | 'now' | 'fromFile';
export type TransferIntent = 'import' | 'export';
export type InventoryQuery = {
  search: string;
  location: string | undefined;
  colorId: number | undefined;
  sort: SortKey;
  dir: SortDir;
};

interface UiState {
  view: View;
  itemDialog: ItemDialogState;
  deleteTarget: Lot | null;
  backups: { open: boolean; intent: BackupIntent; nonce: number };
  transfer: { open: boolean; intent: TransferIntent };
  aboutOpen: boolean;
  searchFocusNonce: number;
  /** File → Can I Build…: the Sets view asks for a part list file when this grows. */
  canBuildNonce: number;
  /** What the inventory table shows now. */
  inventoryQuery: InventoryQuery | null;

  setView(v: View): void;
  setInventoryQuery(q: InventoryQuery | null): void;
  openItem(s: ItemDialogState): void;
  askDelete(lot: Lot | null): void;
  openBackups(intent?: BackupIntent): void;
  closeBackups(): void;
  openTransfer(intent: TransferIntent): void;
  closeTransfer(): void;
  setAbout(open: boolean): void;
  focusSearch(): void;
  menu(command: MenuCommand): void;
}

export const useUi = create<UiState>((set, get) => ({
  view: 'inventory',
  itemDialog: null,
  deleteTarget: null,
  backups: { open: false, intent: 'list', nonce: 0 },
  transfer: { open: false, intent: 'import' },
  aboutOpen: false,
  searchFocusNonce: 0,
  canBuildNonce: 0,
  inventoryQuery: null,

  setView: (view) => set({ view }),
  setInventoryQuery: (inventoryQuery) => set({ inventoryQuery }),
  openItem: (itemDialog) => set({ itemDialog }),
  askDelete: (deleteTarget) => set({ deleteTarget }),
  openBackups: (intent = 'list') => set((s) => ({ backups: { open: true, intent, nonce: s.backups.nonce + 1 } })),
  closeBackups: () => set((s) => ({ backups: { ...s.backups, open: false, intent: 'list' } })),
  openTransfer: (intent) => set({ transfer: { open: true, intent } }),
  closeTransfer: () => set((s) => ({ transfer: { ...s.transfer, open: false } })),
  setAbout: (aboutOpen) => set({ aboutOpen }),
  // The Sets view has a search of its own; elsewhere the inventory's is meant.
  focusSearch: () => {
    if (get().view === 'sets') useSets.getState().show({ kind: 'search' });
    set((s) => ({ view: s.view === 'sets' ? 'sets' : 'inventory', searchFocusNonce: s.searchFocusNonce + 1 }));
  },
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
      case 'sets.canBuild':
        set((st) => ({ view: 'sets', canBuildNonce: st.canBuildNonce + 1 }));
        break;
      case 'settings.open':
        set({ view: 'settings' });
        break;
      case 'about.open':
        s.setAbout(true);
        break;
      case 'edit.undo':
        menuStep('undo');
        break;
      case 'edit.redo':
        menuStep('redo');
        break;
    }
  },
}));
