// What the Sets view shows: which screen (search, a set's page, a file's "can I build" report,
// "which sets can I build?", the builds), the search and its filters, and the build options
// the pages match with. Kept here so leaving the view and coming back finds it as it was.
import { create } from 'zustand';
import type { BuildableResult, BuildOptions, FileRef } from '../../shared/contract';

export type SetsScreen =
  | { kind: 'search' }
  | { kind: 'set'; setNum: string }
  | { kind: 'file'; file: FileRef }
  | { kind: 'buildable' }
  | { kind: 'builds' };

export interface SetSearchState {
  query: string;
  themeId: number | undefined;
  yearFrom: number | undefined;
  yearTo: number | undefined;
  page: number;
}

/** "Which sets can I build?": the filters as typed (text), and the last answer with its input. */
export interface BuildableState {
  themeId: number | undefined;
  yearFrom: string;
  yearTo: string;
  minParts: string;
  maxParts: string;
  minPct: string;
  page: number;
  result: BuildableResult | null;
}

/** The build options the pages offer (the list options `spares` and `noMinifigs` included). */
export type MatchOptions = Required<Omit<BuildOptions, 'quantity'>>;

export const NO_OPTIONS: MatchOptions = {
  countUsed: false,
  ignorePrints: false,
  moulds: false,
  alternates: false,
  ignoreColor: false,
  noMinifigs: false,
  spares: false,
};

interface SetsState {
  screen: SetsScreen;
  /** Screens to go back to (a set opened from the results goes back to them). */
  history: SetsScreen[];
  search: SetSearchState;
  options: MatchOptions;
  buildable: BuildableState;
  show(screen: SetsScreen): void;
  /** Opens a screen from another: Back returns to it. */
  open(screen: SetsScreen): void;
  back(): void;
  setSearch(patch: Partial<SetSearchState>): void;
  setOptions(patch: Partial<MatchOptions>): void;
  setBuildable(patch: Partial<BuildableState>): void;
}

export const useSets = create<SetsState>((set) => ({
  screen: { kind: 'search' },
  history: [],
  search: { query: '', themeId: undefined, yearFrom: undefined, yearTo: undefined, page: 0 },
  options: NO_OPTIONS,
  buildable: { themeId: undefined, yearFrom: '', yearTo: '', minParts: '', maxParts: '', minPct: '', page: 0, result: null },
  show: (screen) => set({ screen, history: [] }),
  open: (screen) => set((s) => ({ screen, history: [...s.history.slice(-19), s.screen] })),
  back: () =>
    set((s) =>
      s.history.length ? { screen: s.history.at(-1)!, history: s.history.slice(0, -1) } : { screen: { kind: 'search' } },
    ),
  // A new query or filter starts at the first page.
  setSearch: (patch) => set((s) => ({ search: { ...s.search, page: 0, ...patch } })),
  setOptions: (patch) => set((s) => ({ options: { ...s.options, ...patch } })),
  setBuildable: (patch) => set((s) => ({ buildable: { ...s.buildable, ...patch } })),
}));

/** Only the options that are on (the contract's defaults are all off). */
export function onlyOn(o: MatchOptions): BuildOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v)) as BuildOptions;
}
