// DTOs shared by the main process, the renderer and the CLI. Plain data only.

export const SORT_KEYS = ['name', 'part', 'color', 'total', 'used', 'available', 'location', 'created', 'updated'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';
export type Theme = 'light' | 'dark' | 'system';

export interface Color {
  id: number;
  name: string;
  /** Six hex digits without `#`. */
  rgb: string;
  isTrans: boolean;
}

/** One lot: a part in one colour at one storage location. */
export interface Lot {
  id: number;
  ownerId: number;
  partId: string;
  colorId: number;
  colorName: string;
  name: string;
  quantityTotal: number;
  quantityUsed: number;
  quantityAvailable: number;
  storageLocation: string;
  notes: string;
  imageUrl: string | null;
  /** Milliseconds since the Unix epoch (UTC). */
  createdAt: number;
  updatedAt: number;
  /**
   * On list pages only, for a lot without a name: the parts catalogue's name of its part, when
   * the catalogue knows it (the table shows it in place of the empty name).
   */
  catalogName?: string;
}

export interface LotInput {
  partId: string;
  colorId: number;
  quantityTotal: number;
  quantityUsed?: number | undefined;
  storageLocation?: string | undefined;
  name?: string | undefined;
  notes?: string | undefined;
  imageUrl?: string | null | undefined;
}

/** Where else the same part and colour is stored. */
export interface Placement {
  lotId: number;
  storageLocation: string;
  quantityTotal: number;
  quantityAvailable: number;
  /**
   * Set on a lot of a related part (where-is with `relatives`): its part number, the catalogue's
   * relationship (P print, T pattern, M mould, A alternate, R pair, B sub-part) and how it relates
   * to the part asked for, in words (“print of 3001”, “base part of print 3001pr0012”).
   */
  related?: { partId: string; relType: RelType; relation: string };
}

/** Kinds of the catalogue's part relationships: the child is a … of the parent. */
export type RelType = 'P' | 'T' | 'M' | 'A' | 'R' | 'B';

/** How a related part relates to the part asked for, in words. */
export function relationText(relType: RelType, role: 'child' | 'parent', asked: string): string {
  // role 'child': the related part is the child (3001pr0012 is a print of the asked 3001).
  const child: Record<RelType, string> = {
    P: 'print of',
    T: 'pattern of',
    M: 'mould variant of',
    A: 'alternate of',
    R: 'pairs with',
    B: 'sub-part of',
  };
  // role 'parent': the asked part is the child (the asked 3001pr0012 is a print of 3001).
  const parent: Record<RelType, string> = {
    P: 'base part of print',
    T: 'base part of pattern',
    M: 'mould variant of',
    A: 'alternate of',
    R: 'pairs with',
    B: 'assembly holding',
  };
  return `${(role === 'child' ? child : parent)[relType]} ${asked}`;
}

export type CreateOutcome =
  | { status: 'created' | 'merged'; lot: Lot; elsewhere: Placement[] }
  | { status: 'duplicate'; existing: Lot; elsewhere: Placement[] };

export interface ListPage {
  items: Lot[];
  /**
   * Number of lots matching the query (all pages). When totalCapped is true it is a lower
   * bound: counting stopped there (show it as "1,000+"), see the inventory service.
   */
  total: number;
  /** True when `total` was capped (a search or a combined filter with many matches). */
  totalCapped?: boolean;
  /**
   * True when a search stopped reading before the end of the inventory (a short or rare term
   * tested lot by lot reads a bounded number of lots per call): every lot in `items` matches,
   * the list ends here although more lots may match. Show "N+ matches — type more to narrow".
   */
  incomplete?: boolean;
  /** Opaque cursor for the next page, or null on the last page. */
  nextCursor: string | null;
}

export interface Summary {
  lots: number;
  quantityTotal: number;
  quantityUsed: number;
  quantityAvailable: number;
  locations: number;
  topColors: { colorId: number; colorName: string; quantity: number; lots: number }[];
  topLocations: { storageLocation: string; lots: number; quantity: number }[];
  lowStock: Lot[];
  lowStockThreshold: number;
  recent: Lot[];
}

export interface Profile {
  id: number;
  name: string;
  createdAt: number;
}

/** What deleting a profile would take with it (asked before the delete). */
export interface ProfileImpact {
  profile: Profile;
  /** Its lots and their total quantity: deleted with it. */
  lots: number;
  quantityTotal: number;
  /** Profiles its inventory is shared with (active sharings): they lose it. */
  sharedWith: string[];
  /** Owners whose inventories are shared with it: those sharings end. */
  sharedWithIt: string[];
  /** It is the profile in use (the app switches to another one). */
  current: boolean;
  /** It is the only profile (it cannot be deleted). */
  last: boolean;
}

export interface AccessibleInventory {
  ownerId: number;
  ownerName: string;
  own: boolean;
  canEdit: boolean;
  canDelete: boolean;
  collabId: number | null;
}

export interface Collab {
  id: number;
  ownerId: number;
  ownerName: string;
  collaboratorId: number;
  collaboratorName: string;
  canEdit: boolean;
  canDelete: boolean;
  isActive: boolean;
  createdAt: number;
  acceptedAt: number | null;
  revokedAt: number | null;
}

export interface Preferences {
  theme: Theme;
  itemsPerPage: number;
  sortKey: SortKey;
  sortDir: SortDir;
  lowStockThreshold: number;
}

export interface AppConfig {
  /** null: the default folder `<data dir>/backups`. */
  backupDir: string | null;
  autoBackup: boolean;
  backupIntervalHours: number;
  keepRecentHours: number;
  keepRecentMax: number;
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
}

export interface AppInfo {
  appVersion: string;
  schemaVersion: number;
  dataDir: string;
  dbPath: string;
  backupDir: string;
  profile: Profile;
  counts: { lots: number; quantityTotal: number; locations: number; profiles: number };
}
