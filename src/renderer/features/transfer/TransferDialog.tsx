// Import and export. Import: pick a file → what it is (format, columns; map them when unsure)
// → preview of what applying would do (new, merged, invalid rows with file/row/field) → apply
// (after a backup) → result. Export: format and scope → pick where to save → result.
// Long steps show progress and can be cancelled; nothing is half-applied. While an import
// applies, the dialog can be closed: the import goes on in the background (the status line under
// the header shows it and can cancel it), and a toast says how it ended.
import { useEffect, useEffectEvent, useId, useMemo, useRef, useState } from 'react';
import type {
  ColumnMapping,
  ExportFormat,
  ExportResult,
  FileRef,
  ImportDetection,
  ImportFormat,
  ImportMode,
  ImportPreview,
  ImportResult,
  MappableField,
} from '../../../shared/contract/transfer';
import { EXPORT_FORMATS, IMPORT_FORMATS, MAPPABLE_FIELDS } from '../../../shared/contract/transfer';
import { call, onEvent } from '../../api';
import { Dialog } from '../../components/Dialog';
import { fmtNumber, plural } from '../../format';
import { useSession } from '../../stores/session';
import { toast } from '../../stores/toasts';
import { useUi, type TransferIntent } from '../../stores/ui';

const FORMAT_LABELS: Record<ImportFormat | ExportFormat, string> = {
  'rebrickable-csv': 'Rebrickable part list (CSV)',
  'blockshelf-csv': 'BlockShelf CSV',
  csv: 'Other CSV (map the columns)',
  xlsx: 'Excel workbook (XLSX)',
  'bricklink-xml': 'BrickLink XML (wanted list / inventory)',
  bsx: 'BrickStore (BSX)',
};

const FIELD_LABELS: Record<MappableField, string> = {
  part: 'Part',
  color: 'Colour',
  quantity: 'Quantity',
  used: 'Used quantity',
  isUsed: 'Is used (true/false)',
  location: 'Location',
  name: 'Name',
  notes: 'Notes',
  imageUrl: 'Image address',
};

let jobSeq = 0;
const newJobId = () => `ui-${Date.now().toString(36)}-${++jobSeq}`;

function useJobProgress() {
  const [job, setJob] = useState<{ id: string; phase: string; done: number; total: number | null } | null>(null);
  const jobId = useRef<string | null>(null);
  useEffect(
    () =>
      onEvent('import.progress', (p) => {
        if (p.id === jobId.current) setJob(p);
      }),
    [],
  );
  return {
    job,
    start: (id = newJobId()) => {
      jobId.current = id;
      setJob({ id, phase: 'start', done: 0, total: null });
      return id;
    },
    stop: () => {
      jobId.current = null;
      setJob(null);
    },
    cancel: () => {
      if (jobId.current) void call('import.cancel', { jobId: jobId.current });
    },
  };
}

