// What the core may ask of the desktop around it: native file dialogs and the file manager.
// The Electron shell supplies the real thing; the CLI has none; the e2e host answers dialogs
// from a queue its tests fill. Plain Node: no electron import here.
import { AppError } from '../shared/errors';

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface DesktopHost {
  /** An open-file dialog; the chosen path, or null when cancelled. */
  openFile(opts: { title?: string; filters?: FileFilter[]; multi?: boolean }): Promise<string[] | null>;
  /** A save-file dialog; the chosen path, or null when cancelled. */
  saveFile(opts: { title?: string; suggestedName?: string; filters?: FileFilter[] }): Promise<string | null>;
  /** A choose-folder dialog; the chosen folder, or null when cancelled. */
  chooseFolder(opts: { title?: string; defaultPath?: string }): Promise<string | null>;
  /** Shows a folder in the system file manager. */
  openPath(folder: string): Promise<boolean>;
}

const unavailable = (): never => {
  throw new AppError('forbidden', 'File dialogs are only available in the desktop app.');
};

/** For the CLI and other hosts without a desktop. */
export const noDesktop: DesktopHost = {
  openFile: async () => unavailable(),
  saveFile: async () => unavailable(),
  chooseFolder: async () => unavailable(),
  openPath: async () => false,
};

/** A desktop whose dialogs answer from queues (the e2e host and tests). */
export function queuedDesktop(): DesktopHost & {
  queueOpen(paths: string[] | null): void;
  queueSave(path: string | null): void;
  queueFolder(path: string | null): void;
  opened: string[];
} {
  const open: (string[] | null)[] = [];
  const save: (string | null)[] = [];
  const folder: (string | null)[] = [];
  const opened: string[] = [];
  return {
    opened,
    queueOpen: (p) => void open.push(p),
    queueSave: (p) => void save.push(p),
    queueFolder: (p) => void folder.push(p),
    openFile: async () => (open.length ? open.shift()! : null),
    saveFile: async () => (save.length ? save.shift()! : null),
    chooseFolder: async () => (folder.length ? folder.shift()! : null),
    openPath: async (p) => {
      opened.push(p);
      return true;
    },
  };
}
