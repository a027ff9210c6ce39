// Far jumps by offset (the list view drags its scrollbar to row 500,000 and asks for that
// block by `offset`). SQLite's b-trees keep no positions, so `OFFSET n` steps over n index
// entries: 30–40 ms at 500,000. Instead, a small sample of every JUMP_STEP-th entry of a sort
// index (per profile and sort key) gives a seek point at most JUMP_STEP entries before any
// position; the page is a seek there plus a short OFFSET, at an exact position.
//
// A sample is exact only for the data it was read from. It carries a stamp of the connection's
// writes (`total_changes()`, which counts trigger and cascade changes too) and of other
// connections' commits (`PRAGMA data_version`); any write makes it stale. A stale or missing
// sample is never used: that jump takes the plain OFFSET (exact, as slow as before) and the
// sample is (re)read in the background in short slices between calls, so jumps are fast again
// a moment later. Only whole-inventory lists (no search, no filter) are sampled: a filtered list
// is small enough to be sought by its own index, or walks with a filter that a sample would
// have to repeat.
import type { DbHandle } from '../db/open';
import type { Lot, SortDir, SortKey } from '../../shared/types';
import { SORT_EXPR, SORT_INDEX, listSql } from './query';

/** Entries between two sampled keys: a jump steps over at most this many. */
export const JUMP_STEP = 1024;
/** Offsets below this are cheap as a plain OFFSET (a few hundred microseconds). */
export const JUMP_MIN_OFFSET = 4 * JUMP_STEP;
/** Steps of JUMP_STEP entries read per background slice (a few milliseconds). */
const STEPS_PER_SLICE = 24;
/** Samples kept (profile × sort key); the least recently used is dropped. */
const MAX_SAMPLES = 12;

interface Key {
  value: string | number;
  id: number;
}

interface Sample {
  conn: unknown;
  stamp: string;
  lots: number;
  /** keys[j] is the entry at ascending position (j + 1) * JUMP_STEP - 1. */
  keys: Key[];
  done: boolean;
  /** A slice is scheduled. */
  busy: boolean;
}

const stepSql = (sort: SortKey, part: 'first' | 'ties' | 'after') => {
  const expr = SORT_EXPR[sort];
  const where = part === 'first' ? '' : part === 'ties' ? ` AND ${expr} = @value AND id > @id` : ` AND ${expr} > @value`;
  const order = part === 'ties' ? 'id' : `${expr}, id`;
  return `SELECT ${expr} AS value, id FROM inventory_items INDEXED BY ${SORT_INDEX[sort]}
    WHERE user_id = @owner${where} ORDER BY ${order} LIMIT 1 OFFSET @skip`;
};

/** Entries in the rest of a key's run after an entry, up to @max (a covering seek). */
export function tiesCountSql(sort: SortKey, dir: SortDir): string {
  const expr = SORT_EXPR[sort];
  return `SELECT count(*) FROM (SELECT 1 FROM inventory_items INDEXED BY ${SORT_INDEX[sort]}
    WHERE user_id = @owner AND ${expr} = @cvalue AND id ${dir === 'asc' ? '>' : '<'} @cid LIMIT @max)`;
}

export interface JumpOptions {
  /** Runs a background slice later (default: setImmediate, not keeping the process alive). */
  schedule?: (fn: () => void) => void;
  /** Entries between sampled keys (default JUMP_STEP; small in tests). */
  step?: number;
  /** Smallest offset served from the sample (default JUMP_MIN_OFFSET). */
  minOffset?: number;
}

