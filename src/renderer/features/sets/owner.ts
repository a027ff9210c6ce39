// Whose inventory the Sets screens match against and change: the one the window shows.
import { call } from '../../api';
import { plural } from '../../format';
import { useSession } from '../../stores/session';
import { useToasts } from '../../stores/toasts';

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

/** Take apart a build of the inventory shown, saying how it went in a toast (the Built list and a set's page). */
export function useTakeApart(): (buildId: number) => Promise<void> {
  const owner = useOwnerRef();
  const toast = useToasts((s) => s.toast);
  return async (buildId) => {
    const r = await call('sets.takeApart', { ...owner, buildId });
    if (!r.ok) return toast({ kind: 'error', text: `Not taken apart: ${r.error.message}` });
    toast({ kind: 'info', text: `Took ${r.data.build.source.id} apart: ${plural(r.data.pieces, 'piece')} are free again.` });
  };
}
