// Pictures of parts, sets and minifigs: whether BlockShelf may download them, how much disk the
// cache may use, and emptying it. The pictures themselves never pass through the contract: the
// page loads them from the app's own picture scheme (see `pictureUrl`), answered from the cache
// on disk or with a placeholder in the part's colour. Where they are downloaded from is fixed by
// the core, not by any call.
import { z } from 'zod';
import { empty, out } from './common';

/** `ask`: never chosen yet (nothing is downloaded; the window asks on first use). */
export const PICTURE_FETCH = ['ask', 'on', 'off'] as const;
export type PictureFetch = (typeof PICTURE_FETCH)[number];

export const PICTURE_LIMIT_MB = { min: 10, max: 10_000, default: 200 } as const;

export interface PictureSettings {
  fetch: PictureFetch;
  /** The cache is kept under this many megabytes (least recently used pictures go first). */
  limitMb: number;
  usedBytes: number;
  files: number;
  /** Where pictures come from (a host name, to show the user). */
  source: string;
}

export const picturesContract = {
  'pictures.settings': { input: empty, output: out<PictureSettings>() },
  'pictures.configure': {
    input: z.strictObject({
      fetch: z.enum(['on', 'off']).optional(),
      limitMb: z.number().int().min(PICTURE_LIMIT_MB.min).max(PICTURE_LIMIT_MB.max).optional(),
    }),
    output: out<PictureSettings>(),
  },
  'pictures.clear': { input: empty, output: out<PictureSettings>() },
} as const;

export type PictureKind = 'part' | 'set' | 'minifig';

/**
 * The key of one picture: `part/<part>/<colour id>`, `set/<set number>`, `minifig/<fig number>`.
 * The page asks for `<base><key>` (segments URI-encoded) and main names it in `pictures.changed`.
 */
export function pictureKey(kind: 'part', id: string, colorId: number): string;
export function pictureKey(kind: 'set' | 'minifig', id: string): string;
export function pictureKey(kind: PictureKind, id: string, colorId?: number): string {
  return kind === 'part' ? `part/${encodeURIComponent(id)}/${colorId ?? -1}` : `${kind}/${encodeURIComponent(id)}`;
}

/** The app's own scheme for pictures (Electron's protocol.handle): `blockshelf-pic://pictures/<key>`. */
export const PICTURE_SCHEME = 'blockshelf-pic';
/** The same pictures on the e2e host, under its own origin. */
export const PICTURE_HOST_PATH = '/__pictures/';
