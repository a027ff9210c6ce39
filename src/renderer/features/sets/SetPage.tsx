// A set's page (or a file's "Can I build…" report): what it is, the owned share with the
// figures, the build options, the missing table, the pick list, the lines not matched, the
// sub-sets and minifigures, and the actions: Part out…, Mark as built, Take apart, Export
// missing…, Labels… (storage labels for the set's parts). A set whose parts are not known says how to get them instead of showing an empty
// table.
import { useEffect, useRef, useState } from 'react';
import type { BuildRecord, FileRef, ListSource, MissingLine, SetComponent, SetDetail } from '../../../shared/contract';
import { call } from '../../api';
import { Picture } from '../../components/Picture';
import { useContract } from '../../data/queries';
import { fmtDateTime, fmtNumber, plural } from '../../format';
import { useSettled } from '../../hooks';
import { onlyOn, useSets } from '../../stores/sets';
import { useToasts } from '../../stores/toasts';
import { LabelsDialog } from '../labels/LabelsDialog';
import { updateCatalogue, type CatalogUpdateMessage } from '../settings/catalogUpdate';
import { ExportMissingDialog } from './ExportMissingDialog';
import { useCanEdit, useOwnerRef, useTakeApart } from './owner';
import { PartOutDialog } from './PartOutDialog';
import { Figures, MissingTable, OptionsForm, PickList, UnmatchedTable } from './report';

const NO_BUILDS: BuildRecord[] = [];
/** A report shows its part pictures once it has rested this long (the inventory's delay). */
const PICTURES_SETTLE_MS = 250;
const NO_LOCATIONS: { storageLocation: string; lots: number }[] = [];

export function SetPage({ setNum }: { setNum: string }) {
  const detail = useContract('sets.get', { setNum });
  const back = useSets((s) => s.back);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [setNum]);

  if (detail.error) {
    return (
      <div className="sets-page">
        <BackButton onBack={back} />
        <h1 ref={headingRef} tabIndex={-1}>
          Set {setNum}
        </h1>
        <p className="notice error" role="alert">
          {detail.error.message}
        </p>
      </div>
    );
  }
  const d = detail.data;
  return (
    <div className="sets-page">
      <BackButton onBack={back} />
      <h1 ref={headingRef} tabIndex={-1} className="set-title">
        {d ? d.name : `Set ${setNum}`}
      </h1>
      {!d ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <div className="set-head">
            <Picture
              of={{ kind: 'set', id: d.setNum }}
              size={160}
              alt={`Picture of ${d.setNum} ${d.name}`}
              className="set-picture"
            />
            <SetFacts d={d} />
          </div>
          {d.partsKnown ? (
            <ListReport
              source={{ setNum: d.setNum }}
              label={`${d.setNum} ${d.name}`}
              fileName={d.setNum}
              forSet
              set={{ setNum: d.setNum, name: d.name }}
            />
          ) : (
            <PartsUnknown detail={d} />
          )}
          <Components title="Sub-sets" items={d.subsets} kind="set" />
          <Components title="Minifigures" items={d.minifigs} kind="fig" />
        </>
      )}
    </div>
  );
}

export function FilePage({ file }: { file: FileRef }) {
  const back = useSets((s) => s.back);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [file.token]);
  return (
    <div className="sets-page">
      <BackButton onBack={back} />
      <h1 ref={headingRef} tabIndex={-1}>
        Can I build {file.name}?
      </h1>
      <ListReport source={{ file: file.token }} label={file.name} fileName={file.name.replace(/\.[^.]*$/, '')} forSet={false} />
    </div>
  );
}

function BackButton({ onBack }: { onBack: () => void }) {
  return (
    <button type="button" className="btn back" onClick={onBack}>
      ← Back
    </button>
  );
}

function SetFacts({ d }: { d: SetDetail }) {
  return (
    <dl className="facts" data-testid="set-facts">
      <div>
        <dt>Number</dt>
        <dd>{d.setNum}</dd>
      </div>
      <div>
        <dt>Year</dt>
        <dd>{d.year}</dd>
      </div>
      <div>
        <dt>Theme</dt>
        <dd>{d.themePath.length ? d.themePath.join(' › ') : (d.themeName ?? '—')}</dd>
      </div>
      <div>
        <dt>Parts</dt>
        <dd>{fmtNumber(d.numParts)}</dd>
      </div>
      {d.pieces !== null && (
        <div>
          <dt>Pieces listed</dt>
          <dd>
            {fmtNumber(d.pieces)}
            {d.spares ? ` + ${plural(d.spares, 'spare')}` : ''}
            {d.lines !== null ? ` in ${plural(d.lines, 'line')}` : ''}
          </dd>
        </div>
      )}
    </dl>
  );
}

