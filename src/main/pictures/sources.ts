// Where a picture is downloaded from, by Rebrickable's documented addresses: an element's
// picture when the part exists as an element in that colour, the `img_url` its downloads carry
// (inventory_parts, sets, minifigs), else the part's rendering in that colour. Addresses from the
// downloads are used only when they point at Rebrickable, and are re-based onto the configured
// source, so no catalogue file can make BlockShelf contact any other server.
import type { DbHandle } from '../db/open';

export const DEFAULT_PICTURE_SOURCE = 'https://cdn.rebrickable.com';
const REBRICKABLE_HOSTS = new Set(['cdn.rebrickable.com', 'rebrickable.com', 'www.rebrickable.com', 'm.rebrickable.com']);

/** A picture address from a download, on the configured source; null if it is not Rebrickable's. */
export function rebase(url: string | null | undefined, base: string): string | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || !REBRICKABLE_HOSTS.has(u.hostname) || !u.pathname.startsWith('/media/')) return null;
  return base + u.pathname;
}

export type PictureRef = { kind: 'part'; part: string; color: number } | { kind: 'set' | 'minifig'; id: string };

export function pictureSources(db: DbHandle, base: string) {
  const sql = db.sqlite;
  const element = sql.prepare<[string, number], { element_id: string }>(
    'SELECT element_id FROM elements WHERE part_num = ? AND color_id = ? ORDER BY length(element_id) DESC, element_id DESC LIMIT 1',
  );
  const partImg = sql.prepare<[string, number], { img_url: string }>(
    "SELECT img_url FROM inventory_parts WHERE part_num = ? AND color_id = ? AND img_url IS NOT NULL AND img_url <> '' LIMIT 1",
  );
  const setImg = sql.prepare<[string], { img_url: string | null }>('SELECT img_url FROM sets WHERE set_num = ?');
  const figImg = sql.prepare<[string], { img_url: string | null }>('SELECT img_url FROM minifigs WHERE fig_num = ?');

  /** The addresses to try, best first (no duplicates). */
  return (ref: PictureRef): string[] => {
    const urls: (string | null)[] = [];
    if (ref.kind === 'part') {
      const enc = encodeURIComponent(ref.part);
      // -1 (unknown) and 9999 (no colour) have no elements or colour renderings.
      const real = ref.color >= 0 && ref.color !== 9999;
      if (real) {
        const el = element.get(ref.part, ref.color);
        if (el && /^\d{1,12}$/.test(el.element_id)) urls.push(`${base}/media/parts/elements/${el.element_id}.jpg`);
        urls.push(rebase(partImg.get(ref.part, ref.color)?.img_url, base));
        urls.push(`${base}/media/parts/ldraw/${ref.color}/${enc}.png`);
      }
    } else {
      const row = (ref.kind === 'set' ? setImg : figImg).get(ref.id);
      urls.push(rebase(row?.img_url, base));
      urls.push(`${base}/media/sets/${encodeURIComponent(ref.id)}.jpg`);
    }
    return [...new Set(urls.filter((u): u is string => u !== null))];
  };
}
