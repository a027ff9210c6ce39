// How failures become the contract's error envelope: expected failures keep their code,
// SQLite's "database is locked" becomes `db-locked`, anything else is logged and becomes `internal`.
import { AppError, isAppError } from '../../shared/errors';
import type { Logger } from '../log';

export function readOnlyError(): AppError {
  return new AppError('read-only', 'This command opened the database read-only and cannot change it.');
}

/** SQLite's "database is locked" (busy or locked, with any extended code). */
export function lockError(e: unknown): AppError | null {
  const code = String((e as NodeJS.ErrnoException)?.code ?? '');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError('db-locked', 'The database is busy in another program. Try again in a moment.', { cause: e });
  }
  return null;
}

/** Expected failures keep their code; anything else is logged and becomes `internal`. */
export function toErrorPayload(e: unknown, log: Logger, where: string) {
  if (isAppError(e)) return e.toPayload();
  const locked = lockError(e);
  if (locked) return locked.toPayload();
  log.error(`unexpected error in ${where}`, e);
  return { code: 'internal' as const, message: 'Something went wrong inside BlockShelf. The log file has details.' };
}
