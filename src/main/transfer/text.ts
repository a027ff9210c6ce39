// Opening text files for import: gzip, encoding (UTF-8 with or without BOM, or Windows-1252
// as older spreadsheets write it) and the field delimiter, detected from the first bytes.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { Encoding } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { fileError } from '../util/errno';
import { hasUtf8Bom, isGzip } from '../util/file-head';
import { baseName } from '../util/names';

export const SNIFF_BYTES = 64 * 1024;

/** The first bytes of a file (decompressed when it is gzip). */
export async function sniff(file: string, bytes = SNIFF_BYTES): Promise<Buffer> {
  const fh = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw fileError(e, file);
  });
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    const head = buf.subarray(0, bytesRead);
    if (isGzip(head)) {
      try {
        return gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).subarray(0, bytes);
      } catch {
        throw new AppError('invalid-input', `${baseName(file)}: not a valid gzip file`);
      }
    }
    return head;
  } finally {
    await fh.close();
  }
}

/** UTF-8 when the sample decodes strictly (a sequence cut at the end is fine), else Windows-1252. */
export function detectEncoding(sample: Buffer): Encoding {
  if (hasUtf8Bom(sample)) return 'utf-8';
  // Drop a possibly cut multi-byte sequence at the end of the sample.
  let end = sample.length;
  for (let i = 1; i <= 3 && i <= sample.length; i++) {
    const b = sample[sample.length - i]!;
    if ((b & 0xc0) === 0xc0) {
      end = sample.length - i;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

export function decodeSample(sample: Buffer, encoding: Encoding): string {
  const text = new TextDecoder(encoding, { fatal: false }).decode(sample);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The delimiter of the header line: the candidate that occurs most often outside quotes.
 * `confident` is false when no candidate occurs, or two are tied.
 */
export function detectDelimiter(text: string): { delimiter: string; confident: boolean } {
  const candidates = [',', ';', '\t', '|'];
  const counts = new Map(candidates.map((c) => [c, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = sorted;
  if (!best || best[1] === 0) return { delimiter: ',', confident: false };
  return { delimiter: best[0], confident: !second || second[1] < best[1] };
}

/**
 * Where the first invalid UTF-8 sequence starts in `b` (as a strict TextDecoder judges: no
 * overlong forms, surrogates or code points past U+10FFFF); `b.length` when there is none. A
 * sequence cut by the end of `b` counts as valid (the next chunk may complete it).
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return n;
      const d = b[i + k]!;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += need + 1;
  }
  return n;
}

/** The bytes of a UTF-8 sequence left incomplete at the end of `b` (a copy; empty when none). */
function incompleteTail(b: Buffer): Buffer {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const c = b[b.length - k]!;
    if ((c & 0xc0) === 0x80) continue;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return k < need ? Buffer.from(b.subarray(b.length - k)) : Buffer.alloc(0);
    }
    break;
  }
  return Buffer.alloc(0);
}

function countLines(b: Buffer, end = b.length): number {
  let lines = 0;
  for (let i = b.indexOf(10); i >= 0 && i < end; i = b.indexOf(10, i + 1)) lines++;
  return lines;
}

/**
 * A decoding stream: bytes in, text out. UTF-8 is checked strictly, so a file that is not
 * UTF-8 after all stops with a clear message (the byte and line of the first bad sequence)
 * instead of importing garbled names.
 */
export function decoder(encoding: Encoding, name: string): Transform {
  const strict = encoding === 'utf-8';
  const dec = new TextDecoder(encoding, { fatal: strict, ignoreBOM: false });
  /** Bytes before the current chunk, and the line the current chunk starts on. */
  let offset = 0;
  let line = 1;
  let carry: Buffer = Buffer.alloc(0);
  const invalid = (at: number, where: number) =>
    new AppError(
      'invalid-input',
      `${name}: the file is not valid UTF-8 at byte ${at} (line ${where}); choose the encoding Windows-1252 if it came from an older spreadsheet`,
    );
  return new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(chunk: Buffer, _enc, cb) {
      let text: string;
      try {
        text = dec.decode(chunk, { stream: true });
      } catch {
        // Where exactly: the carried bytes of a cut sequence come first.
        const joined = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const at = Math.min(firstInvalidUtf8(joined), joined.length - 1) - carry.length;
        return cb(invalid(offset + at, line + (at > 0 ? countLines(chunk, at) : 0)));
      }
      if (strict) {
        line += countLines(chunk);
        carry = chunk.length >= 3 || !carry.length ? incompleteTail(chunk) : incompleteTail(Buffer.concat([carry, chunk]));
      }
      offset += chunk.length;
      cb(null, text);
    },
    flush(cb) {
      try {
        cb(null, dec.decode());
      } catch {
        cb(
          new AppError(
            'invalid-input',
            `${name}: the file ends inside a UTF-8 character (at byte ${offset - carry.length}, line ${line})`,
          ),
        );
      }
    },
  });
}

/** A byte stream of the file, gunzipped when it is gzip (by content, not by name). */
export function openBytes(file: string, gz: boolean, onBytes?: (n: number) => void): Readable {
  const raw = createReadStream(file, { highWaterMark: 256 * 1024 });
  if (onBytes) raw.on('data', (c: Buffer | string) => onBytes(c.length));
  return gz ? raw.pipe(createGunzip()) : raw;
}
