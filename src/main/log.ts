// A small append-only log file in the data folder (errors, backups, restores, imports).
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

export type LogLevel = 'info' | 'warn' | 'error';
export interface Logger {
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
}

const MAX_BYTES = 5 * 1024 * 1024;

export function createFileLogger(file: string, opts: { echo?: boolean; now?: () => number } = {}): Logger {
  mkdirSync(path.dirname(file), { recursive: true });
  const now = opts.now ?? Date.now;
  function write(level: LogLevel, msg: string, extra?: unknown) {
    let tail = '';
    if (extra instanceof Error) tail = ` ${extra.stack ?? extra.message}`;
    else if (extra !== undefined) tail = ` ${JSON.stringify(extra)}`;
    const line = `${new Date(now()).toISOString()} ${level.toUpperCase()} ${msg}${tail}\n`;
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(file, `${file}.1`);
      appendFileSync(file, line);
    } catch {
      // logging must never break the app
    }
    if (opts.echo && level !== 'info') process.stderr.write(line);
  }
  return {
    info: (m, e) => write('info', m, e),
    warn: (m, e) => write('warn', m, e),
    error: (m, e) => write('error', m, e),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
