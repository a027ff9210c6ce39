// Storage labels through the core the app runs: the PDF has the right number of pages, its text
// (read back with pdftotext) holds the part numbers and locations of the selected lots and the
// full names of shortened ones, and nothing drawn leaves its label (widths measured with the
// embedded font, and the words' boxes pdftotext finds in the PDF).
import fontkit from '@pdf-lib/fontkit';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeCore, ok, repoRoot, tempDir } from '../../helpers';
import { cli } from '../../cli';
import type { Core } from '../../../src/main/core';
import { LABEL_FONT_FEATURES } from '../../../src/main/labels/pdf';
import { LABEL_LAYOUTS, LABEL_LAYOUT_IDS, labelGeometry, type LabelLayout } from '../../../src/shared/labels';
import { png, pictureServer, type PictureServer } from '../pictures/server';

const cores: Core[] = [];
const servers: PictureServer[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
  cleanupTempDirs();
});

const FONT = path.join(repoRoot, 'resources/fonts/DejaVuSansCondensed.ttf');
const LONG = 'Brick, Modified 2 x 4 with Studs on Side, Pin Holes and Technic Axle Holes in a Very Long Name';

function seeded(dataDir = tempDir()) {
  const core = makeCore({ dataDir });
  cores.push(core);
  const access = core.access();
  // 85 lots in “Drawer A1” (more than one Avery page), 3 elsewhere.
  for (let i = 0; i < 85; i++) {
    core.inventory.create(
      access,
      {
        partId: `30${String(i).padStart(2, '0')}`,
        colorId: i % 2 ? 4 : 1,
        quantityTotal: 5,
        storageLocation: 'Drawer A1',
        name: i === 7 ? LONG : `Plate 1 x ${i}`,
      },
      'reject',
    );
  }
  core.inventory.create(
    access,
    {
      partId: '3626cpr0001',
      colorId: 14,
      quantityTotal: 1,
      storageLocation: 'Drawer A1 — the top shelf by the WINDOW, left side',
      name: 'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW Ωmega fi fl ﬁ “quoted” ÄÖÜ',
    },
    'reject',
  );
  for (const p of ['9001', '9002', '9003'])
    core.inventory.create(access, { partId: p, colorId: 0, quantityTotal: 1, storageLocation: 'Box Z' }, 'reject');
  return core;
}

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
}
function pdfPages(file: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
}

async function create(
  core: Core,
  selection: { location: string } | { lotIds: number[] },
  layout: (typeof LABEL_LAYOUT_IDS)[number],
) {
  const file = path.join(tempDir(), `labels-${layout}.pdf`);
  const result = await ok(core.invoke('labels.create', { selection, layout, file: core.files.register(file, 'write').token }));
  return { file, result };
}

