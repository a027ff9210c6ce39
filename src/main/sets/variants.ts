// Which part numbers count as the same part under the build options: prints and patterns as
// their base part (P, T), mould variants (M) and alternates (A) as equal. The relationships of
// the enabled kinds join parts into groups (union-find); a part in no relationship is a group of
// its own. `canonFor` is self-contained (it refers to nothing outside its parameters) because the
// "which sets can I build?" worker runs its source too.

export interface Canon {
  /** The group's representative part number (the part itself when it is in no enabled relationship). */
  rep(part: string): string;
  /** Every part number of the group `part` is in (the part alone when there is none). */
  members(part: string): string[];
}

/** Relationship kinds that the options turn on: P and T for prints, M for moulds, A for alternates. */
export function enabledRelTypes(o: { ignorePrints?: boolean; moulds?: boolean; alternates?: boolean }): string {
  return (o.ignorePrints ? 'PT' : '') + (o.moulds ? 'M' : '') + (o.alternates ? 'A' : '');
}

/** Groups from rows [relType, child, parent] of the kinds in `types`. */
export function canonFor(rows: readonly (readonly [string, string, string])[], types: string): Canon {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    for (;;) {
      const p = parent.get(r);
      if (p === undefined || p === r) break;
      r = p;
    }
    // Path compression: point every part on the way at the root.
    let y = x;
    while (y !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  for (const [t, child, par] of rows) {
    if (!types.includes(t)) continue;
    if (!parent.has(child)) parent.set(child, child);
    if (!parent.has(par)) parent.set(par, par);
    const a = find(child);
    const b = find(par);
    // The smaller number leads, so a group's representative does not depend on row order.
    if (a !== b) {
      if (a < b) parent.set(b, a);
      else parent.set(a, b);
    }
  }
  const groups = new Map<string, string[]>();
  for (const p of parent.keys()) {
    const r = find(p);
    const g = groups.get(r);
    if (g) g.push(p);
    else groups.set(r, [p]);
  }
  return {
    rep: (part) => (parent.has(part) ? find(part) : part),
    members: (part) => (parent.has(part) ? groups.get(find(part))! : [part]),
  };
}

/** The key lines and lots are grouped by: representative part, and colour unless colour is ignored. */
export function matchKey(canon: Canon, part: string, colorId: number, ignoreColor: boolean): string {
  return ignoreColor ? `${canon.rep(part)}\u0001*` : `${canon.rep(part)}\u0001${colorId}`;
}
