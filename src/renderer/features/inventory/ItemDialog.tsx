// Add or edit a lot: part (with the local catalogue's name), colour, quantities, location with
// suggestions, notes. Field errors from main appear at their field. Adding a part and colour
// already stored at that location asks whether to add to that lot or choose another location.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ErrorPayload } from '../../../shared/errors';
import type { CreateOutcome, Lot, Placement } from '../../../shared/types';
import { call } from '../../api';
import { ColorPicker } from '../../components/ColorPicker';
import { LotHistory } from '../history/LotHistory';
import { Dialog } from '../../components/Dialog';
import { Picture } from '../../components/Picture';
import { useContract } from '../../data/queries';
import { fmtNumber } from '../../format';
import { useDebounced } from '../../hooks';
import { useSession } from '../../stores/session';
import { useToasts } from '../../stores/toasts';
import { partInfo } from './catalog';
import { parseQty, placesText } from './form';

interface Form {
  partId: string;
  name: string;
  colorId: number | null;
  quantityTotal: string;
  quantityUsed: string;
  storageLocation: string;
  notes: string;
}

const FIELD_NAMES: Record<string, keyof Form> = {
  partId: 'partId',
  'lot.partId': 'partId',
  'patch.partId': 'partId',
  colorId: 'colorId',
  'lot.colorId': 'colorId',
  'patch.colorId': 'colorId',
  quantityTotal: 'quantityTotal',
  'lot.quantityTotal': 'quantityTotal',
  'patch.quantityTotal': 'quantityTotal',
  quantityUsed: 'quantityUsed',
  'lot.quantityUsed': 'quantityUsed',
  'patch.quantityUsed': 'quantityUsed',
  storageLocation: 'storageLocation',
  'lot.storageLocation': 'storageLocation',
  'patch.storageLocation': 'storageLocation',
  name: 'name',
  'lot.name': 'name',
  'patch.name': 'name',
  notes: 'notes',
  'lot.notes': 'notes',
  'patch.notes': 'notes',
};

const NO_LOCATIONS: string[] = [];
const NO_PLACES: Placement[] = [];

function toForm(lot: Lot | null): Form {
  return {
    partId: lot?.partId ?? '',
    name: lot?.name ?? '',
    colorId: lot?.colorId ?? null,
    quantityTotal: lot ? String(lot.quantityTotal) : '1',
    quantityUsed: lot ? String(lot.quantityUsed) : '0',
    storageLocation: lot?.storageLocation ?? '',
    notes: lot?.notes ?? '',
  };
}

