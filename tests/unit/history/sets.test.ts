// The Sets writes in the journal: part out is undone and redone exactly; mark built and take
// apart are recorded (their lots are protected from other undos) and point to their inverse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { PartOutResult } from '../../../src/shared/contract';
import { cleanupTempDirs, ok } from '../../helpers';
import { catalogCore, freshProfile } from '../sets/helpers';
import { expectState, fullState } from './state';

let core: Core;
beforeAll(async () => {
  core = await catalogCore();
}, 180_000);
afterAll(() => {
  core.close();
  cleanupTempDirs();
});

describe('Sets writes in the journal', () => {
  it('part out is one operation, undone and redone exactly', async () => {
    await freshProfile(core, 'Parts out');
    const before = fullState(core.db.sqlite);
    const r = await ok<PartOutResult>(core.invoke('sets.partOut', { source: { setNum: '5026469771003-1' }, location: 'Bin 1' }));
    const after = fullState(core.db.sqlite);
    const st = await ok(core.invoke('history.state', {}));
    expect(st.undo?.kind).toBe('part-out');
    expect(st.undo?.label).toBe(`Part out 5026469771003-1: ${r.pieces} pieces in ${r.created + r.merged} lots at Bin 1`);
    await ok(core.invoke('history.undo', {}));
    expectState(core.db.sqlite, before);
    await ok(core.invoke('history.redo', {}));
    expectState(core.db.sqlite, after);
  }, 60_000);

  it('mark built is recorded; Undo points to taking it apart and changes nothing', async () => {
    await freshProfile(core, 'Builder');
    await ok(core.invoke('sets.partOut', { source: { setNum: '5026469771003-1' }, location: 'Bin 2' }));
    await ok(core.invoke('sets.markBuilt', { source: { setNum: '5026469771003-1' } }));
    const before = fullState(core.db.sqlite);
    const r = await core.invoke('history.undo', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!r.ok)
      expect(r.error.message).toMatch(
        /^“Mark 5026469771003-1 as built: \d+ pieces into use” cannot be undone with Undo: take the build apart in Sets instead/,
      );
    expectState(core.db.sqlite, before);
  }, 60_000);
});
