// The picture settings of this installation (whether to download, how large the cache may grow):
// a small JSON file in the picture folder, beside the cache it governs. They belong to the
// computer, like the cache, so a restored backup does not change them.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PICTURE_FETCH, PICTURE_LIMIT_MB, type PictureFetch } from '../../shared/contract';

export interface StoredPictureSettings {
  fetch: PictureFetch;
  limitMb: number;
}

const DEFAULTS: StoredPictureSettings = { fetch: 'ask', limitMb: PICTURE_LIMIT_MB.default };

export function readPictureSettings(file: string): StoredPictureSettings {
  try {
    if (statSync(file).size > 4096) return { ...DEFAULTS };
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<keyof StoredPictureSettings, unknown>>;
    const fetch = PICTURE_FETCH.includes(raw.fetch as PictureFetch) ? (raw.fetch as PictureFetch) : DEFAULTS.fetch;
    const n = raw.limitMb;
    const limitMb =
      typeof n === 'number' && Number.isInteger(n) && n >= PICTURE_LIMIT_MB.min && n <= PICTURE_LIMIT_MB.max
        ? n
        : DEFAULTS.limitMb;
    return { fetch, limitMb };
  } catch {
    return { ...DEFAULTS };
  }
}

export function writePictureSettings(file: string, s: StoredPictureSettings): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`);
  renameSync(tmp, file);
}
