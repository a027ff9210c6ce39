// The app frame: top bar with views, the current view, dialogs, toasts, global keys and the
// File menu's commands.
import { useEffect, useState } from 'react';
import { onEvent } from './api';
import { Toasts } from './components/Toasts';
import { AboutDialog } from './features/about/AboutDialog';
import { BackupsDialog } from './features/backups/BackupsDialog';
import { Dashboard } from './features/dashboard/Dashboard';
import { DeleteDialog } from './features/inventory/DeleteDialog';
import { InventoryView } from './features/inventory/InventoryView';
import { ItemDialog } from './features/inventory/ItemDialog';
import { Settings } from './features/settings/Settings';
import { TransferDialog } from './features/transfer/TransferDialog';
import { useApp, type View } from './stores/app';

const VIEWS: { v: View; label: string }[] = [
  { v: 'inventory', label: 'Inventory' },
  { v: 'dashboard', label: 'Dashboard' },
  { v: 'settings', label: 'Settings' },
];

export function App() {
  const s = useApp();
  const [fatal, setFatal] = useState<string | null>(null);

  useEffect(() => {
    s.loadBasics().catch((e: Error) => setFatal(e.message));
    const offs = [
      onEvent('data.changed', (p) => {
        useApp.getState().dataChanged();
        if (p.reason === 'reopened' || p.reason === 'preferences' || p.reason.startsWith('profile')) void useApp.getState().loadBasics();
      }),
      onEvent('menu.command', ({ command }) => useApp.getState().menu(command)),
    ];
    return () => offs.forEach((off) => off());
     
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || e.altKey) return;
      const st = useApp.getState();
      const dialogOpen = !!document.querySelector('dialog[open]');
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

  const shared = s.inventories.filter((i) => !i.own);
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
            <button key={v} type="button" aria-current={s.view === v ? 'page' : undefined} onClick={() => s.setView(v)}>
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
              value={s.ownerId ?? ''}
              onChange={(e) => s.setOwner(e.target.value === '' ? undefined : Number(e.target.value))}
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
        {s.profile && <span className="muted" title="Current profile">{s.profile.name}</span>}
        <button type="button" className="btn" onClick={() => s.openBackups('list')}>
          Backups
        </button>
      </header>
      <main className="main">
        {s.view === 'inventory' && <InventoryView />}
        {s.view === 'dashboard' && (
          <div className="page">
            <Dashboard />
          </div>
        )}
        {s.view === 'settings' && (
          <div className="page">
            <Settings />
          </div>
        )}
      </main>
      {s.itemDialog && (
        <ItemDialog
          key={s.itemDialog.mode === 'edit' ? s.itemDialog.lot.id : 'new'}
          lot={s.itemDialog.mode === 'edit' ? s.itemDialog.lot : null}
          onClose={() => s.openItem(null)}
        />
      )}
      {s.deleteTarget && <DeleteDialog lot={s.deleteTarget} onClose={() => s.askDelete(null)} />}
      {s.backups.open && <BackupsDialog key={s.backups.nonce} intent={s.backups.intent} onClose={s.closeBackups} />}
      {s.transfer.open && <TransferDialog intent={s.transfer.intent} onClose={s.closeTransfer} />}
      {s.aboutOpen && <AboutDialog onClose={() => s.setAbout(false)} />}
      <Toasts />
    </div>
  );
}