describe('labels: pages and text', () => {
  it.each([
    ['avery-5167', 2],
    ['a4-24', 4],
    ['roll-62mm', 85],
  ] as const)('%s: 85 labels make %i pages, holding every part number and the location', async (layout, pages) => {
    const core = seeded();
    const { file, result } = await create(core, { location: 'drawer a1' }, layout);
    expect(result).toMatchObject({ layout, labels: 85, pages });
    expect(pdfPages(file)).toBe(pages);
    const text = pdfText(file);
    for (let i = 0; i < 85; i++) expect(text).toContain(`30${String(i).padStart(2, '0')}`);
    expect(text.match(/Drawer A1/g)).toHaveLength(85);
    // Lots of other locations are not on the sheet.
    expect(text).not.toContain('9001');
    expect(text).not.toContain('Box Z');
    // The long name is shortened on the label but whole in the PDF's text.
    expect(text).toContain(LONG);
  });

  it('prints chosen lots only, and says which lot is not there', async () => {
    const core = seeded();
    const lots = await ok(core.invoke('inventory.list', { limit: 200 }));
    const chosen = lots.items.filter((l) => ['3003', '9002'].includes(l.partId)).map((l) => l.id);
    expect(chosen).toHaveLength(2);
    const { file, result } = await create(core, { lotIds: chosen }, 'a4-24');
    expect(result).toMatchObject({ labels: 2, pages: 1 });
    const text = pdfText(file);
    expect(text).toContain('3003');
    expect(text).toContain('9002');
    expect(text).toContain('Box Z');
    expect(text).not.toContain('3004');

    const missing = await core.invoke('labels.create', {
      selection: { lotIds: [999_999] },
      layout: 'a4-24',
      file: core.files.register(path.join(tempDir(), 'x.pdf'), 'write').token,
    });
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error.message).toContain('999999');
    const nowhere = await core.invoke('labels.preview', { selection: { location: 'Attic' }, layout: 'a4-24' });
    expect(!nowhere.ok && nowhere.error.message).toContain('Attic');
    const badLayout = await core.invoke('labels.preview', { selection: { location: 'Box Z' }, layout: 'letter-99' as never });
    expect(!badLayout.ok && badLayout.error.code).toBe('invalid-input');
  });

  it('previews the first page with the same numbers', async () => {
    const core = seeded();
    const p = await ok(core.invoke('labels.preview', { selection: { location: 'Drawer A1' }, layout: 'avery-5167' }));
    expect(p).toMatchObject({ layout: 'avery-5167', count: 85, pages: 2 });
    expect(p.firstPage).toHaveLength(80);
    expect(p.firstPage[0]).toMatchObject({ partId: '3000', colorId: 1, colorName: 'Blue', rgb: '0055BF', location: 'Drawer A1' });
  });
});

describe('labels: nothing leaves its label', () => {
  const font = fontkit.create(readFileSync(FONT));
  // Laid out by the font's own shaping, with the features the PDF embeds the font with.
  const width = (text: string, size: number) => (font.layout(text, LABEL_FONT_FEATURES).advanceWidth * size) / font.unitsPerEm;

  function cellsOf(layout: LabelLayout) {
    const cells: { x: number; y: number; w: number; h: number }[] = [];
    for (let r = 0; r < layout.rows; r++)
      for (let c = 0; c < layout.cols; c++)
        cells.push({
          x: layout.origin.x + c * layout.pitch.x,
          y: layout.origin.y + r * layout.pitch.y,
          w: layout.cell.w,
          h: layout.cell.h,
        });
    return cells;
  }

  it.each(LABEL_LAYOUT_IDS)('%s: every text fits its line inside the label, measured with the embedded font', async (id) => {
    const core = seeded();
    const layout = LABEL_LAYOUTS[id];
    // Every lot, the one with wide letters and a long location among them.
    const all = (await ok(core.invoke('inventory.list', { limit: 200 }))).items.map((l) => l.id);
    const made = await core.labels.make({ lotIds: all }, id);
    expect(made.plan.some((l) => l.item.partId === '3626cpr0001')).toBe(true);
    const g = labelGeometry(layout);
    let shortened = 0;
    for (const l of made.plan) {
      const inner = {
        left: l.cell.x + layout.padding,
        right: l.cell.x + l.cell.w - layout.padding,
        top: l.cell.y,
        bottom: l.cell.y + l.cell.h,
      };
      expect(l.picture.x).toBeGreaterThanOrEqual(inner.left - 1e-6);
      expect(l.picture.x + l.picture.size).toBeLessThanOrEqual(inner.right);
      expect(l.picture.y + l.picture.size).toBeLessThanOrEqual(inner.bottom);
      for (const t of l.texts) {
        const w = width(t.text, t.size);
        expect(t.x + w, `${t.line} “${t.text}”`).toBeLessThanOrEqual(inner.right + 1e-6);
        expect(t.x).toBeGreaterThanOrEqual(l.picture.x + l.picture.size);
        // Ascent and descent of DejaVu (0.93 and 0.24 em) stay inside the label.
        expect(t.baseline - t.size * 0.93).toBeGreaterThanOrEqual(inner.top);
        expect(t.baseline + t.size * 0.24).toBeLessThanOrEqual(inner.bottom);
        if (t.text !== t.full) {
          shortened++;
          expect(t.text.endsWith('…')).toBe(true);
          expect(t.full.startsWith(t.text.slice(0, -1).trimEnd())).toBe(true);
        }
      }
    }
    expect(g.fontSize).toBeGreaterThan(5);
    expect(shortened).toBeGreaterThan(0);
  });

  it('avery-5167: the words pdftotext finds each lie inside one label of the sheet', async () => {
    const core = seeded();
    const { file } = await create(core, { location: 'Drawer A1' }, 'avery-5167');
    const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    const words = [
      ...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
    ].map((m) => ({
      x0: Number(m[1]),
      y0: Number(m[2]),
      x1: Number(m[3]),
      y1: Number(m[4]),
      text: m[5],
    }));
    expect(words.length).toBeGreaterThan(85 * 4);
    const cells = cellsOf(LABEL_LAYOUTS['avery-5167']);
    const eps = 0.5;
    for (const w of words) {
      const home = cells.find(
        (c) => w.x0 >= c.x - eps && w.x1 <= c.x + c.w + eps && w.y0 >= c.y - eps && w.y1 <= c.y + c.h + eps,
      );
      expect(home, `“${w.text}” at ${w.x0},${w.y0}–${w.x1},${w.y1}`).toBeDefined();
    }
  });
});

