// Settings: appearance, list, low stock, backups (interval, retention, folder), profiles and
// the inventories shared with this profile.
import { useEffect, useId, useState } from 'react';
import type { Input, Output } from '../../../shared/contract';
import type { AppConfig, Profile, Theme } from '../../../shared/types';
import { call, onEvent } from '../../api';
import { contractKey, invalidateChannel, queryClient, useContract } from '../../data/queries';
import { fmtBytes, fmtNumber } from '../../format';
import { usePreferences } from '../../stores/preferences';
import { usePictures } from '../../stores/pictures';
import { useSession, loadBasics } from '../../stores/session';
import { useToasts } from '../../stores/toasts';
import { CATALOG_LABELS, updateCatalogue } from './catalogUpdate';
import { DeleteProfileDialog, RenameProfileDialog } from './ProfileDialogs';

function NumberField(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  hint?: string;
  onCommit: (n: number) => void;
}) {
  const id = useId();
  const [text, setText] = useState(String(props.value));
  const [error, setError] = useState<string | null>(null);
  // A new value from outside (saved, or read again) replaces what was typed.
  const [shown, setShown] = useState(props.value);
  if (shown !== props.value) {
    setShown(props.value);
    setText(String(props.value));
  }
  const commit = () => {
    const t = text.trim();
    const n = Number(t);
    if (!/^\d+$/.test(t) || n < props.min || n > props.max) {
      setError(`Enter a whole number from ${props.min} to ${props.max}.`);
      return;
    }
    setError(null);
    if (n !== props.value) props.onCommit(n);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : props.hint ? `${id}-hint` : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {error ? (
        <span id={`${id}-err`} className="error">
          {error}
        </span>
      ) : (
        props.hint && (
          <span id={`${id}-hint`} className="hint">
            {props.hint}
          </span>
        )
      )}
    </div>
  );
}

