// Display formats shared by the views.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const number = new Intl.NumberFormat();

/**
 * `format`, remembering up to `size` answers: the inventory table formats the same quantities
 * and dates again and again while it scrolls, and Intl formatting is among the costliest work of
 * a row. When full, the memory starts over (cheaper than tracking use).
 */
export function remembered<K, V>(format: (k: K) => V, size: number): (k: K) => V {
  const seen = new Map<K, V>();
  return (k) => {
    let v = seen.get(k);
    if (v === undefined) {
      if (seen.size >= size) seen.clear();
      v = format(k);
      seen.set(k, v);
    }
    return v;
  };
}

export const fmtDateTime = remembered((ms: number) => dateTime.format(new Date(ms)), 20_000);
export const fmtNumber = remembered((n: number) => number.format(n), 20_000);

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** "1 lot", "2 lots", "1,000 rows" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtNumber(n)} ${n === 1 ? one : many}`;
}
