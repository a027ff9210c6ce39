// Sets in the catalogue: search, themes, one set's details, and a set's list of parts: its
// newest inventory version with sub-sets (inventory_sets) and minifigures (inventory_minifigs →
// the minifigure's own newest inventory) expanded into parts, multiplied by their quantities,
// summed by (part, colour). Reads only; every query walks an index of migration 0004.
import type { SetComponent, SetDetail, SetSearchPage, SetSummary, ThemeNode } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { DbHandle } from '../db/open';

/** Sub-sets nest at most this deep (real data: two levels). */
const MAX_DEPTH = 4;

export const PARTS_HOW_TO =
  'BlockShelf does not know the parts of this set yet: Rebrickable’s inventory_parts download (about 1.3 million rows) ' +
  'does not ship with the app. Download inventory_parts.csv.gz from https://rebrickable.com/downloads/ and import it ' +
  'with Settings → Update catalogue… (or `blockshelf catalog import inventory_parts.csv.gz`), or open the set’s own ' +
  'part list file (Rebrickable CSV or BrickLink XML) with Can I build… (`blockshelf build FILE`).';

export interface SetFilters {
  themeId?: number | undefined;
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  minParts?: number | undefined;
  maxParts?: number | undefined;
}

export interface ExpandOptions {
  spares: boolean;
  noMinifigs: boolean;
  quantity: number;
}

export interface RawPart {
  partId: string;
  colorId: number;
  quantity: number;
}

export interface Expanded {
  /** Summed by (part, colour); spares only with `spares`. */
  parts: RawPart[];
  /** Pieces without spares, and spare pieces, of one copy. */
  pieces: number;
  spares: number;
}

interface SetRow {
  setNum: string;
  name: string;
  year: number | null;
  themeId: number | null;
  numParts: number;
  imgUrl: string | null;
}

const SET_COLUMNS = `s.set_num AS setNum, s.name, s.year, s.theme_id AS themeId, s.num_parts AS numParts, s.img_url AS imgUrl`;

