// A windowed view of a large, sorted, filtered lot list. Rows are fetched from main in blocks;
// a block after a known one is fetched by keyset cursor (`after`), a block far away (a
// scrollbar jump) by `offset`. Only the blocks near the visible range are requested, so the
// table stays smooth with hundreds of thousands of lots. A changed query starts over; a change
// that main announces (the data layer's invalidation of `inventory.list`) refetches while still
// showing the previous rows (no flicker). Each query and refresh is a generation with its own
// AbortController: answers to an older one are dropped, and its counts are tagged with the
// query they belong to, so a late answer to an earlier keystroke never shows.
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Input } from '../../../shared/contract';
import type { Lot, SortDir, SortKey } from '../../../shared/types';
import { call } from '../../api';
import { useInvalidation } from '../../data/queries';

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
  /**
   * A broad search counts only up to a cap: then the total is a lower bound that grows as
   * pages arrive (one block beyond the last loaded row while there is a next page), so the
   * list can still be scrolled to its real end.
   */
  capped: boolean;
  /** Aborted when a newer query or refresh replaces this generation. */
  abort: AbortController;
}

/** The lot count of one query (`key`), so a count never outlives the query it answers. */
interface Count {
  key: string;
  total: number | null;
  capped: boolean;
  /** The search stopped reading early: the list ends, more lots may match. */
  incomplete?: boolean;
}

const emptyCache = (key: string): Cache => ({
  key,
  blocks: new Map(),
  cursors: new Map(),
  pending: new Set(),
  stale: new Map(),
  capped: false,
  abort: new AbortController(),
});

export function useLotPages(q: LotQuery) {
  const key = JSON.stringify(q);
  const BLOCK = Math.max(10, Math.min(1000, q.pageSize));
  const { ownerId, search, location, colorId, sort, dir } = q;
  const filter = useMemo(
    (): Input<'inventory.list'> => ({
      ...(ownerId !== undefined ? { ownerId } : {}),
      ...(search.trim() ? { search } : {}),
      ...(location !== undefined ? { location } : {}),
      ...(colorId !== undefined ? { colorId } : {}),
      sort,
      dir,
    }),
    [ownerId, search, location, colorId, sort, dir],
  );
  const cache = useRef<Cache>(emptyCache(''));
  const [count, setCount] = useState<Count>({ key, total: null, capped: false });
  const total = count.key === key ? count.total : null;
  const capped = count.key === key && count.capped;
  const incomplete = count.key === key && count.incomplete === true;
  const [error, setError] = useState<string | null>(null);
  const [, setTick] = useState(0);
  const lastRange = useRef<[number, number]>([0, 0]);
  // Bumped when main announces a change that affects this list.
  const [version, setVersion] = useState(0);
  useInvalidation('inventory.list', filter, () => setVersion((v) => v + 1));

  const fetchBlock = useCallback(
    async (b: number, withTotal: boolean) => {
      const c = cache.current;
      const { signal } = c.abort;
      if (signal.aborted || c.pending.has(b)) return;
      c.pending.add(b);
      const cursor = c.cursors.get(b);
      const res = await call('inventory.list', {
        ...filter,
        limit: BLOCK,
        withTotal,
        ...(b === 0 ? {} : cursor ? { after: cursor } : { offset: b * BLOCK }),
      });
      if (signal.aborted) return;
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
        c.capped = res.data.totalCapped === true;
        setCount({ key: c.key, total: res.data.total, capped: c.capped, incomplete: res.data.incomplete === true });
      }
      if (c.capped) {
        const end = b * BLOCK + res.data.items.length;
        if (res.data.nextCursor) {
          const grown = end + BLOCK;
          setCount((n) => (n.key === c.key ? { ...n, total: Math.max(n.total ?? 0, grown) } : n));
        } else {
          // The last page: the count is exact now, unless the search stopped reading early.
          c.capped = false;
          setCount({ key: c.key, total: end, capped: res.data.incomplete === true, incomplete: res.data.incomplete === true });
        }
      }
      // Forget blocks far from the view to bound memory.
      if (c.blocks.size > KEEP_BLOCKS) {
        const mid = Math.floor((lastRange.current[0] + lastRange.current[1]) / 2 / BLOCK);
        const far = [...c.blocks.keys()].sort((x, y) => Math.abs(y - mid) - Math.abs(x - mid));
        for (const k of far.slice(0, c.blocks.size - KEEP_BLOCKS)) c.blocks.delete(k);
      }
      // The rows are read from the cache (rowAt), so the next render shows this block whenever
      // it comes; the re-render asked for here is not urgent and may yield to scrolling and typing.
      startTransition(() => setTick((t) => t + 1));
    },
    [filter, BLOCK],
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

  // A new query starts over; a refresh keeps the rows on screen as stale until refetched.
  useEffect(() => {
    const prev = cache.current;
    const sameQuery = prev.key === key;
    const c = emptyCache(key);
    if (sameQuery) {
      c.stale = new Map([...prev.stale, ...prev.blocks]);
      c.capped = prev.capped;
    }
    cache.current = c;
    void fetchBlock(0, true);
    const [s, e] = lastRange.current;
    const first = Math.max(1, Math.floor(s / BLOCK) - 1);
    for (let b = first; b <= Math.floor(e / BLOCK) + 1; b++) void fetchBlock(b, false);
    return () => c.abort.abort();
  }, [key, version, fetchBlock, BLOCK]);

  const rowAt = useCallback(
    (i: number): Lot | undefined => {
      const c = cache.current;
      if (c.key !== key) return undefined;
      const b = Math.floor(i / BLOCK);
      return c.blocks.get(b)?.[i % BLOCK] ?? c.stale.get(b)?.[i % BLOCK];
    },
    [key, BLOCK],
  );

  return { total, capped, incomplete, error, rowAt, ensureRange };
}
