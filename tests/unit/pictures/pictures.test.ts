// Pictures through the core the app runs (createCore): fetched only when allowed, from a picture
// server of the test's own that serves, fails, stalls and answers garbage; cached on disk under
// a size limit (least recently used go first), kept across restarts, and every failure answered
// with the placeholder in the part's colour.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeCore, ok, tempDir } from '../../helpers';
import type { Core } from '../../../src/main/core';
import type { PictureOptions } from '../../../src/main/pictures/service';
import { JPEG, png, pictureServer, type PictureServer } from './server';

const cores: Core[] = [];
const servers: PictureServer[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
  cleanupTempDirs();
});

const FAST: PictureOptions = { timeoutMs: 400, retries: 2, backoffMs: 20 };

async function setup(opts: PictureOptions = {}, dataDir = tempDir()) {
  const server = await pictureServer();
  servers.push(server);
  const core = makeCore({ dataDir, pictures: { baseUrl: server.base, ...FAST, ...opts } });
  cores.push(core);
  return { server, core, dataDir };
}

const RED = png(4, 4, [201, 26, 9]);
const ldraw = (color: number, part: string) => `/media/parts/ldraw/${color}/${part}.png`;

async function show(core: Core, p: string) {
  const r = await core.pictures.respond(p);
  return { ...r, text: r.contentType === 'image/svg+xml' ? r.body.toString('utf8') : '' };
}

