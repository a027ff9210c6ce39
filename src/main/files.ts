// Files the user picked in a native dialog, known to the renderer only as opaque tokens.
// The renderer is untrusted: contract calls name files by token, never by path, so a page that
// went wrong cannot read or overwrite a file the user did not choose. The Electron dialog code
// (and the e2e test host, and the CLI) register picked paths here and hand out the token.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../shared/errors';
import type { FileRef } from '../shared/contract';

/** `folder`: a folder chosen in the folder dialog (the backup folder); never a file to read or write. */
export type FileMode = 'read' | 'write' | 'folder';

export interface FilePicker {
  /** Native open dialog; resolves to the chosen path or null when cancelled. */
  open(opts: { title?: string }): Promise<string | null>;
  /** Native save dialog; resolves to the chosen path or null when cancelled. */
  save(opts: { suggestedName?: string; extensions?: string[] }): Promise<string | null>;
}

interface Entry {
  path: string;
  mode: FileMode;
  at: number;
}

export interface FileRegistry {
  /** Registers a path the user chose and returns its token (the same path and mode reuse it). */
  register(file: string, mode: FileMode): FileRef;
  /** The path behind a token; `not-found` for a token main never handed out. */
  resolve(token: string, mode: FileMode): string;
  forget(token: string): void;
  /** The dialogs to show (set by the Electron shell or a test host); absent in the CLI. */
  picker: FilePicker | null;
  setPicker(picker: FilePicker | null): void;
}

const MAX_ENTRIES = 500;

export function createFileRegistry(): FileRegistry {
  const entries = new Map<string, Entry>();
  const reg: FileRegistry = {
    picker: null,
    setPicker(p) {
      reg.picker = p;
    },
    register(file, mode) {
      const abs = path.resolve(file);
      let token: string | undefined;
      for (const [t, e] of entries) if (e.path === abs && e.mode === mode) token = t;
      if (!token) {
        token = `f_${randomBytes(18).toString('base64url')}`;
        entries.set(token, { path: abs, mode, at: Date.now() });
        // Keep the registry bounded: drop the oldest tokens.
        while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      }
      let size: number | null = null;
      if (mode === 'read') {
        try {
          size = statSync(abs).size;
        } catch {
          size = null;
        }
      }
      return { token, name: path.basename(abs), size };
    },
    resolve(token, mode) {
      const e = entries.get(token);
      if (!e) throw new AppError('not-found', 'That file is no longer available; choose it again.');
      if (mode === 'write' && e.mode !== 'write') {
        throw new AppError('forbidden', 'That file was chosen for reading, not for saving.');
      }
      if ((mode === 'folder') !== (e.mode === 'folder')) {
        throw new AppError('forbidden', mode === 'folder' ? 'That is a file, not a folder chosen in the folder dialog.' : 'That is a folder, not a file.');
      }
      return e.path;
    },
    forget(token) {
      entries.delete(token);
    },
  };
  return reg;
}
