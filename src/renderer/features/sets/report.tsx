// The parts of a "can I build it?" report shown on a set's page and for a file: the owned
// figures with a bar, the build options, the missing table, the pick list and the lines that
// could not be matched. Every figure is written out: the bar only repeats it. The missing table
// and the pick list show a small picture of each part once the report has rested (like the
// inventory's rows), so toggling options never queues picture requests.
import { useId, useState, type ReactNode } from 'react';
import type { BuildReport, MissingLine, PickLine, UnmatchedLine } from '../../../shared/contract';
import { Picture } from '../../components/Picture';
import { Swatch } from '../../components/Swatch';
import { fmtNumber, plural } from '../../format';
import { useSession } from '../../stores/session';
import type { MatchOptions } from '../../stores/sets';

/** "44.4 %": one decimal, rounded, but never 100 % before the last piece nor 0 % after the first. */
export function fmtPct(pct: number): string {
  if (pct >= 100) return '100 %';
  if (pct <= 0) return '0 %';
  const r = Math.min(99.9, Math.max(0.1, Math.round(pct * 10) / 10));
  return `${r.toFixed(1)} %`;
}

/** The owned share as a bar with its figures in words beside it. */
export function PctBar(props: { needed: number; owned: number; pct: number; label: string; compact?: boolean }) {
  const { needed, owned, pct } = props;
  const text = `${fmtNumber(owned)} of ${fmtNumber(needed)} pieces (${fmtPct(pct)})`;
  return (
    <div className={`pct${props.compact ? ' compact' : ''}`}>
      <div
        className="pct-bar"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct * 10) / 10}
        aria-valuetext={text}
      >
        <span className={pct >= 100 ? 'full' : undefined} style={{ width: `${Math.min(100, Math.max(0, pct))}%` }} />
      </div>
      <span className="pct-text">{text}</span>
    </div>
  );
}

/** The figures of a report: needed, owned, pct, missing and what it matched. */
export function Figures({ report }: { report: BuildReport }) {
  const missingPieces = report.needed - report.owned;
  return (
    <section aria-labelledby="figures-h" className="panel">
      <h2 id="figures-h">Can I build it?</h2>
      <PctBar needed={report.needed} owned={report.owned} pct={report.pct} label="Owned" />
      <dl className="figures" data-testid="build-figures">
        <div>
          <dt>Needed</dt>
          <dd data-testid="fig-needed">{fmtNumber(report.needed)}</dd>
        </div>
        <div>
          <dt>Owned</dt>
          <dd data-testid="fig-owned">{fmtNumber(report.owned)}</dd>
        </div>
        <div>
          <dt>Owned share</dt>
          <dd data-testid="fig-pct">{fmtPct(report.pct)}</dd>
        </div>
        <div>
          <dt>Missing</dt>
          <dd data-testid="fig-missing">
            {plural(missingPieces, 'piece')} in {plural(report.missing.length, 'line')}
          </dd>
        </div>
        <div>
          <dt>Lines</dt>
          <dd>{fmtNumber(report.lines)}</dd>
        </div>
      </dl>
      <p className="muted" style={{ margin: 0 }}>
        {report.pct >= 100
          ? 'You have every piece: the pick list says where to find them.'
          : `You are ${plural(missingPieces, 'piece')} short.`}
      </p>
    </section>
  );
}

const OPTION_LABELS: { key: keyof MatchOptions; label: string; hint: string; setOnly?: boolean }[] = [
  { key: 'countUsed', label: 'Count used parts', hint: 'Pieces already in use count as had.' },
  { key: 'ignorePrints', label: 'Prints as their base part', hint: 'A printed or patterned part counts as its plain part.' },
  { key: 'moulds', label: 'Mould variants as equal', hint: 'Another mould of the same part counts.' },
  { key: 'alternates', label: 'Alternates as equal', hint: 'Parts listed as alternates of each other count.' },
  { key: 'ignoreColor', label: 'Ignore colour', hint: 'Any colour of the part counts.' },
  { key: 'noMinifigs', label: 'Without minifigures', hint: "Leave the set's minifigures out.", setOnly: true },
  { key: 'spares', label: 'Include spares', hint: 'Count the spare pieces the set lists.' },
];

