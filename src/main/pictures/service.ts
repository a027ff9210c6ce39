// Pictures of parts, sets and minifigs for the window and the labels. `respond` is the one
// handler behind the app's picture scheme (Electron's protocol.handle) and the e2e host's
// picture path alike: it answers at once from the cache on disk, or with a placeholder in the
// part's colour, and never with an error the page would show as a broken image. When the user
// allowed downloads, a miss is queued for the fetcher; pictures that arrive are announced with
// `pictures.changed` so the page asks again. Nothing is downloaded until the user said yes.
import path from 'node:path';
import { pictureKey, PICTURE_LIMIT_MB, type PictureSettings } from '../../shared/contract';
import type { DbHandle } from '../db/open';
import type { Events } from '../events';
import type { Logger } from '../log';
import { createPictureCache } from './cache';
import { createFetcher, DEFAULT_FETCH, type FetchOptions } from './fetcher';
import { PICTURE_MIME, placeholderSvg, type PictureType } from './image';
import { readPictureSettings, writePictureSettings, type StoredPictureSettings } from './settings';
import { DEFAULT_PICTURE_SOURCE, pictureSources, type PictureRef } from './sources';

/** Options of the core, never of a contract call: the page cannot choose where pictures come from. */
export interface PictureOptions extends Partial<FetchOptions> {
  /** Where pictures are downloaded from (Rebrickable's CDN; tests point it at their own server). */
  baseUrl?: string;
  /** A picture that could not be fetched is not asked for again for this long. */
  retryAfterMs?: number;
}

export interface PictureResponse {
  status: number;
  contentType: string;
  body: Buffer;
  /** True when this is the placeholder (for tests and logs; the page cannot tell). */
  placeholder: boolean;
}

