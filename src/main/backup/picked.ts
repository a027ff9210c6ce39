// Files the user picked in a native dialog, handed to the renderer as short-lived tokens: the
// renderer never names a path itself.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { PickedFile } from '../../shared/contract/backup';
import { AppError } from '../../shared/errors';
import type { BackupHost, BackupServiceOptions } from './host';

const TOKEN_TTL = 30 * 60_000;

export function createPicked(host: Pick<BackupHost, 'now'>, opts: BackupServiceOptions) {
  const picked = new Map<string, { file: string; purpose: 'restore' | 'archive'; expires: number }>();

  function registerPickedFile(file: string, purpose: 'restore' | 'archive'): PickedFile {
    const token = randomBytes(16).toString('hex');
    picked.set(token, { file: path.resolve(file), purpose, expires: host.now() + TOKEN_TTL });
    let bytes: number | null;
    try {
      bytes = statSync(file).size;
    } catch {
      bytes = null;
    }
    return { token, name: path.basename(file), bytes };
  }

  async function pickFile(purpose: 'restore' | 'archive'): Promise<PickedFile | null> {
    if (!opts.pickFile) throw new AppError('forbidden', 'No file dialog is available here.');
    const file = await opts.pickFile(purpose);
    return file ? registerPickedFile(file, purpose) : null;
  }

  function archiveTarget(token: string): string {
    const p = picked.get(token);
    if (!p || p.expires < host.now() || p.purpose !== 'archive') {
      throw new AppError('not-found', 'That file choice has expired; pick where to save again.');
    }
    return p.file;
  }

  /** The file behind a restore token. */
  function restoreFile(token: string): string {
    const p = picked.get(token);
    if (!p || p.expires < host.now() || p.purpose !== 'restore') {
      throw new AppError('not-found', 'That file choice has expired; pick the file again.');
    }
    return p.file;
  }

  return { registerPickedFile, pickFile, archiveTarget, restoreFile };
}

export type Picked = ReturnType<typeof createPicked>;
