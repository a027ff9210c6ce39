// Error codes that cross the IPC boundary. Expected failures are one of these codes;
// anything else is logged in the main process and reaches the caller as `internal`.
export const ERROR_CODES = [
  'invalid-input',
  'not-found',
  'conflict',
  'forbidden',
  'busy',
  'cancelled',
  'db-newer-than-app',
  'db-locked',
  'read-only',
  'not-blockshelf',
  'backup-corrupt',
  'backup-too-large',
  'io-error',
  'disk-full',
  'no-permission',
  'unsupported-format',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  /** Dotted path of the offending field, e.g. `quantityUsed`. */
  field: string;
  message: string;
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  fields?: FieldError[];
  /** Free-form details safe to show (e.g. the failing step of a restore). */
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorPayload };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldError[];
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fields?: FieldError[]; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'AppError';
    this.code = code;
    if (extra.fields) this.fields = extra.fields;
    if (extra.details) this.details = extra.details;
  }

  toPayload(): ErrorPayload {
    const p: ErrorPayload = { code: this.code, message: this.message };
    if (this.fields) p.fields = this.fields;
    if (this.details) p.details = this.details;
    return p;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Throws an AppError when a Result is a failure; returns its data otherwise. */
export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.data;
  throw new AppError(r.error.code, r.error.message, {
    ...(r.error.fields ? { fields: r.error.fields } : {}),
    ...(r.error.details ? { details: r.error.details } : {}),
  });
}
