// Storage labels: pick a location (or the selected lot, or the parts of the set whose page is
// open) and a label stock, see the first page as it will print (drawn from the same layout numbers as the PDF), then save the PDF or print it.
import { useState } from 'react';
import type { Input, LabelItem } from '../../../shared/contract';
import { LABEL_LAYOUTS, LABEL_LAYOUT_IDS, labelGeometry, labelPlace, type LabelLayoutId } from '../../../shared/labels';
import type { Lot } from '../../../shared/types';
import { call } from '../../api';
import { Dialog } from '../../components/Dialog';
import { Picture } from '../../components/Picture';
import { useContract } from '../../data/queries';
import { fmtNumber, plural } from '../../format';
import { useToasts } from '../../stores/toasts';

type Selection = Input<'labels.create'>['selection'];

export function LabelsDialog(props: {
  ownerId: number | undefined;
  locations: { storageLocation: string; lots: number }[];
  initialLocation: string | undefined;
  selectedLot: Lot | undefined;
  /** The set whose page opened the dialog: its parts are the first choice. */
  set?: { setNum: string; name: string } | undefined;
  onClose: () => void;
}) {
  const toast = useToasts((s) => s.toast);
  const [what, setWhat] = useState<'location' | 'lot' | 'set'>(props.set ? 'set' : 'location');
  const [location, setLocation] = useState(props.initialLocation ?? props.locations[0]?.storageLocation ?? '');
  const [layout, setLayout] = useState<LabelLayoutId>('avery-5167');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const owner = props.ownerId !== undefined ? { ownerId: props.ownerId } : {};
  const selection: Selection =
    what === 'set' && props.set
      ? { ...owner, setNum: props.set.setNum }
      : what === 'lot' && props.selectedLot
        ? { ...owner, lotIds: [props.selectedLot.id] }
        : { ...owner, location };
  const preview = useContract('labels.preview', { selection, layout }, { keep: true });

  async function save() {
    setBusy(true);
    setProblem(null);
    try {
      const name =
        what === 'set'
          ? `labels-${props.set?.setNum ?? 'set'}.pdf`
          : what === 'lot'
            ? `labels-${props.selectedLot?.partId ?? 'lot'}.pdf`
            : `labels-${location || 'no-location'}.pdf`;
      const picked = await call('labels.pickSave', { suggestedName: name.replace(/[^\w.-]+/g, '_') });
      if (!picked.ok) return setProblem(picked.error.message);
      if (!picked.data) return;
      const r = await call('labels.create', { selection, layout, file: picked.data.token });
      if (!r.ok) return setProblem(r.error.message);
      toast({
        kind: 'info',
        text: `Saved ${plural(r.data.labels, 'label')} (${plural(r.data.pages, 'page')}) to ${picked.data.name}.`,
      });
      props.onClose();
    } finally {
      setBusy(false);
    }
  }

  async function print() {
    setBusy(true);
    setProblem(null);
    try {
      const r = await call('labels.print', { selection, layout });
      if (!r.ok) return setProblem(r.error.message);
      if (r.data.printed) toast({ kind: 'info', text: `Sent ${plural(r.data.labels, 'label')} to the printer.` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Print labels"
      wide
      busy={busy}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose} disabled={busy}>
            Close
          </button>
          <button type="button" className="btn" onClick={() => void print()} disabled={busy || !preview.data}>
            Print…
          </button>
          <button type="button" className="btn primary" onClick={() => void save()} disabled={busy || !preview.data}>
            Save PDF…
          </button>
        </>
      }
    >
      <div className="row">
        <div className="field">
          <span className="label" id="labels-what">
            Labels for
          </span>
          <div className="radio-row" role="radiogroup" aria-labelledby="labels-what">
            {props.set && (
              <label>
                <input type="radio" name="labels-what" checked={what === 'set'} onChange={() => setWhat('set')} />
                The parts of {props.set.setNum} {props.set.name}
              </label>
            )}
            <label>
              <input
                type="radio"
                name="labels-what"
                checked={what === 'location'}
                disabled={props.locations.length === 0}
                onChange={() => {
                  setWhat('location');
                  if (!props.locations.some((l) => l.storageLocation === location))
                    setLocation(props.locations[0]?.storageLocation ?? '');
                }}
              />
              A location
            </label>
            <label>
              <input
                type="radio"
                name="labels-what"
                checked={what === 'lot'}
                disabled={!props.selectedLot}
                onChange={() => setWhat('lot')}
              />
              The selected lot{props.selectedLot ? ` (${props.selectedLot.partId}, ${props.selectedLot.colorName})` : ''}
            </label>
          </div>
        </div>
        {what === 'location' && (
          <div className="field">
            <label htmlFor="labels-location">Location</label>
            <select id="labels-location" value={location} onChange={(e) => setLocation(e.target.value)}>
              {props.locations.map((l) => (
                <option key={l.storageLocation} value={l.storageLocation}>
                  {l.storageLocation || '(no location)'} ({fmtNumber(l.lots)})
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="labels-layout">Label stock</label>
          <select id="labels-layout" value={layout} onChange={(e) => setLayout(e.target.value as LabelLayoutId)}>
            {LABEL_LAYOUT_IDS.map((id) => (
              <option key={id} value={id}>
                {LABEL_LAYOUTS[id].title}
              </option>
            ))}
          </select>
        </div>
      </div>
      {problem && (
        <p className="notice error" role="alert">
          {problem}
        </p>
      )}
      {preview.error ? (
        <p className="notice warn">{preview.error.message}</p>
      ) : preview.data ? (
        <>
          <p className="muted" data-testid="labels-summary">
            {fmtNumber(preview.data.count)} {preview.data.count === 1 ? 'label' : 'labels'} on {preview.data.pages}{' '}
            {preview.data.pages === 1 ? 'page' : 'pages'}. The first page:
          </p>
          <LabelSheet layout={preview.data.layout} items={preview.data.firstPage} />
        </>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </Dialog>
  );
}

/** The first page, drawn with the PDF's own numbers (points, scaled to fit). */
function LabelSheet({ layout: id, items }: { layout: LabelLayoutId; items: LabelItem[] }) {
  const layout = LABEL_LAYOUTS[id];
  const g = labelGeometry(layout);
  const width = Math.min(560, layout.page.w * 1.4);
  const k = width / layout.page.w;
  const px = (pt: number) => `${pt * k}px`;
  return (
    <div
      className="label-sheet"
      role="img"
      aria-label={`Preview of the first page: ${items.length} ${items.length === 1 ? 'label' : 'labels'}`}
      style={{ width: px(layout.page.w), height: px(layout.page.h) }}
    >
      {items.map((item, i) => {
        const at = labelPlace(layout, i);
        const line = (top: number) => ({
          top: px(top),
          left: px(g.text.x),
          width: px(g.text.w),
          height: px(g.lineHeight),
          fontSize: px(g.fontSize),
          lineHeight: px(g.lineHeight),
        });
        return (
          <div
            key={`${i}|${item.partId}|${item.colorId}`}
            className="label-cell"
            data-testid="label-cell"
            style={{ left: px(at.x), top: px(at.y), width: px(layout.cell.w), height: px(layout.cell.h) }}
          >
            <span style={{ position: 'absolute', left: px(g.picture.x), top: px(g.picture.y) }}>
              <Picture of={{ kind: 'part', partId: item.partId, colorId: item.colorId }} size={g.picture.size * k} />
            </span>
            <span className="label-line strong" style={line(g.lineTop.part)}>
              {item.partId}
            </span>
            <span className="label-line" style={line(g.lineTop.name)} title={item.name}>
              {item.name}
            </span>
            <span className="label-line" style={line(g.lineTop.color)}>
              <span
                className="label-swatch"
                style={{
                  width: px(g.swatch.size),
                  height: px(g.swatch.size),
                  marginRight: px(g.swatch.gap),
                  background: /^[0-9a-f]{6}$/i.test(item.rgb) ? `#${item.rgb}` : 'transparent',
                }}
              />
              {item.colorName}
            </span>
            <span className="label-line" style={line(g.lineTop.location)}>
              {item.location || (item.lotId === null ? '' : '(no location)')}
            </span>
          </div>
        );
      })}
    </div>
  );
}
