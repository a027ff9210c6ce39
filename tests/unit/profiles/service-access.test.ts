// The permission rules live in the services, not in the handlers: called directly (as the CLI
// and the test host can), every service that reads or writes another profile's inventory asks
// the acting profile's access itself, and a hand-made Access grants nothing.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { Access } from '../../../src/main/profiles/service';
import { cleanupTempDirs, makeCore, ok, tempDir } from '../../helpers';

afterEach(cleanupTempDirs);

const forbidden = expect.objectContaining({ code: 'forbidden' });

/** An owner with one lot, and a guest (now acting) with whom nothing, or a read-only share, is shared. */
async function ownerAndGuest(share: 'none' | 'read') {
  const core = makeCore();
  const owner = await ok(core.invoke('profiles.current', {}));
  const guest = await ok(core.invoke('profiles.create', { name: 'Guest' }));
  const created = await ok(
    core.invoke('inventory.create', { lot: { partId: '3001', colorId: 4, quantityTotal: 5, storageLocation: 'A' } }),
  );
  if (created.status === 'duplicate') throw new Error('unexpected');
  if (share === 'read') {
    const grant = await ok(core.invoke('collabs.grant', { collaboratorId: guest.id, canEdit: false, canDelete: false }));
    core.profiles.switchTo(guest.id);
    await ok(core.invoke('collabs.accept', { id: grant.id }));
  } else {
    core.profiles.switchTo(guest.id);
  }
  return { core, ownerId: owner.id, lot: created.lot };
}

const lotsOf = (core: Core, ownerId: number) =>
  core.db.sqlite
    .prepare(`SELECT part_id || '|' || quantity_total FROM inventory_items WHERE user_id = ? ORDER BY id`)
    .pluck()
    .all(ownerId);

describe('permissions checked by the services themselves', () => {
  it('the inventory service refuses reads and writes of an inventory not shared with the acting profile', async () => {
    const { core, ownerId, lot } = await ownerAndGuest('none');
    const inv = core.inventory;
    expect(() => inv.list(ownerId, {})).toThrow(forbidden);
    expect(() => inv.get(lot.id)).toThrow(forbidden);
    expect(() => inv.placements(ownerId, '3001')).toThrow(forbidden);
    expect(() => inv.locations(ownerId)).toThrow(forbidden);
    expect(() => inv.summary(ownerId)).toThrow(forbidden);
    expect(() => [...inv.iterate(ownerId)]).toThrow(forbidden);
    // An Access made by hand counts only for its owner id: the flags are worked out again.
    const forged: Access = { ownerId, canRead: true, canEdit: true, canDelete: true };
    expect(() => inv.create(forged, { partId: '3002', colorId: 0, quantityTotal: 1 })).toThrow(forbidden);
    expect(() => inv.update(forged, lot.id, { quantityTotal: 9 })).toThrow(forbidden);
    expect(() => inv.remove(forged, lot.id)).toThrow(forbidden);
    expect(() => inv.remove(undefined, lot.id)).toThrow(forbidden);
    expect(lotsOf(core, ownerId)).toEqual(['3001|5']);
    core.close();
  });

  it('a read-only share reads but does not write, whoever calls', async () => {
    const { core, ownerId, lot } = await ownerAndGuest('read');
    expect(core.inventory.list(ownerId, {}).total).toBe(1);
    expect(core.inventory.summary(ownerId).lots).toBe(1);
    expect(() => core.inventory.create(ownerId, { partId: '3002', colorId: 0, quantityTotal: 1 })).toThrow(forbidden);
    expect(() => core.inventory.update(undefined, lot.id, { quantityTotal: 9 })).toThrow(forbidden);
    expect(() => core.catalog.fillNames(ownerId)).toThrow(forbidden);
    expect(lotsOf(core, ownerId)).toEqual(['3001|5']);
    core.close();
  });

  it('the transfer service checks imports and exports of another inventory', async () => {
    const { core, ownerId } = await ownerAndGuest('read');
    const csv = path.join(tempDir(), 'lots.csv');
    // Export reads: allowed with a read-only share, refused without one.
    expect((await core.transfer.exportTo(csv, { ownerId, format: 'blockshelf-csv' })).lots).toBe(1);
    // Import: the preview reads, the apply writes and is refused.
    const preview = await core.transfer.preview(csv, { ownerId, mode: 'add' });
    await expect(core.transfer.apply(preview.importId, { skipInvalid: true })).rejects.toThrow(forbidden);
    expect(lotsOf(core, ownerId)).toEqual(['3001|5']);

    const other = await ownerAndGuest('none');
    await expect(
      other.core.transfer.exportTo(path.join(tempDir(), 'x.csv'), { ownerId: other.ownerId, format: 'blockshelf-csv' }),
    ).rejects.toThrow(forbidden);
    await expect(other.core.transfer.preview(csv, { ownerId: other.ownerId })).rejects.toThrow(forbidden);
    core.close();
    other.core.close();
  });
});
