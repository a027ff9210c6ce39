// Local profiles and sharing an inventory between them. Permissions are enforced here, in the
// service, whatever the caller is (renderer, CLI, import).
import { and, asc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DbHandle } from '../db/open';
import { appConfig, inventoryCollabs, inventoryStats, users } from '../db/schema';
import { AppError } from '../../shared/errors';
import type { AccessibleInventory, Collab, Profile, ProfileImpact } from '../../shared/types';

export const DEFAULT_PROFILE_NAME = 'My collection';

export interface Access {
  ownerId: number;
  canRead: true;
  canEdit: boolean;
  canDelete: boolean;
}

/** What the acting profile may do with `ownerId`'s inventory (default: its own); `forbidden` when nothing. */
export type AccessCheck = (ownerId?: number) => Access;

export interface ProfilesDeps {
  db: DbHandle;
  now: () => number;
  /** Called when a profile is deleted or the current one changes (caches to clear). */
  onProfileChanged?: (profileId: number) => void;
  /** Called after a profile was deleted or switched to, for the data.changed event. */
  onDataChanged?: (profileId: number, reason: 'profile-deleted' | 'profile-switched') => void;
  /** Called inside the delete's transaction, before the profile and its lots go (the journal drops their operations). */
  onDeleting?: (profileId: number) => void;
}

