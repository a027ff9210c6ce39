// The e2e / preview host: loopback only, token-guarded calls, the same contract envelope, SSE
// events, no files outside the renderer folder, the bridge served as a same-origin script.
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../helpers';
import { startHost, type Host } from '../../e2e/host';

let host: Host | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
  cleanupTempDirs();
});

async function start() {
  const rendererDir = tempDir();
  writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="script-src \'self\'"></head><body></body></html>',
  );
  mkdirSync(path.join(rendererDir, 'assets'));
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(tempDir(), 'secret.txt'), 'secret');
  host = await startHost({ dataDir: tempDir(), rendererDir, logToFile: false });
  return host;
}

function raw(port: number, opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('test host', () => {
  it('serves the page with the bridge as a same-origin script and keeps the CSP', async () => {
    const h = await start();
    const page = await fetch(h.url);
    const html = await page.text();
    expect(html).toContain('<script src="/__blockshelf-bridge.js"></script>');
    expect(html).toContain("script-src 'self'");
    expect(html).not.toContain(h.token);
    const bridge = await (await fetch(`${h.url}__blockshelf-bridge.js`)).text();
    expect(bridge).toContain(h.token);
    expect(bridge).toContain("Object.defineProperty(window, 'blockshelf'");
    expect((await fetch(`${h.url}assets/app.js`)).status).toBe(200);
  });

  it('serves pictures on its picture path through the same handler as the app’s scheme, and allows only that path', async () => {
    const rendererDir = tempDir();
    writeFileSync(
      path.join(rendererDir, 'index.html'),
      '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; img-src blockshelf-pic:; object-src \'none\'" /><meta name="blockshelf-pictures" content="blockshelf-pic://pictures/" /></head><body></body></html>',
    );
    host = await startHost({ dataDir: tempDir(), rendererDir, logToFile: false });
    const html = await (await fetch(host.url)).text();
    expect(html).toContain(`img-src http://127.0.0.1:${host.port}/__pictures/ http://localhost:${host.port}/__pictures/;`);
    expect(html).toContain('<meta name="blockshelf-pictures" content="/__pictures/" />');
    expect(html).not.toContain('blockshelf-pic:');
    const pic = await fetch(`${host.url}__pictures/part/3001/4`);
    expect(pic.status).toBe(200);
    expect(pic.headers.get('content-type')).toBe('image/svg+xml');
    expect(await pic.text()).toContain('#C91A09');
    expect((await fetch(`${host.url}__pictures/part/3001/x`)).status).toBe(404);
    // Another site's page cannot read them.
    expect((await raw(host.port, { path: '/__pictures/part/3001/4', headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(
      403,
    );
  });

  it('answers contract calls only with the token, in the contract’s envelope', async () => {
    const h = await start();
    const body = JSON.stringify({
      channel: 'inventory.create',
      input: { lot: { partId: '3001', colorId: 4, quantityTotal: 2 } },
    });
    const denied = await fetch(`${h.url}__invoke`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(denied.status).toBe(403);
    expect(h.core.inventory.list(h.core.profiles.current().id, {}, { sort: 'part', dir: 'asc' }).total).toBe(0);
    const headers = { 'content-type': 'application/json', 'x-blockshelf-token': h.token };
    const ok = (await (await fetch(`${h.url}__invoke`, { method: 'POST', body, headers })).json()) as {
      ok: boolean;
      data: { status: string };
    };
    expect(ok).toMatchObject({ ok: true, data: { status: 'created' } });
    const bad = (await (
      await fetch(`${h.url}__invoke`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ channel: 'inventory.get', input: { id: -1 } }),
      })
    ).json()) as { ok: boolean; error: { code: string } };
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const unknown = (await (
      await fetch(`${h.url}__invoke`, { method: 'POST', headers, body: JSON.stringify({ channel: 'db.exec', input: {} }) })
    ).json()) as { ok: boolean };
    expect(unknown.ok).toBe(false);
  });

  it('refuses other Host names (DNS rebinding) and paths outside the renderer', async () => {
    const h = await start();
    expect((await raw(h.port, { path: '/', headers: { host: `evil.example:${h.port}` } })).status).toBe(403);
    expect((await raw(h.port, { path: '/../secret.txt' })).status).toBe(404);
    expect((await raw(h.port, { path: '/%2e%2e/%2e%2e/etc/passwd' })).status).toBe(404);
    expect((await raw(h.port, { path: `/__events?token=wrong` })).status).toBe(403);
    expect((await raw(h.port, { path: `/__menu?command=backups.open`, method: 'POST' })).status).toBe(403);
  });

  it('streams core events and menu commands over SSE', async () => {
    const h = await start();
    const ctrl = new AbortController();
    const res = await fetch(`${h.url}__events?token=${h.token}`, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    let text = '';
    h.menu('backups.open');
    h.core.inventory.create(h.core.access(), { partId: '3001', colorId: 4, quantityTotal: 1 }, 'reject');
    while (!text.includes('event: data.changed')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ctrl.abort();
    expect(text).toContain('event: menu.command\ndata: {"command":"backups.open"}');
    expect(text).toMatch(/event: data.changed\ndata: \{"ownerId":\d+,"reason":"created"\}/);
  });
});
