// The Sets writes in the journal: part out, mark built and take apart are each one operation,
// undone and redone exactly (every lot, the build's rows, the aggregates and the search index),
// and refused, changing nothing, when a later change in effect touched their lots or build.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { PartOutResult } from '../../../src/shared/contract';
import { cleanupTempDirs, ok } from '../../helpers';
import { catalogCore, freshProfile } from '../sets/helpers';
import { expectState, fullState, type FullState } from './state';

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

  /** Undo gives back `before` exactly, redo `after`, twice over. */
  async function roundTrip(before: FullState, after: FullState, label: RegExp) {
    const st = await ok(core.invoke('history.state', {}));
    expect(st.undo?.label).toMatch(label);
    for (let i = 0; i < 2; i++) {
      const u = await ok(core.invoke('history.undo', {}));
      expect(u.done.map((o) => o.label)).toEqual([st.undo!.label]);
      expectState(core.db.sqlite, before);
      await ok(core.invoke('history.redo', {}));
      expectState(core.db.sqlite, after);
    }
  }

  it('mark built: undo gives back the lots and no build, redo the build with its takes', async () => {
    await freshProfile(core, 'Builder');
    await ok(core.invoke('sets.partOut', { source: { setNum: '5026469771003-1' }, location: 'Bin 2' }));
    const before = fullState(core.db.sqlite);
    const rec = await ok(core.invoke('sets.markBuilt', { source: { setNum: '5026469771003-1' } }));
    const after = fullState(core.db.sqlite);
    expect(after.builds.length).toBe(before.builds.length + 1);
    expect(after.takes.length).toBe(before.takes.length + rec.takes.length);
    await roundTrip(before, after, /^Mark 5026469771003-1 as built: \d+ pieces into use$/);
    // The build redone is the same build: Sets takes it apart as usual.
    expect((await ok(core.invoke('sets.builds', {}))).map((b) => b.id)).toEqual([rec.id]);
  }, 60_000);

  it('take apart: undo gives back the build, its takes and the used pieces; redo takes it apart again', async () => {
    await freshProfile(core, 'Dismantler');
    await ok(core.invoke('sets.partOut', { source: { setNum: '5026469771003-1' }, location: 'Bin 3' }));
    // A piece used before the build: take apart must not give back more than the build took.
    const lots = await ok(core.invoke('inventory.list', { limit: 1 }));
    const first = lots.items[0]!;
    await ok(
      core.invoke('inventory.update', { id: first.id, patch: { quantityTotal: first.quantityTotal + 2, quantityUsed: 1 } }),
    );
    const rec = await ok(core.invoke('sets.markBuilt', { source: { setNum: '5026469771003-1' } }));
    const before = fullState(core.db.sqlite);
    await ok(core.invoke('sets.takeApart', { buildId: rec.id }));
    const after = fullState(core.db.sqlite);
    expect(after.builds.length).toBe(before.builds.length - 1);
    await roundTrip(before, after, /^Take 5026469771003-1 apart: \d+ pieces out of use$/);
  }, 60_000);

  it('undoing a build that another profile took apart since is refused, changing nothing', async () => {
    const owner = await freshProfile(core, 'Owner');
    const guest = await ok(core.invoke('profiles.create', { name: 'Guest builder' }));
    await ok(core.invoke('sets.partOut', { source: { setNum: '5026469771003-1' }, location: 'Bin 4' }));
    const rec = await ok(core.invoke('sets.markBuilt', { source: { setNum: '5026469771003-1' } }));
    const grant = await ok(core.invoke('collabs.grant', { collaboratorId: guest.id, canEdit: true, canDelete: true }));
    core.profiles.switchTo(guest.id);
    await ok(core.invoke('collabs.accept', { id: grant.id }));
    await ok(core.invoke('sets.takeApart', { ownerId: owner, buildId: rec.id }));
    core.profiles.switchTo(owner);
    const state = fullState(core.db.sqlite);
    const r = await core.invoke('history.undo', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!r.ok)
      expect(r.error.message).toMatch(
        /^“Mark 5026469771003-1 as built: \d+ pieces into use” cannot be undone: .* was changed since by “Take 5026469771003-1 apart: \d+ pieces out of use” \(Guest builder\), which is still in effect\. Undo that first\. Nothing was changed\.$/,
      );
    expectState(core.db.sqlite, state);
    // Once the guest undid theirs, the owner's undo goes through and leaves no build.
    core.profiles.switchTo(guest.id);
    await ok(core.invoke('history.undo', {}));
    core.profiles.switchTo(owner);
    await ok(core.invoke('history.undo', {}));
    expect(await ok(core.invoke('sets.builds', {}))).toEqual([]);
  }, 60_000);

  it('a build recorded without its build rows (before migration 0007) is refused, changing nothing', async () => {
    await freshProfile(core, 'Old build');
    await ok(core.invoke('sets.partOut', { source: { setNum: '5026469771003-1' }, location: 'Bin 6' }));
    await ok(core.invoke('sets.markBuilt', { source: { setNum: '5026469771003-1' } }));
    const st = await ok(core.invoke('history.state', {}));
    // As a database journaled before 0007 holds it: the operation and its lots, no build rows.
    core.db.sqlite.prepare('DELETE FROM history_build_rows WHERE op_id = ?').run(st.undo!.id);
    const state = fullState(core.db.sqlite);
    const r = await core.invoke('history.undo', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!r.ok)
      expect(r.error.message).toMatch(
        /^“Mark 5026469771003-1 as built: \d+ pieces into use” was recorded without its build and cannot be undone: take the build apart in Sets instead\. Nothing was changed\.$/,
      );
    expectState(core.db.sqlite, state);
  }, 60_000);

  it('deleting a lot a build took from, then undoing the delete, gives the take its lot back', async () => {
    await freshProfile(core, 'Deleter');
    await ok(core.invoke('sets.partOut', { source: { setNum: '5026469771003-1' }, location: 'Bin 5' }));
    const rec = await ok(core.invoke('sets.markBuilt', { source: { setNum: '5026469771003-1' } }));
    const before = fullState(core.db.sqlite);
    const lotId = rec.takes[0]!.lotId;
    await ok(core.invoke('inventory.delete', { id: lotId }));
    const after = fullState(core.db.sqlite);
    expect(core.db.sqlite.prepare('SELECT count(*) FROM set_build_takes WHERE lot_id = ?').pluck().get(lotId)).toBe(0);
    await roundTrip(before, after, /^Delete /);
  }, 60_000);
});
