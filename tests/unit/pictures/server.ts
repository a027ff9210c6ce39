// A picture server of the test's own on 127.0.0.1: serves pictures, fails (500), stalls, answers
// with garbage (an HTML page) or with too much, and counts every request. No test reaches the
// internet: the core's picture source points here.
import http from 'node:http';
import { deflateSync, crc32 } from 'node:zlib';

/** A real PNG of w × h pixels in one colour (the label PDFs embed it). */
export function png(w: number, h: number, rgb: [number, number, number], padTo = 0): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  const parts = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
  ];
  // A big picture: an ancillary chunk of filler (still a valid PNG).
  const size = parts.reduce((n, b) => n + b.length, 0) + 12;
  if (padTo > size + 12) parts.push(chunk('teXt', Buffer.alloc(padTo - size - 12, 0x61)));
  parts.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7), Buffer.from([0xff, 0xd9])]);

export interface PictureServer {
  base: string;
  /** Paths requested, in order. */
  requests: string[];
  /** Path → what to answer; unknown paths are 404. */
  routes: Map<string, Route>;
  close(): Promise<void>;
}

export type Route =
  | { kind: 'picture'; body: Buffer; type?: string }
  | { kind: 'fail'; status?: number }
  | { kind: 'stall' }
  | { kind: 'garbage' }
  | { kind: 'huge'; bytes: number };

export async function pictureServer(): Promise<PictureServer> {
  const requests: string[] = [];
  const routes = new Map<string, Route>();
  const stalled = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(p);
    const r = routes.get(p);
    if (!r) return void res.writeHead(404).end('not found');
    switch (r.kind) {
      case 'picture':
        res.writeHead(200, { 'content-type': r.type ?? 'image/png' }).end(r.body);
        return;
      case 'fail':
        res.writeHead(r.status ?? 500).end('server error');
        return;
      case 'stall':
        stalled.add(res);
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'image/png' }).end('<!doctype html><title>Oops</title><p>Rate limited</p>');
        return;
      case 'huge': {
        // No length announced: the body must be cut off while it streams.
        res.writeHead(200, { 'content-type': 'image/png' });
        const head = png(1, 1, [0, 0, 0]).subarray(0, 16);
        res.write(head);
        const block = Buffer.alloc(64 * 1024, 1);
        let sent = head.length;
        const pump = () => {
          while (sent < r.bytes) {
            sent += block.length;
            if (!res.write(block)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    routes,
    async close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
