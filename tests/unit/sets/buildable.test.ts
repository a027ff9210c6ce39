// "Which sets can I build?" through createCore: every set whose parts are known (here: the
// fixture inventory_parts rows) ranked by pct against the profile's lots, in a worker, with
// filters, options, paging, progress events and cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { BuildableResult, EventMap } from '../../../src/shared/contract';
import { cleanupTempDirs, ok } from '../../helpers';
import { addLot, catalogCore, freshProfile } from './helpers';

let core: Core;
beforeAll(async () => {
  core = await catalogCore();
  await freshProfile(core, 'Ranker');
  await addLot(core, '3005', 1, 4, 'Bricks');
}, 180_000);
afterAll(() => {
  core.close();
  cleanupTempDirs();
});

const rank = (r: BuildableResult) => r.items.map((i) => [i.setNum, i.needed, i.owned, Number(i.pct.toFixed(2))]);

describe('which sets can I build', () => {
  it('ranks every set with known parts by pct', async () => {
    const r = await ok<BuildableResult>(core.invoke('sets.buildable', {}));
    // 702211-1: one 3005 Blue. 30392-1: 3 × 3001 White, 4 × 3005 Blue, a print and Hermione (2).
    // The pack: both, 30392-1 once and 702211-1 four times, plus 2 × 3001 White. The other
    // packs of the real catalogue hold 702211-1 (or the pack) as sub-sets, so their parts are
    // known too. Ties: fewer missing pieces first, then the set number.
    expect(rank(r)).toEqual([
      ['702211-1', 1, 1, 100],
      ['702212-1', 1, 1, 100],
      ['5026469771003-2', 5, 4, 80],
      ['702213-1', 5, 4, 80],
      ['702214-1', 5, 4, 80],
      ['502646981200301-2', 6, 4, 66.67],
      ['502646981200301-1', 7, 4, 57.14],
      ['30392-1', 10, 4, 40],
      ['5026469771003-1', 16, 4, 25],
      ['VIPPACKAGE-1', 25, 4, 16],
      ['702211-2', 36, 4, 11.11],
    ]);
    expect([r.considered, r.total]).toEqual([11, 11]);
    expect(r.items[7]).toMatchObject({ name: "Hermione's Study Desk", year: 2021, themeName: 'Harry Potter', partsKnown: true });
  });

  it('agrees with sets.build for each set', async () => {
    const r = await ok<BuildableResult>(core.invoke('sets.buildable', { options: { ignoreColor: true, noMinifigs: true } }));
    for (const i of r.items) {
      const b = await ok(
        core.invoke('sets.build', { source: { setNum: i.setNum }, options: { ignoreColor: true, noMinifigs: true } }),
      );
      expect([i.setNum, i.needed, i.owned]).toEqual([i.setNum, b.needed, b.owned]);
    }
    expect(rank(r).find((x) => x[0] === '30392-1')).toEqual(['30392-1', 8, 4, 50]);
  });

  it('filters by minimum pct, theme, year and size, and pages', async () => {
    const min = await ok<BuildableResult>(core.invoke('sets.buildable', { minPct: 30 }));
    expect(min.items.map((i) => i.setNum).at(-1)).toBe('30392-1');
    expect([min.considered, min.total]).toEqual([11, 8]);
    const hp = await ok<BuildableResult>(core.invoke('sets.buildable', { themeId: 246 }));
    expect(hp.items.map((i) => i.setNum)).toEqual(['30392-1']);
    const y = await ok<BuildableResult>(core.invoke('sets.buildable', { yearFrom: 2022 }));
    expect(y.items.map((i) => i.setNum)).not.toContain('30392-1');
    expect(y.total).toBe(10);
    const big = await ok<BuildableResult>(core.invoke('sets.buildable', { minParts: 10 }));
    expect(big.items.map((i) => i.setNum)).toEqual(['30392-1']);
    const page = await ok<BuildableResult>(core.invoke('sets.buildable', { limit: 1, offset: 1 }));
    expect([page.items.map((i) => i.setNum), page.total]).toEqual([['702212-1'], 11]);
  });

  it('reports progress under its job id and stops when cancelled', async () => {
    const progress: EventMap['import.progress'][] = [];
    const off = core.events.on('import.progress', (e) => progress.push(e));
    await ok(core.invoke('sets.buildable', { jobId: 'rank-1' }));
    expect(progress.filter((p) => p.id === 'rank-1').map((p) => p.phase)).toContain('sets:matching');
    expect(progress.at(-1)).toEqual({ id: 'rank-1', phase: 'done', done: 1, total: 1 });
    const running = core.invoke('sets.buildable', { jobId: 'rank-2' });
    await new Promise((r) => setImmediate(r));
    expect(await ok(core.invoke('import.cancel', { jobId: 'rank-2' }))).toEqual({ cancelled: true });
    const r = await running;
    expect(r.ok ? null : r.error.code).toBe('cancelled');
    off();
  });

  it('an empty profile owns nothing of any set', async () => {
    await freshProfile(core, 'Empty');
    const r = await ok<BuildableResult>(core.invoke('sets.buildable', {}));
    expect(rank(r).map((x) => x[2])).toEqual(Array(11).fill(0));
    expect((await ok<BuildableResult>(core.invoke('sets.buildable', { minPct: 1 }))).total).toBe(0);
  });
});
