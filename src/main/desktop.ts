// What the core may ask of the desktop around it: the one way to pick files and folders (open a
// file, save a file, choose a folder) and the file manager. The Electron shell supplies the real
// thing (src/main/electron/desktop-host.ts); the e2e host answers the dialogs from a queue its
// tests fill; the CLI has none (the person at the terminal names paths). Every path a dialog
// returns is registered in the core's file registry (src/main/files.ts) by the handler that
// asked, and only its token leaves the main process. Plain Node: no electron import here.

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface DesktopHost {
  /** An open-file dialog; the chosen paths, or null when cancelled. */
  openFile(opts: { title?: string; filters?: FileFilter[]; multi?: boolean }): Promise<string[] | null>;
  /** A save-file dialog; the chosen path, or null when cancelled. */
  saveFile(opts: { title?: string; suggestedName?: string; filters?: FileFilter[] }): Promise<string | null>;
  /** A choose-folder dialog; the chosen folder, or null when cancelled. */
  chooseFolder(opts: { title?: string; defaultPath?: string }): Promise<string | null>;
  /** Shows a folder in the system file manager. */
  openPath(folder: string): Promise<boolean>;
  /**
   * Opens the system's print dialog for a PDF; true when it was sent to a printer. Absent where
   * nothing can print (the CLI, the e2e host's browser page).
   */
  printPdf?(file: string): Promise<boolean>;
}

/** A desktop whose dialogs answer from queues (the e2e host and tests). */
export function queuedDesktop(): DesktopHost & {
  queueOpen(paths: string[] | null): void;
  queueSave(path: string | null): void;
  queueFolder(path: string | null): void;
  opened: string[];
  /** The PDFs sent to print, with their first bytes (the file is removed afterwards). */
  printed: { file: string; head: string }[];
} {
  const open: (string[] | null)[] = [];
  const save: (string | null)[] = [];
  const folder: (string | null)[] = [];
  const opened: string[] = [];
  const printed: { file: string; head: string }[] = [];
  return {
    opened,
    printed,
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
    printPdf: async (file) => {
      const { readFileSync } = await import('node:fs');
      printed.push({ file, head: readFileSync(file).subarray(0, 8).toString('latin1') });
      return true;
    },
  };
}
