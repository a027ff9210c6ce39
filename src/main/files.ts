// Files and folders the user picked, known outside the main process only as opaque tokens.
// The renderer is untrusted: contract calls name files by token, never by path, so a page that
// went wrong cannot read or overwrite a file the user did not choose. Whoever chose the path
// registers it here for one purpose and hands out the token: the core's handlers after a
// dialog of the desktop host (src/main/desktop.ts), and the CLI for the paths typed at the
// terminal. This is the only registry: one token format, one expiry, one cap.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../shared/errors';
import type { FileRef } from '../shared/contract';

/**
 * What a path was chosen for; a token stands for that purpose only.
 * `read`: a file to import; `write`: a file to export to; `folder`: the backup folder;
 * `restore`: a backup file to verify or restore from; `archive`: where to save a portable archive.
 */
export const FILE_PURPOSES = ['read', 'write', 'folder', 'restore', 'archive'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

export interface FileRegistry {
  /** Registers a path the user chose and returns its token (the same path and purpose reuse it). */
  register(file: string, purpose: FilePurpose): FileRef;
  /**
   * The path behind a token, for the purpose it was handed out for. A token main never handed
   * out, or one unused for longer than the expiry, is `not-found`; one chosen for another
   * purpose is refused (see `wrongPurpose`).
   */
  resolve(token: string, purpose: FilePurpose): string;
  forget(token: string): void;
}

export interface FileRegistryOptions {
  /** Clock in ms since the epoch (the core's). */
  now?: () => number;
  /** A token expires this long after it was last registered or used. */
  ttlMs?: number;
  /** At most this many tokens are kept; the least recently used go first. */
  max?: number;
}

export const TOKEN_TTL_MS = 30 * 60_000;
export const MAX_TOKENS = 500;

interface Entry {
  path: string;
  purpose: FilePurpose;
  expires: number;
}

/** Files that are read: their size is shown beside the name. */
const READ_PURPOSES: ReadonlySet<FilePurpose> = new Set(['read', 'restore']);

/** What the backup dialogs choose. */
const BACKUP_PURPOSES: ReadonlySet<FilePurpose> = new Set(['restore', 'archive']);

const CHOSEN_FOR: Record<Exclude<FilePurpose, 'folder'>, string> = {
  read: 'chosen for reading',
  write: 'chosen for saving',
  restore: 'chosen to restore from',
  archive: 'chosen to save an archive to',
};

/**
 * A token used for another purpose than it was chosen for. The backup dialogs' calls answer as
 * for a token they never handed out; the others say what the token was chosen for.
 */
function wrongPurpose(want: FilePurpose, got: FilePurpose): AppError {
  if (BACKUP_PURPOSES.has(want)) return gone(want);
  if (want === 'folder') return new AppError('forbidden', 'That is a file, not a folder chosen in the folder dialog.');
  if (got === 'folder') return new AppError('forbidden', 'That is a folder, not a file.');
  return new AppError('forbidden', `That file was ${CHOSEN_FOR[got]}, not for ${want === 'read' ? 'reading' : 'saving'}.`);
}

function gone(purpose: FilePurpose): AppError {
  return new AppError(
    'not-found',
    purpose === 'archive'
      ? 'That file choice has expired; pick where to save again.'
      : 'That file is no longer available; choose it again.',
  );
}

export function createFileRegistry(opts: FileRegistryOptions = {}): FileRegistry {
  const now = opts.now ?? Date.now;
  const ttl = opts.ttlMs ?? TOKEN_TTL_MS;
  const max = opts.max ?? MAX_TOKENS;
  // Insertion order is use order: a used token is moved to the end.
  const entries = new Map<string, Entry>();

  const touch = (token: string, e: Entry) => {
    entries.delete(token);
    entries.set(token, { ...e, expires: now() + ttl });
  };

  return {
    register(file, purpose) {
      const abs = path.resolve(file);
      let token: string | undefined;
      for (const [t, e] of entries) if (e.path === abs && e.purpose === purpose && e.expires >= now()) token = t;
      token ??= `f_${randomBytes(18).toString('base64url')}`;
      touch(token, { path: abs, purpose, expires: 0 });
      while (entries.size > max) entries.delete(entries.keys().next().value!);
      let size: number | null = null;
      if (READ_PURPOSES.has(purpose)) {
        try {
          size = statSync(abs).size;
        } catch {
          size = null;
        }
      }
      return { token, name: path.basename(abs), size };
    },
    resolve(token, purpose) {
      const e = entries.get(token);
      if (!e || e.expires < now()) {
        entries.delete(token);
        throw gone(purpose);
      }
      if (e.purpose !== purpose) throw wrongPurpose(purpose, e.purpose);
      touch(token, e);
      return e.path;
    },
    forget(token) {
      entries.delete(token);
    },
  };
}
