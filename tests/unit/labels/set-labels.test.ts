// Labels for a set's parts, through the core the app runs and the built CLI as a process: one
// label per (part, colour) of the set's list (sub-sets and minifigures expanded, no spares), each
// with the locations its pick list takes it from, or no location line when the inventory has none
// of it. Read back with pdftotext.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { cli } from '../../cli';
import { cleanupTempDirs, ok, tempDir } from '../../helpers';
import { addLot, catalogCore, fixture, freshProfile } from '../sets/helpers';

/** Harry Potter: Amazing Starter Pack: 16 pieces in 5 lines with its minifigure (fixture inventory_parts). */
const PACK = '5026469771003-1';
let core: Core;
let lines: { partId: string; colorId: number }[];

beforeAll(async () => {
  core = await catalogCore();
  await freshProfile(core, 'Sorter');
  lines = (await ok(core.invoke('sets.parts', { source: { setNum: PACK } }))).lines;
  // Owned: the white 3001 in two drawers (the pick list takes from both) and the blue 3005.
  await addLot(core, '3001', 15, 2, 'Drawer A1');
  await addLot(core, '3001', 15, 5, 'Drawer A2');
  await addLot(core, '3005', 1, 10, 'Bin 9');
  // Not on the set's list: never labelled.
  await addLot(core, '3002', 4, 3, 'Drawer Z');
}, 180_000);
afterAll(() => {
  core.close();
  cleanupTempDirs();
});

const pdfText = (file: string) => execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });

describe('labels for a set’s parts', () => {
  it('previews one label per (part, colour) of the list, with where the pick list finds it', async () => {
    expect(lines.length).toBe(5);
    const p = await ok(core.invoke('labels.preview', { selection: { setNum: PACK }, layout: 'avery-5167' }));
    expect(p.count).toBe(lines.length);
    expect(p.firstPage.map((l) => `${l.partId}/${l.colorId}`).sort()).toEqual(
      lines.map((l) => `${l.partId}/${l.colorId}`).sort(),
    );
    const byPart = new Map(p.firstPage.map((l) => [`${l.partId}/${l.colorId}`, l]));
    // 3 white 3001 are needed: more than either drawer's alone, so the pick list goes to both.
    expect(byPart.get('3001/15')!.location).toMatch(/^Drawer A[12], Drawer A[12]$/);
    expect(byPart.get('3005/1')).toMatchObject({ location: 'Bin 9', colorName: 'Blue' });
    expect(byPart.get('3005/1')!.lotId).toEqual(expect.any(Number));
    // Parts the inventory does not hold: no lot, no location.
    const unowned = p.firstPage.filter((l) => !['3001/15', '3005/1'].includes(`${l.partId}/${l.colorId}`));
    expect(unowned).toHaveLength(3);
    for (const l of unowned) expect(l).toMatchObject({ lotId: null, location: '' });
    // Names come from the catalogue.
    expect(byPart.get('3001/15')!.name).toBe('Brick 2 x 4');
  });

  it('writes a PDF holding every part number of the set and the locations, nothing else of the inventory', async () => {
    const file = path.join(tempDir(), 'pack.pdf');
    const r = await ok(
      core.invoke('labels.create', {
        selection: { setNum: PACK },
        layout: 'a4-24',
        file: core.files.register(file, 'write').token,
      }),
    );
    expect(r).toMatchObject({ labels: 5, pages: 1 });
    const text = pdfText(file);
    for (const l of lines) expect(text).toContain(l.partId);
    expect(text).toContain('Bin 9');
    expect(text).toContain('Drawer A');
    expect(text).not.toContain('Drawer Z');
    expect(text).not.toContain('3002');
    expect(text).not.toContain('(no location)');
  });

  it('an unknown set, or a set whose parts are not known, is a clear error and no file', async () => {
    const file = path.join(tempDir(), 'none.pdf');
    const unknown = await core.invoke('labels.create', {
      selection: { setNum: '99999999-9' },
      layout: 'a4-24',
      file: core.files.register(file, 'write').token,
    });
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.error.message).toContain('99999999-9');
    const unknownParts = await core.invoke('labels.preview', { selection: { setNum: '75331-1' }, layout: 'a4-24' });
    expect(!unknownParts.ok && unknownParts.error.message).toMatch(/75331-1 The Razor Crest.*not known/);
  });
});

describe('blockshelf labels --set (the CLI as a process)', () => {
  const dir = tempDir();
  const run = (...args: string[]) => cli(['--data-dir', dir, ...args]);

  it('writes the set’s labels with the location of an owned part; refuses --set with --location', async () => {
    expect((await run('catalog', 'import', fixture('inventory_parts.csv'))).code).toBe(0);
    expect((await run('add', '--part', '3005', '--color', '1', '--qty', '4', '--location', 'Bin 3')).code).toBe(0);
    const out = path.join(tempDir(), 'set.pdf');
    const r = await run('labels', '--set', PACK, '--layout', 'roll-62mm', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Wrote 5 labels on 5 pages');
    const text = pdfText(out);
    for (const l of lines) expect(text).toContain(l.partId);
    expect(text).toContain('Bin 3');

    const both = await run('labels', '--set', PACK, '--location', 'Bin 3', '--out', out);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('not both');
    const bad = await run('labels', '--set', 'no-such-set', '--out', path.join(tempDir(), 'x.pdf'));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('no-such-set');
  }, 180_000);
});