export function createProfilesService({ db, now, onProfileChanged, onDataChanged, onDeleting }: ProfilesDeps) {
  const { orm } = db;
  // The acting profile, kept in memory: every call needs it. Rename, delete and switch refresh it.
  let currentProfile: Profile | null = null;

  function uniqueNameError(e: unknown, name: string): never {
    if (String((e as Error).message).includes('UNIQUE')) {
      throw new AppError('conflict', `A profile named “${name}” already exists.`, {
        fields: [{ field: 'name', message: 'already taken' }],
      });
    }
    throw e;
  }

  function get(id: number): Profile {
    const row = orm.select().from(users).where(eq(users.id, id)).get();
    if (!row) throw new AppError('not-found', `profile ${id} does not exist`);
    return row;
  }

  function list(): Profile[] {
    return orm
      .select()
      .from(users)
      .orderBy(sql`${users.name} COLLATE NOCASE`, asc(users.id))
      .all();
  }

  function create(name: string): Profile {
    try {
      return orm.insert(users).values({ name: name.trim(), createdAt: now() }).returning().get();
    } catch (e) {
      uniqueNameError(e, name);
    }
  }

  /** The profile the app acts as; the first run creates a default one. */
  function current(): Profile {
    if (currentProfile) return currentProfile;
    const cfg = orm.select({ last: appConfig.lastProfileId }).from(appConfig).where(eq(appConfig.id, 1)).get();
    let row = cfg?.last != null ? orm.select().from(users).where(eq(users.id, cfg.last)).get() : undefined;
    row ??= orm.select().from(users).orderBy(asc(users.id)).limit(1).get();
    row ??= create(DEFAULT_PROFILE_NAME);
    currentProfile = row;
    return row;
  }

  function makeCurrent(id: number): Profile {
    const p = get(id);
    orm.update(appConfig).set({ lastProfileId: id, updatedAt: now() }).where(eq(appConfig.id, 1)).run();
    currentProfile = p;
    onProfileChanged?.(id);
    return p;
  }

  function switchTo(id: number): Profile {
    const p = makeCurrent(id);
    onDataChanged?.(id, 'profile-switched');
    return p;
  }

  function rename(id: number, name: string): Profile {
    get(id);
    try {
      const p = orm.update(users).set({ name: name.trim() }).where(eq(users.id, id)).returning().get()!;
      if (currentProfile?.id === id) currentProfile = p;
      return p;
    } catch (e) {
      uniqueNameError(e, name);
    }
  }

  /**
   * What deleting a profile would take with it, for the question asked first: its lots (read
   * from the maintained per-profile totals, never counted) and its active sharings both ways.
   */
  function impact(id: number): ProfileImpact {
    const p = get(id);
    const stats = orm
      .select({ lots: inventoryStats.lots, quantityTotal: inventoryStats.quantityTotal })
      .from(inventoryStats)
      .where(eq(inventoryStats.userId, id))
      .get();
    const profiles = orm
      .select({ n: sql<number>`count(*)` })
      .from(users)
      .get()!.n;
    const active = collabQuery()
      .where(
        sql`${inventoryCollabs.isActive} = 1 AND (${inventoryCollabs.ownerId} = ${id} OR ${inventoryCollabs.collaboratorId} = ${id})`,
      )
      .orderBy(asc(inventoryCollabs.id))
      .all();
    return {
      profile: p,
      lots: stats?.lots ?? 0,
      quantityTotal: stats?.quantityTotal ?? 0,
      sharedWith: active.filter((c) => c.ownerId === id).map((c) => c.collaboratorName),
      sharedWithIt: active.filter((c) => c.collaboratorId === id).map((c) => c.ownerName),
      current: current().id === id,
      last: profiles <= 1,
    };
  }

  /** Deletes a profile with its lots, preferences and collaborations. The last one stays. */
  function remove(id: number): { deleted: number } {
    get(id);
    const count = orm
      .select({ n: sql<number>`count(*)` })
      .from(users)
      .get()!.n;
    if (count <= 1) throw new AppError('conflict', 'The last profile cannot be deleted.');
    db.sqlite.transaction(() => {
      onDeleting?.(id);
      orm.delete(users).where(eq(users.id, id)).run();
    })();
    onProfileChanged?.(id);
    if (currentProfile?.id === id) {
      currentProfile = null;
      const next = orm.select().from(users).orderBy(asc(users.id)).limit(1).get()!;
      makeCurrent(next.id);
    }
    onDataChanged?.(id, 'profile-deleted');
    return { deleted: id };
  }

  /** What `actor` may do with `ownerId`'s inventory. Throws `forbidden` when nothing. */
  function access(actorId: number, ownerId: number): Access {
    if (actorId === ownerId) return { ownerId, canRead: true, canEdit: true, canDelete: true };
    const row = orm
      .select({ canEdit: inventoryCollabs.canEdit, canDelete: inventoryCollabs.canDelete })
      .from(inventoryCollabs)
      .where(
        and(
          eq(inventoryCollabs.ownerId, ownerId),
          eq(inventoryCollabs.collaboratorId, actorId),
          eq(inventoryCollabs.isActive, true),
          sql`${inventoryCollabs.acceptedAt} IS NOT NULL`,
        ),
      )
      .get();
    if (!row) throw new AppError('forbidden', 'This inventory is not shared with the current profile.');
    return { ownerId, canRead: true, canEdit: row.canEdit, canDelete: row.canDelete };
  }

  /** What the acting profile may do with `ownerId`'s inventory (default: its own). */
  function accessFor(ownerId?: number): Access {
    const me = current();
    return access(me.id, ownerId ?? me.id);
  }

  /** The inventories a profile can open: its own and those shared with it, in ONE query. */
  function accessible(actorId: number): AccessibleInventory[] {
    const rows = db.sqlite
      .prepare(
        `SELECT u.id AS ownerId, u.name AS ownerName, (u.id = @me) AS own,
                CASE WHEN u.id = @me THEN 1 ELSE c.can_edit END AS canEdit,
                CASE WHEN u.id = @me THEN 1 ELSE c.can_delete END AS canDelete,
                c.id AS collabId
           FROM users u
           LEFT JOIN inventory_collabs c
             ON c.owner_id = u.id AND c.collaborator_id = @me AND c.is_active = 1 AND c.accepted_at IS NOT NULL
          WHERE u.id = @me OR c.id IS NOT NULL
          ORDER BY own DESC, u.name COLLATE NOCASE, u.id`,
      )
      .all({ me: actorId }) as {
      ownerId: number;
      ownerName: string;
      own: number;
      canEdit: number;
      canDelete: number;
      collabId: number | null;
    }[];
    db.stats.statements++;
    return rows.map((r) => ({
      ownerId: r.ownerId,
      ownerName: r.ownerName,
      own: r.own === 1,
      canEdit: r.canEdit === 1,
      canDelete: r.canDelete === 1,
      collabId: r.collabId,
    }));
  }

  const owner = alias(users, 'owner');
  const collaborator = alias(users, 'collaborator');
  const collabSelect = {
    id: inventoryCollabs.id,
    ownerId: inventoryCollabs.ownerId,
    ownerName: owner.name,
    collaboratorId: inventoryCollabs.collaboratorId,
    collaboratorName: collaborator.name,
    canEdit: inventoryCollabs.canEdit,
    canDelete: inventoryCollabs.canDelete,
    isActive: inventoryCollabs.isActive,
    createdAt: inventoryCollabs.createdAt,
    acceptedAt: inventoryCollabs.acceptedAt,
    revokedAt: inventoryCollabs.revokedAt,
  };

  function collabQuery() {
    return orm
      .select(collabSelect)
      .from(inventoryCollabs)
      .innerJoin(owner, eq(owner.id, inventoryCollabs.ownerId))
      .innerJoin(collaborator, eq(collaborator.id, inventoryCollabs.collaboratorId));
  }

  function getCollab(id: number): Collab {
    const row = collabQuery().where(eq(inventoryCollabs.id, id)).get();
    if (!row) throw new AppError('not-found', `sharing ${id} does not exist`);
    return row;
  }

  /** Sharings where the profile is owner or collaborator, active ones first. */
  function listCollabs(actorId: number): Collab[] {
    return collabQuery()
      .where(sql`${inventoryCollabs.ownerId} = ${actorId} OR ${inventoryCollabs.collaboratorId} = ${actorId}`)
      .orderBy(sql`${inventoryCollabs.isActive} DESC`, asc(inventoryCollabs.id))
      .all();
  }

  function grant(actorId: number, collaboratorId: number, perms: { canEdit?: boolean; canDelete?: boolean }): Collab {
    if (collaboratorId === actorId) {
      throw new AppError('invalid-input', 'A profile cannot share its inventory with itself.', {
        fields: [{ field: 'collaboratorId', message: 'choose another profile' }],
      });
    }
    get(collaboratorId);
    const canEdit = perms.canEdit ?? false;
    const canDelete = perms.canDelete ?? false;
    const existing = orm
      .select({ id: inventoryCollabs.id })
      .from(inventoryCollabs)
      .where(
        and(
          eq(inventoryCollabs.ownerId, actorId),
          eq(inventoryCollabs.collaboratorId, collaboratorId),
          eq(inventoryCollabs.isActive, true),
        ),
      )
      .get();
    if (existing) {
      // Granting again changes the permissions of the active sharing.
      orm.update(inventoryCollabs).set({ canEdit, canDelete }).where(eq(inventoryCollabs.id, existing.id)).run();
      return getCollab(existing.id);
    }
    const row = orm
      .insert(inventoryCollabs)
      .values({ ownerId: actorId, collaboratorId, canEdit, canDelete, isActive: true, createdAt: now() })
      .returning({ id: inventoryCollabs.id })
      .get();
    return getCollab(row.id);
  }

  function accept(actorId: number, id: number): Collab {
    const c = getCollab(id);
    if (c.collaboratorId !== actorId) throw new AppError('forbidden', 'Only the invited profile can accept.');
    if (!c.isActive) throw new AppError('conflict', 'This sharing was revoked.');
    if (c.acceptedAt === null) {
      orm.update(inventoryCollabs).set({ acceptedAt: now() }).where(eq(inventoryCollabs.id, id)).run();
    }
    return getCollab(id);
  }

  function revoke(actorId: number, id: number): Collab {
    const c = getCollab(id);
    if (c.ownerId !== actorId && c.collaboratorId !== actorId) {
      throw new AppError('forbidden', 'Only the owner or the collaborator can end a sharing.');
    }
    if (c.isActive) {
      orm.update(inventoryCollabs).set({ isActive: false, revokedAt: now() }).where(eq(inventoryCollabs.id, id)).run();
    }
    return getCollab(id);
  }

  return {
    get,
    list,
    create,
    current,
    switchTo,
    rename,
    impact,
    remove,
    access,
    accessFor,
    accessible,
    listCollabs,
    grant,
    accept,
    revoke,
  };
}

export type ProfilesService = ReturnType<typeof createProfilesService>;