/** The headers of a picture answer, the same on every wiring (Electron's scheme, the e2e host). */
export function pictureHeaders(r: PictureResponse): Record<string, string> {
  return {
    'content-type': r.contentType,
    'content-length': String(r.body.length),
    // A placeholder is replaced as soon as the picture arrives; a picture may be evicted.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  };
}

export interface PictureServiceDeps {
  dataDir: string;
  db: () => DbHandle;
  events: Events;
  log: Logger;
  appVersion: string;
  options?: PictureOptions;
}

const MAX_ID = 64;
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const SEGMENT = /^[^\u0000-\u001f/\\]{1,64}$/;

/** The picture a path names (`/part/3001/4`, `/set/75192-1`, `/minifig/fig-000001`), or null. */
export function parsePicturePath(pathname: string): { key: string; ref: PictureRef } | null {
  const parts = pathname.replace(/^\/+/, '').split('/');
  let seg: string[];
  try {
    seg = parts.map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
  const [kind, id, color, ...rest] = seg;
  if (!id || !SEGMENT.test(id) || id.length > MAX_ID || rest.length) return null;
  if (kind === 'part') {
    if (color === undefined || !/^-?\d{1,7}$/.test(color)) return null;
    const c = Number(color);
    return { key: pictureKey('part', id, c), ref: { kind: 'part', part: id, color: c } };
  }
  if ((kind === 'set' || kind === 'minifig') && color === undefined) {
    return { key: pictureKey(kind, id), ref: { kind, id } };
  }
  return null;
}

function normaliseBase(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`picture source must be http(s): ${url}`);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export function createPictureService(deps: PictureServiceDeps) {
  const opts = deps.options ?? {};
  const base = normaliseBase(opts.baseUrl ?? DEFAULT_PICTURE_SOURCE);
  const folder = path.join(deps.dataDir, 'pictures');
  const settingsFile = path.join(folder, 'settings.json');
  let settings: StoredPictureSettings = readPictureSettings(settingsFile);
  const cache = createPictureCache(path.join(folder, 'cache'), () => settings.limitMb * 1024 * 1024);
  const fetcher = createFetcher({ ...DEFAULT_FETCH, ...stripUndefinedFetch(opts) }, `BlockShelf/${deps.appVersion}`);
  const retryAfter = opts.retryAfterMs ?? 15 * 60_000;
  const failedUntil = new Map<string, number>();
  const inFlight = new Map<string, Promise<void>>();
  let arrived: string[] = [];
  let announce: ReturnType<typeof setTimeout> | null = null;
  let sources: { db: DbHandle; find: ReturnType<typeof pictureSources> } | null = null;
  let closed = false;

  const find = (ref: PictureRef) => {
    const db = deps.db();
    if (sources?.db !== db) sources = { db, find: pictureSources(db, base) };
    return sources.find(ref);
  };

  const rgbOf = (ref: PictureRef): string | null => {
    if (ref.kind !== 'part') return null;
    const row = deps.db().sqlite.prepare<[number], { rgb: string }>('SELECT rgb FROM colors WHERE id = ?').get(ref.color);
    return row?.rgb ?? null;
  };

  // Placeholders by colour and kind (a few hundred at most); a colour's rgb may change with a
  // catalogue import, so the colour is read each time, the SVG made once.
  const svgs = new Map<string, Buffer>();

  function placeholder(ref: PictureRef): PictureResponse {
    const rgb = rgbOf(ref);
    const id = `${ref.kind}:${rgb ?? ''}`;
    let body = svgs.get(id);
    if (!body) svgs.set(id, (body = Buffer.from(placeholderSvg(rgb, ref.kind))));
    return { status: 200, contentType: 'image/svg+xml', body, placeholder: true };
  }

  function announceLater(key: string) {
    arrived.push(key);
    announce ??= setTimeout(() => {
      announce = null;
      const keys = arrived;
      arrived = [];
      deps.events.emit('pictures.changed', { keys });
    }, 50);
  }

  async function download(key: string, ref: PictureRef): Promise<void> {
    let urls: string[];
    try {
      urls = find(ref);
    } catch (e) {
      deps.log.warn(`pictures: no address for ${key}: ${(e as Error).message}`);
      return;
    }
    const problems: string[] = [];
    for (const url of urls) {
      if (closed || settings.fetch !== 'on') return;
      const got = await fetcher.get(url);
      if (got.ok) {
        await cache.put(key, got.bytes, got.type);
        failedUntil.delete(key);
        announceLater(key);
        return;
      }
      problems.push(`${url}: ${got.reason} (${got.detail})`);
      // A server that fails is not asked for the other addresses now.
      if (got.reason === 'failed') break;
    }
    failedUntil.set(key, Date.now() + retryAfter);
    if (problems.length) deps.log.info(`pictures: none for ${key}: ${problems.join('; ')}`);
  }

  function queue(key: string, ref: PictureRef) {
    if (closed || settings.fetch !== 'on' || inFlight.has(key)) return;
    const until = failedUntil.get(key);
    if (until !== undefined && until > Date.now()) return;
    const job = download(key, ref)
      .catch((e: unknown) => deps.log.warn(`pictures: ${key} failed`, e))
      .finally(() => inFlight.delete(key));
    inFlight.set(key, job);
  }

  async function status(): Promise<PictureSettings> {
    const use = await cache.usage();
    return { ...settings, usedBytes: use.bytes, files: use.files, source: new URL(base).host };
  }

  return {
    /** The picture at `pathname`, or its placeholder. Never throws, never waits for the network. */
    async respond(pathname: string): Promise<PictureResponse> {
      const p = parsePicturePath(pathname);
      if (!p) return { status: 404, contentType: 'text/plain', body: Buffer.from('no such picture'), placeholder: false };
      try {
        const hit = await cache.get(p.key);
        if (hit) return { status: 200, contentType: PICTURE_MIME[hit.type], body: hit.bytes, placeholder: false };
        queue(p.key, p.ref);
        return placeholder(p.ref);
      } catch (e) {
        deps.log.warn(`pictures: ${p.key} could not be read`, e);
        return placeholder(p.ref);
      }
    },
    /** A picture from the cache only (labels), or null. */
    async cached(key: string): Promise<{ bytes: Buffer; type: PictureType } | null> {
      try {
        return await cache.get(key);
      } catch {
        return null;
      }
    },
    status,
    async configure(patch: { fetch?: 'on' | 'off'; limitMb?: number }): Promise<PictureSettings> {
      const limitMb = patch.limitMb ?? settings.limitMb;
      if (limitMb < PICTURE_LIMIT_MB.min || limitMb > PICTURE_LIMIT_MB.max) throw new RangeError('limitMb');
      settings = { fetch: patch.fetch ?? settings.fetch, limitMb };
      writePictureSettings(settingsFile, settings);
      if (settings.fetch === 'on') failedUntil.clear();
      await cache.trim(limitMb * 1024 * 1024);
      return status();
    },
    async clear(): Promise<PictureSettings> {
      await cache.clear();
      failedUntil.clear();
      return status();
    },
    /** Resolves when no download is running (tests, quit). */
    async idle(): Promise<void> {
      while (inFlight.size) await Promise.allSettled([...inFlight.values()]);
      if (announce) {
        clearTimeout(announce);
        announce = null;
        const keys = arrived;
        arrived = [];
        deps.events.emit('pictures.changed', { keys });
      }
    },
    close(): void {
      closed = true;
      fetcher.close();
      if (announce) clearTimeout(announce);
    },
  };
}

export type PictureService = ReturnType<typeof createPictureService>;

function stripUndefinedFetch(o: PictureOptions): Partial<FetchOptions> {
  const out: Partial<FetchOptions> = {};
  for (const k of ['concurrency', 'timeoutMs', 'retries', 'backoffMs', 'maxBytes'] as const) {
    if (o[k] !== undefined) out[k] = o[k];
  }
  return out;
}