function Progress({
  job,
  onCancel,
  label,
}: {
  job: { phase: string; done: number; total: number | null };
  onCancel: () => void;
  label: string;
}) {
  const pct = job.total ? Math.min(100, (100 * job.done) / job.total) : null;
  return (
    <div className="stack" style={{ gap: 4 }}>
      <div
        className="progress"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(pct !== null ? { 'aria-valuenow': Math.round(pct) } : {})}
      >
        <span style={{ width: `${pct ?? 35}%` }} />
      </div>
      <div className="row" style={{ alignItems: 'center' }}>
        <span className="muted" style={{ flex: 1 }}>
          {job.phase}… {fmtNumber(job.done)}
          {job.total ? ` of ${fmtNumber(job.total)}` : ''}
        </span>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export function TransferDialog({ intent, onClose }: { intent: TransferIntent; onClose: () => void }) {
  return intent === 'import' ? <ImportWizard onClose={onClose} /> : <ExportDialog onClose={onClose} />;
}

function ImportWizard({ onClose }: { onClose: () => void }) {
  const ownerId = useSession((s) => s.ownerId);
  const uid = useId();
  const [file, setFile] = useState<FileRef | null>(null);
  const [detection, setDetection] = useState<ImportDetection | null>(null);
  const [format, setFormat] = useState<ImportFormat | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [mode, setMode] = useState<ImportMode>('add');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [applying, setApplying] = useState(false);
  const progress = useJobProgress();
  const started = useRef(false);
  /** Closed while the import applies: it goes on, and a toast tells how it ended. */
  const background = useRef(false);

  async function pick() {
    setError(null);
    const r = await call('files.pickImport', { title: 'Import parts' });
    if (!r.ok) return setError(r.error.message);
    if (!r.data) return;
    setFile(r.data);
    setPreview(null);
    setResult(null);
    await detect(r.data, undefined);
  }

  async function detect(f: FileRef, fmt: ImportFormat | undefined) {
    setBusy(true);
    const r = await call('import.detect', { file: f.token, ...(fmt ? { format: fmt } : {}) });
    setBusy(false);
    if (!r.ok) {
      setDetection(null);
      return setError(`${f.name}: ${r.error.message}`);
    }
    setError(null);
    setDetection(r.data);
    setFormat(r.data.format);
    setMapping(r.data.mapping);
  }

  async function runPreview() {
    if (!file || !format) return;
    setBusy(true);
    setError(null);
    const jobId = progress.start();
    const r = await call('import.preview', {
      ...(ownerId !== undefined ? { ownerId } : {}),
      file: file.token,
      format,
      mapping,
      mode,
      jobId,
    });
    progress.stop();
    setBusy(false);
    if (!r.ok) return setError(r.error.code === 'cancelled' ? 'Stopped. Nothing was imported.' : r.error.message);
    setPreview(r.data);
  }

  async function apply() {
    if (!preview) return;
    setBusy(true);
    setApplying(true);
    setError(null);
    // The apply reports progress (and is cancelled) under the preview's id.
    progress.start(preview.importId);
    const r = await call('import.apply', { importId: preview.importId, mode, skipInvalid });
    if (background.current) {
      if (r.ok) toast({ kind: 'info', text: importedText(r.data) }, 10_000);
      else if (r.error.code === 'cancelled')
        toast({ kind: 'info', text: `Import of ${preview.file} stopped. Nothing was imported.` });
      else toast({ kind: 'error', text: `Import of ${preview.file} failed: ${r.error.message}` }, 0);
      return;
    }
    progress.stop();
    setBusy(false);
    setApplying(false);
    if (!r.ok) return setError(r.error.code === 'cancelled' ? 'Stopped. Nothing was imported.' : r.error.message);
    setResult(r.data);
  }

  /** Closing: an import that applies goes on in the background; anything else is stopped. */
  function close() {
    if (applying) background.current = true;
    else {
      progress.cancel();
      if (preview && !result) void call('import.cancel', { jobId: preview.importId });
    }
    onClose();
  }

  // The wizard opens on the file picker, once.
  const pickOnOpen = useEffectEvent(() => void pick());
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    pickOnOpen();
  }, []);

  const missing = useMemo(() => {
    const need: MappableField[] = ['part', 'color', 'quantity'];
    return need.filter((f) => mapping[f] === undefined || mapping[f] === null);
  }, [mapping]);
  const tabular = format === 'csv' || format === 'xlsx' || format === 'rebrickable-csv' || format === 'blockshelf-csv';
  const showMapping = !!detection && tabular && (!detection.confident || format === 'csv' || format === 'xlsx');
  const blocked = !!preview && preview.invalidCount > 0 && !skipInvalid;

  return (
    <Dialog
      title="Import parts"
      wide
      onClose={close}
      footer={
        result ? (
          <button type="button" className="btn primary" onClick={onClose}>
            Done
          </button>
        ) : applying ? (
          <button type="button" className="btn primary" onClick={close}>
            Continue in the background
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={close}>
              Cancel
            </button>
            {!preview ? (
              <button
                type="button"
                className="btn primary"
                disabled={!detection || busy || (tabular && missing.length > 0)}
                onClick={() => void runPreview()}
              >
                Check the file
              </button>
            ) : (
              <button
                type="button"
                className="btn primary"
                disabled={busy || blocked || preview.valid === 0}
                onClick={() => void apply()}
              >
                Import {fmtNumber(skipInvalid ? preview.valid : preview.rows)} rows
              </button>
            )}
          </>
        )
      }
    >
      <div className="stack">
        <div className="row" style={{ alignItems: 'center' }}>
          <span style={{ flex: 1 }} data-testid="import-file">
            {file ? (
              <>
                <strong>{file.name}</strong>
                {file.size !== null && <span className="muted"> ({fmtNumber(file.size)} bytes)</span>}
              </>
            ) : (
              <span className="muted">No file chosen.</span>
            )}
          </span>
          <button type="button" className="btn" onClick={() => void pick()} disabled={busy}>
            {file ? 'Choose another file…' : 'Choose a file…'}
          </button>
        </div>
        {error && (
          <p className="notice error" role="alert" style={{ margin: 0 }}>
            {error}
          </p>
        )}
        {progress.job && <Progress job={progress.job} label="Import progress" onCancel={progress.cancel} />}
        {applying && (
          <p className="muted" style={{ margin: 0 }}>
            You can close this window and go on browsing: the import goes on, its progress stays under the toolbar, and the
            inventory refreshes when it is in.
          </p>
        )}
        {detection && !result && !applying && (
          <div className="row">
            <div className="field">
              <label htmlFor={`${uid}-format`}>Format</label>
              <select
                id={`${uid}-format`}
                value={format ?? ''}
                onChange={(e) => {
                  const f = e.target.value as ImportFormat;
                  setFormat(f);
                  setPreview(null);
                  if (file) void detect(file, f);
                }}
              >
                {IMPORT_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {FORMAT_LABELS[f]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <span className="label" id={`${uid}-mode`}>
                Lots already in the inventory
              </span>
              <div className="radio-row" role="radiogroup" aria-labelledby={`${uid}-mode`}>
                <label>
                  <input
                    type="radio"
                    name={`${uid}-mode`}
                    checked={mode === 'add'}
                    onChange={() => (setMode('add'), setPreview(null))}
                  />
                  Add the quantities
                </label>
                <label>
                  <input
                    type="radio"
                    name={`${uid}-mode`}
                    checked={mode === 'replace'}
                    onChange={() => (setMode('replace'), setPreview(null))}
                  />
                  Replace the quantities
                </label>
              </div>
            </div>
          </div>
        )}
        {detection && detection.notes.length > 0 && !result && (
          <ul className="muted" style={{ margin: 0 }}>
            {detection.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        {showMapping && !result && detection && (
          <fieldset className="stack" style={{ border: '1px solid var(--border)', borderRadius: 6, padding: 12 }}>
            <legend>Which column holds what?</legend>
            <div className="row" style={{ flexWrap: 'wrap' }}>
              {MAPPABLE_FIELDS.map((f) => (
                <div className="field" key={f} style={{ minWidth: 180 }}>
                  <label htmlFor={`${uid}-map-${f}`}>{FIELD_LABELS[f]}</label>
                  <select
                    id={`${uid}-map-${f}`}
                    value={mapping[f] ?? ''}
                    aria-invalid={missing.includes(f) ? true : undefined}
                    onChange={(e) => {
                      setMapping((m) => ({ ...m, [f]: e.target.value === '' ? null : Number(e.target.value) }));
                      setPreview(null);
                    }}
                  >
                    <option value="">(not in the file)</option>
                    {detection.headers.map((h, i) => (
                      <option key={i} value={i}>
                        {h || `Column ${i + 1}`}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </div>
            {missing.length > 0 && (
              <p className="notice warn" style={{ margin: 0 }}>
                Choose the columns for: {missing.map((f) => FIELD_LABELS[f]).join(', ')}.
              </p>
            )}
          </fieldset>
        )}
        {preview && !result && (
          <div className="stack" data-testid="import-preview">
            <p className="notice ok" style={{ margin: 0 }}>
              {plural(preview.rows, 'row')} read: {plural(preview.newLots, 'new lot')},{' '}
              {plural(preview.mergedLots, 'matching lot')} already in the inventory (
              {mode === 'add' ? 'quantities are added' : 'quantities are replaced'}). If BlockShelf already holds lots, a backup
              is made first.
            </p>
            {preview.invalidCount > 0 && (
              <div className="notice error" role="alert">
                {fmtNumber(preview.invalidCount)} {preview.invalidCount === 1 ? 'row cannot' : 'rows cannot'} be imported:
                <ul>
                  {preview.invalid.slice(0, 12).map((p) => (
                    <li key={`${p.row}-${p.field}`}>
                      {p.file}, row {p.row}, {p.field}: {p.reason}
                    </li>
                  ))}
                  {preview.invalidCount > 12 && <li>and {fmtNumber(preview.invalidCount - 12)} more</li>}
                </ul>
                <label className="check">
                  <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />
                  Import the {fmtNumber(preview.valid)} good rows and leave these out
                </label>
              </div>
            )}
            {preview.nonParts.length > 0 && (
              <p className="notice warn" style={{ margin: 0 }}>
                Not parts, left out:{' '}
                {preview.nonParts
                  .slice(0, 8)
                  .map((n) => `${n.type} ${n.itemId}`)
                  .join(', ')}
                {preview.nonParts.length > 8 ? ` and ${preview.nonParts.length - 8} more` : ''}.
              </p>
            )}
            {preview.unknownParts.length > 0 && (
              <p className="muted" style={{ margin: 0 }}>
                {fmtNumber(preview.unknownParts.length)} part numbers are not in the parts catalogue (they are imported anyway).
              </p>
            )}
          </div>
        )}
        {result && (
          <p className="notice ok" role="status" style={{ margin: 0 }}>
            {importedText(result)}
          </p>
        )}
      </div>
    </Dialog>
  );
}

function importedText(result: ImportResult): string {
  return (
    `Imported ${result.file}: ${plural(result.created, 'new lot')}, ${fmtNumber(result.merged)} added to existing lots` +
    (result.replaced ? `, ${fmtNumber(result.replaced)} replaced` : '') +
    (result.skippedInvalid ? `, ${fmtNumber(result.skippedInvalid)} invalid rows left out` : '') +
    '.' +
    (result.backup ? ` The inventory from before is kept as backup ${result.backup}.` : '')
  );
}

function ExportDialog({ onClose }: { onClose: () => void }) {
  const ownerId = useSession((s) => s.ownerId);
  const view = useUi((s) => s.inventoryQuery);
  const uid = useId();
  const [format, setFormat] = useState<ExportFormat>('blockshelf-csv');
  const [scope, setScope] = useState<'all' | 'view'>('all');
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const progress = useJobProgress();
  const filtered = !!view && (view.search.trim() !== '' || view.location !== undefined || view.colorId !== undefined);

  async function run() {
    setError(null);
    setResult(null);
    const ext = format === 'xlsx' ? 'xlsx' : format === 'bricklink-xml' ? 'xml' : 'csv';
    const stamp = new Date().toISOString().slice(0, 10);
    const picked = await call('files.pickExport', { suggestedName: `BlockShelf-${stamp}.${ext}`, format });
    if (!picked.ok) return setError(picked.error.message);
    if (!picked.data) return;
    setBusy(true);
    const jobId = progress.start();
    const r = await call('export.run', {
      ...(ownerId !== undefined ? { ownerId } : {}),
      file: picked.data.token,
      format,
      ...(scope === 'view' && view
        ? {
            filter: {
              ...(view.search.trim() ? { search: view.search } : {}),
              ...(view.location !== undefined ? { location: view.location } : {}),
              ...(view.colorId !== undefined ? { colorId: view.colorId } : {}),
              sort: view.sort,
              dir: view.dir,
            },
          }
        : {}),
      jobId,
    });
    progress.stop();
    setBusy(false);
    if (!r.ok) return setError(r.error.code === 'cancelled' ? 'Stopped; no file was written.' : r.error.message);
    setResult(r.data);
  }

  return (
    <Dialog
      title="Export parts"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {result ? 'Done' : 'Cancel'}
          </button>
          {!result && (
            <button type="button" className="btn primary" disabled={busy} onClick={() => void run()}>
              Choose where to save…
            </button>
          )}
        </>
      }
    >
      <div className="stack">
        <div className="field">
          <label htmlFor={`${uid}-format`}>Format</label>
          <select id={`${uid}-format`} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
          {format === 'bricklink-xml' && <span className="hint">Colours without a BrickLink id are left out and listed.</span>}
        </div>
        <div className="field">
          <span className="label" id={`${uid}-scope`}>
            What to export
          </span>
          <div className="radio-row" role="radiogroup" aria-labelledby={`${uid}-scope`}>
            <label>
              <input type="radio" name={`${uid}-scope`} checked={scope === 'all'} onChange={() => setScope('all')} />
              The whole inventory
            </label>
            <label>
              <input
                type="radio"
                name={`${uid}-scope`}
                checked={scope === 'view'}
                disabled={!filtered}
                onChange={() => setScope('view')}
              />
              Only the lots shown now{filtered ? '' : ' (no search or filter set)'}
            </label>
          </div>
        </div>
        {progress.job && <Progress job={progress.job} label="Export progress" onCancel={progress.cancel} />}
        {error && (
          <p className="notice error" role="alert" style={{ margin: 0 }}>
            {error}
          </p>
        )}
        {result && (
          <div className="notice ok" role="status">
            Wrote {plural(result.rows, 'row')} ({plural(result.lots, 'lot')}) to {result.file}.
            {result.skipped.length > 0 && (
              <>
                {' '}
                {fmtNumber(result.skipped.length)} lots were left out:
                <ul>
                  {result.skipped.slice(0, 10).map((s) => (
                    <li key={`${s.partId}-${s.colorId}`}>
                      {s.partId} (colour {s.colorId}): {s.reason}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
      </div>
    </Dialog>
  );
}
