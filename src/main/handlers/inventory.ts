// Handlers of the inventory area: one line each over the inventory service, which checks what
// the acting profile may do (owner, or sharing with canEdit / canDelete) and reads its defaults.
import type { InventoryService } from '../inventory/service';
import { stripUndefined } from '../util/objects';
import type { Handlers } from './types';

type InventoryKeys =
  | 'inventory.list'
  | 'inventory.get'
  | 'inventory.create'
  | 'inventory.update'
  | 'inventory.delete'
  | 'inventory.whereIs'
  | 'inventory.locations'
  | 'inventory.summary';

export function inventoryHandlers(s: { readonly inventory: InventoryService }): Pick<Handlers, InventoryKeys> {
  return {
    'inventory.list': ({ ownerId, ...q }) => s.inventory.list(ownerId, q),
    'inventory.get': ({ id }) => s.inventory.get(id),
    'inventory.create': ({ ownerId, lot, onDuplicate }) => s.inventory.create(ownerId, lot, onDuplicate),
    // The lot's own inventory (undefined owner): its owner's sharing decides.
    'inventory.update': ({ id, patch, expectedUpdatedAt }) =>
      s.inventory.update(undefined, id, stripUndefined(patch), expectedUpdatedAt),
    'inventory.delete': ({ id }) => s.inventory.remove(undefined, id),
    'inventory.whereIs': ({ ownerId, partId, colorId, relatives }) =>
      s.inventory.placements(ownerId, partId, colorId, relatives ?? false),
    'inventory.locations': ({ ownerId, prefix, limit }) => s.inventory.locations(ownerId, prefix, limit),
    'inventory.summary': ({ ownerId, top }) => s.inventory.summary(ownerId, undefined, top),
  };
}
