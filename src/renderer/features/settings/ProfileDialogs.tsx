// Renaming and deleting a profile. Delete says first what goes with the profile (its lots, who
// its inventory is shared with, the sharings it receives) and, when lots would go, asks for the
// profile's name to be typed.
import { useEffect, useId, useRef, useState } from 'react';
import { LIMITS } from '../../../shared/contract';
import type { Profile } from '../../../shared/types';
import { call } from '../../api';
import { Dialog } from '../../components/Dialog';
import { useContract } from '../../data/queries';
import { fmtNumber, plural } from '../../format';

/** "Anna", "Anna and Ben", "Anna, Ben and Cleo" */
function names(list: string[]): string {
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

export function RenameProfileDialog(props: { profile: Profile; onClose: () => void; onDone: (p: Profile) => void }) {
  const id = useId();
  const [name, setName] = useState(props.profile.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const unchanged = name.trim() === props.profile.name;
  const input = useRef<HTMLInputElement>(null);
  // After the dialog opened (its effect runs first), so the browser's own focus does not win.
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  async function save() {
    if (!name.trim() || unchanged) return;
    setBusy(true);
    const r = await call('profiles.rename', { id: props.profile.id, name });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    props.onDone(r.data);
  }

  return (
    <Dialog
      title="Rename profile"
      onClose={props.onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form={`${id}-form`} className="btn primary" disabled={busy || !name.trim() || unchanged}>
            Rename
          </button>
        </>
      }
    >
      <form
        id={`${id}-form`}
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label htmlFor={`${id}-name`}>New name for “{props.profile.name}”</label>
        <input
          id={`${id}-name`}
          ref={input}
          type="text"
          value={name}
          maxLength={LIMITS.profileName}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
        />
        {error && (
          <span id={`${id}-err`} className="error" role="alert">
            {error}
          </span>
        )}
      </form>
    </Dialog>
  );
}

export function DeleteProfileDialog(props: { profile: Profile; onClose: () => void; onDone: (name: string) => void }) {
  const id = useId();
  const impactQuery = useContract('profiles.impact', { id: props.profile.id });
  const impact = impactQuery.data;
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = props.profile.name;
  const needsTyping = (impact?.lots ?? 0) > 0;
  const confirmed = !!impact && !impact.last && (!needsTyping || typed.trim() === name);

  async function remove() {
    if (!confirmed) return;
    setBusy(true);
    const r = await call('profiles.delete', { id: props.profile.id });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    props.onDone(name);
  }

  return (
    <Dialog
      title={`Delete the profile ${name}?`}
      role="alertdialog"
      onClose={props.onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose} autoFocus={!needsTyping}>
            Cancel
          </button>
          <button type="submit" form={`${id}-form`} className="btn danger" disabled={busy || !confirmed}>
            {needsTyping && impact ? `Delete ${name} and ${plural(impact.lots, 'lot')}` : `Delete ${name}`}
          </button>
        </>
      }
    >
      {impactQuery.error ? (
        <p className="notice error" role="alert" style={{ margin: 0 }}>
          {impactQuery.error.message}
        </p>
      ) : !impact ? (
        <p className="muted">Looking at what the profile holds…</p>
      ) : impact.last ? (
        <p style={{ margin: 0 }}>{name} is the only profile, and BlockShelf needs one: create another profile first.</p>
      ) : (
        <form
          id={`${id}-form`}
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void remove();
          }}
        >
          <ul className="impact" data-testid="profile-impact">
            <li>
              {impact.lots === 0
                ? `${name} holds no lots.`
                : `Its ${plural(impact.lots, 'lot')} (${fmtNumber(impact.quantityTotal)} ${
                    impact.quantityTotal === 1 ? 'part' : 'parts'
                  }) are deleted with it.`}
            </li>
            <li>
              {impact.sharedWith.length === 0
                ? 'Its inventory is not shared with anyone.'
                : `Its inventory is shared with ${names(impact.sharedWith)}: ${
                    impact.sharedWith.length === 1 ? 'that profile loses' : 'they lose'
                  } it.`}
            </li>
            {impact.sharedWithIt.length > 0 && (
              <li>
                {`The ${impact.sharedWithIt.length === 1 ? 'inventory' : 'inventories'} ${names(
                  impact.sharedWithIt,
                )} shared with it stay with their owners; only the sharing ends.`}
              </li>
            )}
            {impact.current && <li>It is the profile in use: BlockShelf switches to another profile.</li>}
            <li>Its preferences are deleted too. A backup made before keeps everything.</li>
          </ul>
          {needsTyping && (
            <div className="field">
              <label htmlFor={`${id}-confirm`}>Type “{name}” to delete it with its lots</label>
              <input
                id={`${id}-confirm`}
                type="text"
                value={typed}
                autoFocus
                autoComplete="off"
                onChange={(e) => setTyped(e.target.value)}
              />
            </div>
          )}
          {error && (
            <p className="notice error" role="alert" style={{ margin: 0 }}>
              {error}
            </p>
          )}
        </form>
      )}
    </Dialog>
  );
}
