// Build matching through createCore, with figures computed by hand on small lists and lots:
// need, have = Σ(total − used), owned = min(need, have), pct, the missing lines and the pick list
// by location, each option on its own and all together, a lot never counted for two lines, and
// lists from files (Rebrickable CSV with spares, BrickLink XML with colour mapping) whose bad
// lines are reported by line while the rest still counts.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { BuildOptions, BuildReport } from '../../../src/shared/contract';
import { cleanupTempDirs, ok } from '../../helpers';
import { addLot, catalogCore, fixture, freshProfile, inventoryRows, outFile, readToken } from './helpers';

let core: Core;
let owner = 0;
const ids: Record<string, number> = {};
beforeAll(async () => {
  core = await catalogCore();
  owner = await freshProfile(core, 'Matching');
  ids.L1 = (await addLot(core, '3001', 4, 4, 'Drawer 2')).id;
  ids.L2 = (await addLot(core, '3001', 4, 3, 'Drawer 10', 2)).id;
  ids.L3 = (await addLot(core, '3023', 15, 1, 'A')).id;
  ids.L4 = (await addLot(core, '3069bpr0001', 0, 5, 'C')).id; // a print of 3069b
  ids.L5 = (await addLot(core, '3023', 4, 10, 'D')).id; // another colour
  ids.L6 = (await addLot(core, '3023a', 15, 2, 'E')).id; // a mould variant of 3023
  ids.L7 = (await addLot(core, 'upn0041', 4, 1, 'F')).id; // an alternate of 3001
}, 180_000);
afterAll(() => {
  core.close();
  cleanupTempDirs();
});

const build = (file: string, options?: BuildOptions) =>
  ok<BuildReport>(
    core.invoke('sets.build', { source: { file: readToken(core, fixture(file)) }, ...(options ? { options } : {}) }),
  );
const figures = (r: BuildReport) => ({ needed: r.needed, owned: r.owned, pct: Number(r.pct.toFixed(2)) });
const missing = (r: BuildReport) => r.missing.map((m) => [m.partId, m.colorId, m.need, m.have, m.missing]);
const pick = (r: BuildReport) => r.pick.map((p) => [p.location, p.partId, p.colorId, p.take, `${p.forPartId}/${p.forColorId}`]);

// list-a.csv: 3001 Red 4 + 2 (one line), 3023 White 3, 3069b Black 2, and a spare 3023 Black.
describe('build matching, figures by hand (list-a.csv)', () => {
  it('default: free pieces of the same part and colour', async () => {
    const r = await build('list-a.csv');
    // 3001/4: have 4 + (3 − 2) = 5; 3023/15: 1; 3069b/0: 0 → owned 5 + 1 + 0 of 11.
    expect(figures(r)).toEqual({ needed: 11, owned: 6, pct: 54.55 });
    expect(r.lines).toBe(3);
    expect(missing(r)).toEqual([
      ['3001', 4, 6, 5, 1],
      ['3023', 15, 3, 1, 2],
      ['3069b', 0, 2, 0, 2],
    ]);
    // By location, numbers in order: A, Drawer 2, Drawer 10.
    expect(pick(r)).toEqual([
      ['A', '3023', 15, 1, '3023/15'],
      ['Drawer 2', '3001', 4, 4, '3001/4'],
      ['Drawer 10', '3001', 4, 1, '3001/4'],
    ]);
    expect(r.pick[0]!.lotId).toBe(ids.L3);
    expect(r.missing[0]).toMatchObject({ colorName: 'Red', name: 'Brick 2 x 4' });
    expect(r.unmatched).toEqual([]);
    expect(r.source).toEqual({ kind: 'file', id: 'list-a.csv', name: 'list-a.csv', format: 'rebrickable-csv' });
  });

  it('count used: every piece of a lot counts', async () => {
    const r = await build('list-a.csv', { countUsed: true });
    expect(figures(r)).toEqual({ needed: 11, owned: 7, pct: 63.64 }); // 3001: min(6, 4 + 3)
    expect(pick(r).filter((p) => p[1] === '3001')).toEqual([
      ['Drawer 2', '3001', 4, 4, '3001/4'],
      ['Drawer 10', '3001', 4, 2, '3001/4'],
    ]);
  });

  it('ignore prints: 3069bpr0001 counts as 3069b', async () => {
    const r = await build('list-a.csv', { ignorePrints: true });
    expect(figures(r)).toEqual({ needed: 11, owned: 8, pct: 72.73 });
    expect(pick(r)).toContainEqual(['C', '3069bpr0001', 0, 2, '3069b/0']);
    expect(missing(r).map((m) => m[0])).toEqual(['3001', '3023']);
  });

  it('moulds: 3023a counts as 3023', async () => {
    const r = await build('list-a.csv', { moulds: true });
    expect(figures(r)).toEqual({ needed: 11, owned: 8, pct: 72.73 });
    // The exact part first (A), then the variant (E).
    expect(pick(r).filter((p) => p[4] === '3023/15')).toEqual([
      ['A', '3023', 15, 1, '3023/15'],
      ['E', '3023a', 15, 2, '3023/15'],
    ]);
  });

  it('alternates: upn0041 counts as 3001', async () => {
    const r = await build('list-a.csv', { alternates: true });
    expect(figures(r)).toEqual({ needed: 11, owned: 7, pct: 63.64 });
    expect(pick(r)).toContainEqual(['F', 'upn0041', 4, 1, '3001/4']);
    expect(missing(r)).toEqual([
      ['3023', 15, 3, 1, 2],
      ['3069b', 0, 2, 0, 2],
    ]);
  });

  it('ignore colour: any colour of the part counts, its own colour first', async () => {
    const r = await build('list-a.csv', { ignoreColor: true });
    expect(figures(r)).toEqual({ needed: 11, owned: 8, pct: 72.73 }); // 3023: 1 White + 2 Red
    expect(pick(r).filter((p) => p[4] === '3023/15')).toEqual([
      ['A', '3023', 15, 1, '3023/15'],
      ['D', '3023', 4, 2, '3023/15'],
    ]);
  });

  it('every option together builds it all', async () => {
    const r = await build('list-a.csv', {
      countUsed: true,
      ignorePrints: true,
      moulds: true,
      alternates: true,
      ignoreColor: true,
    });
    expect(figures(r)).toEqual({ needed: 11, owned: 11, pct: 100 });
    expect(r.missing).toEqual([]);
  });

  it('spares and copies when asked', async () => {
    expect(figures(await build('list-a.csv', { spares: true }))).toEqual({ needed: 12, owned: 6, pct: 50 });
    // Two copies: 3001 need 12 have 5, 3023 need 6 have 1, 3069b need 4.
    expect(figures(await build('list-a.csv', { quantity: 2 }))).toEqual({ needed: 22, owned: 6, pct: 27.27 });
  });

  it('reading a list changes nothing', async () => {
    const before = inventoryRows(core, owner);
    await build('list-a.csv', { countUsed: true, ignoreColor: true });
    expect(inventoryRows(core, owner)).toEqual(before);
  });
});

