// The inventory: search, filters, and a virtualised, sortable table of lots.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { Color, Lot, SortKey } from '../../../shared/types';
import { Picture } from '../../components/Picture';
import { Swatch } from '../../components/Swatch';
import { useContract } from '../../data/queries';
import { userDates } from '../../dates';
import { fmtNumber } from '../../format';
import { useSettled, useToday } from '../../hooks';
import { usePreferences } from '../../stores/preferences';
import { useSession } from '../../stores/session';
import { useUi } from '../../stores/ui';
import { DeletedLotsDialog } from '../history/DeletedLotsDialog';
import { LabelsDialog } from '../labels/LabelsDialog';
import { PictureConsent } from '../pictures/PictureConsent';
import { useLotPages } from './useLotPages';

/** Every row is this tall (CSS .grid-row): rows are placed by index, never measured. */
const ROW_HEIGHT = 34;
/**
 * A search starts at once after a pause in typing; keys that follow each other faster than
 * this wait until the typing stops (answers to texts typed since are dropped by useLotPages).
 */
const SEARCH_SETTLE_MS = 70;
/** A new search, filter or sort shows its pictures once it has rested this long. */
const PICTURES_SETTLE_MS = 250;
const NO_LOCATIONS: { storageLocation: string; lots: number }[] = [];

const COLUMNS: { key: SortKey; label: string; num?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'part', label: 'Part' },
  { key: 'color', label: 'Colour' },
  { key: 'total', label: 'Total', num: true },
  { key: 'used', label: 'Used', num: true },
  { key: 'available', label: 'Available', num: true },
  { key: 'location', label: 'Location' },
  { key: 'updated', label: 'Updated' },
  { key: 'created', label: 'Added' },
];
const LAST_COL = COLUMNS.length - 1;
/** The header row's index in the active cell (data rows count from 0). */
const HEADER = -1;

