import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeCore, ok } from '../../helpers';

afterEach(cleanupTempDirs);

describe('profiles and sharing', () => {
  it('creates, renames, switches and deletes profiles; the last one stays', async () => {
    const core = makeCore();
    const me = await ok(core.invoke('profiles.current', {}));
    const kid = await ok(core.invoke('profiles.create', { name: 'Kid' }));
    const dup = await core.invoke('profiles.create', { name: 'kid' });
    expect(!dup.ok && dup.error.code).toBe('conflict');
    await ok(core.invoke('profiles.rename', { id: kid.id, name: 'Alex' }));
    await ok(core.invoke('profiles.switch', { id: kid.id }));
    expect((await ok(core.invoke('profiles.current', {}))).name).toBe('Alex');
    await ok(core.invoke('inventory.create', { lot: { partId: '3001', colorId: 4, quantityTotal: 2 } }));
    expect((await ok(core.invoke('inventory.list', {}))).total).toBe(1);
    await ok(core.invoke('profiles.switch', { id: me.id }));
    expect((await ok(core.invoke('inventory.list', {}))).total).toBe(0); // inventories are per profile
    await ok(core.invoke('profiles.delete', { id: kid.id }));
    expect(core.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get()).toBe(0); // lots went with it
    const last = await core.invoke('profiles.delete', { id: me.id });
    expect(!last.ok && last.error.code).toBe('conflict');
    core.close();
  });

  it('says what deleting a profile would take with it: its lots and its active sharings both ways', async () => {
    const core = makeCore();
    const me = await ok(core.invoke('profiles.current', {}));
    const kid = await ok(core.invoke('profiles.create', { name: 'Kid' }));
    const gran = await ok(core.invoke('profiles.create', { name: 'Gran' }));
    await ok(core.invoke('inventory.create', { lot: { partId: '3001', colorId: 4, quantityTotal: 2 } }));
    await ok(core.invoke('inventory.create', { lot: { partId: '3003', colorId: 1, quantityTotal: 5 } }));
    await ok(core.invoke('collabs.grant', { collaboratorId: kid.id, canEdit: true }));
    const revoked = await ok(core.invoke('collabs.grant', { collaboratorId: gran.id }));
    await ok(core.invoke('collabs.revoke', { id: revoked.id }));
    await ok(core.invoke('profiles.switch', { id: gran.id }));
    await ok(core.invoke('collabs.grant', { collaboratorId: me.id }));

    const mine = await ok(core.invoke('profiles.impact', { id: me.id }));
    expect(mine).toMatchObject({
      lots: 2,
      quantityTotal: 7,
      sharedWith: ['Kid'],
      sharedWithIt: ['Gran'],
      current: false,
      last: false,
    });
    const kids = await ok(core.invoke('profiles.impact', { id: kid.id }));
    expect(kids).toMatchObject({ lots: 0, quantityTotal: 0, sharedWith: [], sharedWithIt: [me.name] });
    expect((await ok(core.invoke('profiles.impact', { id: gran.id }))).current).toBe(true);
    const missing = await core.invoke('profiles.impact', { id: 999 });
    expect(!missing.ok && missing.error.code).toBe('not-found');

    await ok(core.invoke('profiles.delete', { id: kid.id }));
    await ok(core.invoke('profiles.delete', { id: gran.id }));
    expect((await ok(core.invoke('profiles.impact', { id: me.id }))).last).toBe(true);
    core.close();
  });

  it('remembers the current profile across restarts', async () => {
    const core = makeCore();
    const kid = await ok(core.invoke('profiles.create', { name: 'Kid' }));
    await ok(core.invoke('profiles.switch', { id: kid.id }));
    core.close();
    const again = makeCore({ dataDir: core.dataDir });
    expect((await ok(again.invoke('profiles.current', {}))).id).toBe(kid.id);
    again.close();
  });

  it('enforces shared-inventory permissions in the service', async () => {
    const core = makeCore();
    const owner = await ok(core.invoke('profiles.current', {}));
    const guest = await ok(core.invoke('profiles.create', { name: 'Guest' }));
    const created = await ok(core.invoke('inventory.create', { lot: { partId: '3001', colorId: 4, quantityTotal: 5 } }));
    if (created.status === 'duplicate') throw new Error('unexpected');
    const lotId = created.lot.id;

    const grant = await ok(core.invoke('collabs.grant', { collaboratorId: guest.id, canEdit: true }));
    await ok(core.invoke('profiles.switch', { id: guest.id }));
    // Not accepted yet: nothing is visible.
    const early = await core.invoke('inventory.list', { ownerId: owner.id });
    expect(!early.ok && early.error.code).toBe('forbidden');
    await ok(core.invoke('collabs.accept', { id: grant.id }));

    expect((await ok(core.invoke('inventory.list', { ownerId: owner.id }))).total).toBe(1);
    await ok(core.invoke('inventory.update', { id: lotId, patch: { quantityTotal: 6 } }));
    const del = await core.invoke('inventory.delete', { id: lotId });
    expect(!del.ok && del.error.code).toBe('forbidden');
    const add = await ok(
      core.invoke('inventory.create', { ownerId: owner.id, lot: { partId: '3002', colorId: 0, quantityTotal: 1 } }),
    );
    expect(add.status === 'created' && add.lot.ownerId).toBe(owner.id);

    const inventories = await ok(core.invoke('profiles.accessible', {}));
    expect(inventories.map((i) => [i.ownerName, i.own, i.canEdit, i.canDelete])).toEqual([
      ['Guest', true, true, true],
      ['My collection', false, true, false],
    ]);

    await ok(core.invoke('profiles.switch', { id: owner.id }));
    await ok(core.invoke('collabs.revoke', { id: grant.id }));
    await ok(core.invoke('profiles.switch', { id: guest.id }));
    const after = await core.invoke('inventory.get', { id: lotId });
    expect(!after.ok && after.error.code).toBe('forbidden');
    expect(await ok(core.invoke('profiles.accessible', {}))).toHaveLength(1);
    core.close();
  });

  it('lists the inventories a profile can open with one query, however many are shared with it', async () => {
    const core = makeCore();
    const me = await ok(core.invoke('profiles.current', {}));
    const counts: number[] = [];
    let made = 0;
    for (const n of [1, 10, 50]) {
      while (made < n) {
        made++;
        const other = await ok(core.invoke('profiles.create', { name: `Friend ${made}` }));
        await ok(core.invoke('profiles.switch', { id: other.id }));
        const c = await ok(core.invoke('collabs.grant', { collaboratorId: me.id, canEdit: made % 2 === 0 }));
        await ok(core.invoke('profiles.switch', { id: me.id }));
        await ok(core.invoke('collabs.accept', { id: c.id }));
      }
      core.profiles.current(); // warm the current-profile lookup
      const before = core.db.stats.statements;
      const list = core.profiles.accessible(me.id);
      counts.push(core.db.stats.statements - before);
      expect(list).toHaveLength(n + 1);
      expect(list.filter((i) => !i.own && i.canEdit)).toHaveLength(Math.floor(n / 2));
    }
    expect(counts).toEqual([1, 1, 1]);
    core.close();
  });
});