/** The build options as checkboxes; each change matches again. */
export function OptionsForm(props: { options: MatchOptions; onChange: (patch: Partial<MatchOptions>) => void; forSet: boolean }) {
  const uid = useId();
  return (
    <fieldset className="options">
      <legend>Build options</legend>
      {OPTION_LABELS.filter((o) => props.forSet || !o.setOnly).map((o) => (
        <label key={o.key} className="check" title={o.hint}>
          <input
            type="checkbox"
            id={`${uid}-${o.key}`}
            checked={props.options[o.key]}
            onChange={(e) => props.onChange({ [o.key]: e.target.checked })}
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** A table that shows its first rows and offers the rest. */
function Capped<T>(props: { rows: T[]; cap: number; render: (rows: T[]) => ReactNode; what: string }) {
  const [all, setAll] = useState(false);
  const shown = all ? props.rows : props.rows.slice(0, props.cap);
  return (
    <>
      {props.render(shown)}
      {!all && props.rows.length > props.cap && (
        <button type="button" className="btn" style={{ marginTop: 8 }} onClick={() => setAll(true)}>
          Show all {plural(props.rows.length, props.what)}
        </button>
      )}
    </>
  );
}

function ColorCell({ colorId, colorName }: { colorId: number; colorName: string }) {
  const color = useSession((s) => s.colorById.get(colorId));
  return (
    <td>
      <Swatch color={color} />
      {colorName || `colour ${colorId}`}
    </td>
  );
}

/** A part's picture in its colour, or an empty slot of its size until the report rests. */
function PartPicture(props: { partId: string; colorId: number; show: boolean }) {
  return props.show ? (
    <Picture of={{ kind: 'part', partId: props.partId, colorId: props.colorId }} size={26} />
  ) : (
    <span className="picture picture-slot" aria-hidden="true" />
  );
}

function PartCell({ partId, colorId, name, pictures }: { partId: string; colorId: number; name: string; pictures: boolean }) {
  return (
    <td className="part-cell">
      <PartPicture partId={partId} colorId={colorId} show={pictures} />
      <span className="part-num">{partId}</span>
      {name && <span className="muted part-name"> {name}</span>}
    </td>
  );
}

export function MissingTable({ lines, pictures = false }: { lines: MissingLine[]; pictures?: boolean }) {
  const pieces = lines.reduce((n, l) => n + l.missing, 0);
  return (
    <section aria-labelledby="missing-h" className="panel">
      <h2 id="missing-h">
        Missing parts{' '}
        <span className="muted">
          ({plural(lines.length, 'line')}, {plural(pieces, 'piece')})
        </span>
      </h2>
      {lines.length === 0 ? (
        <p className="muted">Nothing is missing.</p>
      ) : (
        <Capped
          rows={lines}
          cap={300}
          what="missing line"
          render={(rows) => (
            <table className="simple" aria-labelledby="missing-h" data-testid="missing-table">
              <thead>
                <tr>
                  <th scope="col">Part</th>
                  <th scope="col">Colour</th>
                  <th scope="col" className="num">
                    Need
                  </th>
                  <th scope="col" className="num">
                    Have
                  </th>
                  <th scope="col" className="num">
                    Short
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((l) => (
                  <tr key={`${l.partId}|${l.colorId}`}>
                    <PartCell partId={l.partId} colorId={l.colorId} name={l.name} pictures={pictures} />
                    <ColorCell colorId={l.colorId} colorName={l.colorName} />
                    <td className="num">{fmtNumber(l.need)}</td>
                    <td className="num">{fmtNumber(l.have)}</td>
                    <td className="num short">{fmtNumber(l.missing)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        />
      )}
    </section>
  );
}

export function PickList({ lines, pictures = false }: { lines: PickLine[]; pictures?: boolean }) {
  const pieces = lines.reduce((n, l) => n + l.take, 0);
  return (
    <section aria-labelledby="pick-h" className="panel">
      <h2 id="pick-h">
        Pick list{' '}
        <span className="muted">
          ({plural(lines.length, 'stop')}, {plural(pieces, 'piece')})
        </span>
      </h2>
      {lines.length === 0 ? (
        <p className="muted">None of these parts are in your inventory.</p>
      ) : (
        <Capped
          rows={lines}
          cap={300}
          what="stop"
          render={(rows) => (
            <table className="simple" aria-labelledby="pick-h" data-testid="pick-table">
              <thead>
                <tr>
                  <th scope="col">Location</th>
                  <th scope="col">Part</th>
                  <th scope="col">Colour</th>
                  <th scope="col" className="num">
                    Take
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((l) => (
                  <tr key={`${l.lotId}|${l.forPartId}|${l.forColorId}`}>
                    <td>{l.location || <span className="muted">(no location)</span>}</td>
                    <td className="part-cell">
                      <PartPicture partId={l.partId} colorId={l.colorId} show={pictures} />
                      <span className="part-num">{l.partId}</span>
                      {l.name && <span className="muted part-name"> {l.name}</span>}
                      {(l.partId !== l.forPartId || l.colorId !== l.forColorId) && (
                        <span className="muted"> (for {l.forPartId})</span>
                      )}
                    </td>
                    <ColorCell colorId={l.colorId} colorName={l.colorName} />
                    <td className="num">{fmtNumber(l.take)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        />
      )}
    </section>
  );
}

/** Lines of a list that could not be matched, by line number and reason. */
export function UnmatchedTable({ lines }: { lines: UnmatchedLine[] }) {
  if (lines.length === 0) return null;
  return (
    <section aria-labelledby="unmatched-h" className="panel">
      <h2 id="unmatched-h">
        Lines not matched <span className="muted">({fmtNumber(lines.length)})</span>
      </h2>
      <p className="muted" style={{ marginTop: 0 }}>
        These lines are left out of the figures above.
      </p>
      <Capped
        rows={lines}
        cap={200}
        what="line"
        render={(rows) => (
          <table className="simple" aria-labelledby="unmatched-h" data-testid="unmatched-table">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Line
                </th>
                <th scope="col">Part</th>
                <th scope="col">Colour</th>
                <th scope="col" className="num">
                  Quantity
                </th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((l, i) => (
                <tr key={`${l.line}|${i}`}>
                  <td className="num">{l.line || '—'}</td>
                  <td>{l.part}</td>
                  <td>{l.color}</td>
                  <td className="num">{fmtNumber(l.quantity)}</td>
                  <td>{l.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      />
    </section>
  );
}
