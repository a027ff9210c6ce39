// File-system helpers of the backup engine: coded disk errors, fsync of files and folders,
// parallel gzip (independent gzip members, like pigz) with a running sha256, and a gunzip with
// a size guard.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, openSync, rmSync, statfsSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { constants as zc, createGunzip, gzip } from 'node:zlib';
import { AppError, isAppError } from '../../shared/errors';

const gzipAsync = promisify(gzip);

/**
 * Node's zlib (Chromium's fork) at level 5 compresses within about 1% of its level 6 in about
 * half the time (see docs/PERFORMANCE.md), so backups use 5.
 */
export const DEFAULT_GZIP_LEVEL = 5;

/** fsync a file or folder, synchronously (folders cannot be fsynced on Windows: ignored). */
export function fsyncPathSync(p: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(p, 'r');
    fsyncSync(fd);
  } catch {
    // folders cannot be fsynced on Windows
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Below this much free space, a write that failed is taken to have failed because the disk is full. */
const NEARLY_FULL = 64 * 1024 * 1024;

/** Whether the file system holding `file` (or its nearest existing folder) has almost no room left. */
function nearlyFull(file: string): boolean {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    try {
      const s = statfsSync(dir);
      return s.bavail * s.bsize < NEARLY_FULL;
    } catch {
      if (path.dirname(dir) === dir) return false;
    }
  }
}

/** A disk error as a coded AppError naming the file; AppErrors pass through. */
export function diskError(e: unknown, file: string, what: string): AppError {
  if (isAppError(e)) return e;
  const err = e as NodeJS.ErrnoException;
  const code = err?.code ?? '';
  // SQLite reports a write that ran out of room as "disk I/O error" (SQLITE_IOERR_WRITE, _FSYNC,
  // _SHMSIZE...) as often as SQLITE_FULL.
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || (code.startsWith('SQLITE_IOERR') && nearlyFull(file))) {
    return new AppError('disk-full', `${what}: the disk is full (${file})`, { cause: e, details: { file } });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'SQLITE_READONLY') {
    return new AppError('no-permission', `${what}: no permission to write ${file}`, { cause: e, details: { file } });
  }
  if (code === 'SQLITE_CANTOPEN' && folderNotWritable(file)) {
    return new AppError('no-permission', `${what}: the folder ${path.dirname(file)} is not writable`, {
      cause: e,
      details: { file },
    });
  }
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'SQLITE_CANTOPEN') {
    return new AppError('io-error', `${what}: ${file} does not exist or cannot be opened`, { cause: e, details: { file } });
  }
  return new AppError('io-error', `${what}: ${err?.message ?? String(e)} (${file})`, {
    cause: e,
    details: { file, errno: code },
  });
}

/** Whether `file`'s folder exists but a file cannot be made in it (read-only, no permission). */
export function folderNotWritable(file: string): boolean {
  const probe = path.join(
    path.dirname(file),
    `.blockshelf-${process.pid}-${Math.floor(Math.random() * 0xffffffff).toString(16)}.json.tmp`,
  );
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
  }
}

export async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename or unlink in `dir` durable. Some platforms cannot open folders; then it is a no-op. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot fsync a folder; NTFS journals renames itself.
  } finally {
    await fh?.close();
  }
}

