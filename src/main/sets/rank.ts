// "Which sets can I build?": every catalogue set whose parts are known, matched against one
// profile's lots, in one pass over what the profile owns. Runs in a worker (./worker.ts) on its
// own connection; `rankSets` is self-contained (it refers to nothing outside its parameters)
// because the worker runs its source.
//
// Only lines whose part the profile owns can add to `owned`, so the profile's lots are grouped by
// match key first (variants.ts) and only inventory rows of those parts (and their variants) are
// read, through the (part_num, color_id) index. `needed` per inventory is one grouped scan. A
// set's list is its newest inventory plus its sub-sets' and minifigures' newest inventories
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
  const keyOf = (part: string, color: number) => canon.rep(part) + '\u0001' + (p.ignoreColor ? '*' : String(color));

  // What the profile has, by match key.
  const have = new Map<string, number>();
  const lots = db
    .prepare(
      `SELECT part_id, color_id, sum(${p.countUsed ? 'quantity_total' : 'quantity_total - quantity_used'})
         FROM inventory_items WHERE user_id = ? GROUP BY part_id, color_id`,
    )
    .raw()
    .all(p.ownerId) as [string, number, number][];
  for (const [part, color, n] of lots) {
    if (n <= 0) continue;
    const k = keyOf(part, color);
    have.set(k, (have.get(k) ?? 0) + n);
  }
  lap('lots');
  stop();

  // Inventory rows that can count: every variant of an owned part, in the owned colour (or any).
  const rowsOf = new Map<number, [string, number][]>();
  const spareCond = p.spares ? '' : ' AND is_spare = 0';
  const byPart = db.prepare(`SELECT inventory_id, color_id, quantity FROM inventory_parts WHERE part_num = ?${spareCond}`).raw();
  const byPair = db
    .prepare(`SELECT inventory_id, color_id, quantity FROM inventory_parts WHERE part_num = ? AND color_id = ?${spareCond}`)
    .raw();
  const asked = new Set<string>();
  let n = 0;
  for (const [part, color] of lots) {
    if (++n % 500 === 0) {
      stop();
      hooks.progress('sets:reading', n, lots.length);
    }
    for (const m of canon.members(part)) {
      const ask = p.ignoreColor ? m : m + '\u0000' + color;
      if (asked.has(ask)) continue;
      asked.add(ask);
      const rows = (p.ignoreColor ? byPart.all(m) : byPair.all(m, color)) as [number, number, number][];
      for (const [inv, c, q] of rows) {
        const k = keyOf(m, c);
        if (!have.has(k)) continue;
        const list = rowsOf.get(inv);
        if (list) list.push([k, q]);
        else rowsOf.set(inv, [[k, q]]);
      }
    }
  }
  lap('rows');
  stop();

  // Pieces per inventory (one grouped pass), newest inventory per set or minifigure, children.
  const neededOf = new Map<number, number>();
  for (const [inv, q] of db
    .prepare(`SELECT inventory_id, sum(quantity) FROM inventory_parts WHERE 1${spareCond} GROUP BY inventory_id`)
    .raw()
    .iterate() as IterableIterator<[number, number]>) {
    neededOf.set(inv, q);
  }
  lap('needed');
  stop();
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
  lap('structure');

  const setNums = (
    db
      .prepare(`SELECT s.set_num FROM sets s${p.where ? ` WHERE ${p.where}` : ''}`)
      .pluck()
      .all(...p.params) as string[]
  ).filter((s) => newest.has(s));
  const items: RankedSet[] = [];
  let considered = 0;
  const parts: [number, number][] = [];
  const collect = (inv: number, mult: number, depth: number) => {
    parts.push([inv, mult]);
    if (depth >= 4) return;
    for (const [num, q] of children.get(inv) ?? []) {
      const child = newest.get(num);
      if (child && child[0] !== inv) collect(child[0], mult * q, depth + 1);
    }
  };
  const need = new Map<string, number>();
  for (let i = 0; i < setNums.length; i++) {
    if (i % 1000 === 0) {
      stop();
      hooks.progress('sets:matching', i, setNums.length);
    }
    const setNum = setNums[i]!;
    parts.length = 0;
    collect(newest.get(setNum)![0], 1, 0);
    let needed = 0;
    for (const [inv, mult] of parts) needed += (neededOf.get(inv) ?? 0) * mult;
    if (needed === 0) continue; // parts unknown
    considered++;
    need.clear();
    for (const [inv, mult] of parts) {
      for (const [k, q] of rowsOf.get(inv) ?? []) need.set(k, (need.get(k) ?? 0) + q * mult);
    }
    let owned = 0;
    for (const [k, q] of need) owned += Math.min(q, have.get(k) ?? 0);
    const pct = (owned / needed) * 100;
    if (pct >= p.minPct) items.push({ setNum, needed, owned, pct });
  }
  items.sort((a, b) => b.pct - a.pct || a.needed - a.owned - (b.needed - b.owned) || (a.setNum < b.setNum ? -1 : 1));
  lap('matching');
  hooks.progress('sets:done', setNums.length, setNums.length);
  return { considered, items, timings };
}
