// Part out…: add a list's parts (× copies, spares if asked) to one location, merging with the
// lots of the same part, colour and location. The location field suggests the locations the
// inventory already has.
import { useEffect, useId, useRef, useState } from 'react';
import type { ListSource } from '../../../shared/contract';
import { call } from '../../api';
import { Dialog } from '../../components/Dialog';
import { useContract } from '../../data/queries';
import { plural } from '../../format';
import { useToasts } from '../../stores/toasts';
import { useOwnerRef } from './owner';

const NO_LOCATIONS: { storageLocation: string; lots: number }[] = [];

export function PartOutDialog(props: {
  source: ListSource;
  label: string;
  sourceId: string;
  forSet: boolean;
  /** Lines of the list that could not be matched (they are left out). */
  unmatched: number;
  onClose: () => void;
}) {
  const uid = useId();
  const owner = useOwnerRef();
  const toast = useToasts((s) => s.toast);
  const locations = useContract('inventory.locations', { ...owner, limit: 5000 }).data ?? NO_LOCATIONS;
  const [location, setLocation] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [spares, setSpares] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [locationError, setLocationError] = useState<string | null>(null);
  const [quantityError, setQuantityError] = useState<string | null>(null);
  // After the dialog opened (its effect runs first, and showModal focuses its first button).
  const locationRef = useRef<HTMLInputElement>(null);
  useEffect(() => locationRef.current?.focus(), []);

  async function submit() {
    const loc = location.trim();
    const q = quantity.trim();
    const n = Number(q);
    const qErr = /^\d+$/.test(q) && n >= 1 && n <= 1000 ? null : 'Enter a whole number from 1 to 1000.';
    const lErr = loc ? null : 'Enter the location the parts go to.';
    setQuantityError(qErr);
    setLocationError(lErr);
    if (qErr || lErr) return;
    setBusy(true);
    setError(null);
    const r = await call('sets.partOut', {
      ...owner,
      source: props.source,
      location: loc,
      options: { quantity: n, ...(spares ? { spares: true } : {}) },
      ...(props.unmatched ? { skipUnmatched: true } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    const d = r.data;
    toast({
      kind: 'info',
      text: `Parted out ${props.sourceId}${n > 1 ? ` × ${n}` : ''} into ${d.location}: ${plural(d.pieces, 'piece')}, ${plural(d.created, 'new lot')}, ${plural(d.merged, 'lot')} grown.`,
    });
    props.onClose();
  }

  return (
    <Dialog
      title={`Part out ${props.label}`}
      onClose={props.onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={`${uid}-form`} className="btn primary" disabled={busy}>
            {busy ? 'Parting out…' : 'Part out'}
          </button>
        </>
      }
    >
      <form
        id={`${uid}-form`}
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="muted" style={{ margin: 0 }}>
          Adds every part of the list to one location; a lot of the same part and colour there grows.
        </p>
        <div className="field">
          <label htmlFor={`${uid}-loc`}>Location</label>
          <input
            id={`${uid}-loc`}
            type="text"
            ref={locationRef}
            list={`${uid}-locs`}
            value={location}
            maxLength={200}
            aria-invalid={locationError ? true : undefined}
            aria-describedby={locationError ? `${uid}-loc-err` : `${uid}-loc-hint`}
            onChange={(e) => setLocation(e.target.value)}
          />
          <datalist id={`${uid}-locs`}>
            {locations.map((l) => (
              <option key={l.storageLocation} value={l.storageLocation} />
            ))}
          </datalist>
          {locationError ? (
            <span id={`${uid}-loc-err`} className="error">
              {locationError}
            </span>
          ) : (
            <span id={`${uid}-loc-hint`} className="hint">
              A box or drawer you have, or a new one.
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${uid}-qty`}>Copies</label>
          <input
            id={`${uid}-qty`}
            type="number"
            min={1}
            max={1000}
            step={1}
            value={quantity}
            aria-invalid={quantityError ? true : undefined}
            aria-describedby={quantityError ? `${uid}-qty-err` : undefined}
            onChange={(e) => setQuantity(e.target.value)}
          />
          {quantityError && (
            <span id={`${uid}-qty-err`} className="error">
              {quantityError}
            </span>
          )}
        </div>
        <label className="check">
          <input type="checkbox" checked={spares} onChange={(e) => setSpares(e.target.checked)} />
          Include the spare parts
        </label>
        {props.unmatched > 0 && (
          <p className="notice warn" style={{ margin: 0 }}>
            {plural(props.unmatched, 'line')} of the list could not be matched and will be left out.
          </p>
        )}
        {error && (
          <p className="notice error" role="alert" style={{ margin: 0 }}>
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