export interface GzipOptions {
  level?: number;
  /** Bytes per gzip member. */
  blockSize?: number;
  /** Members compressed at once on libuv's thread pool. */
  parallel?: number;
  signal?: AbortSignal | undefined;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Compresses `src` into `dest` as a series of independent gzip members compressed in parallel
 * on the thread pool (any gunzip reads concatenated members as one stream), hashes the output,
 * and fsyncs it. Returns the compressed size and its sha256.
 */
export async function gzipFile(
  src: string,
  dest: string,
  opts: GzipOptions = {},
): Promise<{ bytes: number; sha256: string; inBytes: number }> {
  const level = opts.level ?? DEFAULT_GZIP_LEVEL;
  const blockSize = opts.blockSize ?? 4 * 1024 * 1024;
  // One core is left to the integrity check that runs at the same time.
  const parallel = Math.max(1, opts.parallel ?? Math.min(4, Math.max(2, availableParallelism() - 1)));
  const input = await open(src, 'r');
  let output: FileHandle | undefined;
  try {
    output = await open(dest, 'wx');
    const total = (await input.stat()).size;
    const hash = createHash('sha256');
    let readPos = 0;
    let written = 0;
    const inflight: Promise<Buffer>[] = [];
    const next = async (): Promise<Buffer | null> => {
      if (readPos >= total) return null;
      const len = Math.min(blockSize, total - readPos);
      const buf = Buffer.allocUnsafe(len);
      const { bytesRead } = await input.read(buf, 0, len, readPos);
      readPos += bytesRead;
      if (bytesRead === 0) return null;
      return buf.subarray(0, bytesRead);
    };
    const enqueue = async () => {
      const block = await next();
      if (block) inflight.push(gzipAsync(block, { level, memLevel: 8, strategy: zc.Z_DEFAULT_STRATEGY }));
      return block !== null;
    };
    for (let i = 0; i < parallel; i++) if (!(await enqueue())) break;
    let done = 0;
    while (inflight.length) {
      if (opts.signal?.aborted) throw new AppError('cancelled', 'The backup was cancelled.');
      const out = await inflight.shift()!;
      await enqueue();
      hash.update(out);
      await output.write(out, 0, out.length, written);
      written += out.length;
      done = Math.min(total, done + blockSize);
      opts.onProgress?.(done, total);
    }
    if (total === 0) {
      const out = await gzipAsync(Buffer.alloc(0), { level });
      hash.update(out);
      await output.write(out, 0, out.length, 0);
      written = out.length;
    }
    await output.sync();
    return { bytes: written, sha256: hash.digest('hex'), inBytes: total };
  } finally {
    await input.close();
    await output?.close();
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

type GunzipFailure = 'truncated' | 'not-gzip' | 'not-sqlite' | 'too-large' | 'size-mismatch';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/**
 * The size a SQLite database declares in its 100-byte header (page size × page count), or null
 * when the header's page count is not valid (SQLite then goes by the file's size).
 */
export function declaredDbBytes(header: Buffer): number | null {
  if (header.length < 100) return null;
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return null;
  const pages = header.readUInt32BE(28);
  const valid = pages > 0 && header.readUInt32BE(92) === header.readUInt32BE(24);
  return valid ? pageSize * pages : null;
}

export interface GunzipLimits {
  /** Never more than this many bytes (the size guard, from free disk space). */
  maxBytes: number;
  /** The unpacked size recorded in the backup's manifest, when there is a matching one. */
  expectBytes?: number | null | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Gunzips `src` into `dest` (created exclusively). The output is bounded by the size guard, by
 * the manifest's recorded size and by the size the database header declares, and the unpacking
 * stops the moment it would pass any of them; output that does not start like a SQLite database
 * is refused at once. Throws coded AppErrors.
 */
export async function gunzipGuarded(src: string, dest: string, limits: GunzipLimits): Promise<number> {
  const { maxBytes, expectBytes, signal } = limits;
  const out = await open(dest, 'wx');
  let written = 0;
  let head = Buffer.alloc(0);
  let headerChecked = false;
  let declared: number | null = null;
  const name = src.split(/[\\/]/).pop();
  const tooBig = (why: string, limit: number, reason: GunzipFailure, code: 'backup-too-large' | 'backup-corrupt') =>
    new AppError(code, `${name} ${why}; it is not used.`, { details: { reason, limit } });
  const checkHeader = (final: boolean) => {
    if (head.length < 100 && !final) return;
    headerChecked = true;
    if (head.subarray(0, 16).toString('latin1') !== SQLITE_MAGIC) {
      throw new AppError('not-blockshelf', `${name} holds no database (the compressed file is not a SQLite file).`, {
        details: { reason: 'not-sqlite' },
      });
    }
    declared = declaredDbBytes(head);
  };
  try {
    const gunzip = createGunzip();
    const stream = createReadStream(src).pipe(gunzip);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (signal?.aborted) throw new AppError('cancelled', 'Cancelled.');
        if (!headerChecked) {
          head = Buffer.concat([head, chunk]);
          checkHeader(false);
        }
        const next = written + chunk.length;
        if (next > maxBytes) {
          throw tooBig(
            `expands to more than ${Math.round(maxBytes / 1048576)} MiB (size guard)`,
            maxBytes,
            'too-large',
            'backup-too-large',
          );
        }
        if (expectBytes != null && next > expectBytes) {
          throw tooBig(
            `unpacks to more than the ${expectBytes} bytes its manifest records`,
            expectBytes,
            'size-mismatch',
            'backup-corrupt',
          );
        }
        if (declared !== null && next > declared) {
          throw tooBig(
            `unpacks to more than the ${declared} bytes its database header declares`,
            declared,
            'size-mismatch',
            'backup-corrupt',
          );
        }
        await out.write(chunk);
        written = next;
      }
    } catch (e) {
      stream.destroy();
      if (isAppError(e)) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
        throw new AppError('backup-corrupt', `${name} is damaged: the compressed data ends early or is corrupt.`, {
          details: { reason: 'truncated' },
          cause: e,
        });
      }
      throw e;
    }
    if (!headerChecked) {
      if (head.length < 16) {
        throw new AppError('not-blockshelf', `${name} holds no database (too short to be a SQLite file).`, {
          details: { reason: 'not-sqlite' },
        });
      }
      checkHeader(true);
    }
    if (expectBytes != null && written !== expectBytes) {
      throw tooBig(
        `unpacks to ${written} bytes, not the ${expectBytes} its manifest records`,
        expectBytes,
        'size-mismatch',
        'backup-corrupt',
      );
    }
    await out.sync();
    return written;
  } finally {
    await out.close();
  }
}
