// "Which sets can I build?": every catalogue set whose parts are known, matched against the
// inventory shown, ranked by the owned share. Filters: theme, year range, size range, minimum
// share, and the build options. The match runs off the thread that answers calls; it shows its
// progress and can be cancelled.
import { SetPicture } from '../../components/Picture';
import { useEffect, useId, useRef, useState } from 'react';
import type { BuildableSet } from '../../../shared/contract';
import { call, onEvent } from '../../api';
import { fmtNumber, plural } from '../../format';
import { onlyOn, useSets, type BuildableState } from '../../stores/sets';
import { useOwnerRef } from './owner';
import { OptionsForm, PctBar } from './report';
import { useThemeOptions, yearOf } from './SetSearch';

const PAGE = 100;
let jobSeq = 0;

type Check = { value?: number; error?: string };

/** A whole number in [min, max] typed in a filter; empty: no filter. */
function wholeIn(text: string, min: number, max: number, what: string): Check {
  const t = text.trim();
  if (t === '') return {};
  const n = Number(t);
  if (!/^\d+(\.\d+)?$/.test(t) || n < min || n > max) return { error: `${what}: enter a number from ${min} to ${max}.` };
  return { value: n };
}

function checkFilters(b: BuildableState) {
  const yf =
    b.yearFrom.trim() === ''
      ? {}
      : yearOf(b.yearFrom) !== undefined
        ? { value: yearOf(b.yearFrom) }
        : { error: 'Year from: enter a year such as 2020.' };
  const yt =
    b.yearTo.trim() === ''
      ? {}
      : yearOf(b.yearTo) !== undefined
        ? { value: yearOf(b.yearTo) }
        : { error: 'Year to: enter a year such as 2024.' };
  const minP = wholeIn(b.minParts, 0, 1_000_000, 'Parts from');
  const maxP = wholeIn(b.maxParts, 0, 1_000_000, 'Parts to');
  const pct = wholeIn(b.minPct, 0, 100, 'Minimum owned');
  const errors = [yf, yt, minP, maxP, pct].map((c) => c.error).filter((e): e is string => !!e);
  return {
    errors,
    input: {
      ...(b.themeId !== undefined ? { themeId: b.themeId } : {}),
      ...(yf.value !== undefined ? { yearFrom: yf.value } : {}),
      ...(yt.value !== undefined ? { yearTo: yt.value } : {}),
      ...(minP.value !== undefined ? { minParts: Math.floor(minP.value) } : {}),
      ...(maxP.value !== undefined ? { maxParts: Math.floor(maxP.value) } : {}),
      ...(pct.value !== undefined ? { minPct: pct.value } : {}),
    },
  };
}

