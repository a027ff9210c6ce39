// Opening the one SQLite connection: pragmas, drizzle on top, and a statement counter that
// tests use to prove that a read was served from cache or that a query does not grow N+1.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema';

export type Drizzle = BetterSQLite3Database<typeof schema>;

export interface DbHandle {
  sqlite: Database.Database;
  orm: Drizzle;
  file: string;
  /** Statements run through this handle (drizzle queries and cached raw statements). */
  stats: { statements: number };
  /** A prepared statement cached by its SQL text (for hot, fixed-shape queries). */
  stmt(sql: string): Database.Statement;
  close(): void;
}

export interface OpenOptions {
  readonly?: boolean;
  /** Path to a better-sqlite3 native addon built for another runtime (Electron). */
  nativeBinding?: string;
  fileMustExist?: boolean;
}

export function openDatabase(file: string, opts: OpenOptions = {}): DbHandle {
  const sqlite = new Database(file, {
    readonly: opts.readonly ?? false,
    fileMustExist: opts.fileMustExist ?? false,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  applyPragmas(sqlite, opts.readonly ?? false);
  const stats = { statements: 0 };
  const orm = drizzle(sqlite, {
    schema,
    logger: { logQuery: () => void stats.statements++ },
  });
  const cache = new Map<string, Database.Statement>();
  const handle: DbHandle = {
    sqlite,
    orm,
    file,
    stats,
    stmt(sqlText) {
      stats.statements++;
      let s = cache.get(sqlText);
      if (!s) {
        s = sqlite.prepare(sqlText);
        cache.set(sqlText, s);
      }
      return s;
    },
    close() {
      cache.clear();
      if (sqlite.open) {
        if (!opts.readonly) {
          try {
            sqlite.pragma('optimize');
            sqlite.pragma('wal_checkpoint(TRUNCATE)');
          } catch {
            // a checkpoint can fail while another process reads; closing still works
          }
        }
        sqlite.close();
      }
    },
  };
  return handle;
}

export function applyPragmas(sqlite: Database.Database, readonly: boolean): void {
  sqlite.pragma('busy_timeout = 5000');
  // Triggers and views may not call functions with side effects or unsafe virtual tables, so a
  // database file from elsewhere cannot make the app run code it did not ship.
  sqlite.pragma('trusted_schema = OFF');
  if (!readonly) {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
  }
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536'); // 64 MiB page cache
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('mmap_size = 268435456');
}