describe('labels: pictures from the cache', () => {
  it('draws cached pictures and the colour block for the others, without downloading anything', async () => {
    const server = await pictureServer();
    servers.push(server);
    const dataDir = tempDir();
    const core = makeCore({ dataDir, pictures: { baseUrl: server.base, timeoutMs: 400, retries: 0 } });
    cores.push(core);
    const access = core.access();
    core.inventory.create(access, { partId: '3001', colorId: 4, quantityTotal: 2, storageLocation: 'Shelf' }, 'reject');
    core.inventory.create(access, { partId: '3002', colorId: 4, quantityTotal: 2, storageLocation: 'Shelf' }, 'reject');
    server.routes.set('/media/parts/ldraw/4/3001.png', { kind: 'picture', body: png(8, 8, [201, 26, 9]) });
    await ok(core.invoke('pictures.configure', { fetch: 'on' }));
    await core.pictures.respond('/part/3001/4');
    await core.pictures.idle();
    const before = server.requests.length;

    const { file } = await create(core, { location: 'Shelf' }, 'a4-24');
    expect(server.requests.length).toBe(before);
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images).toHaveLength(1);
    expect(pdfText(file)).toContain('3002');
  });
});

describe('labels: the command line', () => {
  it('labels --location L --layout a4-24 --out FILE.pdf writes the sheet; bad options are refused', async () => {
    const dataDir = tempDir();
    seeded(dataDir).close();
    cores.pop();
    const out = path.join(tempDir(), 'drawer.pdf');
    const r = await cli(['--data-dir', dataDir, 'labels', '--location', 'Drawer A1', '--layout', 'a4-24', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Wrote 85 labels on 4 pages');
    expect(pdfPages(out)).toBe(4);
    expect(pdfText(out)).toContain('3084');

    const bad = await cli(['--data-dir', dataDir, 'labels', '--location', 'Drawer A1', '--layout', 'letter', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--layout must be one of avery-5167, a4-24, roll-62mm');
    const none = await cli(['--data-dir', dataDir, 'labels', '--location', 'Attic', '--out', path.join(tempDir(), 'x.pdf')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No lots are stored at “Attic”');
    const json = await cli(['--data-dir', dataDir, '--json', 'labels', '--location', 'Box Z', '--out', out]);
    expect(JSON.parse(json.stdout)).toMatchObject({ labels: 3, pages: 1, layout: 'avery-5167' });
  });
});