export function Settings() {
  const prefs = usePreferences((s) => s.prefs);
  const setPrefs = usePreferences((s) => s.setPrefs);
  const toast = useToasts((s) => s.toast);
  const profile = useSession((s) => s.profile);
  const config = useContract('config.get', {}).data ?? null;
  const backupDir = useContract('app.info', {}, { select: (i) => i.backupDir }).data ?? '';
  const setConfig = (c: AppConfig) => queryClient.setQueryData(contractKey('config.get', {}), c);
  const setBackupDir = (folder: string) =>
    queryClient.setQueryData(
      contractKey('app.info', {}),
      (i: Output<'app.info'> | undefined) => i && { ...i, backupDir: folder },
    );

  async function saveConfig(patch: Input<'config.set'>) {
    const r = await call('config.set', patch);
    if (r.ok) {
      setConfig(r.data);
      toast({ kind: 'info', text: 'Saved.' }, 2500);
      invalidateChannel('app.info');
    } else toast({ kind: r.error.code === 'busy' ? 'info' : 'error', text: `Not saved: ${r.error.message}` });
  }

  // The folder dialog answers a token; main keeps the path.
  async function chooseFolder() {
    const picked = await call('desktop.pickBackupFolder', {});
    if (!picked.ok) return toast({ kind: 'error', text: picked.error.message });
    if (!picked.data) return;
    const r = await call('config.set', { backupFolder: picked.data.token });
    if (!r.ok) return toast({ kind: 'error', text: `Not saved: ${r.error.message}` });
    setConfig(r.data);
    if (r.data.backupDir) setBackupDir(r.data.backupDir);
    toast({ kind: 'info', text: `Backups will be written to ${r.data.backupDir ?? picked.data.name}.` });
  }

  if (!prefs || !config) return <p className="muted">Loading…</p>;
  const themes: { v: Theme; label: string }[] = [
    { v: 'light', label: 'Light' },
    { v: 'dark', label: 'Dark' },
    { v: 'system', label: 'Same as the system' },
  ];

  return (
    <div className="settings">
      <h1>Settings</h1>
      <fieldset>
        <legend>Appearance</legend>
        <div className="radio-row" role="radiogroup" aria-label="Theme">
          {themes.map((t) => (
            <label key={t.v}>
              <input
                type="radio"
                name="theme"
                value={t.v}
                checked={prefs.theme === t.v}
                onChange={() => void setPrefs({ theme: t.v })}
              />
              {t.label}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Inventory</legend>
        <div className="row">
          <NumberField
            label="Items per page"
            value={prefs.itemsPerPage}
            min={10}
            max={1000}
            hint="Rows the inventory fetches at a time while you scroll."
            onCommit={(n) => void setPrefs({ itemsPerPage: n })}
          />
          <NumberField
            label="Low-stock threshold"
            value={prefs.lowStockThreshold}
            min={0}
            max={1_000_000}
            hint="Lots with this many or fewer available count as low stock."
            onCommit={(n) => void setPrefs({ lowStockThreshold: n })}
          />
        </div>
      </fieldset>
      <PictureSettingsSection />
      <fieldset>
        <legend>Backups</legend>
        <div className="stack">
          <label className="check">
            <input
              type="checkbox"
              checked={config.autoBackup}
              onChange={(e) => void saveConfig({ autoBackup: e.target.checked })}
            />
            Make automatic backups (at start and on a timer, when something changed)
          </label>
          <div className="row">
            <NumberField
              label="Backup interval (hours)"
              value={config.backupIntervalHours}
              min={1}
              max={168}
              onCommit={(n) => void saveConfig({ backupIntervalHours: n })}
            />
            <NumberField
              label="Keep all backups of the last (hours)"
              value={config.keepRecentHours}
              min={0}
              max={336}
              onCommit={(n) => void saveConfig({ keepRecentHours: n })}
            />
            <NumberField
              label="At most this many recent backups"
              value={config.keepRecentMax}
              min={1}
              max={1000}
              onCommit={(n) => void saveConfig({ keepRecentMax: n })}
            />
          </div>
          <div className="row">
            <NumberField
              label="Daily backups kept"
              value={config.keepDaily}
              min={0}
              max={3650}
              onCommit={(n) => void saveConfig({ keepDaily: n })}
            />
            <NumberField
              label="Weekly backups kept"
              value={config.keepWeekly}
              min={0}
              max={520}
              onCommit={(n) => void saveConfig({ keepWeekly: n })}
            />
            <NumberField
              label="Monthly backups kept"
              value={config.keepMonthly}
              min={0}
              max={240}
              onCommit={(n) => void saveConfig({ keepMonthly: n })}
            />
          </div>
          <div className="field">
            <span className="label" id="backup-folder-label">
              Backup folder
            </span>
            <span className="path" aria-labelledby="backup-folder-label" data-testid="backup-folder">
              {backupDir}
            </span>
            <div className="row" style={{ gap: 8 }}>
              <button type="button" className="btn" onClick={() => void chooseFolder()}>
                Choose folder…
              </button>
              {config.backupDir !== null && (
                <button type="button" className="btn" onClick={() => void saveConfig({ backupFolder: null })}>
                  Use the default folder
                </button>
              )}
            </div>
          </div>
        </div>
      </fieldset>
      <UndoHistory />
      <Catalogue />
      <Profiles current={profile} onChanged={() => void loadBasics()} />
    </div>
  );
}

/** How much the undo journal keeps (the last N changes, for D days). */
function UndoHistory() {
  const settings = useContract('history.settings', {}).data ?? null;
  const [note, setNote] = useState<string | null>(null);
  async function save(patch: Input<'history.configure'>) {
    const r = await call('history.configure', patch);
    setNote(r.ok ? 'Saved.' : r.error.message);
    invalidateChannel('history.settings');
  }
  if (!settings) return null;
  return (
    <fieldset>
      <legend>Undo history</legend>
      <p className="hint">
        Every change can be undone (Ctrl+Z) and redone (Ctrl+Shift+Z or Ctrl+Y), in order, and each lot keeps its history. A
        restore from a backup cannot be undone: the backup made before it holds the data as it was.
      </p>
      <div className="row">
        <NumberField
          label="Changes kept"
          value={settings.maxOps}
          min={10}
          max={100000}
          onCommit={(n) => void save({ maxOps: n })}
        />
        <NumberField
          label="For at most (days)"
          value={settings.maxDays}
          min={1}
          max={3650}
          onCommit={(n) => void save({ maxDays: n })}
        />
      </div>
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
    </fieldset>
  );
}

function Catalogue() {
  const toast = useToasts((s) => s.toast);
  const ownerId = useSession((s) => s.ownerId);
  const stats = useContract('catalog.stats', {}).data ?? null;
  const status = useContract('catalog.status', {}).data ?? null;
  const [busy, setBusy] = useState<string | null>(null);
  const [loading, setLoading] = useState<{ percent: number; item: string } | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const reload = () => {
    invalidateChannel('catalog.stats');
    invalidateChannel('catalog.status');
  };

  // The shipped catalogue loads in the background on first start: show how far it is.
  useEffect(
    () =>
      onEvent('catalog.progress', (p) => {
        if (p.phase === 'done') {
          setLoading(null);
          reload();
        } else setLoading({ percent: p.percent, item: p.item });
      }),
    [],
  );
  const shown =
    loading ??
    (status?.state === 'loading' ? { percent: status.progress?.percent ?? 0, item: status.progress?.item ?? '' } : null);

  async function importFiles() {
    setMessage(null);
    const m = await updateCatalogue(setBusy);
    if (m) setMessage(m);
    reload();
  }

  async function fillNames() {
    setBusy('Filling in names…');
    const r = await call('catalog.fillNames', { ...(ownerId !== undefined ? { ownerId } : {}) });
    setBusy(null);
    if (!r.ok) return setMessage({ kind: 'error', text: r.error.message });
    toast({
      kind: 'info',
      text: `Named ${fmtNumber(r.data.updated)} lots from the catalogue; ${fmtNumber(r.data.stillMissing)} still have no name.`,
    });
  }

  return (
    <fieldset>
      <legend>Parts catalogue</legend>
      <div className="stack">
        <p className="muted" style={{ margin: 0 }} data-testid="catalog-stats">
          {stats
            ? `${CATALOG_LABELS.map(([k, name]) => `${fmtNumber(stats[k])} ${name}`).join(', ')}.`
            : 'The catalogue is not available.'}{' '}
          {status?.snapshot ? `Rebrickable catalogue of ${status.snapshot}.` : ''}
        </p>
        {shown && (
          <div className="row" style={{ gap: 8 }} role="status" data-testid="catalog-loading">
            <progress value={shown.percent} max={100} aria-label="Loading the parts catalogue" />
            <span className="muted">Loading the parts catalogue… {shown.percent}%</span>
          </div>
        )}
        {status?.state === 'failed' && status.error && (
          <p className="notice error" role="alert" style={{ margin: 0 }}>
            The shipped catalogue could not be loaded: {status.error}
          </p>
        )}
        <div className="row" style={{ gap: 8 }}>
          <button type="button" className="btn" disabled={!!busy || !!shown} onClick={() => void importFiles()}>
            Update catalogue…
          </button>
          <button type="button" className="btn" disabled={!!busy || !stats?.parts} onClick={() => void fillNames()}>
            Fill in missing lot names
          </button>
          {busy && (
            <span className="muted" role="status">
              {busy}
            </span>
          )}
        </div>
        <p className="muted" style={{ margin: 0 }}>
          Pick a newer Rebrickable download (a zip of them, or one of parts.csv.gz, sets.csv.gz, inventory_parts.csv.gz…). Your
          lots are never changed.
        </p>
        {message && (
          <p className={`notice ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} style={{ margin: 0 }}>
            {message.text}
          </p>
        )}
      </div>
    </fieldset>
  );
}

const NONE: never[] = [];

function Profiles({ current, onChanged }: { current: Profile | null; onChanged: () => void }) {
  const toast = useToasts((s) => s.toast);
  const inventories = useSession((s) => s.inventories);
  const profiles = useContract('profiles.list', {}).data ?? NONE;
  const collabs = useContract('collabs.list', {}).data ?? NONE;
  const [newName, setNewName] = useState('');
  const [shareWith, setShareWith] = useState<string>('');
  const [shareEdit, setShareEdit] = useState(true);
  const [shareDelete, setShareDelete] = useState(false);
  const [editing, setEditing] = useState<{ kind: 'rename' | 'delete'; profile: Profile } | null>(null);
  const uid = useId();

  // Profile switches and deletions come back as data.changed; the other calls here are not
  // announced, so `run` refreshes these lists itself.
  const reload = () => {
    invalidateChannel('profiles.list');
    invalidateChannel('collabs.list');
  };

  const run = async (p: Promise<{ ok: boolean; error?: { message: string } }>, ok: string) => {
    const r = await p;
    if (r.ok) {
      toast({ kind: 'info', text: ok }, 3000);
      reload();
      onChanged();
    } else toast({ kind: 'error', text: r.error!.message });
  };

  const others = profiles.filter((p) => p.id !== current?.id);
  const mine = collabs.filter((c) => c.ownerId === current?.id);
  const toMe = collabs.filter((c) => c.collaboratorId === current?.id);

  return (
    <>
      <fieldset>
        <legend>Profile</legend>
        <div className="stack">
          <div className="row">
            <div className="field">
              <label htmlFor={`${uid}-profile`}>Current profile</label>
              <select
                id={`${uid}-profile`}
                value={current?.id ?? ''}
                onChange={(e) => void run(call('profiles.switch', { id: Number(e.target.value) }), 'Switched profile.')}
              >
                {profiles.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <form
              className="field"
              onSubmit={(e) => {
                e.preventDefault();
                if (!newName.trim()) return;
                void run(call('profiles.create', { name: newName }), `Created profile ${newName.trim()}.`).then(() =>
                  setNewName(''),
                );
              }}
            >
              <label htmlFor={`${uid}-newprofile`}>New profile</label>
              <div className="row" style={{ gap: 8 }}>
                <input id={`${uid}-newprofile`} type="text" value={newName} onChange={(e) => setNewName(e.target.value)} />
                <button type="submit" className="btn" disabled={!newName.trim()}>
                  Create
                </button>
              </div>
            </form>
          </div>
          <table className="simple" aria-label="Profiles">
            <thead>
              <tr>
                <th>Profile</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {profiles.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.name}
                    {p.id === current?.id && <span className="muted"> (in use)</span>}
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      className="btn"
                      aria-label={`Rename the profile ${p.name}`}
                      onClick={() => setEditing({ kind: 'rename', profile: p })}
                    >
                      Rename…
                    </button>
                    <button
                      type="button"
                      className="btn"
                      aria-label={`Delete the profile ${p.name}`}
                      disabled={profiles.length <= 1}
                      title={profiles.length <= 1 ? 'The only profile cannot be deleted' : undefined}
                      onClick={() => setEditing({ kind: 'delete', profile: p })}
                    >
                      Delete…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </fieldset>
      {editing?.kind === 'rename' && (
        <RenameProfileDialog
          profile={editing.profile}
          onClose={() => setEditing(null)}
          onDone={(p) => {
            setEditing(null);
            toast({ kind: 'info', text: `Renamed ${editing.profile.name} to ${p.name}.` }, 3000);
            reload();
            onChanged();
          }}
        />
      )}
      {editing?.kind === 'delete' && (
        <DeleteProfileDialog
          profile={editing.profile}
          onClose={() => setEditing(null)}
          onDone={(name) => {
            setEditing(null);
            toast({ kind: 'info', text: `Deleted the profile ${name}.` }, 3000);
            reload();
            onChanged();
          }}
        />
      )}
      <fieldset>
        <legend>Sharing</legend>
        <div className="stack">
          <div>
            <h2 className="sub">Inventories shared with {current?.name ?? 'this profile'}</h2>
            {inventories.filter((i) => !i.own).length === 0 && toMe.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <table className="simple">
                <thead>
                  <tr>
                    <th>Owner</th>
                    <th>May edit</th>
                    <th>May delete</th>
                    <th>
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {toMe.map((c) => (
                    <tr key={c.id}>
                      <td>{c.ownerName}</td>
                      <td>{c.canEdit ? 'yes' : 'no'}</td>
                      <td>{c.canDelete ? 'yes' : 'no'}</td>
                      <td>
                        {c.revokedAt ? (
                          <span className="muted">revoked</span>
                        ) : c.acceptedAt ? (
                          <span className="muted">accepted</span>
                        ) : (
                          <button
                            type="button"
                            className="btn"
                            onClick={() => void run(call('collabs.accept', { id: c.id }), `Accepted ${c.ownerName}'s inventory.`)}
                          >
                            Accept
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div>
            <h2 className="sub">Shared by {current?.name ?? 'this profile'}</h2>
            {mine.length === 0 ? (
              <p className="muted">Not shared with anyone.</p>
            ) : (
              <table className="simple">
                <thead>
                  <tr>
                    <th>With</th>
                    <th>May edit</th>
                    <th>May delete</th>
                    <th>
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {mine.map((c) => (
                    <tr key={c.id}>
                      <td>{c.collaboratorName}</td>
                      <td>{c.canEdit ? 'yes' : 'no'}</td>
                      <td>{c.canDelete ? 'yes' : 'no'}</td>
                      <td>
                        {c.revokedAt ? (
                          <span className="muted">revoked</span>
                        ) : (
                          <button
                            type="button"
                            className="btn"
                            aria-label={`Stop sharing with ${c.collaboratorName}`}
                            onClick={() =>
                              void run(call('collabs.revoke', { id: c.id }), `Stopped sharing with ${c.collaboratorName}.`)
                            }
                          >
                            Stop sharing
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          {others.length > 0 && (
            <form
              className="row"
              style={{ alignItems: 'flex-end' }}
              onSubmit={(e) => {
                e.preventDefault();
                if (!shareWith) return;
                void run(
                  call('collabs.grant', { collaboratorId: Number(shareWith), canEdit: shareEdit, canDelete: shareDelete }),
                  'Shared.',
                );
              }}
            >
              <div className="field">
                <label htmlFor={`${uid}-share`}>Share my inventory with</label>
                <select id={`${uid}-share`} value={shareWith} onChange={(e) => setShareWith(e.target.value)}>
                  <option value="">Choose a profile</option>
                  {others.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
              <label className="check">
                <input type="checkbox" checked={shareEdit} onChange={(e) => setShareEdit(e.target.checked)} />
                May edit
              </label>
              <label className="check">
                <input type="checkbox" checked={shareDelete} onChange={(e) => setShareDelete(e.target.checked)} />
                May delete
              </label>
              <button type="submit" className="btn" disabled={!shareWith}>
                Share
              </button>
            </form>
          )}
        </div>
      </fieldset>
    </>
  );
}

/** Pictures: whether to download them, how much disk the cache may use, and emptying it. */
function PictureSettingsSection() {
  const settings = usePictures((s) => s.settings);
  const configure = usePictures((s) => s.configure);
  const clear = usePictures((s) => s.clear);
  const toast = useToasts((s) => s.toast);
  if (!settings) return null;
  const report = (err: string | null, ok: string) =>
    err ? toast({ kind: 'error', text: `Not saved: ${err}` }) : toast({ kind: 'info', text: ok }, 2500);
  return (
    <fieldset>
      <legend>Pictures</legend>
      <div className="stack">
        <label className="check">
          <input
            type="checkbox"
            checked={settings.fetch === 'on'}
            onChange={(e) => void configure({ fetch: e.target.checked ? 'on' : 'off' }).then((err) => report(err, 'Saved.'))}
          />
          Download pictures of parts and sets from {settings.source} (Rebrickable) and keep them on this computer
        </label>
        <div className="row">
          <NumberField
            label="Picture cache size (MB)"
            value={settings.limitMb}
            min={10}
            max={10_000}
            hint="The least recently shown pictures are removed first when the cache is full."
            onCommit={(n) => void configure({ limitMb: n }).then((err) => report(err, 'Saved.'))}
          />
        </div>
        <p className="muted" data-testid="picture-usage">
          {fmtNumber(settings.files)} {settings.files === 1 ? 'picture' : 'pictures'}, {fmtBytes(settings.usedBytes)} in the
          cache. Without a picture, a part shows a block in its colour.
        </p>
        <div>
          <button
            type="button"
            className="btn"
            disabled={settings.files === 0}
            onClick={() => void clear().then((err) => report(err, 'The picture cache is empty.'))}
          >
            Empty the picture cache
          </button>
        </div>
      </div>
    </fieldset>
  );
}
