// The catalogue's files: the shipped snapshot's manifest, a download's header (to know its kind
// whatever its name, gzipped or not), and the entries of a zip holding downloads.
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { AppError } from '../../shared/errors';
import { isGzip, rawHead } from '../util/file-head';
import { baseName } from '../util/names';

/** resources/catalog/manifest.json: the shipped snapshot's date and row counts. */
export interface SnapshotManifest {
  snapshot: string;
  rows: Partial<Record<string, number>>;
}

export function readSnapshotManifest(dir: string): SnapshotManifest | null {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  const m = JSON.parse(readFileSync(file, 'utf8')) as Partial<SnapshotManifest>;
  if (typeof m.snapshot !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(m.snapshot)) {
    throw new AppError('internal', `${file}: no snapshot date`);
  }
  return { snapshot: m.snapshot, rows: m.rows ?? {} };
}

/** The first line of a (possibly gzipped) file, as CSV columns; null when it has none. */
export async function headerOf(file: string): Promise<string[] | null> {
  const head = await rawHead(file, 4);
  let text = '';
  const raw = createReadStream(file, { start: 0, end: 256 * 1024 });
  const stream = isGzip(head) ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (e) => stream.destroy(e));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      text += chunk.toString('utf8');
      if (text.includes('\n') || text.length > 64 * 1024) break;
    }
  } catch {
    // a damaged or cut-off gzip stream: judge by what came out
  } finally {
    raw.destroy();
    stream.destroy();
  }
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  if (!line.trim() || line.length > 4096) return null;
  try {
    const [cols] = parse(line, { relax_quotes: true }) as string[][];
    return cols ?? null;
  } catch {
    return null;
  }
}

export function extractZip(file: string, dir: string): Promise<{ name: string; path: string }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return reject(new AppError('invalid-input', `${baseName(file)}: not a readable zip file`));
      const found: { name: string; path: string }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        const out = path.join(dir, `${found.length}.data`);
        zip.openReadStream(entry, (e, s) => {
          if (e || !s) return reject(new AppError('invalid-input', `${baseName(file)}: the zip file is damaged`));
          pipeline(s, createWriteStream(out)).then(
            () => {
              found.push({ name: baseName(entry.fileName), path: out });
              zip.readEntry();
            },
            () => reject(new AppError('invalid-input', `${baseName(file)}: the zip file is damaged`)),
          );
        });
      });
      zip.on('end', () => resolve(found));
      zip.on('error', () => reject(new AppError('invalid-input', `${baseName(file)}: the zip file is damaged`)));
      zip.readEntry();
    });
  });
}
