// The app frame: top bar with views, the current view, dialogs, toasts, global keys and the
// File menu's commands.
import { useEffect, useState } from 'react';
import { onEvent } from './api';
import { invalidateFor } from './data/queries';
import { Toasts } from './components/Toasts';
import { AboutDialog } from './features/about/AboutDialog';
import { BackupsDialog } from './features/backups/BackupsDialog';
import { Dashboard } from './features/dashboard/Dashboard';
import { DeleteDialog } from './features/inventory/DeleteDialog';
import { InventoryView } from './features/inventory/InventoryView';
import { UndoRedoButtons } from './features/history/UndoRedoButtons';
import { step, stepForKey, typingIn } from './features/history/step';
import { ImportStatus } from './features/transfer/ImportStatus';
import { ItemDialog } from './features/inventory/ItemDialog';
import { SetsView } from './features/sets/SetsView';
import { Settings } from './features/settings/Settings';
import { TransferDialog } from './features/transfer/TransferDialog';
import { usePictures } from './stores/pictures';
import { loadBasics, useSession } from './stores/session';
import { useUi, type View } from './stores/ui';

const VIEWS: { v: View; label: string }[] = [
  { v: 'inventory', label: 'Inventory' },
  { v: 'sets', label: 'Sets' },
  { v: 'dashboard', label: 'Dashboard' },
  { v: 'settings', label: 'Settings' },
];

export function App() {
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const openBackups = useUi((s) => s.openBackups);
  const profile = useSession((s) => s.profile);
  const inventories = useSession((s) => s.inventories);
  const ownerId = useSession((s) => s.ownerId);
  const setOwner = useSession((s) => s.setOwner);
  const [fatal, setFatal] = useState<string | null>(null);

  useEffect(() => {
    loadBasics().catch((e: Error) => setFatal(e.message));
    void usePictures.getState().load();
    const offs = [
      onEvent('pictures.changed', ({ keys }) => usePictures.getState().arrived(keys)),
      onEvent('data.changed', (p) => {
        invalidateFor({ kind: 'data', ...p });
        if (p.reason === 'reopened' || p.reason === 'preferences' || p.reason.startsWith('profile')) void loadBasics();
      }),
      onEvent('backups.changed', (p) => invalidateFor({ kind: 'backups', ...p })),
      onEvent('menu.command', ({ command }) => useUi.getState().menu(command)),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || e.altKey) return;
      const st = useUi.getState();
      const dialogOpen = !!document.querySelector('dialog[open]');
      const stepKey = stepForKey(e);
      if (stepKey) {
        // A text field keeps its own undo; with a dialog open the journal waits.
        if (typingIn(document.activeElement) || dialogOpen) return;
        e.preventDefault();
        void step(stepKey);
        return;
      }
      if (e.key.toLowerCase() === 'f' && !e.shiftKey && !dialogOpen) {
        e.preventDefault();
        st.focusSearch();
      } else if (e.key.toLowerCase() === 'n' && !e.shiftKey && !dialogOpen) {
        e.preventDefault();
        st.menu('item.new');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const shared = inventories.filter((i) => !i.own);
  if (fatal) {
    return (
      <main className="page">
        <h1>BlockShelf could not start</h1>
        <p className="notice error" role="alert">
          {fatal}
        </p>
      </main>
    );
  }
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          BlockShelf
        </div>
        <nav aria-label="Views" className="tabs">
          {VIEWS.map(({ v, label }) => (
            <button key={v} type="button" aria-current={view === v ? 'page' : undefined} onClick={() => setView(v)}>
              {label}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        {shared.length > 0 && (
          <>
            <label className="visually-hidden" htmlFor="owner-select">
              Inventory shown
            </label>
            <select
              id="owner-select"
              value={ownerId ?? ''}
              onChange={(e) => setOwner(e.target.value === '' ? undefined : Number(e.target.value))}
            >
              <option value="">My inventory</option>
              {shared.map((i) => (
                <option key={i.ownerId} value={i.ownerId}>
                  {i.ownerName}'s inventory{i.canEdit ? '' : ' (read only)'}
                </option>
              ))}
            </select>
          </>
        )}
        {profile && (
          <span className="muted" title="Current profile">
            {profile.name}
          </span>
        )}
        <UndoRedoButtons />
        <button type="button" className="btn" onClick={() => openBackups('list')}>
          Backups
        </button>
      </header>
      <ImportStatus />
      <main className="main">
        {view === 'inventory' && <InventoryView />}
        {view === 'sets' && <SetsView />}
        {view === 'dashboard' && (
          <div className="page">
            <Dashboard />
          </div>
        )}
        {view === 'settings' && (
          <div className="page">
            <Settings />
          </div>
        )}
      </main>
      <Dialogs />
      <Toasts />
    </div>
  );
}

/** The dialogs the window may show over the current view. */
function Dialogs() {
  const itemDialog = useUi((s) => s.itemDialog);
  const openItem = useUi((s) => s.openItem);
  const deleteTarget = useUi((s) => s.deleteTarget);
  const askDelete = useUi((s) => s.askDelete);
  const backups = useUi((s) => s.backups);
  const closeBackups = useUi((s) => s.closeBackups);
  const transfer = useUi((s) => s.transfer);
  const closeTransfer = useUi((s) => s.closeTransfer);
  const aboutOpen = useUi((s) => s.aboutOpen);
  const setAbout = useUi((s) => s.setAbout);
  return (
    <>
      {itemDialog && (
        <ItemDialog
          key={itemDialog.mode === 'edit' ? itemDialog.lot.id : 'new'}
          lot={itemDialog.mode === 'edit' ? itemDialog.lot : null}
          onClose={() => openItem(null)}
        />
      )}
      {deleteTarget && <DeleteDialog lot={deleteTarget} onClose={() => askDelete(null)} />}
      {backups.open && <BackupsDialog key={backups.nonce} intent={backups.intent} onClose={closeBackups} />}
      {transfer.open && <TransferDialog intent={transfer.intent} onClose={closeTransfer} />}
      {aboutOpen && <AboutDialog onClose={() => setAbout(false)} />}
    </>
  );
}
