// Export missing…: exactly the shortfall of a list, as a BrickLink wanted list (XML, BrickLink
// colour ids) or a Rebrickable part list (CSV), written where the save dialog says.
import { useId, useState } from 'react';
import type { BuildOptions, ExportMissingFormat, ExportMissingResult, ListSource, MissingLine } from '../../../shared/contract';
import { call } from '../../api';
import { Dialog } from '../../components/Dialog';
import { plural } from '../../format';
import { useToasts } from '../../stores/toasts';
import { useOwnerRef } from './owner';

const FORMATS: { v: ExportMissingFormat; label: string; ext: string }[] = [
  { v: 'bricklink-xml', label: 'BrickLink wanted list (XML)', ext: 'xml' },
  { v: 'rebrickable-csv', label: 'Rebrickable part list (CSV)', ext: 'csv' },
];

export function ExportMissingDialog(props: {
  source: ListSource;
  options: BuildOptions;
  label: string;
  fileName: string;
  missing: MissingLine[];
  onClose: () => void;
}) {
  const uid = useId();
  const owner = useOwnerRef();
  const toast = useToasts((s) => s.toast);
  const [format, setFormat] = useState<ExportMissingFormat>('bricklink-xml');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ExportMissingResult | null>(null);
  const pieces = props.missing.reduce((n, l) => n + l.missing, 0);

  async function run() {
    setError(null);
    setResult(null);
    const ext = FORMATS.find((f) => f.v === format)!.ext;
    const picked = await call('files.pickExport', { suggestedName: `${props.fileName}-missing.${ext}`, format });
    if (!picked.ok) return setError(picked.error.message);
    if (!picked.data) return;
    setBusy(true);
    const r = await call('sets.exportMissing', {
      ...owner,
      source: props.source,
      options: props.options,
      file: picked.data.token,
      format,
    });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setResult(r.data);
    toast({
      kind: 'info',
      text: r.data.complete
        ? `Nothing is missing: ${r.data.file} holds an empty list.`
        : `Wrote ${plural(r.data.lines, 'line')} (${plural(r.data.pieces, 'piece')}) to ${r.data.file}.`,
    });
  }

  return (
    <Dialog
      title={`Export missing parts of ${props.label}`}
      onClose={props.onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose} disabled={busy}>
            {result ? 'Close' : 'Cancel'}
          </button>
          <button type="button" className="btn primary" onClick={() => void run()} disabled={busy}>
            {busy ? 'Exporting…' : 'Export…'}
          </button>
        </>
      }
    >
      <div className="stack">
        <p style={{ margin: 0 }}>
          {props.missing.length === 0
            ? 'Nothing is missing: the file will hold an empty list.'
            : `Writes the ${plural(props.missing.length, 'missing line')} (${plural(pieces, 'piece')}) with the current build options.`}
        </p>
        <div className="radio-row" role="radiogroup" aria-labelledby={`${uid}-fmt`}>
          <span id={`${uid}-fmt`} className="label" style={{ fontWeight: 600 }}>
            Format
          </span>
          {FORMATS.map((f) => (
            <label key={f.v}>
              <input type="radio" name={`${uid}-format`} value={f.v} checked={format === f.v} onChange={() => setFormat(f.v)} />
              {f.label}
            </label>
          ))}
        </div>
        {error && (
          <p className="notice error" role="alert" style={{ margin: 0 }}>
            {error}
          </p>
        )}
        {result && (
          <div className="notice ok" role="status" data-testid="export-missing-result">
            {result.complete
              ? `Nothing was missing: ${result.file} holds an empty list.`
              : `Wrote ${plural(result.lines, 'line')} (${plural(result.pieces, 'piece')}) to ${result.file}.`}
            {result.skipped.length > 0 && (
              <>
                {' '}
                Left out, with no BrickLink colour:
                <ul>
                  {result.skipped.map((s) => (
                    <li key={`${s.partId}|${s.colorId}`}>
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