export function InventoryView() {
  const prefs = usePreferences((s) => s.prefs);
  const setPrefs = usePreferences((s) => s.setPrefs);
  const colors = useSession((s) => s.colors);
  const colorById = useSession((s) => s.colorById);
  const ownerId = useSession((s) => s.ownerId);
  const openItem = useUi((s) => s.openItem);
  const askDelete = useUi((s) => s.askDelete);
  const searchFocusNonce = useUi((s) => s.searchFocusNonce);
  const inventories = useSession((s) => s.inventories);
  const access = inventories.find((i) => (ownerId === undefined ? i.own : i.ownerId === ownerId));
  const canEdit = access?.canEdit ?? true;
  const canDelete = access?.canDelete ?? true;

  const [searchText, setSearchText] = useState('');
  const [deletedOpen, setDeletedOpen] = useState(false);
  const search = useSettled(searchText, SEARCH_SETTLE_MS);
  const [location, setLocation] = useState<string | undefined>(undefined);
  const [colorId, setColorId] = useState<number | undefined>(undefined);
  const [labelsOpen, setLabelsOpen] = useState(false);
  const sort = prefs?.sortKey ?? 'part';
  const dir = prefs?.sortDir ?? 'asc';

  const { total, capped, incomplete, error, rowAt, ensureRange } = useLotPages({
    ownerId,
    search,
    location,
    colorId,
    sort,
    dir,
    pageSize: prefs?.itemsPerPage ?? 100,
  });

  const locations =
    useContract('inventory.locations', { ...(ownerId !== undefined ? { ownerId } : {}), limit: 5000 }, { keep: true }).data ??
    NO_LOCATIONS;

  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (searchFocusNonce > 0) {
      searchRef.current?.focus();
      searchRef.current?.select();
    }
  }, [searchFocusNonce]);

  // The grid is the one tab stop and the scrolling element; its header row stays on top (sticky).
  const gridRef = useRef<HTMLDivElement>(null);
  const count = total ?? 0;
  // The virtualizer hands out functions that change with every scroll: the React Compiler
  // would skip this component, and it is not used here, so the warning says nothing new.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT,
    // The rows start below the header row, which covers the top of the scrolled area.
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();

  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    ensureRange(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, ensureRange]);

  // The active cell (row and column, ARIA grid pattern) belongs to one query: a new search,
  // filter, sort or owner starts at the top; the column stays. Row HEADER is the header row.
  const queryKey = JSON.stringify([search, location, colorId, sort, dir, ownerId]);
  // Rows passing by while the list scrolls, or while a search is being typed, ask for no
  // pictures (their requests would queue before the next rows); they load once the list rests.
  const restedKey = useSettled(queryKey, PICTURES_SETTLE_MS);
  const scrolling = virtualizer.isScrolling || restedKey !== queryKey;
  const [selection, setSelection] = useState({ queryKey, index: 0, col: 0 });
  const selected = selection.queryKey === queryKey || selection.index === HEADER ? selection.index : 0;
  const activeCol = selection.col;
  const setSelected = useCallback(
    (index: number, col?: number) => setSelection((s) => ({ queryKey, index, col: col ?? s.col })),
    [queryKey],
  );
  const setInventoryQuery = useUi((s) => s.setInventoryQuery);
  useEffect(() => {
    setInventoryQuery({ search, location, colorId, sort, dir });
  }, [setInventoryQuery, search, location, colorId, sort, dir]);
  useEffect(() => {
    if (gridRef.current) gridRef.current.scrollTop = 0;
  }, [queryKey]);
  useEffect(() => {
    if (total !== null && selected >= total) setSelected(Math.max(0, total - 1));
  }, [total, selected, setSelected]);

  const selectedLot = rowAt(selected);

  const onSort = (key: SortKey) => {
    const nextDir = key === sort ? (dir === 'asc' ? 'desc' : 'asc') : key === 'updated' || key === 'created' ? 'desc' : 'asc';
    void setPrefs({ sortKey: key, sortDir: nextDir });
  };

  const move = useCallback(
    (to: number, col?: number) => {
      if (to === HEADER) return setSelected(HEADER, col);
      if (count === 0) return;
      const i = Math.max(0, Math.min(count - 1, to));
      setSelected(i, col);
      virtualizer.scrollToIndex(i, { align: 'auto' });
    },
    [count, virtualizer, setSelected],
  );

  // The ARIA grid pattern: the grid is one tab stop, the active cell is its active descendant.
  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((gridRef.current?.clientHeight ?? 340) / ROW_HEIGHT) - 2);
    const onHeader = selected === HEADER;
    const mod = e.ctrlKey || e.metaKey;
    switch (e.key) {
      case 'ArrowDown':
        move(onHeader ? 0 : selected + 1);
        break;
      case 'ArrowUp':
        move(selected <= 0 ? HEADER : selected - 1);
        break;
      case 'ArrowLeft':
        move(selected, Math.max(0, activeCol - 1));
        break;
      case 'ArrowRight':
        move(selected, Math.min(LAST_COL, activeCol + 1));
        break;
      case 'PageDown':
        move(onHeader ? page - 1 : selected + page);
        break;
      case 'PageUp':
        move(onHeader ? HEADER : selected - page);
        break;
      case 'Home':
        move(0, mod ? 0 : undefined);
        break;
      case 'End':
        move(count - 1, mod ? LAST_COL : undefined);
        break;
      case 'Enter':
      case ' ':
        if (onHeader) onSort(COLUMNS[activeCol]!.key);
        else if (e.key === 'Enter' && selectedLot && canEdit) openItem({ mode: 'edit', lot: selectedLot });
        else return;
        break;
      case 'Delete':
        if (!onHeader && selectedLot && canDelete) askDelete(selectedLot);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  // Stable for the rows (memoised): a row re-renders only when its own lot or state changes.
  const openRef = useRef<(lot: Lot) => void>(() => {});
  useEffect(() => {
    openRef.current = (lot) => {
      if (canEdit) openItem({ mode: 'edit', lot });
    };
  }, [canEdit, openItem]);
  const onOpen = useCallback((lot: Lot) => openRef.current(lot), []);

  const colorOptions = useMemo(() => [...colors].sort((a, b) => a.name.localeCompare(b.name)), [colors]);
  const filtered = search.trim() !== '' || location !== undefined || colorId !== undefined;
  const low = prefs?.lowStockThreshold ?? 0;
  const today = useToday();
  const gridId = useId();
  const cellId = (row: number, col: number) => `${gridId}-${row === HEADER ? 'h' : row}-${col}`;
  const activeShown = selected === HEADER || items.some((v) => v.index === selected);
  // The true number of rows when it is known: a reader says "row 12 of 3,163".
  const rowCount = total === null || capped || incomplete ? -1 : count + 1;

  return (
    <>
      <h1 className="visually-hidden">Inventory</h1>
      <div className="toolbar" role="search">
        <label className="visually-hidden" htmlFor="inv-search">
          Search inventory
        </label>
        <input
          id="inv-search"
          ref={searchRef}
          type="search"
          placeholder="Search name, part, colour, location…  (Ctrl+F)"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault();
              gridRef.current?.focus();
            }
          }}
        />
        <label className="visually-hidden" htmlFor="inv-location">
          Filter by location
        </label>
        <select
          id="inv-location"
          value={location ?? '\u0000all'}
          onChange={(e) => setLocation(e.target.value === '\u0000all' ? undefined : e.target.value)}
        >
          <option value={'\u0000all'}>All locations</option>
          <option value="">(no location)</option>
          {locations.map((l) => (
            <option key={l.storageLocation} value={l.storageLocation}>
              {l.storageLocation} ({l.lots})
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor="inv-color">
          Filter by colour
        </label>
        <select
          id="inv-color"
          value={colorId === undefined ? 'all' : String(colorId)}
          onChange={(e) => setColorId(e.target.value === 'all' ? undefined : Number(e.target.value))}
        >
          <option value="all">All colours</option>
          {colorOptions.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        {filtered && (
          <button
            type="button"
            className="btn"
            onClick={() => {
              setSearchText('');
              setLocation(undefined);
              setColorId(undefined);
            }}
          >
            Clear filters
          </button>
        )}
        <span className="count" aria-live="polite" data-testid="lot-count">
          {total === null
            ? 'Loading…'
            : incomplete
              ? `${fmtNumber(total)}+ matches — type more to narrow`
              : capped
                ? `${fmtNumber(total)}+ lots`
                : `${fmtNumber(total)} ${total === 1 ? 'lot' : 'lots'}`}
        </span>
        <button type="button" className="btn" onClick={() => setDeletedOpen(true)}>
          Deleted lots…
        </button>
        <button type="button" className="btn" onClick={() => setLabelsOpen(true)} disabled={!total}>
          Labels…
        </button>
        {canEdit && (
          <button type="button" className="btn primary" onClick={() => openItem({ mode: 'new' })} title="New item (Ctrl+N)">
            + New item
          </button>
        )}
      </div>
      {deletedOpen && <DeletedLotsDialog onClose={() => setDeletedOpen(false)} />}
      {total ? <PictureConsent /> : null}
      {labelsOpen && (
        <LabelsDialog
          ownerId={ownerId}
          locations={locations}
          initialLocation={location}
          selectedLot={selectedLot}
          onClose={() => setLabelsOpen(false)}
        />
      )}
      {error && (
        <p className="notice error" role="alert" style={{ margin: '0 16px 8px' }}>
          {error}
        </p>
      )}
      <div className="grid-wrap">
        <div
          ref={gridRef}
          role="grid"
          aria-label="Inventory"
          aria-rowcount={rowCount}
          aria-colcount={COLUMNS.length}
          tabIndex={0}
          aria-activedescendant={activeShown && (selected === HEADER || selectedLot) ? cellId(selected, activeCol) : undefined}
          className={`grid${total === 0 ? ' no-rows' : ''}`}
          onKeyDown={onGridKey}
        >
          <div role="rowgroup" className="grid-head">
            <div role="row" aria-rowindex={1} className="grid-cols">
              {COLUMNS.map((c, ci) => (
                <div
                  key={c.key}
                  id={cellId(HEADER, ci)}
                  role="columnheader"
                  className={`${c.num ? 'num' : ''}${selected === HEADER && activeCol === ci ? ' active' : ''}`}
                  aria-sort={sort === c.key ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button
                    type="button"
                    tabIndex={-1}
                    onClick={() => {
                      setSelected(HEADER, ci);
                      gridRef.current?.focus();
                      onSort(c.key);
                    }}
                  >
                    {c.label}
                    <span aria-hidden="true">{sort === c.key ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </div>
              ))}
            </div>
          </div>
          <div role="rowgroup" aria-label="Lots" className="grid-body">
            {total !== 0 && (
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((v) => {
                  const lot = rowAt(v.index);
                  return (
                    <Row
                      key={lot ? lot.id : `i${v.index}`}
                      index={v.index}
                      lot={lot}
                      activeCol={v.index === selected ? activeCol : -1}
                      cellIdBase={gridId}
                      low={low}
                      today={today}
                      color={lot ? colorById.get(lot.colorId) : undefined}
                      pictures={!scrolling}
                      onSelect={setSelected}
                      onOpen={onOpen}
                    />
                  );
                })}
              </div>
            )}
          </div>
        </div>
        {total === 0 && (
          <p className="empty">
            {filtered ? 'No lots match the search and filters.' : 'No lots yet. Add one with “New item” or import a file.'}
          </p>
        )}
      </div>
    </>
  );
}

const GRIDCELL: { role: string; id?: string; className?: string } = { role: 'gridcell' };

/**
 * One row, memoised: its props are the lot object (the same object until its block is
 * fetched again), primitives and stable callbacks, so a scroll or a block arriving renders only
 * the rows that changed. Its place comes from its index (fixed height), so nothing is measured.
 */
const Row = memo(function Row(props: {
  index: number;
  lot: Lot | undefined;
  /** The active column when this is the active row, else -1. */
  activeCol: number;
  cellIdBase: string;
  low: number;
  /** A time of the current day: "today" and "yesterday" are judged against it. */
  today: number;
  color: Color | undefined;
  pictures: boolean;
  onSelect: (index: number, col?: number) => void;
  onOpen: (lot: Lot) => void;
}) {
  const { lot, index, onSelect, onOpen, activeCol } = props;
  const style = { transform: `translateY(${index * ROW_HEIGHT}px)` };
  // Only the active row's cells get an id and a class; a click is read off the row (one handler
  // per row, not per cell: rows are rendered again and again while the table scrolls).
  const cell = (col: number) =>
    activeCol === col ? { role: 'gridcell', id: `${props.cellIdBase}-${index}-${col}`, className: 'active' } : GRIDCELL;
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const target = (e.target as HTMLElement).closest('[role=gridcell]');
    const col = target ? Array.prototype.indexOf.call(e.currentTarget.children, target) : -1;
    onSelect(index, col >= 0 ? col : undefined);
  };
  if (!lot) {
    return (
      <div role="row" aria-rowindex={index + 2} className="grid-row grid-cols" style={style} aria-busy="true" onClick={onClick}>
        {COLUMNS.map((c, ci) => (
          <div key={c.key} {...cell(ci)}>
            <div className="placeholder" />
          </div>
        ))}
      </div>
    );
  }
  const stock = lot.quantityAvailable === 0 ? 'none' : lot.quantityAvailable <= props.low ? 'low' : null;
  // The short date is the text; the full date is the tooltip (a reader's description of the
  // cell) and, in the active row that a reader is on, the text a reader reads. Only there: two
  // more nodes in every row cost scrolling time.
  const date = (ms: number, col: number) => {
    const full = userDates.full(ms);
    const c = cell(col);
    const short = userDates.short(ms, props.today);
    return (
      <div {...c} className={`date${c.className ? ` ${c.className}` : ''}`} title={full}>
        {activeCol < 0 ? (
          short
        ) : (
          <>
            <span aria-hidden="true">{short}</span>
            <span className="visually-hidden">{full}</span>
          </>
        )}
      </div>
    );
  };
  const withClass = (col: number, extra: string) => {
    const c = cell(col);
    return { ...c, className: `${extra}${c.className ? ` ${c.className}` : ''}` };
  };
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={activeCol >= 0}
      className="grid-row grid-cols"
      style={style}
      onClick={onClick}
      onDoubleClick={() => onOpen(lot)}
      data-lot-id={lot.id}
    >
      {(() => {
        const picture = props.pictures ? (
          <Picture of={{ kind: 'part', partId: lot.partId, colorId: lot.colorId }} size={26} />
        ) : (
          <span className="picture picture-slot" aria-hidden="true" />
        );
        if (lot.name)
          return (
            <div {...cell(0)} title={lot.name}>
              {picture}
              {lot.name}
            </div>
          );
        if (lot.catalogName)
          return (
            <div {...cell(0)} title={`${lot.catalogName} (the catalogue’s name)`}>
              {picture}
              {lot.catalogName}
            </div>
          );
        return (
          <div {...withClass(0, 'muted')} title="No name, and the catalogue does not know this part">
            {picture}
            {lot.partId}
          </div>
        );
      })()}
      <div {...cell(1)}>{lot.partId}</div>
      <div {...cell(2)} title={lot.colorName}>
        <Swatch color={props.color} />
        {lot.colorName}
      </div>
      <div {...withClass(3, 'num')}>{fmtNumber(lot.quantityTotal)}</div>
      <div {...withClass(4, 'num')}>{fmtNumber(lot.quantityUsed)}</div>
      <div
        {...withClass(5, `num${stock ? ` stock-${stock}` : ''}`)}
        title={stock === 'none' ? 'None available' : stock === 'low' ? 'Low stock' : undefined}
      >
        {stock && (
          <span className="stock-flag" aria-hidden="true">
            {stock === 'none' ? '⊘' : '▼'}
          </span>
        )}
        {fmtNumber(lot.quantityAvailable)}
        {stock && <span className="visually-hidden">{stock === 'none' ? ', none available' : ', low stock'}</span>}
      </div>
      <div {...cell(6)} title={lot.storageLocation}>
        {lot.storageLocation || <span className="muted">—</span>}
      </div>
      {date(lot.updatedAt, 7)}
      {date(lot.createdAt, 8)}
    </div>
  );
});