export function createSetCatalog(db: () => DbHandle) {
  const stmt = (sql: string) => db().stmt(sql);

  function latestInventory(num: string): { id: number; version: number } | null {
    return (
      (stmt('SELECT id, version FROM inventories WHERE set_num = ? ORDER BY version DESC LIMIT 1').get(num) as
        { id: number; version: number } | undefined) ?? null
    );
  }

  function themeRows(): { id: number; name: string; parentId: number | null }[] {
    return stmt('SELECT id, name, parent_id AS parentId FROM themes ORDER BY name, id').all() as {
      id: number;
      name: string;
      parentId: number | null;
    }[];
  }

  function themePath(themeId: number | null, byId?: Map<number, { name: string; parentId: number | null }>): string[] {
    const path: string[] = [];
    const seen = new Set<number>();
    let id = themeId;
    while (id !== null && !seen.has(id) && path.length < 20) {
      seen.add(id);
      const t = byId
        ? byId.get(id)
        : (stmt('SELECT name, parent_id AS parentId FROM themes WHERE id = ?').get(id) as
            { name: string; parentId: number | null } | undefined);
      if (!t) break;
      path.unshift(t.name);
      id = t.parentId;
    }
    return path;
  }

  /** A theme and every theme below it. */
  function themeAndBelow(themeId: number): number[] {
    const rows = stmt('SELECT id, parent_id AS parentId FROM themes').all() as { id: number; parentId: number | null }[];
    const children = new Map<number, number[]>();
    for (const r of rows) {
      if (r.parentId === null) continue;
      const c = children.get(r.parentId);
      if (c) c.push(r.id);
      else children.set(r.parentId, [r.id]);
    }
    const out = [themeId];
    for (let i = 0; i < out.length && out.length < 10_000; i++) {
      for (const c of children.get(out[i]!) ?? []) if (!out.includes(c)) out.push(c);
    }
    return out;
  }

  function themes(): ThemeNode[] {
    const rows = themeRows();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const counts = new Map(
      (stmt('SELECT theme_id AS id, count(*) AS n FROM sets GROUP BY theme_id').all() as { id: number | null; n: number }[]).map(
        (r) => [r.id, r.n],
      ),
    );
    return rows.map((r) => ({ ...r, path: themePath(r.id, byId), setCount: counts.get(r.id) ?? 0 }));
  }

  /** Whether the parts of an inventory are known: its own rows, or those of its sub-sets and minifigures. */
  function inventoryKnown(invId: number, depth = 0): boolean {
    if (stmt('SELECT 1 FROM inventory_parts WHERE inventory_id = ? LIMIT 1').get(invId)) return true;
    if (depth >= MAX_DEPTH) return false;
    const subs = stmt('SELECT set_num AS num FROM inventory_sets WHERE inventory_id = ?').all(invId) as { num: string }[];
    const figs = stmt('SELECT fig_num AS num FROM inventory_minifigs WHERE inventory_id = ?').all(invId) as { num: string }[];
    return [...subs, ...figs].some((c) => {
      const inv = latestInventory(c.num);
      return inv !== null && inventoryKnown(inv.id, depth + 1);
    });
  }

  function known(num: string): boolean {
    const inv = latestInventory(num);
    return inv !== null && inventoryKnown(inv.id);
  }

  function themeNames(ids: (number | null)[]): Map<number, string> {
    const want = [...new Set(ids.filter((i): i is number => i !== null))];
    if (!want.length) return new Map();
    const rows = stmt('SELECT id, name FROM themes WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(want)) as {
      id: number;
      name: string;
    }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  function summaries(rows: SetRow[]): SetSummary[] {
    const names = themeNames(rows.map((r) => r.themeId));
    return rows.map((r) => ({
      ...r,
      year: r.year ?? 0,
      themeName: r.themeId === null ? null : (names.get(r.themeId) ?? null),
      partsKnown: known(r.setNum),
    }));
  }

  /** SQL conditions on `s` for the filters, with their parameters. */
  function filterSql(f: SetFilters): { where: string[]; params: unknown[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.themeId !== undefined) {
      where.push('s.theme_id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(themeAndBelow(f.themeId)));
    }
    const add = (cond: string, value: number | undefined) => {
      if (value === undefined) return;
      where.push(cond);
      params.push(value);
    };
    add('s.year >= ?', f.yearFrom);
    add('s.year <= ?', f.yearTo);
    add('s.num_parts >= ?', f.minParts);
    add('s.num_parts <= ?', f.maxParts);
    return { where, params };
  }

  function search(query: string | undefined, f: SetFilters, limit = 50, offset = 0): SetSearchPage {
    const { where, params } = filterSql(f);
    const q = (query ?? '').trim();
    let order = 's.year DESC, s.set_num';
    const orderParams: unknown[] = [];
    if (q) {
      const words = q
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean)
        .slice(0, 12);
      const conds: string[] = [];
      // A set number: `75331` finds 75331-1; whole numbers only, so 7533 does not.
      if (/^[A-Za-z0-9.-]+$/.test(q) && /\d/.test(q)) {
        conds.push('s.set_num = ?', "s.set_num LIKE ? ESCAPE '\\'");
        params.push(q, `${q.replace(/[\\%_]/g, '\\$&')}-%`);
        order = `(s.set_num = ? OR s.set_num LIKE ? ESCAPE '\\') DESC, ${order}`;
        orderParams.push(q, `${q.replace(/[\\%_]/g, '\\$&')}-%`);
      }
      if (words.length) {
        const fts = words.map((w, i) => `"${w}"${/^\d+$/.test(w) || i < words.length - 1 ? '' : '*'}`).join(' AND ');
        conds.push('s.set_num IN (SELECT set_num FROM sets_fts WHERE sets_fts MATCH ?)');
        params.push(fts);
      }
      if (!conds.length) return { items: [], total: 0 };
      where.push(`(${conds.join(' OR ')})`);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (
      db()
        .sqlite.prepare(`SELECT count(*) AS n FROM sets s ${w}`)
        .get(...params) as { n: number }
    ).n;
    const rows = db()
      .sqlite.prepare(`SELECT ${SET_COLUMNS} FROM sets s ${w} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, ...orderParams, limit, offset) as SetRow[];
    return { items: summaries(rows), total };
  }

  /** Summaries of these sets, in this order. */
  function summariesOf(setNums: string[]): SetSummary[] {
    if (!setNums.length) return [];
    const rows = db()
      .sqlite.prepare(`SELECT ${SET_COLUMNS} FROM sets s WHERE s.set_num IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(setNums)) as SetRow[];
    const by = new Map(summaries(rows).map((r) => [r.setNum, r]));
    return setNums.map((n) => by.get(n)!);
  }

  function setRow(setNum: string): SetRow | null {
    return (stmt(`SELECT ${SET_COLUMNS} FROM sets s WHERE s.set_num = ?`).get(setNum) as SetRow | undefined) ?? null;
  }

  /**
   * The catalogue's number for what the user typed: the set itself, `-1` added to a bare number
   * (75331 → 75331-1), or a minifigure (fig-…). Unknown: not-found, naming the number.
   */
  function resolve(input: string): { num: string; name: string; kind: 'set' | 'minifig' } {
    const q = input.trim();
    for (const cand of /-\d+$/.test(q) || /^fig-/i.test(q) ? [q] : [q, `${q}-1`]) {
      const s = setRow(cand);
      if (s) return { num: s.setNum, name: s.name, kind: 'set' };
      const f = stmt('SELECT fig_num AS num, name FROM minifigs WHERE fig_num = ?').get(cand) as
        { num: string; name: string } | undefined;
      if (f) return { num: f.num, name: f.name, kind: 'minifig' };
    }
    const any = stmt('SELECT 1 FROM sets LIMIT 1').get();
    throw new AppError(
      'not-found',
      any
        ? `Set ${q} is not in the catalogue (set numbers look like 75331-1).`
        : `Set ${q} cannot be looked up: the parts catalogue is not loaded yet.`,
    );
  }

  function components(invId: number | null): { subsets: SetComponent[]; minifigs: SetComponent[] } {
    if (invId === null) return { subsets: [], minifigs: [] };
    const subs = stmt(
      `SELECT i.set_num AS num, coalesce(s.name, i.set_num) AS name, i.quantity, coalesce(s.num_parts, 0) AS numParts, s.img_url AS imgUrl
         FROM inventory_sets i LEFT JOIN sets s ON s.set_num = i.set_num WHERE i.inventory_id = ? ORDER BY i.set_num`,
    ).all(invId) as Omit<SetComponent, 'partsKnown'>[];
    const figs = stmt(
      `SELECT i.fig_num AS num, coalesce(m.name, i.fig_num) AS name, i.quantity, coalesce(m.num_parts, 0) AS numParts, m.img_url AS imgUrl
         FROM inventory_minifigs i LEFT JOIN minifigs m ON m.fig_num = i.fig_num WHERE i.inventory_id = ? ORDER BY i.fig_num`,
    ).all(invId) as Omit<SetComponent, 'partsKnown'>[];
    const withKnown = (c: Omit<SetComponent, 'partsKnown'>): SetComponent => ({ ...c, partsKnown: known(c.num) });
    return { subsets: subs.map(withKnown), minifigs: figs.map(withKnown) };
  }

  function get(input: string): SetDetail {
    const r = resolve(input);
    const row = r.kind === 'set' ? setRow(r.num) : null;
    if (!row) throw new AppError('not-found', `${r.num} is a minifigure, not a set.`);
    const inv = latestInventory(row.setNum);
    const [summary] = summaries([row]);
    const partsKnown = summary!.partsKnown;
    const ex = partsKnown ? expand(row.setNum, { spares: false, noMinifigs: false, quantity: 1 }) : null;
    return {
      ...summary!,
      themePath: themePath(row.themeId),
      inventoryVersion: inv?.version ?? null,
      partsHowTo: partsKnown ? null : PARTS_HOW_TO,
      pieces: ex ? ex.pieces : null,
      spares: ex ? ex.spares : null,
      lines: ex ? ex.parts.length : null,
      ...components(inv?.id ?? null),
    };
  }

  /** A set's (or minifigure's) parts, expanded and summed; empty when none are known. */
  function expand(num: string, o: ExpandOptions): Expanded {
    const sum = new Map<string, RawPart>();
    let pieces = 0;
    let spares = 0;
    const walk = (invId: number, mult: number, depth: number, path: Set<number>) => {
      const rows = stmt(
        'SELECT part_num AS partId, color_id AS colorId, is_spare AS spare, quantity FROM inventory_parts WHERE inventory_id = ?',
      ).all(invId) as { partId: string; colorId: number; spare: number; quantity: number }[];
      for (const p of rows) {
        const q = p.quantity * mult;
        if (p.spare) spares += q;
        else pieces += q;
        if (p.spare && !o.spares) continue;
        const k = `${p.partId}\u0000${p.colorId}`;
        const e = sum.get(k);
        if (e) e.quantity += q;
        else sum.set(k, { partId: p.partId, colorId: p.colorId, quantity: q });
      }
      if (depth >= MAX_DEPTH) return;
      const kids = stmt('SELECT set_num AS num, quantity FROM inventory_sets WHERE inventory_id = ?').all(invId) as {
        num: string;
        quantity: number;
      }[];
      if (!o.noMinifigs) {
        kids.push(
          ...(stmt('SELECT fig_num AS num, quantity FROM inventory_minifigs WHERE inventory_id = ?').all(invId) as {
            num: string;
            quantity: number;
          }[]),
        );
      }
      for (const c of kids) {
        const inv = latestInventory(c.num);
        if (!inv || path.has(inv.id)) continue;
        path.add(inv.id);
        walk(inv.id, mult * c.quantity, depth + 1, path);
        path.delete(inv.id);
      }
    };
    const inv = latestInventory(num);
    if (inv) walk(inv.id, o.quantity, 0, new Set([inv.id]));
    return { parts: [...sum.values()], pieces: pieces / o.quantity, spares: spares / o.quantity };
  }

  return { search, themes, get, resolve, expand, known, latestInventory, themeAndBelow, filterSql, summariesOf };
}

export type SetCatalog = ReturnType<typeof createSetCatalog>;
