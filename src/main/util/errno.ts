// A failed file operation as an error the user can act on: the errno codes Node reports, mapped
// to the contract's error codes with the file's name (never its folders).
import { AppError } from '../../shared/errors';
import { baseName } from './names';

export function fileError(e: NodeJS.ErrnoException, file: string): AppError {
  const name = baseName(file);
  if (e instanceof AppError) return e;
  if (e.code === 'ENOENT') return new AppError('not-found', `${name}: no such file`);
  if (e.code === 'EACCES' || e.code === 'EPERM') return new AppError('no-permission', `${name}: permission denied`);
  if (e.code === 'EISDIR') return new AppError('invalid-input', `${name}: is a folder, not a file`);
  if (e.code === 'ENOSPC') return new AppError('disk-full', `${name}: the disk is full`);
  if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR')
    return new AppError('invalid-input', `${name}: not a valid gzip file`);
  return new AppError('io-error', `${name}: ${e.message}`, { cause: e });
}