export function ItemDialog({ lot, onClose }: { lot: Lot | null; onClose: () => void }) {
  const colors = useSession((s) => s.colors);
  const ownerId = useSession((s) => s.ownerId);
  const toast = useToasts((s) => s.toast);
  const [form, setForm] = useState<Form>(() => toForm(lot));
  const [errors, setErrors] = useState<Partial<Record<keyof Form, string>>>({});
  const [wait, setWait] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [duplicate, setDuplicate] = useState<Extract<CreateOutcome, { status: 'duplicate' }> | null>(null);
  const uid = useId();
  const locationRef = useRef<HTMLInputElement>(null);
  const partRef = useRef<HTMLInputElement>(null);
  const owner = ownerId !== undefined ? { ownerId } : {};

  useEffect(() => {
    partRef.current?.focus();
  }, []);

  const locations =
    useContract('inventory.locations', { ...owner, limit: 5000 }, { select: (l) => l.map((x) => x.storageLocation) }).data ??
    NO_LOCATIONS;

  // Catalogue name and "also stored in" for the part (and colour) being entered, looked up
  // once typing pauses; the last answer stays while the next one loads.
  const partId = form.partId.trim();
  const typedPart = useDebounced(partId, 200);
  const typedColor = useDebounced(form.colorId, 200);
  const shownPart = useDebounced(partId, 300);
  const lookup = useContract('catalog.lookup', { query: typedPart }, { enabled: typedPart !== '', keep: true, select: partInfo });
  // "Where is this part": with related parts on request (prints, patterns, moulds, alternates…).
  const [relatives, setRelatives] = useState(false);
  const whereIs = useContract(
    'inventory.whereIs',
    {
      ...owner,
      partId: typedPart,
      ...(typedColor !== null ? { colorId: typedColor } : {}),
      ...(relatives ? { relatives: true } : {}),
    },
    { enabled: typedPart !== '', keep: true, select: (places) => places.filter((p) => p.lotId !== lot?.id) },
  );
  const part = partId ? (lookup.data ?? null) : null;
  const places = partId ? (whereIs.data ?? NO_PLACES) : NO_PLACES;
  const elsewhere = useMemo(() => places.filter((p) => !p.related), [places]);
  const relatedPlaces = useMemo(() => places.filter((p) => p.related), [places]);

  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => ({ ...e, [k]: undefined }));
    if (k === 'storageLocation' || k === 'partId' || k === 'colorId') setDuplicate(null);
  };

  function showError(err: ErrorPayload) {
    if (err.code === 'busy') {
      // Not a mistake of the user's: an import or a catalogue update holds the database for a
      // moment. Keep what was typed and say when it can be saved.
      setErrors({});
      setFormError(null);
      return setWait(err.message);
    }
    const byField: Partial<Record<keyof Form, string>> = {};
    const rest: string[] = [];
    for (const f of err.fields ?? []) {
      const k = FIELD_NAMES[f.field];
      if (k && !byField[k]) byField[k] = f.message;
      else if (!k) rest.push(f.message);
    }
    setErrors(byField);
    if (Object.keys(byField).length === 0 || rest.length) setFormError(rest.length ? rest.join('; ') : err.message);
    else setFormError('Please correct the fields marked below.');
  }

  async function save(onDuplicate: 'ask' | 'merge' = 'ask') {
    setFormError(null);
    setWait(null);
    const local: Partial<Record<keyof Form, string>> = {};
    if (!form.partId.trim()) local.partId = 'part is required';
    if (form.colorId === null) local.colorId = 'colour is required';
    const total = parseQty(form.quantityTotal, 'total');
    const used = parseQty(form.quantityUsed, 'used');
    if (total.error) local.quantityTotal = total.error;
    if (used.error) local.quantityUsed = used.error;
    if (Object.keys(local).length) {
      setErrors(local);
      setFormError('Please correct the fields marked below.');
      return;
    }
    const values = {
      partId: form.partId.trim(),
      colorId: form.colorId!,
      quantityTotal: total.value!,
      quantityUsed: used.value!,
      storageLocation: form.storageLocation,
      name: form.name,
      notes: form.notes,
    };
    setBusy(true);
    try {
      if (lot) {
        const r = await call('inventory.update', { id: lot.id, patch: values, expectedUpdatedAt: lot.updatedAt });
        if (!r.ok) return showError(r.error);
        toast({ kind: 'info', text: `Saved ${r.data.partId} ${r.data.colorName}.` });
        onClose();
        return;
      }
      const r = await call('inventory.create', { ...owner, lot: values, onDuplicate });
      if (!r.ok) return showError(r.error);
      if (r.data.status === 'duplicate') {
        setDuplicate(r.data);
        return;
      }
      const l = r.data.lot;
      toast({
        kind: 'info',
        text:
          r.data.status === 'merged'
            ? `Added to the existing lot: now ${fmtNumber(l.quantityTotal)} of ${l.partId} ${l.colorName}.`
            : `Added ${fmtNumber(l.quantityTotal)} of ${l.partId} ${l.colorName}.`,
      });
      onClose();
    } finally {
      setBusy(false);
    }
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save('ask');
  };

  const fieldProps = (k: keyof Form) => ({
    id: `${uid}-${k}`,
    'aria-invalid': errors[k] ? true : undefined,
    'aria-describedby': errors[k] ? `${uid}-${k}-err` : undefined,
  });
  const err = (k: keyof Form) =>
    errors[k] ? (
      <span id={`${uid}-${k}-err`} className="error">
        {errors[k]}
      </span>
    ) : null;

  const formId = `${uid}-form`;
  return (
    <Dialog
      title={lot ? 'Edit lot' : 'New item'}
      onClose={onClose}
      busy={busy}
      footer={
        duplicate ? null : (
          <>
            <button type="button" className="btn" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button type="submit" form={formId} className="btn primary" disabled={busy}>
              {lot ? 'Save' : 'Add'}
            </button>
          </>
        )
      }
    >
      <form id={formId} className="stack" onSubmit={onSubmit} noValidate>
        {/^[A-Za-z0-9.-]{1,40}$/.test(shownPart) && typedColor !== null && (
          <Picture
            of={{ kind: 'part', partId: shownPart, colorId: typedColor }}
            size={96}
            className="item-picture"
            alt={`Picture of part ${shownPart}`}
          />
        )}
        {formError && (
          <div className="notice error" role="alert">
            {formError}
          </div>
        )}
        {wait && (
          <div className="notice warn" role="status" data-testid="save-wait">
            Not saved yet: {wait} What you typed is kept here.
          </div>
        )}
        <div className="row">
          <div className="field">
            <label htmlFor={`${uid}-partId`}>Part</label>
            <input
              {...fieldProps('partId')}
              ref={partRef}
              type="text"
              autoComplete="off"
              placeholder="e.g. 3001 or an element id"
              value={form.partId}
              onChange={(e) => set('partId', e.target.value)}
              onBlur={() => {
                // An element id stands for a part in one colour: fill in both.
                if (part?.resolvedPartId && part.resolvedPartId !== form.partId.trim()) {
                  set('partId', part.resolvedPartId);
                  if (part.colorId !== undefined) set('colorId', part.colorId);
                }
              }}
            />
            {err('partId') ??
              (part ? (
                <span className="hint" data-testid="part-hint">
                  {part.name}
                  {part.resolvedPartId && part.resolvedPartId !== form.partId.trim()
                    ? ` — element ${form.partId.trim()} is part ${part.resolvedPartId}${
                        part.colorId !== undefined
                          ? ` in ${colors.find((c) => c.id === part.colorId)?.name ?? `colour ${part.colorId}`}`
                          : ''
                      }`
                    : ''}
                </span>
              ) : null)}
          </div>
          <div className="field">
            <label htmlFor={`${uid}-name`}>Name</label>
            <input
              {...fieldProps('name')}
              type="text"
              placeholder={part?.name ?? 'From the catalogue when empty'}
              value={form.name}
              onChange={(e) => set('name', e.target.value)}
            />
            {err('name')}
          </div>
        </div>
        <ColorPicker
          label="Colour"
          colors={colors}
          value={form.colorId}
          onChange={(id) => set('colorId', id)}
          error={errors.colorId}
        />
        <div className="row">
          <div className="field">
            <label htmlFor={`${uid}-quantityTotal`}>Total quantity</label>
            <input
              {...fieldProps('quantityTotal')}
              type="text"
              inputMode="numeric"
              value={form.quantityTotal}
              onChange={(e) => set('quantityTotal', e.target.value)}
            />
            {err('quantityTotal')}
          </div>
          <div className="field">
            <label htmlFor={`${uid}-quantityUsed`}>Used</label>
            <input
              {...fieldProps('quantityUsed')}
              type="text"
              inputMode="numeric"
              value={form.quantityUsed}
              onChange={(e) => set('quantityUsed', e.target.value)}
            />
            {err('quantityUsed')}
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-storageLocation`}>Location</label>
          <input
            {...fieldProps('storageLocation')}
            ref={locationRef}
            type="text"
            list={`${uid}-locations`}
            autoComplete="off"
            placeholder="Box, drawer or bin"
            value={form.storageLocation}
            onChange={(e) => set('storageLocation', e.target.value)}
          />
          <datalist id={`${uid}-locations`}>
            {locations.map((l) => (
              <option key={l} value={l} />
            ))}
          </datalist>
          {err('storageLocation')}
        </div>
        <div className="field">
          <label htmlFor={`${uid}-notes`}>Notes</label>
          <textarea {...fieldProps('notes')} value={form.notes} onChange={(e) => set('notes', e.target.value)} />
          {err('notes')}
        </div>
        {elsewhere.length > 0 && !duplicate && form.colorId !== null && (
          <div className="notice warn" data-testid="elsewhere">
            Also stored in: {placesText(elsewhere)}
          </div>
        )}
        {partId !== '' && (
          <div className="field related-where">
            <label className="check">
              <input type="checkbox" checked={relatives} onChange={(e) => setRelatives(e.target.checked)} />
              Show where related parts are (prints, patterns, moulds, alternates…)
            </label>
            {relatives && whereIs.data && typedPart === partId && <RelatedPlaces places={relatedPlaces} partId={partId} />}
          </div>
        )}
      </form>
      {duplicate && (
        <div className="notice warn stack" role="alert" style={{ marginTop: 12 }}>
          <div>
            <strong>
              You already have {fmtNumber(duplicate.existing.quantityTotal)} of {duplicate.existing.partId}{' '}
              {duplicate.existing.colorName} at “{duplicate.existing.storageLocation || 'no location'}”.
            </strong>
            {duplicate.elsewhere.length > 0 && <div>Also stored in: {placesText(duplicate.elsewhere)}</div>}
          </div>
          <div className="row" style={{ gap: 8 }}>
            <button type="button" className="btn primary" disabled={busy} onClick={() => void save('merge')}>
              Add to the existing lot
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => {
                setDuplicate(null);
                setErrors({ storageLocation: 'Choose another location to keep this as a separate lot.' });
                locationRef.current?.focus();
                locationRef.current?.select();
              }}
            >
              Keep as a separate location
            </button>
          </div>
        </div>
      )}
      {lot && <LotHistory id={lot.id} />}
    </Dialog>
  );
}

/** The lots of related parts, grouped by part: “3001pr0012 — print of 3001: Drawer B (4)”. */
function RelatedPlaces({ places, partId }: { places: Placement[]; partId: string }) {
  if (places.length === 0)
    return (
      <p className="muted" data-testid="related-places">
        No related part of {partId} is stored here.
      </p>
    );
  const byPart = new Map<string, { relation: string; places: Placement[] }>();
  for (const p of places) {
    const r = p.related!;
    const g = byPart.get(r.partId) ?? { relation: r.relation, places: [] };
    g.places.push(p);
    byPart.set(r.partId, g);
  }
  return (
    <ul className="related-list" data-testid="related-places">
      {[...byPart].slice(0, 30).map(([id, g]) => (
        <li key={id}>
          <span className="part-num">{id}</span> — {g.relation}: {placesText(g.places)}
        </li>
      ))}
      {byPart.size > 30 && <li className="muted">and {byPart.size - 30} more related parts</li>}
    </ul>
  );
}
