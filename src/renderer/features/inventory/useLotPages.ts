// A windowed view of a large, sorted, filtered lot list. Rows are fetched from main in blocks;
// a block after a known one is fetched by keyset cursor (`after`), a block far away (a
// scrollbar jump) by `offset`. Only the blocks near the visible range are requested, so the
// table stays smooth with hundreds of thousands of lots. A changed query starts over; a data
// change refetches while still showing the previous rows (no flicker).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Lot, SortDir, SortKey } from '../../../shared/types';
import { call } from '../../api';

const KEEP_BLOCKS = 60;

export interface LotQuery {
  ownerId: number | undefined;
  search: string;
  location: string | undefined;
  colorId: number | undefined;
  sort: SortKey;
  dir: SortDir;
  /** Rows per request (the items-per-page preference). */
  pageSize: number;
}

interface Cache {
  key: string;
  blocks: Map<number, Lot[]>;
  /** Cursor that starts block n (nextCursor of block n-1). */
  cursors: Map<number, string>;
  pending: Set<number>;
  stale: Map<number, Lot[]>;
}

export function useLotPages(q: LotQuery, dataVersion: number) {
  const key = JSON.stringify(q);
  const BLOCK = Math.max(10, Math.min(1000, q.pageSize));
  const cache = useRef<Cache>({ key: '', blocks: new Map(), cursors: new Map(), pending: new Set(), stale: new Map() });
  const [total, setTotal] = useState<number | null>(null);
  // A broad search counts only up to a cap: then `total` is a lower bound that grows as pages
  // arrive (one block beyond the last loaded row while there is a next page), so the list can
  // still be scrolled to its real end.
  const [capped, setCapped] = useState(false);
  const cappedRef = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const [, setTick] = useState(0);
  const rerender = useCallback(() => setTick((t) => t + 1), []);
  const lastRange = useRef<[number, number]>([0, 0]);
  const generation = useRef(0);

  const fetchBlock = useCallback(
    async (b: number, withTotal: boolean) => {
      const c = cache.current;
      if (c.pending.has(b)) return;
      c.pending.add(b);
      const gen = generation.current;
      const cursor = c.cursors.get(b);
      const res = await call('inventory.list', {
        ...(q.ownerId !== undefined ? { ownerId: q.ownerId } : {}),
        ...(q.search.trim() ? { search: q.search } : {}),
        ...(q.location !== undefined ? { location: q.location } : {}),
        ...(q.colorId !== undefined ? { colorId: q.colorId } : {}),
        sort: q.sort,
        dir: q.dir,
        limit: BLOCK,
        withTotal,
        ...(b === 0 ? {} : cursor ? { after: cursor } : { offset: b * BLOCK }),
      });
      if (gen !== generation.current) return;
      c.pending.delete(b);
      if (!res.ok) {
        setError(res.error.message);
        return;
      }
      setError(null);
      c.blocks.set(b, res.data.items);
      c.stale.delete(b);
      if (res.data.nextCursor) c.cursors.set(b + 1, res.data.nextCursor);
      if (withTotal) {
        cappedRef.current = res.data.totalCapped === true;
        setCapped(cappedRef.current);
        setTotal(res.data.total);
      }
      if (cappedRef.current) {
        const end = b * BLOCK + res.data.items.length;
        if (res.data.nextCursor) setTotal((t) => Math.max(t ?? 0, end + BLOCK));
        else {
          // The last page: the count is exact now.
          cappedRef.current = false;
          setCapped(false);
          setTotal(end);
        }
      }
      // Forget blocks far from the view to bound memory.
      if (c.blocks.size > KEEP_BLOCKS) {
        const mid = Math.floor((lastRange.current[0] + lastRange.current[1]) / 2 / BLOCK);
        const far = [...c.blocks.keys()].sort((x, y) => Math.abs(y - mid) - Math.abs(x - mid));
        for (const k of far.slice(0, c.blocks.size - KEEP_BLOCKS)) c.blocks.delete(k);
      }
      rerender();
    },
    [key, rerender, BLOCK],
  );

  const ensureRange = useCallback(
    (start: number, end: number) => {
      lastRange.current = [start, end];
      const c = cache.current;
      const first = Math.max(0, Math.floor(start / BLOCK) - 1);
      const last = Math.floor(end / BLOCK) + 1;
      for (let b = first; b <= last; b++) {
        if (total !== null && b * BLOCK >= total) break;
        if (!c.blocks.has(b)) void fetchBlock(b, false);
      }
    },
    [fetchBlock, total, BLOCK],
  );

  // A new query starts over; a data change keeps the rows on screen as stale until refreshed.
  useEffect(() => {
    const c = cache.current;
    generation.current++;
    const sameQuery = c.key === key;
    const stale = sameQuery ? new Map([...c.stale, ...c.blocks]) : new Map<number, Lot[]>();
    cache.current = { key, blocks: new Map(), cursors: new Map(), pending: new Set(), stale };
    if (!sameQuery) {
      setTotal(null);
      cappedRef.current = false;
      setCapped(false);
    }
    void fetchBlock(0, true);
    const [s, e] = lastRange.current;
    const first = Math.max(1, Math.floor(s / BLOCK) - 1);
    for (let b = first; b <= Math.floor(e / BLOCK) + 1; b++) void fetchBlock(b, false);
    rerender();
  }, [key, dataVersion, fetchBlock, rerender, BLOCK]);

  const rowAt = useCallback(
    (i: number): Lot | undefined => {
      const c = cache.current;
      const b = Math.floor(i / BLOCK);
      return c.blocks.get(b)?.[i % BLOCK] ?? c.stale.get(b)?.[i % BLOCK];
    },
    [BLOCK],
  );

  return { total, capped, error, rowAt, ensureRange };
}
