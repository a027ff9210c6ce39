// The inventory: search, filters, and a virtualised, sortable table of lots.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Color, Lot, SortKey } from '../../../shared/types';
import { Picture } from '../../components/Picture';
import { Swatch } from '../../components/Swatch';
import { useContract } from '../../data/queries';
import { fmtDateTime, fmtNumber } from '../../format';
import { useSettled } from '../../hooks';
import { usePreferences } from '../../stores/preferences';
import { useSession } from '../../stores/session';
import { useUi } from '../../stores/ui';
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
];

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

  const scrollRef = useRef<HTMLDivElement>(null);
  const count = total ?? 0;
  // The virtualizer hands out functions that change with every scroll: the React Compiler
  // would skip this component, and it is not used here, so the warning says nothing new.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();

  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    ensureRange(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, ensureRange]);

  // The selected row belongs to one query: a new search, filter, sort or owner starts at the top.
  const queryKey = JSON.stringify([search, location, colorId, sort, dir, ownerId]);
  // Rows passing by while the list scrolls, or while a search is being typed, ask for no
  // pictures (their requests would queue before the next rows); they load once the list rests.
  const restedKey = useSettled(queryKey, PICTURES_SETTLE_MS);
  const scrolling = virtualizer.isScrolling || restedKey !== queryKey;
  const [selection, setSelection] = useState({ queryKey, index: 0 });
  const selected = selection.queryKey === queryKey ? selection.index : 0;
  const setSelected = useCallback((index: number) => setSelection({ queryKey, index }), [queryKey]);
  const setInventoryQuery = useUi((s) => s.setInventoryQuery);
  useEffect(() => {
    setInventoryQuery({ search, location, colorId, sort, dir });
  }, [setInventoryQuery, search, location, colorId, sort, dir]);
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [queryKey]);
  useEffect(() => {
    if (total !== null && selected >= total) setSelected(Math.max(0, total - 1));
  }, [total, selected, setSelected]);

  const selectedLot = rowAt(selected);

  const onSort = (key: SortKey) => {
    const nextDir = key === sort ? (dir === 'asc' ? 'desc' : 'asc') : key === 'updated' ? 'desc' : 'asc';
    void setPrefs({ sortKey: key, sortDir: nextDir });
  };

  const move = useCallback(
    (to: number) => {
      if (count === 0) return;
      const i = Math.max(0, Math.min(count - 1, to));
      setSelected(i);
      virtualizer.scrollToIndex(i, { align: 'auto' });
    },
    [count, virtualizer, setSelected],
  );

  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 340) / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        move(selected + 1);
        break;
      case 'ArrowUp':
        move(selected - 1);
        break;
      case 'PageDown':
        move(selected + page);
        break;
      case 'PageUp':
        move(selected - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(count - 1);
        break;
      case 'Enter':
        if (selectedLot && canEdit) openItem({ mode: 'edit', lot: selectedLot });
        break;
      case 'Delete':
        if (selectedLot && canDelete) askDelete(selectedLot);
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

  return (
    <>
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
              scrollRef.current?.focus();
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
        <button type="button" className="btn" onClick={() => setLabelsOpen(true)} disabled={!total}>
          Labels…
        </button>
        {canEdit && (
          <button type="button" className="btn primary" onClick={() => openItem({ mode: 'new' })} title="New item (Ctrl+N)">
            + New item
          </button>
        )}
      </div>
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
          role="grid"
          aria-label="Inventory"
          aria-rowcount={count + 1}
          aria-colcount={COLUMNS.length}
          style={{ display: 'contents' }}
        >
          <div role="rowgroup" className="grid-head">
            <div role="row" aria-rowindex={1} className="grid-cols">
              {COLUMNS.map((c) => (
                <div
                  key={c.key}
                  role="columnheader"
                  className={c.num ? 'num' : undefined}
                  aria-sort={sort === c.key ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" onClick={() => onSort(c.key)}>
                    {c.label}
                    <span aria-hidden="true">{sort === c.key ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </div>
              ))}
            </div>
          </div>
          <div
            ref={scrollRef}
            role="rowgroup"
            aria-label="Lots"
            className="grid-body"
            tabIndex={0}
            aria-activedescendant={selectedLot ? `lot-row-${selected}` : undefined}
            onKeyDown={onGridKey}
          >
            {total === 0 ? (
              <div className="empty">
                {filtered ? 'No lots match the search and filters.' : 'No lots yet. Add one with “New item” or import a file.'}
              </div>
            ) : (
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((v) => {
                  const lot = rowAt(v.index);
                  return (
                    <Row
                      key={lot ? lot.id : `i${v.index}`}
                      index={v.index}
                      lot={lot}
                      selected={v.index === selected}
                      low={low}
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
      </div>
    </>
  );
}

/**
 * One row, memoised: its props are the lot object (the same object until its block is
 * fetched again), primitives and stable callbacks, so a scroll or a block arriving renders only
 * the rows that changed. Its place comes from its index (fixed height), so nothing is measured.
 */
const Row = memo(function Row(props: {
  index: number;
  lot: Lot | undefined;
  selected: boolean;
  low: number;
  color: Color | undefined;
  pictures: boolean;
  onSelect: (index: number) => void;
  onOpen: (lot: Lot) => void;
}) {
  const { lot, index, onSelect, onOpen } = props;
  const style = { transform: `translateY(${index * ROW_HEIGHT}px)` };
  if (!lot) {
    return (
      <div role="row" aria-rowindex={index + 2} className="grid-row grid-cols" style={style} aria-busy="true">
        {COLUMNS.map((c) => (
          <div key={c.key} role="gridcell">
            <div className="placeholder" />
          </div>
        ))}
      </div>
    );
  }
  const availClass = lot.quantityAvailable === 0 ? 'avail-zero' : lot.quantityAvailable <= props.low ? 'avail-low' : '';
  return (
    <div
      id={props.selected ? `lot-row-${index}` : undefined}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={props.selected}
      className="grid-row grid-cols"
      style={style}
      onClick={() => onSelect(index)}
      onDoubleClick={() => onOpen(lot)}
      data-lot-id={lot.id}
    >
      <div role="gridcell" title={lot.name}>
        {props.pictures ? (
          <Picture of={{ kind: 'part', partId: lot.partId, colorId: lot.colorId }} size={26} />
        ) : (
          <span className="picture picture-slot" aria-hidden="true" />
        )}
        {lot.name || <span className="muted">—</span>}
      </div>
      <div role="gridcell">{lot.partId}</div>
      <div role="gridcell" title={lot.colorName}>
        <Swatch color={props.color} />
        {lot.colorName}
      </div>
      <div role="gridcell" className="num">
        {fmtNumber(lot.quantityTotal)}
      </div>
      <div role="gridcell" className="num">
        {fmtNumber(lot.quantityUsed)}
      </div>
      <div role="gridcell" className={`num ${availClass}`}>
        {fmtNumber(lot.quantityAvailable)}
      </div>
      <div role="gridcell" title={lot.storageLocation}>
        {lot.storageLocation || <span className="muted">—</span>}
      </div>
      <div role="gridcell" className="muted">
        {fmtDateTime(lot.updatedAt)}
      </div>
    </div>
  );
});
