// Sets from the real catalogue (the shipped snapshot, loaded through createCore) with fixture
// inventory_parts rows in Rebrickable's exact format: search, themes, a set's details, its
// newest inventory with sub-sets and minifigures expanded, and the plain message for a set whose
// parts are not known.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { cleanupTempDirs, ok } from '../../helpers';
import { catalogCore } from './helpers';

let core: Core;
beforeAll(async () => {
  core = await catalogCore();
}, 180_000);
afterAll(() => {
  core.close();
  cleanupTempDirs();
});

const PACK = '5026469771003-1';

describe('sets in the catalogue', () => {
  it('shows 75331-1 The Razor Crest as sets.csv has it, and says how to get its parts', async () => {
    const s = await ok(core.invoke('sets.get', { setNum: '75331-1' }));
    expect(s).toMatchObject({
      setNum: '75331-1',
      name: 'The Razor Crest',
      year: 2022,
      numParts: 6187,
      themeId: 171,
      imgUrl: 'https://cdn.rebrickable.com/media/sets/75331-1.jpg',
      inventoryVersion: 1,
      partsKnown: false,
      pieces: null,
      lines: null,
    });
    expect(s.themePath.at(-1)).toBe(s.themeName);
    expect(s.themePath[0]).toBe('Star Wars');
    expect(s.partsHowTo).toMatch(/inventory_parts/);
    expect(s.partsHowTo).toMatch(/Update catalogue/);
    expect(s.partsHowTo).toMatch(/part list file/);
    // A bare number means -1.
    expect((await ok(core.invoke('sets.get', { setNum: '75331' }))).setNum).toBe('75331-1');
  });

  it('refuses to match a set whose parts are unknown, saying how to get them', async () => {
    const r = await core.invoke('sets.build', { source: { setNum: '75331-1' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('not-found');
    expect(r.error.message).toMatch(/75331-1 The Razor Crest/);
    expect(r.error.message).toMatch(/inventory_parts/);
  });

  it('says so, naming the number, for a set that does not exist', async () => {
    for (const setNum of ['99999999-9', 'no-such-set']) {
      const r = await core.invoke('sets.build', { source: { setNum } });
      expect(r.ok ? null : r.error.code).toBe('not-found');
      if (!r.ok) expect(r.error.message).toContain(setNum);
    }
    const g = await core.invoke('sets.get', { setNum: 'fig-011601' });
    expect(g.ok ? null : g.error.message).toMatch(/minifigure, not a set/);
  });

  it('searches by number, by name words, with theme, year and size filters', async () => {
    const byNum = await ok(core.invoke('sets.search', { query: '75331' }));
    expect(byNum.items[0]!.setNum).toBe('75331-1');
    const byName = await ok(core.invoke('sets.search', { query: 'razor crest' }));
    expect(byName.items.map((s) => s.setNum)).toContain('75331-1');
    expect(byName.total).toBe(byName.items.length);
    const sw = await ok(core.invoke('sets.search', { query: 'razor crest', themeId: 158 }));
    expect(sw.items.map((s) => s.setNum)).toContain('75331-1'); // Star Wars (158) includes its sub-themes
    const y = await ok(core.invoke('sets.search', { query: 'razor crest', yearFrom: 2023 }));
    expect(y.items.map((s) => s.setNum)).not.toContain('75331-1');
    const big = await ok(core.invoke('sets.search', { themeId: 171, minParts: 6000, maxParts: 6500 }));
    expect(big.items.map((s) => s.setNum)).toEqual(['75331-1']);
    expect(big.total).toBe(1);
    const paged = await ok(core.invoke('sets.search', { themeId: 158, limit: 5, offset: 5 }));
    expect(paged.items).toHaveLength(5);
    expect(paged.total).toBeGreaterThan(500);
  });

  it('lists every theme with its path', async () => {
    const themes = await ok(core.invoke('sets.themes', {}));
    expect(themes).toHaveLength(492);
    const t171 = themes.find((t) => t.id === 171)!;
    expect(t171.path[0]).toBe('Star Wars');
    expect(t171.setCount).toBeGreaterThan(0);
  });

  it('expands the newest inventory: sub-sets × quantity, their minifigures, no spares', async () => {
    const s = await ok(core.invoke('sets.get', { setNum: PACK }));
    expect(s).toMatchObject({
      name: 'Harry Potter: Amazing Starter Pack',
      inventoryVersion: 2,
      partsKnown: true,
      pieces: 16,
      spares: 3,
      lines: 5,
    });
    expect(s.subsets.map((c) => [c.num, c.quantity, c.partsKnown])).toEqual([
      ['30392-1', 1, true],
      ['702211-1', 4, true],
    ]);
    expect(s.minifigs).toEqual([]);
    const list = await ok(core.invoke('sets.parts', { source: { setNum: PACK } }));
    // Version 1's 5 × 3001 Red are not in it; 30392-1 brings fig-011601's head and torso.
    expect(list.lines.map((l) => [l.partId, l.colorId, l.quantity])).toEqual(
      expect.arrayContaining([
        ['3001', 15, 5],
        ['3005', 1, 8],
        ['3069bpr0001', 15, 1],
        ['3626c', 14, 1],
        ['973c00', 272, 1],
      ]),
    );
    expect(list.lines).toHaveLength(5);
    expect(list.pieces).toBe(16);
    expect(list.source).toEqual({ kind: 'set', id: PACK, name: 'Harry Potter: Amazing Starter Pack', format: null });
    const white = list.lines.find((l) => l.partId === '3001')!;
    expect(white).toMatchObject({ colorName: 'White', name: 'Brick 2 x 4' });
  });

  it('leaves minifigures out, adds spares and copies when asked', async () => {
    const noFigs = await ok(core.invoke('sets.parts', { source: { setNum: PACK }, options: { noMinifigs: true } }));
    expect(noFigs.pieces).toBe(14);
    expect(noFigs.lines.map((l) => l.partId)).not.toContain('3626c');
    const spares = await ok(core.invoke('sets.parts', { source: { setNum: PACK }, options: { spares: true } }));
    expect(spares.pieces).toBe(19);
    expect(spares.lines.find((l) => l.partId === '3023')).toMatchObject({ colorId: 4, quantity: 3 });
    const two = await ok(core.invoke('sets.parts', { source: { setNum: PACK }, options: { quantity: 2 } }));
    expect(two.pieces).toBe(32);
    expect(two.lines.find((l) => l.partId === '3005')!.quantity).toBe(16);
  });

  it('reads a minifigure as a list too', async () => {
    const fig = await ok(core.invoke('sets.parts', { source: { setNum: 'fig-011601' } }));
    expect(fig.pieces).toBe(2);
    expect(fig.source.name).toMatch(/Hermione Granger/);
  });
});
