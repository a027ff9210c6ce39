// Remembers the main window's size, position and maximised state in the data folder, and
// puts a window back only where a display still shows it.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_SIZE = { width: 900, height: 600 };

export function loadWindowState(file: string, displays: Rect[]): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_STATE };
  }
  const s = raw as Partial<WindowState>;
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!num(s.width) || !num(s.height)) return { ...DEFAULT_STATE };
  const width = Math.max(MIN_SIZE.width, Math.round(s.width));
  const height = Math.max(MIN_SIZE.height, Math.round(s.height));
  const state: WindowState = { width, height, maximized: s.maximized === true };
  if (num(s.x) && num(s.y)) {
    const r = { x: Math.round(s.x), y: Math.round(s.y), width, height };
    // Keep the position only when at least 100×50 px of the title area is on some display.
    if (displays.some((d) => overlap(r, d).width >= 100 && overlap(r, d).height >= 50)) {
      state.x = r.x;
      state.y = r.y;
    }
  }
  return state;
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, file);
  } catch {
    // losing the window position is not worth an error
  }
}