describe('pictures: consent', () => {
  it('asks first and downloads nothing until the user says yes; off means no request at all', async () => {
    const { server, core } = await setup();
    server.routes.set(ldraw(4, '3001'), { kind: 'picture', body: RED });
    expect(await ok(core.invoke('pictures.settings', {}))).toMatchObject({ fetch: 'ask', limitMb: 200, files: 0, usedBytes: 0 });

    const first = await show(core, '/part/3001/4');
    expect(first.placeholder).toBe(true);
    expect(first.status).toBe(200);
    // Red (Rebrickable colour 4) is C91A09: the placeholder is drawn in it.
    expect(first.text).toContain('#C91A09');
    await core.pictures.idle();
    expect(server.requests).toEqual([]);

    await ok(core.invoke('pictures.configure', { fetch: 'off' }));
    await show(core, '/part/3001/4');
    await show(core, '/set/75192-1');
    await core.pictures.idle();
    expect(server.requests).toEqual([]);
  });

  it('refuses a picture source from a contract call: only the core chooses it', async () => {
    const { core } = await setup();
    const r = await core.invoke('pictures.configure', { fetch: 'on', baseUrl: 'http://evil.example' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('invalid-input');
    expect((await ok(core.invoke('pictures.settings', {}))).fetch).toBe('ask');
  });
});

describe('pictures: cache', () => {
  it('fills the cache, announces the arrival, and serves it again after a restart while offline', async () => {
    const { server, core, dataDir } = await setup();
    server.routes.set(ldraw(4, '3001'), { kind: 'picture', body: RED });
    await ok(core.invoke('pictures.configure', { fetch: 'on' }));
    const arrived: string[][] = [];
    core.events.on('pictures.changed', (p) => arrived.push(p.keys));

    expect((await show(core, '/part/3001/4')).placeholder).toBe(true);
    await core.pictures.idle();
    expect(arrived.flat()).toEqual(['part/3001/4']);
    const hit = await show(core, '/part/3001/4');
    expect(hit).toMatchObject({ status: 200, contentType: 'image/png', placeholder: false });
    expect(Buffer.compare(hit.body, RED)).toBe(0);
    expect(server.requests).toEqual([ldraw(4, '3001')]);
    expect(await ok(core.invoke('pictures.settings', {}))).toMatchObject({ fetch: 'on', files: 1, usedBytes: RED.length });

    core.close();
    cores.splice(cores.indexOf(core), 1);
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    // A new core on the same data folder, its picture server gone (offline).
    const again = makeCore({ dataDir, pictures: { baseUrl: server.base, ...FAST } });
    cores.push(again);
    expect((await ok(again.invoke('pictures.settings', {}))).fetch).toBe('on');
    const offline = await show(again, '/part/3001/4');
    expect(offline.placeholder).toBe(false);
    expect(Buffer.compare(offline.body, RED)).toBe(0);
  });

  it('prefers the element picture, then the downloads’ img_url (on Rebrickable only), then the colour rendering', async () => {
    const { server, core } = await setup();
    const sql = core.db.sqlite;
    sql.prepare("INSERT INTO elements (element_id, part_num, color_id) VALUES ('300121', '3001', 4)").run();
    sql
      .prepare(
        "INSERT INTO parts (part_num, name) VALUES ('3001', 'Brick 2 x 4'), ('3020', 'Plate 2 x 4'), ('3062b', 'Round Brick')",
      )
      .run();
    sql.prepare('INSERT INTO inventories (id, version, set_num) VALUES (1, 1, ?)').run('fig-000001');
    sql
      .prepare(
        'INSERT INTO inventory_parts (inventory_id, part_num, color_id, is_spare, quantity, img_url) VALUES (1, ?, ?, 0, 1, ?)',
      )
      .run('3020', 15, 'https://cdn.rebrickable.com/media/parts/photos/15/3020-x.jpg');
    sql
      .prepare(
        'INSERT INTO inventory_parts (inventory_id, part_num, color_id, is_spare, quantity, img_url) VALUES (1, ?, ?, 0, 1, ?)',
      )
      .run('3062b', 1, 'https://evil.example/media/tracker.jpg');
    server.routes.set('/media/parts/elements/300121.jpg', { kind: 'picture', body: JPEG, type: 'image/jpeg' });
    server.routes.set('/media/parts/photos/15/3020-x.jpg', { kind: 'picture', body: JPEG, type: 'image/jpeg' });
    await ok(core.invoke('pictures.configure', { fetch: 'on' }));

    for (const p of ['/part/3001/4', '/part/3020/15', '/part/3062b/1']) await show(core, p);
    await core.pictures.idle();
    expect(server.requests).toContain('/media/parts/elements/300121.jpg');
    expect(server.requests).toContain('/media/parts/photos/15/3020-x.jpg');
    // The foreign address is never asked for; the colour rendering on the source is.
    expect(server.requests).not.toContain('/media/tracker.jpg');
    expect(server.requests).toContain(ldraw(1, '3062b'));
    expect((await show(core, '/part/3001/4')).contentType).toBe('image/jpeg');
    expect((await show(core, '/part/3062b/1')).placeholder).toBe(true);
  });

  it('keeps the cache under its limit, evicting the least recently used picture first', async () => {
    const { server, core } = await setup();
    const big = (i: number) => png(2, 2, [i, i, i], 1_500_000);
    for (let i = 0; i < 9; i++) server.routes.set(ldraw(4, `p${i}`), { kind: 'picture', body: big(i) });
    await ok(core.invoke('pictures.configure', { fetch: 'on', limitMb: 10 }));
    const limit = 10 * 1024 * 1024;

    for (let i = 0; i < 6; i++) {
      await show(core, `/part/p${i}/4`);
      await core.pictures.idle();
    }
    expect((await ok(core.invoke('pictures.settings', {}))).files).toBe(6);
    // p0 is used again: p1 is now the least recently used.
    expect((await show(core, '/part/p0/4')).placeholder).toBe(false);
    for (let i = 6; i < 9; i++) {
      await show(core, `/part/p${i}/4`);
      await core.pictures.idle();
    }
    const s = await ok(core.invoke('pictures.settings', {}));
    expect(s.usedBytes).toBeLessThanOrEqual(limit);
    expect(s.files).toBe(6);
    expect(await core.pictures.cached('part/p0/4')).not.toBeNull();
    expect(await core.pictures.cached('part/p1/4')).toBeNull();
    expect(await core.pictures.cached('part/p2/4')).toBeNull();
    expect(await core.pictures.cached('part/p8/4')).not.toBeNull();
    const files = readdirSync(path.join(core.dataDir, 'pictures', 'cache'));
    expect(files).toHaveLength(6);

    // A smaller limit applies at once; emptying the cache removes every file.
    await ok(core.invoke('pictures.configure', { limitMb: 10 }));
    const cleared = await ok(core.invoke('pictures.clear', {}));
    expect(cleared).toMatchObject({ files: 0, usedBytes: 0 });
    expect(readdirSync(path.join(core.dataDir, 'pictures', 'cache'))).toEqual([]);
  });
});

describe('pictures: the cache across restarts', () => {
  it('keeps the use order across a restart: the least recently shown picture is the first to go', async () => {
    const { server, core, dataDir } = await setup();
    const big = (i: number) => png(2, 2, [i, i, i], 1_500_000);
    for (let i = 0; i < 7; i++) server.routes.set(ldraw(4, `q${i}`), { kind: 'picture', body: big(i) });
    await ok(core.invoke('pictures.configure', { fetch: 'on', limitMb: 10 }));
    const pause = () => new Promise((r) => setTimeout(r, 30));
    for (let i = 0; i < 6; i++) {
      await show(core, `/part/q${i}/4`);
      await core.pictures.idle();
      await pause();
    }
    // q0 shown again: q1 is now the least recently shown.
    expect((await show(core, '/part/q0/4')).placeholder).toBe(false);
    await pause();
    core.close();
    cores.splice(cores.indexOf(core), 1);

    const again = makeCore({ dataDir, pictures: { baseUrl: server.base, ...FAST } });
    cores.push(again);
    await show(again, '/part/q6/4');
    await again.pictures.idle();
    expect(await again.pictures.cached('part/q6/4')).not.toBeNull();
    expect(await again.pictures.cached('part/q0/4')).not.toBeNull();
    expect(await again.pictures.cached('part/q1/4')).toBeNull();
    expect(await again.pictures.cached('part/q2/4')).not.toBeNull();
  });

  it('a cached file damaged on disk is dropped and shown as the placeholder, then fetched again', async () => {
    const { server, core } = await setup();
    server.routes.set(ldraw(4, '3001'), { kind: 'picture', body: RED });
    await ok(core.invoke('pictures.configure', { fetch: 'on' }));
    await show(core, '/part/3001/4');
    await core.pictures.idle();
    const dir = path.join(core.dataDir, 'pictures', 'cache');
    const [file] = readdirSync(dir);
    writeFileSync(path.join(dir, file!), '<html>not a picture</html>');
    const r = await show(core, '/part/3001/4');
    expect(r.placeholder).toBe(true);
    await core.pictures.idle();
    expect(server.requests.filter((p) => p === ldraw(4, '3001'))).toHaveLength(2);
    expect((await show(core, '/part/3001/4')).placeholder).toBe(false);
  });
});

describe('pictures: failures are placeholders', () => {
  it('500, stall, garbage, too large and missing all give the placeholder, cache nothing, and are not asked for again at once', async () => {
    const { server, core } = await setup({ maxBytes: 300_000 });
    server.routes.set(ldraw(4, 'fails'), { kind: 'fail' });
    server.routes.set(ldraw(4, 'stalls'), { kind: 'stall' });
    server.routes.set(ldraw(4, 'junk'), { kind: 'garbage' });
    server.routes.set(ldraw(4, 'huge'), { kind: 'huge', bytes: 5_000_000 });
    await ok(core.invoke('pictures.configure', { fetch: 'on' }));

    const names = ['fails', 'stalls', 'junk', 'huge', 'nowhere'];
    const t0 = Date.now();
    for (const n of names) {
      const r = await show(core, `/part/${n}/4`);
      expect(r.placeholder, n).toBe(true);
    }
    // Answers never wait for the network: the stalled server is still being waited for.
    expect(Date.now() - t0).toBeLessThan(300);
    await core.pictures.idle();
    const count = (n: string) => server.requests.filter((r) => r === ldraw(4, n)).length;
    // A server error and a stall are retried (1 + 2 retries); a garbage page, a huge body and a
    // missing picture are not.
    expect(count('fails')).toBe(3);
    expect(count('stalls')).toBe(3);
    expect(count('junk')).toBe(1);
    expect(count('huge')).toBe(1);
    expect(count('nowhere')).toBe(1);
    for (const n of names) {
      const r = await show(core, `/part/${n}/4`);
      expect(r.placeholder, n).toBe(true);
      expect(r.text, n).toContain('#C91A09');
    }
    await core.pictures.idle();
    expect(server.requests.length).toBe(3 + 3 + 1 + 1 + 1);
    expect((await ok(core.invoke('pictures.settings', {}))).files).toBe(0);
    expect(existsSync(path.join(core.dataDir, 'pictures', 'cache'))).toBe(true);
  });

  it('answers a bad picture address with 404, never a file or a request', async () => {
    const { server, core } = await setup();
    await ok(core.invoke('pictures.configure', { fetch: 'on' }));
    for (const p of [
      '/../../etc/passwd',
      '/part/3001/red',
      '/part/%00x/4',
      '/part/3001',
      '/set',
      '/other/x',
      '/set/a/b',
      '/part/%E0%A4%A/4',
    ]) {
      expect((await core.pictures.respond(p)).status, p).toBe(404);
    }
    // An unknown colour or a set without a picture: the neutral placeholder.
    expect((await show(core, '/part/3001/123456')).text).toContain('#C8C8C8');
    expect((await show(core, '/set/75192-1')).text).toContain('data-placeholder="set"');
    await core.pictures.idle();
    expect(server.requests.sort()).toEqual([ldraw(123456, '3001'), '/media/sets/75192-1.jpg']);
  });
});