describe('a lot is never counted for two lines', () => {
  it('ignore colour merges 3001 Red and Blue: the one lot of 4 serves both, 4 in all', async () => {
    const id = await freshProfile(core, 'Twice');
    const lot = await addLot(core, '3001', 4, 4, 'X');
    const plain = await build('list-b.csv');
    expect(figures(plain)).toEqual({ needed: 6, owned: 3, pct: 50 });
    const r = await build('list-b.csv', { ignoreColor: true });
    expect(figures(r)).toEqual({ needed: 6, owned: 4, pct: 66.67 });
    expect(missing(r)).toEqual([['3001', 1, 3, 1, 2]]);
    expect(r.pick.map((p) => [p.lotId, p.take, p.forColorId])).toEqual([
      [lot.id, 1, 1],
      [lot.id, 3, 4],
    ]);
    expect(id).toBeGreaterThan(0);
  });
});

describe('lists from files', () => {
  it('reports each bad line with its line and reason and still matches the rest', async () => {
    await freshProfile(core, 'Bad lines');
    await addLot(core, '3001', 4, 1, 'Q');
    const r = await build('list-bad.csv');
    expect(figures(r)).toEqual({ needed: 2, owned: 1, pct: 50 });
    expect(r.unmatched.map((u) => [u.line, u.part, u.color])).toEqual([
      [3, '3001', 'Glowing Mauve'],
      [4, 'nosuchpart99', '4'],
      [5, '3023', '15'],
    ]);
    expect(r.unmatched[0]!.reason).toMatch(/unknown colour/);
    expect(r.unmatched[1]!.reason).toMatch(/nosuchpart99 is not in the catalogue/);
    expect(r.unmatched[2]!.reason).toMatch(/Quantity/);
  });

  it('maps BrickLink colours, names the base of a BrickLink print, and lists what is not a part', async () => {
    await freshProfile(core, 'BrickLink');
    await addLot(core, '3001', 4, 2, 'R');
    await addLot(core, '3069b', 0, 1, 'S');
    const r = await build('wanted.xml');
    expect(r.source.format).toBe('bricklink-xml');
    expect(figures(r)).toEqual({ needed: 2, owned: 2, pct: 100 }); // BrickLink Red (5) is Rebrickable Red (4)
    expect(r.unmatched.map((u) => [u.line, u.part, u.color])).toEqual([
      [2, '3069bpb001', '11'],
      [3, 'sw0001', '0'],
      [5, '3023', '9999'],
    ]);
    expect(r.unmatched[0]!.reason).toMatch(/print of 3069b/);
    expect(r.unmatched[1]!.reason).toMatch(/item type M is not a part/);
    expect(r.unmatched[2]!.reason).toMatch(/BrickLink colour 9999/);
    // With prints ignored the print counts as its base part; the extra piece is a spare.
    const p = await build('wanted.xml', { ignorePrints: true, spares: true });
    expect(figures(p)).toEqual({ needed: 5, owned: 3, pct: 60 });
    expect(p.missing.map((m) => [m.partId, m.colorId, m.need, m.have])).toEqual([
      ['3023', 15, 1, 0],
      ['3069b', 0, 2, 1],
    ]);
  });

  it('refuses an empty list and a list where nothing could be matched', async () => {
    const e = await core.invoke('sets.build', { source: { file: readToken(core, fixture('empty.csv')) } });
    expect(e.ok ? null : [e.error.code, e.error.message]).toEqual([
      'invalid-input',
      expect.stringMatching(/empty\.csv: the list is empty/),
    ]);
    const bad = outFile('all-bad.csv');
    writeFileSync(bad, 'Part,Color,Quantity\nnosuchpart99,4,1\n3001,Glowing Mauve,2\n');
    const b = await core.invoke('sets.build', { source: { file: readToken(core, bad) } });
    expect(b.ok ? null : [b.error.code, b.error.message]).toEqual([
      'invalid-input',
      'all-bad.csv: none of its 2 lines could be matched (first: line 2: part nosuchpart99 is not in the catalogue).',
    ]);
    // Only spares, spares left out: empty too.
    const spares = outFile('spares.csv');
    writeFileSync(spares, 'Part,Color,Quantity,Is Spare\n3001,4,1,True\n');
    const s = await core.invoke('sets.build', { source: { file: readToken(core, spares) } });
    expect(s.ok ? null : s.error.message).toBe('spares.csv: the list is empty (no part lines besides spares).');
  });
});
