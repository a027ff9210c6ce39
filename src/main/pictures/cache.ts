// The picture cache on disk: one file per picture under `<data folder>/pictures/cache`, named by
// a hash of its key (never by anything a server or the page sent), kept under a size limit by
// evicting the least recently used. Use order survives restarts: a hit touches the file's
// modification time, and the index is rebuilt from the folder (oldest first) on start.
// All I/O is asynchronous; the index is built once, lazily, off the call that needs it.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PICTURE_EXT, sniffPicture, type PictureType } from './image';

interface Entry {
  file: string;
  size: number;
}

export interface PictureCache {
  get(key: string): Promise<{ bytes: Buffer; type: PictureType } | null>;
  put(key: string, bytes: Buffer, type: PictureType): Promise<void>;
  /** Evicts the least recently used until the cache holds at most `bytes`. */
  trim(limitBytes: number): Promise<void>;
  usage(): Promise<{ bytes: number; files: number }>;
  clear(): Promise<void>;
}

const NAME = /^([0-9a-f]{40})\.(jpg|png|gif|webp)$/;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40);
}

export function createPictureCache(dir: string, limit: () => number): PictureCache {
  // Map order is use order: the first entry is the least recently used.
  let index: Map<string, Entry> | null = null;
  let loading: Promise<Map<string, Entry>> | null = null;
  let total = 0;

  async function load(): Promise<Map<string, Entry>> {
    if (index) return index;
    loading ??= (async () => {
      await mkdir(dir, { recursive: true });
      const found: { hash: string; file: string; size: number; mtime: number }[] = [];
      for (const name of await readdir(dir)) {
        const m = NAME.exec(name);
        const file = path.join(dir, name);
        if (!m) {
          // A temporary file a crash left behind.
          if (name.endsWith('.tmp')) await rm(file, { force: true });
          continue;
        }
        try {
          const st = await stat(file);
          found.push({ hash: m[1]!, file, size: st.size, mtime: st.mtimeMs });
        } catch {
          // gone meanwhile
        }
      }
      found.sort((a, b) => a.mtime - b.mtime);
      const map = new Map<string, Entry>();
      total = 0;
      for (const f of found) {
        map.set(f.hash, { file: f.file, size: f.size });
        total += f.size;
      }
      index = map;
      return map;
    })();
    return loading;
  }

  async function evict(map: Map<string, Entry>, max: number) {
    for (const [hash, e] of map) {
      if (total <= max) break;
      map.delete(hash);
      total -= e.size;
      await rm(e.file, { force: true });
    }
  }

  return {
    async get(key) {
      const map = await load();
      const hash = hashKey(key);
      const e = map.get(hash);
      if (!e) return null;
      let bytes: Buffer;
      try {
        bytes = await readFile(e.file);
      } catch {
        map.delete(hash);
        total -= e.size;
        return null;
      }
      const type = sniffPicture(bytes);
      if (!type) {
        // Damaged on disk: forget it, it will be fetched again.
        map.delete(hash);
        total -= e.size;
        await rm(e.file, { force: true });
        return null;
      }
      map.delete(hash);
      map.set(hash, e);
      const t = new Date();
      void utimes(e.file, t, t).catch(() => undefined);
      return { bytes, type };
    },
    async put(key, bytes, type) {
      const map = await load();
      const hash = hashKey(key);
      const old = map.get(hash);
      const file = path.join(dir, hash + PICTURE_EXT[type]);
      const tmp = path.join(dir, `${hash}.${randomBytes(6).toString('hex')}.tmp`);
      await writeFile(tmp, bytes);
      await rename(tmp, file);
      if (old) {
        map.delete(hash);
        total -= old.size;
        if (old.file !== file) await rm(old.file, { force: true });
      }
      map.set(hash, { file, size: bytes.length });
      total += bytes.length;
      await evict(map, limit());
    },
    async trim(limitBytes) {
      await evict(await load(), limitBytes);
    },
    async usage() {
      const map = await load();
      return { bytes: total, files: map.size };
    },
    async clear() {
      const map = await load();
      for (const e of map.values()) await rm(e.file, { force: true });
      map.clear();
      total = 0;
    },
  };
}