export function Buildable() {
  const uid = useId();
  const owner = useOwnerRef();
  const state = useSets((s) => s.buildable);
  const setState = useSets((s) => s.setBuildable);
  const options = useSets((s) => s.options);
  const setOptions = useSets((s) => s.setOptions);
  const open = useSets((s) => s.open);
  const themeOptions = useThemeOptions();
  const [job, setJob] = useState<{ id: string; phase: string; done: number; total: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<string[]>([]);
  const jobRef = useRef<string | null>(null);

  useEffect(
    () =>
      onEvent('import.progress', (p) => {
        if (p.id === jobRef.current) setJob(p);
      }),
    [],
  );
  // Leaving the screen stops a match still running.
  useEffect(
    () => () => {
      if (jobRef.current) void call('import.cancel', { jobId: jobRef.current });
    },
    [],
  );

  async function run(page: number) {
    const { errors, input } = checkFilters(state);
    setInvalid(errors);
    if (errors.length) return;
    setError(null);
    const id = `sets-${Date.now().toString(36)}-${++jobSeq}`;
    jobRef.current = id;
    setJob({ id, phase: 'starting', done: 0, total: null });
    const r = await call('sets.buildable', {
      ...owner,
      ...input,
      options: onlyOn(options),
      limit: PAGE,
      offset: page * PAGE,
      jobId: id,
    });
    if (jobRef.current !== id) return;
    jobRef.current = null;
    setJob(null);
    if (!r.ok) {
      setError(r.error.code === 'cancelled' ? 'Stopped.' : r.error.message);
      return;
    }
    setState({ result: r.data, page });
  }

  const result = state.result;
  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE)) : 1;
  const pct = job?.total ? Math.min(100, (100 * job.done) / job.total) : null;

  return (
    <div className="sets-page">
      <h1>Which sets can I build?</h1>
      <form
        className="panel buildable-filters"
        aria-label="Filters"
        onSubmit={(e) => {
          e.preventDefault();
          void run(0);
        }}
      >
        <div className="row wrap">
          <div className="field">
            <label htmlFor={`${uid}-theme`}>Theme</label>
            <select
              id={`${uid}-theme`}
              value={state.themeId ?? ''}
              onChange={(e) => setState({ themeId: e.target.value === '' ? undefined : Number(e.target.value) })}
            >
              <option value="">All themes</option>
              {themeOptions.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
          <NumberText id={`${uid}-yf`} label="Year from" value={state.yearFrom} onChange={(v) => setState({ yearFrom: v })} />
          <NumberText id={`${uid}-yt`} label="Year to" value={state.yearTo} onChange={(v) => setState({ yearTo: v })} />
          <NumberText id={`${uid}-pf`} label="Parts from" value={state.minParts} onChange={(v) => setState({ minParts: v })} />
          <NumberText id={`${uid}-pt`} label="Parts to" value={state.maxParts} onChange={(v) => setState({ maxParts: v })} />
          <NumberText
            id={`${uid}-pct`}
            label="Minimum owned (%)"
            value={state.minPct}
            onChange={(v) => setState({ minPct: v })}
          />
        </div>
        <OptionsForm options={options} onChange={setOptions} forSet />
        {invalid.length > 0 && (
          <ul className="notice error" role="alert">
            {invalid.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        )}
        <div className="row" style={{ gap: 8, alignItems: 'center' }}>
          <button type="submit" className="btn primary" disabled={!!job}>
            Find sets
          </button>
          {job && (
            <>
              <div
                className="progress"
                style={{ width: 220 }}
                role="progressbar"
                aria-label="Matching sets"
                aria-valuemin={0}
                aria-valuemax={100}
                {...(pct !== null ? { 'aria-valuenow': Math.round(pct) } : {})}
              >
                <span style={{ width: `${pct ?? 10}%` }} />
              </div>
              <span className="muted" role="status">
                Matching… {job.total ? `${fmtNumber(job.done)} of ${plural(job.total, 'set')}` : ''}
              </span>
              <button
                type="button"
                className="btn"
                onClick={() => jobRef.current && void call('import.cancel', { jobId: jobRef.current })}
              >
                Cancel
              </button>
            </>
          )}
        </div>
      </form>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <section aria-labelledby={`${uid}-res`}>
          <h2 id={`${uid}-res`}>
            Results{' '}
            <span className="muted" data-testid="buildable-count">
              ({plural(result.total, 'set')} of {fmtNumber(result.considered)} with known parts, in{' '}
              {fmtNumber(Math.round(result.durationMs))} ms)
            </span>
          </h2>
          {result.items.length === 0 ? (
            <p className="empty">
              {result.considered === 0
                ? 'No set with known parts passes these filters. The parts of a set are known once Rebrickable’s inventory_parts download is imported (Settings → Update catalogue…).'
                : 'No set reaches the minimum owned share.'}
            </p>
          ) : (
            <BuildableTable items={result.items} first={state.page * PAGE} onOpen={(setNum) => open({ kind: 'set', setNum })} />
          )}
          {pages > 1 && (
            <nav className="pager" aria-label="Result pages">
              <button type="button" className="btn" disabled={state.page === 0 || !!job} onClick={() => void run(state.page - 1)}>
                Previous page
              </button>
              <span className="muted">
                Page {fmtNumber(state.page + 1)} of {fmtNumber(pages)}
              </span>
              <button
                type="button"
                className="btn"
                disabled={state.page + 1 >= pages || !!job}
                onClick={() => void run(state.page + 1)}
              >
                Next page
              </button>
            </nav>
          )}
        </section>
      )}
    </div>
  );
}

function NumberText(props: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="field narrow">
      <label htmlFor={props.id}>{props.label}</label>
      <input id={props.id} type="text" inputMode="numeric" value={props.value} onChange={(e) => props.onChange(e.target.value)} />
    </div>
  );
}

function BuildableTable({ items, first, onOpen }: { items: BuildableSet[]; first: number; onOpen: (setNum: string) => void }) {
  return (
    <table className="simple" aria-label="Sets by owned share" data-testid="buildable-table">
      <thead>
        <tr>
          <th scope="col" className="num">
            Rank
          </th>
          <th scope="col">Set</th>
          <th scope="col">Name</th>
          <th scope="col" className="num">
            Year
          </th>
          <th scope="col">Theme</th>
          <th scope="col">Owned</th>
        </tr>
      </thead>
      <tbody>
        {items.map((s, i) => (
          <tr key={s.setNum}>
            <td className="num">{fmtNumber(first + i + 1)}</td>
            <td>
              <button type="button" className="btn link" aria-label={`${s.setNum} ${s.name}`} onClick={() => onOpen(s.setNum)}>
                {s.setNum}
              </button>
            </td>
            <td className="part-cell">
              <SetPicture setNum={s.setNum} show />
              {s.name}
            </td>
            <td className="num">{s.year}</td>
            <td>{s.themeName ?? '—'}</td>
            <td style={{ minWidth: 260 }}>
              <PctBar needed={s.needed} owned={s.owned} pct={s.pct} label={`Owned of ${s.setNum}`} compact />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
