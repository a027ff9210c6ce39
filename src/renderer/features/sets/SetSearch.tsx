// Find a set: by number or name words, with a theme and a year range; the result count and a
// paged table (set number, name, year, theme, parts). Arrow keys move from the search box into
// the results and between them; Enter opens a set's page.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { SetSearchPage, ThemeNode } from '../../../shared/contract';
import { SetPicture } from '../../components/Picture';
import { useContract } from '../../data/queries';
import { fmtNumber } from '../../format';
import { useSettled } from '../../hooks';
import { useSets } from '../../stores/sets';
import { useUi } from '../../stores/ui';

export const PAGE_SIZE = 50;
/** The last Ctrl+F this search answered. */
let focusHandled = 0;
const NO_THEMES: ThemeNode[] = [];

/** Themes for a select: by path, each shown as "Star Wars › Episode 4/5/6". */
export function useThemeOptions(): { id: number; label: string }[] {
  const themes = useContract('sets.themes', {}).data ?? NO_THEMES;
  return useMemo(
    () =>
      themes
        .map((t) => ({ id: t.id, label: (t.path.length ? t.path : [t.name]).join(' › ') }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [themes],
  );
}

/** A year typed in a filter: a number of four digits, else no filter. */
export function yearOf(text: string): number | undefined {
  const t = text.trim();
  return /^\d{4}$/.test(t) ? Number(t) : undefined;
}

export function SetSearch() {
  const uid = useId();
  const search = useSets((s) => s.search);
  const setSearch = useSets((s) => s.setSearch);
  const open = useSets((s) => s.open);
  const themeOptions = useThemeOptions();
  const [text, setText] = useState(search.query);
  const [yearFrom, setYearFrom] = useState(search.yearFrom?.toString() ?? '');
  const [yearTo, setYearTo] = useState(search.yearTo?.toString() ?? '');
  const query = useSettled(text, 120);
  useEffect(() => {
    if (query !== search.query) setSearch({ query });
  }, [query, search.query, setSearch]);

  const input = {
    ...(search.query.trim() ? { query: search.query.trim() } : {}),
    ...(search.themeId !== undefined ? { themeId: search.themeId } : {}),
    ...(search.yearFrom !== undefined ? { yearFrom: search.yearFrom } : {}),
    ...(search.yearTo !== undefined ? { yearTo: search.yearTo } : {}),
    limit: PAGE_SIZE,
    offset: search.page * PAGE_SIZE,
  };
  const result = useContract('sets.search', input, { keep: true });
  // Set pictures load once the results have rested (as the inventory's rows do).
  const inputKey = JSON.stringify(input);
  const pictures = useSettled(inputKey, 250) === inputKey && !result.isPlaceholderData;
  const page: SetSearchPage | undefined = result.data;
  const pages = page ? Math.max(1, Math.ceil(page.total / PAGE_SIZE)) : 1;

  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const focusNonce = useUi((s) => s.searchFocusNonce);
  useEffect(() => {
    // Ctrl+F: once per press (the search may mount again later without one).
    if (focusNonce <= focusHandled) return;
    focusHandled = focusNonce;
    searchRef.current?.focus();
    searchRef.current?.select();
  }, [focusNonce]);

  const rowButtons = () => [...(tableRef.current?.querySelectorAll<HTMLButtonElement>('button[data-set]') ?? [])];
  const onResultsKey = (e: KeyboardEvent) => {
    const buttons = rowButtons();
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const to =
      e.key === 'ArrowDown'
        ? at + 1
        : e.key === 'ArrowUp'
          ? at - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? buttons.length - 1
              : null;
    if (to === null) return;
    e.preventDefault();
    if (to < 0) searchRef.current?.focus();
    else buttons[Math.min(to, buttons.length - 1)]?.focus();
  };

  return (
    <div className="sets-page">
      <h1>Find a set</h1>
      <div className="toolbar sets-toolbar" role="search" aria-label="Sets">
        <label className="visually-hidden" htmlFor={`${uid}-q`}>
          Search sets
        </label>
        <input
          id={`${uid}-q`}
          ref={searchRef}
          type="search"
          placeholder="Set number, name or theme words (75331, razor crest)…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || (e.key === 'Enter' && rowButtons().length)) {
              e.preventDefault();
              rowButtons()[0]?.focus();
            }
          }}
        />
        <label className="visually-hidden" htmlFor={`${uid}-theme`}>
          Theme
        </label>
        <select
          id={`${uid}-theme`}
          value={search.themeId ?? ''}
          onChange={(e) => setSearch({ themeId: e.target.value === '' ? undefined : Number(e.target.value) })}
        >
          <option value="">All themes</option>
          {themeOptions.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
        <label htmlFor={`${uid}-from`}>Year from</label>
        <input
          id={`${uid}-from`}
          className="year"
          type="text"
          inputMode="numeric"
          maxLength={4}
          value={yearFrom}
          onChange={(e) => {
            setYearFrom(e.target.value);
            const y = yearOf(e.target.value);
            if (y !== search.yearFrom && (y !== undefined || e.target.value.trim() === '')) setSearch({ yearFrom: y });
          }}
        />
        <label htmlFor={`${uid}-to`}>to</label>
        <input
          id={`${uid}-to`}
          className="year"
          type="text"
          inputMode="numeric"
          maxLength={4}
          value={yearTo}
          onChange={(e) => {
            setYearTo(e.target.value);
            const y = yearOf(e.target.value);
            if (y !== search.yearTo && (y !== undefined || e.target.value.trim() === '')) setSearch({ yearTo: y });
          }}
        />
        <span className="count" aria-live="polite" data-testid="set-count">
          {page ? `${fmtNumber(page.total)} ${page.total === 1 ? 'set' : 'sets'}` : result.error ? '' : 'Loading…'}
        </span>
      </div>
      {result.error && (
        <p className="notice error" role="alert">
          {result.error.message}
        </p>
      )}
      {page && page.total === 0 && <p className="empty">No set matches the search and filters.</p>}
      {page && page.items.length > 0 && (
        <table className="simple sets-results" aria-label="Sets found" aria-rowcount={page.total + 1}>
          <thead>
            <tr>
              <th scope="col">Set</th>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                Year
              </th>
              <th scope="col">Theme</th>
              <th scope="col" className="num">
                Parts
              </th>
            </tr>
          </thead>
          <tbody ref={tableRef} onKeyDown={onResultsKey}>
            {page.items.map((s, i) => (
              <tr key={s.setNum} aria-rowindex={search.page * PAGE_SIZE + i + 2}>
                <td>
                  <button
                    type="button"
                    className="btn link"
                    data-set={s.setNum}
                    aria-label={`${s.setNum} ${s.name}`}
                    onClick={() => open({ kind: 'set', setNum: s.setNum })}
                  >
                    {s.setNum}
                  </button>
                </td>
                <td className="part-cell">
                  <SetPicture setNum={s.setNum} show={pictures} />
                  {s.name}
                  {!s.partsKnown && <span className="visually-hidden"> (parts not known)</span>}
                </td>
                <td className="num">{s.year}</td>
                <td>{s.themeName ?? '—'}</td>
                <td className="num">{fmtNumber(s.numParts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && pages > 1 && (
        <nav className="pager" aria-label="Result pages">
          <button type="button" className="btn" disabled={search.page === 0} onClick={() => setSearch({ page: search.page - 1 })}>
            Previous page
          </button>
          <span className="muted">
            Page {fmtNumber(search.page + 1)} of {fmtNumber(pages)}
          </span>
          <button
            type="button"
            className="btn"
            disabled={search.page + 1 >= pages}
            onClick={() => setSearch({ page: search.page + 1 })}
          >
            Next page
          </button>
        </nav>
      )}
    </div>
  );
}
