// Pictures in the window: where they load from (the app's picture scheme, or the e2e host's
// path, as the page's meta tag says), the picture settings, and a version per picture key that
// `pictures.changed` bumps, so only the pictures that arrived load again.
import { create } from 'zustand';
import type { PictureSettings } from '../../shared/contract';
import { call } from '../api';

interface PicturesState {
  settings: PictureSettings | null;
  versions: Record<string, number>;
  load(): Promise<void>;
  configure(patch: { fetch?: 'on' | 'off'; limitMb?: number }): Promise<string | null>;
  clear(): Promise<string | null>;
  arrived(keys: string[]): void;
}

export const usePictures = create<PicturesState>((set) => ({
  settings: null,
  versions: {},
  async load() {
    const r = await call('pictures.settings', {});
    if (r.ok) set({ settings: r.data });
  },
  async configure(patch) {
    const r = await call('pictures.configure', patch);
    if (!r.ok) return r.error.message;
    // Placeholders shown so far may now be fetched: ask for every picture again.
    set((s) => ({ settings: r.data, versions: patch.fetch === 'on' ? bumpAll(s.versions) : s.versions }));
    return null;
  },
  async clear() {
    const r = await call('pictures.clear', {});
    if (!r.ok) return r.error.message;
    set((s) => ({ settings: r.data, versions: bumpAll(s.versions) }));
    return null;
  },
  arrived(keys) {
    set((s) => {
      const versions = { ...s.versions };
      for (const k of keys) versions[k] = (versions[k] ?? 0) + 1;
      return { versions };
    });
    void usePictures.getState().load();
  },
}));

function bumpAll(v: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { '*': (v['*'] ?? 0) + 1 };
  for (const [k, n] of Object.entries(v)) if (k !== '*') out[k] = n + 1;
  return out;
}

/** The base the page loads pictures from. */
export const PICTURE_BASE =
  document.querySelector<HTMLMetaElement>('meta[name="blockshelf-pictures"]')?.content ?? 'blockshelf-pic://pictures/';
