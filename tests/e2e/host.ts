// The e2e / preview host: runs the real core on a data folder, serves the built renderer
// (out/renderer) and carries the IPC contract over HTTP on 127.0.0.1, with push events over
// Server-Sent Events. A same-origin script installs `window.blockshelf` with exactly the
// preload's shape (BlockShelfApi), so the page's strict CSP stays as in the app.
//
//   tsx tests/e2e/host.ts --data-dir DIR [--port P]      (npm run preview:web -- …)
//
// A developer and test tool, not part of the app. Only loopback: the server binds 127.0.0.1,
// checks the Host header, answers no request another site's page made (Origin and
// Sec-Fetch-Site: same origin or a typed address only, so the bridge script holding the token is
// never handed to a cross-site <script src>), and every call carries that random token in a
// custom header.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { MENU_COMMANDS, PICTURE_HOST_PATH, type EventMap, type EventName, type MenuCommand } from '../../src/shared/contract';
import { EVENT_NAMES } from '../../src/shared/contract';
import { createCore, type Core, type CoreOptions } from '../../src/main/core';
import { queuedDesktop } from '../../src/main/desktop';
import { pictureHeaders } from '../../src/main/pictures/service';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_DIR = path.join(repoRoot, 'out', 'renderer');

export interface HostOptions extends Omit<CoreOptions, 'dataDir'> {
  dataDir: string;
  port?: number;
  rendererDir?: string;
  /** Answers the native dialogs (default: a queue the tests fill). */
  dialogs?: ReturnType<typeof queuedDesktop>;
}

export interface Host {
  url: string;
  port: number;
  token: string;
  core: Core;
  /** The dialogs' answers: tests queue the paths a person would pick. */
  desktop: ReturnType<typeof queuedDesktop>;
  /** Sends a `menu.command` event as the application menu would. */
  menu(command: MenuCommand): void;
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function bridgeScript(token: string): string {
  // Plain ES2019, no imports: installs window.blockshelf = { invoke, on } like the preload.
  return `(() => {
  const TOKEN = ${JSON.stringify(token)};
  const listeners = new Map();
  const source = new EventSource('/__events?token=' + encodeURIComponent(TOKEN));
  for (const name of ${JSON.stringify(EVENT_NAMES)}) {
    source.addEventListener(name, (e) => {
      let payload; try { payload = JSON.parse(e.data); } catch { return; }
      for (const cb of [...(listeners.get(name) || [])]) { try { cb(payload); } catch (err) { console.error(err); } }
    });
  }
  const api = {
    invoke(channel, input) {
      return fetch('/__invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-blockshelf-token': TOKEN },
        body: JSON.stringify({ channel, input: input === undefined ? {} : input }),
      }).then((r) => r.json()).catch((e) => ({ ok: false, error: { code: 'internal', message: String(e && e.message || e) } }));
    },
    on(event, cb) {
      if (!${JSON.stringify(EVENT_NAMES)}.includes(event)) throw new Error('unknown event ' + event);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => { set.delete(cb); };
    },
  };
  Object.defineProperty(window, 'blockshelf', { value: Object.freeze(api), writable: false, configurable: false });
})();
`;
}

export async function startHost(opts: HostOptions): Promise<Host> {
  const rendererDir = opts.rendererDir ?? RENDERER_DIR;
  const indexFile = path.join(rendererDir, 'index.html');
  if (!existsSync(indexFile)) {
    throw new Error(`${indexFile} is missing: run \`npm run build\` first`);
  }
  const { port: wantPort, rendererDir: _r, dialogs, ...coreOpts } = opts;
  const desktop = dialogs ?? queuedDesktop();
  // Every dialog of the app (import, export, backup folder, restore, archive) answers from it.
  const core = createCore({ logToFile: true, desktop, ...coreOpts });
  const token = randomBytes(24).toString('hex');
  const streams = new Set<http.ServerResponse>();
  const bridge = bridgeScript(token);
  // The page's pictures come from this host's picture path instead of the app's scheme: the
  // policy allows exactly that path, and the page reads its base from the meta tag.
  const page = readFileSync(indexFile, 'utf8').replace('<head>', '<head>\n    <script src="/__blockshelf-bridge.js"></script>');
  let index = page;

  function send<E extends EventName>(event: E, payload: EventMap[E]) {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) res.write(frame);
  }
  const offs = EVENT_NAMES.map((name) => core.events.on(name, (p) => send(name, p)));

