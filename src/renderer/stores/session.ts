// Who uses the app and what they look at: the current profile, the inventories it may open,
// whose inventory is shown, and the colour table. Loaded at start and again when main says
// the profile, the preferences or the whole database changed.
import { create } from 'zustand';
import type { AccessibleInventory, Color, Profile } from '../../shared/types';
import { callOrThrow } from '../api';
import { usePreferences } from './preferences';

interface SessionState {
  profile: Profile | null;
  inventories: AccessibleInventory[];
  /** Whose inventory is shown (undefined: the current profile's own). */
  ownerId: number | undefined;
  colors: Color[];
  colorById: Map<number, Color>;
  setOwner(ownerId: number | undefined): void;
}

export const useSession = create<SessionState>((set) => ({
  profile: null,
  inventories: [],
  ownerId: undefined,
  colors: [],
  colorById: new Map(),
  setOwner: (ownerId) => set({ ownerId }),
}));

/** Reads the preferences, profile, colours and accessible inventories from main. */
export async function loadBasics(): Promise<void> {
  const [prefs, profile, colors, inventories] = await Promise.all([
    callOrThrow('preferences.get', {}),
    callOrThrow('profiles.current', {}),
    callOrThrow('colors.list', {}),
    callOrThrow('profiles.accessible', {}),
  ]);
  const { ownerId } = useSession.getState();
  const stillThere = ownerId === undefined || inventories.some((i) => i.ownerId === ownerId);
  useSession.setState({
    profile,
    colors,
    colorById: new Map(colors.map((c) => [c.id, c])),
    inventories,
    ...(stillThere ? {} : { ownerId: undefined }),
  });
  usePreferences.getState().loaded(prefs);
}
