// Handlers of the inventory area. Permissions come from core.access (owner or sharing).
import type { CoreContext, Handlers } from '../core';
import { stripUndefined } from './app';

type InventoryKeys =
  | 'inventory.list'
  | 'inventory.get'
  | 'inventory.create'
  | 'inventory.update'
  | 'inventory.delete'
  | 'inventory.undoDelete'
  | 'inventory.whereIs'
  | 'inventory.locations'
  | 'inventory.summary';

export function inventoryHandlers(core: CoreContext): Pick<Handlers, InventoryKeys> {
  const accessToLot = (id: number) => core.access(core.inventory.get(id).ownerId);
  return {
    'inventory.list': ({ ownerId, ...q }) => {
      const access = core.access(ownerId);
      const p = core.prefs.get(core.profiles.current().id);
      return core.inventory.list(access.ownerId, q, { sort: p.sortKey, dir: p.sortDir });
    },
    'inventory.get': ({ id }) => {
      const lot = core.inventory.get(id);
      core.access(lot.ownerId);
      return lot;
    },
    'inventory.create': ({ ownerId, lot, onDuplicate }) => core.inventory.create(core.access(ownerId), lot, onDuplicate),
    'inventory.update': ({ id, patch, expectedUpdatedAt }) =>
      core.inventory.update(accessToLot(id), id, stripUndefined(patch), expectedUpdatedAt),
    'inventory.delete': ({ id }) => core.inventory.remove(accessToLot(id), id),
    'inventory.undoDelete': ({ lot }) => core.inventory.undoDelete(core.access(lot.ownerId), lot),
    'inventory.whereIs': ({ ownerId, partId, colorId }) =>
      core.inventory.placements(core.access(ownerId).ownerId, partId.trim(), colorId),
    'inventory.locations': ({ ownerId, prefix, limit }) =>
      core.inventory.locations(core.access(ownerId).ownerId, prefix, limit),
    'inventory.summary': ({ ownerId, top }) => {
      const access = core.access(ownerId);
      const threshold = core.prefs.get(core.profiles.current().id).lowStockThreshold;
      return core.inventory.summary(access.ownerId, threshold, top);
    },
  };
}