  let port = 0;
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      core.log.error('host request failed', e);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      res.writeHead(403).end('forbidden host');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const security = {
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
    };
    if (!fromOwnPage(req, host)) {
      res.writeHead(403, security).end('forbidden origin');
      return;
    }
    if (url.pathname === '/__invoke' && req.method === 'POST') {
      if (req.headers['x-blockshelf-token'] !== token) {
        res.writeHead(403, security).end('forbidden');
        return;
      }
      const body = await readBody(req, 64 * 1024 * 1024);
      let msg: { channel?: unknown; input?: unknown };
      try {
        msg = JSON.parse(body) as typeof msg;
      } catch {
        res.writeHead(400, security).end('bad json');
        return;
      }
      const result = await core.invoke(String(msg.channel), msg.input ?? {});
      res.writeHead(200, { ...security, 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
      return;
    }
    if (url.pathname === '/__events' && req.method === 'GET') {
      if (url.searchParams.get('token') !== token) {
        res.writeHead(403, security).end('forbidden');
        return;
      }
      res.writeHead(200, { ...security, 'content-type': 'text/event-stream', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/__menu' && req.method === 'POST') {
      if (req.headers['x-blockshelf-token'] !== token) {
        res.writeHead(403, security).end('forbidden');
        return;
      }
      const command = url.searchParams.get('command') as MenuCommand;
      if (!MENU_COMMANDS.includes(command)) {
        res.writeHead(400, security).end('unknown command');
        return;
      }
      send('menu.command', { command });
      res.writeHead(204, security).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, security).end();
      return;
    }
    if (url.pathname.startsWith(PICTURE_HOST_PATH)) {
      // The same handler as the app's picture scheme.
      const r = await core.pictures.respond(url.pathname.slice(PICTURE_HOST_PATH.length - 1));
      res.writeHead(r.status, { ...security, ...pictureHeaders(r) });
      res.end(req.method === 'HEAD' ? undefined : r.body);
      return;
    }
    if (url.pathname === '/__blockshelf-bridge.js') {
      res.writeHead(200, { ...security, 'content-type': MIME['.js']! });
      res.end(bridge);
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { ...security, 'content-type': MIME['.html']! });
      res.end(index);
      return;
    }
    const file = path.resolve(rendererDir, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(rendererDir + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, security).end('not found');
      return;
    }
    res.writeHead(200, { ...security, 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wantPort ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  index = page
    .replace(
      'img-src blockshelf-pic:;',
      `img-src http://127.0.0.1:${port}${PICTURE_HOST_PATH} http://localhost:${port}${PICTURE_HOST_PATH};`,
    )
    .replace('content="blockshelf-pic://pictures/"', `content="${PICTURE_HOST_PATH}"`);

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    core,
    desktop,
    menu: (command) => send('menu.command', { command }),
    emit: send,
    async close() {
      offs.forEach((off) => off());
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      core.close();
    },
  };
}

/**
 * For a person trying the UI in a browser: the "native" dialogs ask in this terminal for a
 * path (an empty answer cancels), and "show folder" prints the folder.
 */
function terminalDesktop(): ReturnType<typeof queuedDesktop> {
  const queue = queuedDesktop();
  let pending = Promise.resolve<unknown>(null);
  const ask = (question: string): Promise<string | null> => {
    const next = pending.then(
      () =>
        new Promise<string | null>((resolve) => {
          const rl = createInterface({ input: process.stdin, output: process.stdout });
          rl.question(`\n${question} (empty cancels): `, (answer) => {
            rl.close();
            const t = answer.trim();
            resolve(t ? path.resolve(t) : null);
          });
        }),
    );
    pending = next;
    return next;
  };
  return {
    ...queue,
    openFile: async (o) => {
      const p = await ask(`Open file${o.title ? ` — ${o.title}` : ''}`);
      return p ? [p] : null;
    },
    saveFile: (o) => ask(`Save as${o.title ? ` — ${o.title}` : ''}${o.suggestedName ? ` [${o.suggestedName}]` : ''}`),
    chooseFolder: (o) => ask(`Choose folder${o.title ? ` — ${o.title}` : ''}`),
    openPath: async (p) => {
      process.stdout.write(`\n(show folder) ${p}\n`);
      return true;
    },
  };
}

/**
 * A request this host's own page made, or one typed in the address bar (or sent by a tool that
 * is no browser page). Browsers name the requesting page: `Origin` (calls, module scripts,
 * EventSource) and `Sec-Fetch-Site` (every request, including a classic `<script src>`).
 */
function fromOwnPage(req: http.IncomingMessage, host: string): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

function readBody(req: http.IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error('request too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function main() {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' } },
    allowPositionals: false,
  });
  const dataDir = values['data-dir'];
  if (!dataDir) {
    process.stderr.write('usage: npm run preview:web -- --data-dir DIR [--port P]\n');
    process.exit(2);
  }
  const port = values.port ? Number(values.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a port number, not ${values.port}\n`);
    process.exit(2);
  }
  // Like the app: the shipped catalogue loads in the background on first start.
  const catalogDir = path.join(repoRoot, 'resources', 'catalog');
  const host = await startHost({ dataDir: path.resolve(dataDir), port, dialogs: terminalDesktop(), catalogDir });
  process.stdout.write(`BlockShelf preview on ${host.url} (data folder ${path.resolve(dataDir)}; Ctrl+C stops)\n`);
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
