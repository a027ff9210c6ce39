// "Which sets can I build?": every catalogue set whose parts are known, matched against one
// profile's lots, in one pass over what the profile owns. Runs in a worker (./worker.ts) on its
// own connection; `rankSets` is self-contained (it refers to nothing outside its parameters)
// because the worker runs its source.
//
// Only lines whose part the profile owns can add to `owned`: the profile's lots are grouped by
// match key first (variants.ts, keys as numbers), then only the inventory rows of owned parts
// are read, from the covering (part, colour, spare, inventory, quantity) index of migration 0005,
// into typed arrays grouped by inventory. The pieces of every inventory take one grouped pass
// over inventory_parts, which the service keeps for the next run of the same catalogue. A set's list is its newest inventory plus its sub-sets' and minifigures' newest inventories
// times their quantities; lines are summed by key across them before min(need, have), exactly
// as build matching does for one set.
import type Database from 'better-sqlite3';
import type { Canon } from './variants';

export interface RankParams {
  ownerId: number;
  countUsed: boolean;
  ignoreColor: boolean;
  noMinifigs: boolean;
  spares: boolean;
  /** Relationship kinds in force (variants.ts enabledRelTypes). */
  relTypes: string;
  /** SQL condition on `s` (sets) and its parameters: the filters. */
  where: string;
  params: unknown[];
  minPct: number;
  /** Pieces per inventory from an earlier run on the same catalogue (null: count them). */
  needed: { ids: Int32Array; sums: Float64Array } | null;
}

export interface RankedSet {
  setNum: string;
  needed: number;
  owned: number;
  pct: number;
}

export interface RankResult {
  considered: number;
  items: RankedSet[];
  timings: Record<string, number>;
  /** Pieces per inventory when this run counted them, for the next run to reuse. */
  needed: { ids: Int32Array; sums: Float64Array } | null;
}

export interface RankHooks {
  progress(phase: string, done: number, total: number): void;
  cancelled(): boolean;
  canonFor(rows: readonly (readonly [string, string, string])[], types: string): Canon;
}

