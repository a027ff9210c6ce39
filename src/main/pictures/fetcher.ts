// Downloads pictures: asynchronous I/O (the thread answering calls only starts requests and
// receives bytes), at most `concurrency` requests at a time, each with a timeout, retried with
// growing pauses when the server fails or stalls (not when it says the picture does not exist),
// the body capped at `maxBytes` and accepted only if its first bytes are a picture.
import { sniffPicture, type PictureType } from './image';

export interface FetchOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Per attempt, headers and body together. */
  timeoutMs: number;
  /** Attempts after the first, for server errors, timeouts and broken connections. */
  retries: number;
  /** Pause before retry n (1-based): backoffMs × 4^(n-1). */
  backoffMs: number;
  /** A larger body is not a picture BlockShelf keeps. */
  maxBytes: number;
}

export const DEFAULT_FETCH: FetchOptions = {
  concurrency: 4,
  timeoutMs: 15_000,
  retries: 2,
  backoffMs: 500,
  maxBytes: 2 * 1024 * 1024,
};

export type FetchOutcome =
  | { ok: true; bytes: Buffer; type: PictureType }
  /** `missing`: the server has no such picture (try the next address); `failed`: it could not say. */
  | { ok: false; reason: 'missing' | 'failed' | 'not-a-picture' | 'too-large'; detail: string };

class Permanent extends Error {
  constructor(
    readonly reason: 'missing' | 'not-a-picture' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

export function createFetcher(opts: FetchOptions, userAgent: string) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const controllers = new Set<AbortController>();
  let closed = false;

  async function slot<T>(fn: () => Promise<T>): Promise<T> {
    if (active >= opts.concurrency) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  }

  async function attempt(url: string): Promise<{ bytes: Buffer; type: PictureType }> {
    const ac = new AbortController();
    controllers.add(ac);
    const timer = setTimeout(() => ac.abort(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    try {
      const res = await fetch(url, {
        signal: ac.signal,
        redirect: 'error',
        headers: { accept: 'image/*', 'user-agent': userAgent },
      });
      if (res.status === 404 || res.status === 410) {
        await res.body?.cancel();
        throw new Permanent('missing', `HTTP ${res.status}`);
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status}`);
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (declared > opts.maxBytes) {
        await res.body?.cancel();
        throw new Permanent('too-large', `${declared} bytes`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      if (res.body) {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.length;
          if (size > opts.maxBytes) {
            ac.abort();
            throw new Permanent('too-large', `more than ${opts.maxBytes} bytes`);
          }
          chunks.push(Buffer.from(chunk));
        }
      }
      const bytes = Buffer.concat(chunks);
      const type = sniffPicture(bytes);
      if (!type) throw new Permanent('not-a-picture', `${res.headers.get('content-type') ?? 'no type'}, ${bytes.length} bytes`);
      return { bytes, type };
    } catch (e) {
      if (ac.signal.aborted && !(e instanceof Permanent)) {
        const why = ac.signal.reason instanceof Error ? ac.signal.reason.message : 'cancelled';
        throw new Error(why, { cause: e });
      }
      throw e;
    } finally {
      clearTimeout(timer);
      controllers.delete(ac);
    }
  }

  return {
    /** One picture address, with retries. Never throws. */
    get(url: string): Promise<FetchOutcome> {
      return slot(async () => {
        let last = '';
        for (let n = 0; n <= opts.retries && !closed; n++) {
          if (n > 0) await new Promise((r) => setTimeout(r, opts.backoffMs * 4 ** (n - 1)));
          if (closed) break;
          try {
            return { ok: true as const, ...(await attempt(url)) };
          } catch (e) {
            if (e instanceof Permanent) return { ok: false as const, reason: e.reason, detail: e.message };
            last = e instanceof Error ? e.message : String(e);
          }
        }
        return { ok: false as const, reason: 'failed' as const, detail: last || 'cancelled' };
      });
    },
    /** Aborts what is in flight (quit). */
    close() {
      closed = true;
      for (const ac of controllers) ac.abort(new Error('closed'));
      for (const w of waiting.splice(0)) w();
    },
  };
}