export function createJumps(db: DbHandle, opts: JumpOptions = {}) {
  const schedule = opts.schedule ?? ((fn: () => void) => void setImmediate(fn).unref());
  const STEP = opts.step ?? JUMP_STEP;
  const MIN_OFFSET = opts.minOffset ?? JUMP_MIN_OFFSET;
  const samples = new Map<string, Sample>();

  function stamp(): string {
    const version = db.sqlite.pragma('data_version', { simple: true }) as number;
    const changes = db.stmt('SELECT total_changes()').pluck().get() as number;
    return `${version}:${changes}`;
  }

  const lotsOf = (ownerId: number) =>
    (db.stmt('SELECT lots FROM inventory_stats WHERE user_id = ?').pluck().get(ownerId) as number | undefined) ?? 0;

  /** The entry STEP entries after `from` (or the STEP-th from the start). */
  function nextKey(ownerId: number, sort: SortKey, from: Key | undefined): Key | undefined {
    if (!from) return db.stmt(stepSql(sort, 'first')).get({ owner: ownerId, skip: STEP - 1 }) as Key | undefined;
    const ties = db
      .stmt(tiesCountSql(sort, 'asc'))
      .pluck()
      .get({ owner: ownerId, cvalue: from.value, cid: from.id, max: STEP }) as number;
    if (ties >= STEP) {
      return db.stmt(stepSql(sort, 'ties')).get({ owner: ownerId, value: from.value, id: from.id, skip: STEP - 1 }) as Key;
    }
    return db.stmt(stepSql(sort, 'after')).get({ owner: ownerId, value: from.value, skip: STEP - 1 - ties }) as Key | undefined;
  }

  /** Reads up to `steps` more keys of a sample; restarts it when the data changed meanwhile. */
  function advance(ownerId: number, sort: SortKey, s: Sample, steps: number): void {
    const now = stamp();
    if (s.conn !== db.sqlite || s.stamp !== now) {
      Object.assign(s, { conn: db.sqlite, stamp: now, lots: lotsOf(ownerId), keys: [], done: false });
    }
    for (let i = 0; i < steps && !s.done; i++) {
      const k = nextKey(ownerId, sort, s.keys.at(-1));
      if (k) s.keys.push(k);
      else s.done = true;
    }
  }

  function sampleOf(ownerId: number, sort: SortKey): Sample {
    const key = `${ownerId}:${sort}`;
    let s = samples.get(key);
    if (s) samples.delete(key);
    s ??= { conn: null, stamp: '', lots: 0, keys: [], done: false, busy: false };
    samples.set(key, s); // most recently used last
    while (samples.size > MAX_SAMPLES) samples.delete(samples.keys().next().value!);
    return s;
  }

  const fresh = (s: Sample) => s.done && s.conn === db.sqlite && s.stamp === stamp();

  /** Reads the sample in slices between calls until it is complete and current. */
  function warm(ownerId: number, sort: SortKey): void {
    const s = sampleOf(ownerId, sort);
    if (s.busy || fresh(s)) return;
    s.busy = true;
    const slice = () => {
      if (!db.sqlite.open) return;
      try {
        advance(ownerId, sort, s, STEPS_PER_SLICE);
      } catch {
        s.busy = false; // closed or reopened under us: the next jump starts again
        return;
      }
      if (s.done && s.stamp === stamp()) s.busy = false;
      else schedule(slice);
    };
    schedule(slice);
  }

  /** Reads the whole sample now (start-up warm-up, tests and the benchmark). */
  function build(ownerId: number, sort: SortKey): void {
    const s = sampleOf(ownerId, sort);
    do advance(ownerId, sort, s, Number.MAX_SAFE_INTEGER);
    while (!fresh(s));
  }

  /**
   * Rows `offset .. offset + limit - 1` of the whole inventory in (sort, dir) order, by a seek
   * to the sampled key before them; undefined when there is no current sample (the caller
   * takes the plain OFFSET, and the sample is read in the background).
   */
  function page(ownerId: number, sort: SortKey, dir: SortDir, offset: number, limit: number): Lot[] | undefined {
    if (offset < MIN_OFFSET) return undefined;
    const s = sampleOf(ownerId, sort);
    if (!fresh(s)) {
      warm(ownerId, sort);
      return undefined;
    }
    const lots = s.lots;
    if (offset >= lots) return [];
    // The anchor is an entry just before the first wanted row in page order; the page starts
    // `skip` entries after it. keys[j] sits at ascending position (j + 1) * STEP - 1.
    let j: number;
    let skip: number;
    if (dir === 'asc') {
      j = Math.floor(offset / STEP) - 1;
      skip = offset - (j + 1) * STEP;
    } else {
      const p = lots - 1 - offset; // ascending position of the first row
      j = Math.ceil((p + 2) / STEP) - 1;
      skip = (j + 1) * STEP - 1 - 1 - p;
    }
    const anchor = s.keys[j];
    if (j < 0 || !anchor) return undefined;
    const shape = { sort, dir, driver: 'sort' as const };
    const base = { owner: ownerId, cvalue: anchor.value, cid: anchor.id };
    const ties = db
      .stmt(tiesCountSql(sort, dir))
      .pluck()
      .get({ ...base, max: skip + limit }) as number;
    let rows: Lot[] = [];
    if (ties > skip) {
      rows = db.stmt(listSql({ ...shape, cursor: 'ties', offset: skip > 0 })).all({
        ...base,
        limit,
        ...(skip > 0 ? { offset: skip } : {}),
      }) as Lot[];
      skip = 0;
    } else {
      skip -= ties;
    }
    if (rows.length < limit) {
      rows = rows.concat(
        db.stmt(listSql({ ...shape, cursor: 'after', offset: skip > 0 })).all({
          ...base,
          limit: limit - rows.length,
          ...(skip > 0 ? { offset: skip } : {}),
        }) as Lot[],
      );
    }
    return rows;
  }

  /** Forgets every sample (the data changed on another connection). */
  const clear = () => samples.clear();

  return { page, warm, build, stamp, clear };
}

export type Jumps = ReturnType<typeof createJumps>;