export function rankSets(db: Database.Database, p: RankParams, hooks: RankHooks): RankResult {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const t = performance.now();
    timings[name] = Math.round(t - t0);
    t0 = t;
  };
  const stop = () => {
    if (hooks.cancelled()) {
      const e = new Error('The search for buildable sets was cancelled.') as Error & { code: string };
      e.code = 'cancelled';
      throw e;
    }
  };
  const rels = p.relTypes
    ? (db.prepare('SELECT rel_type, child_part_num, parent_part_num FROM part_relationships').raw().all() as [
        string,
        string,
        string,
      ][])
    : [];
  const canon = hooks.canonFor(rels, p.relTypes);

  // What the profile has, by match key. A key is a number: the group's index, times a colour
  // slot unless colour is ignored; `repOf` maps every part number of an owned group to its index.
  const repOf = new Map<string, number>();
  const keyOf = new Map<number, number>();
  const haveList: number[] = [];
  const COLOR_SLOTS = 1_000_003;
  const lots = db
    .prepare(
      `SELECT part_id, color_id, sum(${p.countUsed ? 'quantity_total' : 'quantity_total - quantity_used'})
         FROM inventory_items WHERE user_id = ? GROUP BY part_id, color_id`,
    )
    .raw()
    .all(p.ownerId) as [string, number, number][];
  for (const [part, color, n] of lots) {
    if (n <= 0) continue;
    const rep = canon.rep(part);
    let g = repOf.get(rep);
    if (g === undefined) {
      g = repOf.size;
      for (const m of canon.members(part)) repOf.set(m, g);
      repOf.set(rep, g);
    }
    const slot = p.ignoreColor ? g : g * COLOR_SLOTS + (color + 2);
    let k = keyOf.get(slot);
    if (k === undefined) {
      k = haveList.length;
      keyOf.set(slot, k);
      haveList.push(0);
    }
    haveList[k] = haveList[k]! + n;
  }
  const have = Float64Array.from(haveList);
  lap('lots');
  stop();

  // Pieces per inventory: one grouped pass, or what an earlier run of the same catalogue found.
  let neededOf: Map<number, number>;
  let neededOut: { ids: Int32Array; sums: Float64Array } | null = null;
  if (p.needed) {
    neededOf = new Map();
    for (let i = 0; i < p.needed.ids.length; i++) neededOf.set(p.needed.ids[i]!, p.needed.sums[i]!);
  } else {
    const all = db
      .prepare(
        `SELECT inventory_id, sum(quantity) FROM inventory_parts${p.spares ? '' : ' WHERE is_spare = 0'} GROUP BY inventory_id`,
      )
      .raw()
      .all() as [number, number][];
    neededOut = { ids: Int32Array.from(all, (r) => r[0]), sums: Float64Array.from(all, (r) => r[1]) };
    neededOf = new Map(all);
  }
  lap('needed');
  stop();

  // The rows of every owned part (and its variants) in the owned colour (or any), read from the
  // covering (part, colour, spare, inventory, quantity) index: inventory, key, quantity.
  let rowInv = new Int32Array(1 << 16);
  let rowKey = new Int32Array(1 << 16);
  let rowQty = new Float64Array(1 << 16);
  let rows = 0;
  const spareCond = p.spares ? '' : ' AND is_spare = 0';
  const byPart = db.prepare(`SELECT inventory_id, color_id, quantity FROM inventory_parts WHERE part_num = ?${spareCond}`).raw();
  const byPair = db
    .prepare(`SELECT inventory_id, color_id, quantity FROM inventory_parts WHERE part_num = ? AND color_id = ?${spareCond}`)
    .raw();
  const asked = new Set<string>();
  let n = 0;
  for (const [part, color, owned] of lots) {
    if (owned <= 0) continue;
    if ((++n & 255) === 0) {
      stop();
      hooks.progress('sets:reading', n, lots.length);
    }
    for (const m of canon.members(part)) {
      const ask = p.ignoreColor ? m : `${m}\u0000${color}`;
      if (asked.has(ask)) continue;
      asked.add(ask);
      const g = repOf.get(m)!;
      for (const [inv, c, q] of (p.ignoreColor ? byPart.all(m) : byPair.all(m, color)) as [number, number, number][]) {
        const k = keyOf.get(p.ignoreColor ? g : g * COLOR_SLOTS + (c + 2));
        if (k === undefined) continue;
        if (rows === rowInv.length) {
          const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
          rowInv = grow(rowInv, new Int32Array(rows * 2));
          rowKey = grow(rowKey, new Int32Array(rows * 2));
          rowQty = grow(rowQty, new Float64Array(rows * 2));
        }
        rowInv[rows] = inv;
        rowKey[rows] = k;
        rowQty[rows] = q;
        rows++;
      }
    }
  }
  // Owned rows grouped by inventory (start and end in `order`).
  const span = new Map<number, [number, number]>();
  for (let i = 0; i < rows; i++) {
    const s = span.get(rowInv[i]!);
    if (s) s[1]++;
    else span.set(rowInv[i]!, [0, 1]);
  }
  let at = 0;
  for (const s of span.values()) {
    const n = s[1];
    s[0] = at;
    s[1] = at;
    at += n;
  }
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[span.get(rowInv[i]!)![1]++] = i;
  lap('rows');
  stop();

  // Newest inventory per set or minifigure, and each inventory's sub-sets and minifigures.
  const newest = new Map<string, [number, number]>();
  for (const [id, version, num] of db.prepare('SELECT id, version, set_num FROM inventories').raw().all() as [
    number,
    number,
    string,
  ][]) {
    const cur = newest.get(num);
    if (!cur || version > cur[1]) newest.set(num, [id, version]);
  }
  const children = new Map<number, [string, number][]>();
  const addChild = (inv: number, num: string, q: number) => {
    const c = children.get(inv);
    if (c) c.push([num, q]);
    else children.set(inv, [[num, q]]);
  };
  for (const [inv, num, q] of db.prepare('SELECT inventory_id, set_num, quantity FROM inventory_sets').raw().all() as [
    number,
    string,
    number,
  ][])
    addChild(inv, num, q);
  if (!p.noMinifigs) {
    for (const [inv, num, q] of db.prepare('SELECT inventory_id, fig_num, quantity FROM inventory_minifigs').raw().all() as [
      number,
      string,
      number,
    ][])
      addChild(inv, num, q);
  }
  const setNums = db
    .prepare(`SELECT s.set_num FROM sets s${p.where ? ` WHERE ${p.where}` : ''}`)
    .pluck()
    .all(...p.params) as string[];
  lap('structure');

  const items: RankedSet[] = [];
  let considered = 0;
  const parts: number[] = []; // inventory, multiplier, inventory, multiplier …
  const collect = (inv: number, mult: number, depth: number) => {
    parts.push(inv, mult);
    if (depth >= 4) return;
    const kids = children.get(inv);
    if (!kids) return;
    for (const [num, q] of kids) {
      const child = newest.get(num);
      if (child && child[0] !== inv) collect(child[0], mult * q, depth + 1);
    }
  };
  const need = new Float64Array(have.length);
  const touched: number[] = [];
  for (let i = 0; i < setNums.length; i++) {
    if ((i & 1023) === 0) {
      stop();
      hooks.progress('sets:matching', i, setNums.length);
    }
    const setNum = setNums[i]!;
    const own = newest.get(setNum);
    if (!own) continue;
    parts.length = 0;
    collect(own[0], 1, 0);
    let needed = 0;
    for (let j = 0; j < parts.length; j += 2) needed += (neededOf.get(parts[j]!) ?? 0) * parts[j + 1]!;
    if (needed === 0) continue; // parts unknown
    considered++;
    for (let j = 0; j < parts.length; j += 2) {
      const s = span.get(parts[j]!);
      if (!s) continue;
      const mult = parts[j + 1]!;
      for (let r = s[0]; r < s[1]; r++) {
        const row = order[r]!;
        const k = rowKey[row]!;
        if (need[k] === 0) touched.push(k);
        need[k] = need[k]! + rowQty[row]! * mult;
      }
    }
    let owned = 0;
    for (const k of touched) {
      owned += Math.min(need[k]!, have[k]!);
      need[k] = 0;
    }
    touched.length = 0;
    const pct = (owned / needed) * 100;
    if (pct >= p.minPct) items.push({ setNum, needed, owned, pct });
  }
  items.sort((a, b) => b.pct - a.pct || a.needed - a.owned - (b.needed - b.owned) || (a.setNum < b.setNum ? -1 : 1));
  lap('matching');
  hooks.progress('sets:done', setNums.length, setNums.length);
  return { considered, items, timings, needed: neededOut };
}
