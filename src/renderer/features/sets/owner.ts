// Whose inventory the Sets screens match against and change: the one the window shows.
import { useSession } from '../../stores/session';

/** The owner to act for, as the calls take it. */
export function useOwnerRef(): { ownerId?: number } {
  const ownerId = useSession((s) => s.ownerId);
  return ownerId !== undefined ? { ownerId } : {};
}

/** Whether the inventory shown may be changed. */
export function useCanEdit(): boolean {
  const ownerId = useSession((s) => s.ownerId);
  const inventories = useSession((s) => s.inventories);
  const access = inventories.find((i) => (ownerId === undefined ? i.own : i.ownerId === ownerId));
  return access?.canEdit ?? true;
}
