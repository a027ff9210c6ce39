import { randomBytes } from 'node:crypto';

/** A fresh id for a long job (import, export, catalogue import) that progress events and cancel name. */
export function newJobId(prefix = 'job'): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}