/** A set whose parts the catalogue does not hold: how to get them, and the way to do it. */
function PartsUnknown({ detail }: { detail: SetDetail }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<CatalogUpdateMessage | null>(null);
  return (
    <section className="panel notice-panel" aria-labelledby="unknown-h" data-testid="parts-unknown">
      <h2 id="unknown-h">The parts of this set are not known yet</h2>
      <p>
        {detail.partsHowTo ??
          "Import Rebrickable's inventory_parts download with Update catalogue…, or open the set's own part list with Can I build…."}
      </p>
      <div className="row" style={{ gap: 8, alignItems: 'center' }}>
        <button
          type="button"
          className="btn primary"
          disabled={!!busy}
          onClick={() => {
            setMessage(null);
            void updateCatalogue(setBusy).then((m) => m && setMessage(m));
          }}
        >
          Update catalogue…
        </button>
        <CanBuildFileButton />
        {busy && (
          <span className="muted" role="status">
            {busy}
          </span>
        )}
      </div>
      {message && (
        <p className={`notice ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  );
}

/** Picks a part list file and opens its "can I build" report. */
export function CanBuildFileButton({ primary }: { primary?: boolean }) {
  const open = useSets((s) => s.open);
  const toast = useToasts((s) => s.toast);
  return (
    <button
      type="button"
      className={`btn${primary ? ' primary' : ''}`}
      onClick={() => void pickListFile().then((r) => (typeof r === 'string' ? toast({ kind: 'error', text: r }) : r && open(r)))}
    >
      Can I build…
    </button>
  );
}

/** The open dialog for a list file: the screen to open, null when cancelled, or the error. */
export async function pickListFile(): Promise<{ kind: 'file'; file: FileRef } | null | string> {
  const r = await call('files.pickImport', { title: 'Can I build… (a part list: Rebrickable CSV, BrickLink XML, BrickStore…)' });
  if (!r.ok) return r.error.message;
  return r.data ? { kind: 'file', file: r.data } : null;
}

function Components({ title, items, kind }: { title: string; items: SetComponent[]; kind: 'set' | 'fig' }) {
  const open = useSets((s) => s.open);
  if (items.length === 0) return null;
  const id = `comp-${kind}-h`;
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="muted">({fmtNumber(items.reduce((n, c) => n + c.quantity, 0))})</span>
      </h2>
      <table className="simple" aria-labelledby={id}>
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Name</th>
            <th scope="col" className="num">
              Quantity
            </th>
            <th scope="col" className="num">
              Parts
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.num}>
              <td>
                {kind === 'set' ? (
                  <button
                    type="button"
                    className="btn link"
                    aria-label={`Open ${c.num} ${c.name}`}
                    onClick={() => open({ kind: 'set', setNum: c.num })}
                  >
                    {c.num}
                  </button>
                ) : (
                  c.num
                )}
              </td>
              <td>
                {c.name}
                {!c.partsKnown && <span className="muted"> (parts not known)</span>}
              </td>
              <td className="num">{fmtNumber(c.quantity)}</td>
              <td className="num">{fmtNumber(c.numParts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The report of a list (a set with known parts, or a file) for the inventory shown, with the
 * options and the actions.
 */
function ListReport(props: {
  source: ListSource;
  label: string;
  fileName: string;
  forSet: boolean;
  set?: { setNum: string; name: string };
}) {
  const { source } = props;
  const owner = useOwnerRef();
  const canEdit = useCanEdit();
  const options = useSets((s) => s.options);
  const setOptions = useSets((s) => s.setOptions);
  const toast = useToasts((s) => s.toast);
  const opts = onlyOn(props.forSet ? options : { ...options, noMinifigs: false });
  const report = useContract('sets.build', { ...owner, source, options: opts }, { keep: true });
  // Part pictures wait until the report has rested (as the inventory's rows do), so a run of
  // option changes never queues picture requests ahead of the next answer.
  const reportKey = JSON.stringify([owner, source, opts]);
  const restedKey = useSettled(reportKey, PICTURES_SETTLE_MS);
  const pictures = restedKey === reportKey && !report.isPlaceholderData && !report.isFetching;
  const builds = useContract('sets.builds', owner).data ?? NO_BUILDS;
  const [dialog, setDialog] = useState<'partOut' | 'export' | 'labels' | null>(null);
  const [refused, setRefused] = useState<{ message: string; missing: MissingLine[] } | null>(null);
  const [working, setWorking] = useState(false);
  const sourceId = 'setNum' in source ? source.setNum : props.label;
  const mine = builds.filter((b) =>
    'setNum' in source
      ? b.source.kind === 'set' && sameSet(b.source.id, source.setNum)
      : b.source.kind === 'file' && b.source.id === props.label,
  );

  async function markBuilt() {
    setRefused(null);
    setWorking(true);
    const unmatched = report.data?.unmatched.length ?? 0;
    const r = await call('sets.markBuilt', {
      ...owner,
      source,
      options: opts,
      ...(unmatched ? { skipUnmatched: true } : {}),
    });
    setWorking(false);
    if (!r.ok) {
      const missing = (r.error.details?.missing as MissingLine[] | undefined) ?? [];
      return setRefused({ message: r.error.message, missing });
    }
    const b = r.data;
    toast({
      kind: 'info',
      text: `Marked ${b.source.id} as built: ${plural(b.pieces, 'piece')} moved into use.`,
      action: { label: 'Take apart', run: () => void takeApart(b.id) },
    });
  }

  const takeApartBuild = useTakeApart();
  async function takeApart(buildId: number) {
    setWorking(true);
    await takeApartBuild(buildId);
    setWorking(false);
  }

  const data = report.data;
  return (
    <>
      <div className="actions" role="group" aria-label="Actions">
        <button type="button" className="btn" disabled={!canEdit || !data} onClick={() => setDialog('partOut')}>
          Part out…
        </button>
        <button type="button" className="btn" disabled={!canEdit || !data || working} onClick={() => void markBuilt()}>
          Mark as built
        </button>
        <button type="button" className="btn" disabled={!data} onClick={() => setDialog('export')}>
          Export missing…
        </button>
        {props.set && (
          <button type="button" className="btn" disabled={!data} onClick={() => setDialog('labels')}>
            Labels…
          </button>
        )}
      </div>
      {refused && (
        <div className="notice error" role="alert" data-testid="build-refused">
          <p style={{ margin: 0 }}>Not marked as built: {refused.message}</p>
          {refused.missing.length > 0 && (
            <ul>
              {refused.missing.slice(0, 20).map((m) => (
                <li key={`${m.partId}|${m.colorId}`}>
                  {m.partId} {m.colorName}: need {fmtNumber(m.need)}, have {fmtNumber(m.have)}, short {fmtNumber(m.missing)}
                </li>
              ))}
              {refused.missing.length > 20 && <li>… and {plural(refused.missing.length - 20, 'more line')}</li>}
            </ul>
          )}
        </div>
      )}
      <OptionsForm options={options} onChange={setOptions} forSet={props.forSet} />
      {report.error && (
        <p className="notice error" role="alert">
          {report.error.message}
        </p>
      )}
      {!data && !report.error && <p className="muted">Matching against your inventory…</p>}
      {data && (
        <div className={`report${report.isPlaceholderData ? ' stale' : ''}`} aria-busy={report.isFetching}>
          <Figures report={data} />
          <UnmatchedTable lines={data.unmatched} />
          <MissingTable lines={data.missing} pictures={pictures} />
          <PickList lines={data.pick} pictures={pictures} />
        </div>
      )}
      <Builds builds={mine} onTakeApart={(id) => void takeApart(id)} disabled={!canEdit || working} />
      {dialog === 'partOut' && data && (
        <PartOutDialog
          source={source}
          label={props.label}
          sourceId={sourceId}
          forSet={props.forSet}
          unmatched={data.unmatched.length}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'labels' && props.set && (
        <SetLabelsDialog set={props.set} ownerId={owner.ownerId} onClose={() => setDialog(null)} />
      )}
      {dialog === 'export' && data && (
        <ExportMissingDialog
          source={source}
          options={opts}
          label={props.label}
          fileName={props.fileName}
          missing={data.missing}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}

/** The Labels dialog opened on a set's parts (a location of the inventory can still be chosen). */
function SetLabelsDialog(props: { set: { setNum: string; name: string }; ownerId: number | undefined; onClose: () => void }) {
  const locations =
    useContract('inventory.locations', { ...(props.ownerId !== undefined ? { ownerId: props.ownerId } : {}), limit: 5000 })
      .data ?? NO_LOCATIONS;
  return (
    <LabelsDialog
      ownerId={props.ownerId}
      locations={locations}
      initialLocation={undefined}
      selectedLot={undefined}
      set={props.set}
      onClose={props.onClose}
    />
  );
}

/** `75331` and `75331-1` are the same set. */
function sameSet(a: string, b: string): boolean {
  const norm = (s: string) => (/-\d+$/.test(s) ? s : `${s}-1`).toLowerCase();
  return norm(a) === norm(b);
}

/** What this profile has built of this list, each with Take apart. */
function Builds(props: { builds: BuildRecord[]; onTakeApart: (id: number) => void; disabled: boolean }) {
  if (props.builds.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="built-h">
      <h2 id="built-h">Built</h2>
      <table className="simple" aria-labelledby="built-h" data-testid="builds-table">
        <thead>
          <tr>
            <th scope="col">Built on</th>
            <th scope="col" className="num">
              Copies
            </th>
            <th scope="col" className="num">
              Pieces in use
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.builds.map((b) => (
            <tr key={b.id}>
              <td>{fmtDateTime(b.builtAt)}</td>
              <td className="num">{fmtNumber(b.quantity)}</td>
              <td className="num">{fmtNumber(b.pieces)}</td>
              <td>
                <button
                  type="button"
                  className="btn"
                  disabled={props.disabled}
                  aria-label={`Take apart the build of ${fmtDateTime(b.builtAt)}`}
                  onClick={() => props.onTakeApart(b.id)}
                >
                  Take apart
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
