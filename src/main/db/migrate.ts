// Guarded migrations. The SQL comes from drizzle-kit (drizzle/*.sql + meta/_journal.json) and
// the bookkeeping table is drizzle's own (__drizzle_migrations), so drizzle-kit stays usable.
// On top of drizzle's migrator this refuses a database written by a newer app, refuses a file
// that is not BlockShelf's, lets the caller take a backup first, checks foreign keys before
// committing, and applies everything in one transaction: a failure leaves the file untouched.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';

export interface Migration {
  idx: number;
  tag: string;
  /** drizzle-kit's timestamp; also the migration's identity in __drizzle_migrations. */
  when: number;
  hash: string;
  statements: string[];
}

export interface MigrationState {
  /** Number of migrations applied to the database (its schema version). */
  applied: number;
  lastWhen: number | null;
  isEmpty: boolean;
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: string[];
}

const TABLE = '__drizzle_migrations';

export function loadMigrations(dir: string): Migration[] {
  const journalFile = path.join(dir, 'meta', '_journal.json');
  if (!existsSync(journalFile)) {
    throw new AppError('internal', `migrations not found in ${dir}`);
  }
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as {
    entries: { idx: number; when: number; tag: string }[];
  };
  return journal.entries.map((e) => {
    const text = readFileSync(path.join(dir, `${e.tag}.sql`), 'utf8');
    return {
      idx: e.idx,
      tag: e.tag,
      when: e.when,
      hash: createHash('sha256').update(text).digest('hex'),
      statements: text
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    };
  });
}

export function readMigrationState(sqlite: Database.Database): MigrationState {
  const userTables = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  if (!userTables.includes(TABLE)) {
    if (userTables.length > 0) {
      throw new AppError('not-blockshelf', 'This database was not made by BlockShelf (it has no migration history).');
    }
    return { applied: 0, lastWhen: null, isEmpty: true };
  }
  const row = sqlite.prepare(`SELECT count(*) AS n, max(created_at) AS last FROM ${TABLE}`).get() as {
    n: number;
    last: number | null;
  };
  return { applied: row.n, lastWhen: row.last === null ? null : Number(row.last), isEmpty: row.n === 0 };
}

/** Throws `db-newer-than-app` when the database has migrations this app does not know. */
export function assertNotNewer(state: MigrationState, migrations: Migration[]): void {
  const newest = migrations.at(-1)?.when ?? 0;
  if (state.applied > migrations.length || (state.lastWhen !== null && state.lastWhen > newest)) {
    throw new AppError(
      'db-newer-than-app',
      `This database was written by a newer version of BlockShelf (schema ${state.applied}, this app knows ${migrations.length}). Update BlockShelf to open it.`,
      { details: { dbSchema: state.applied, appSchema: migrations.length } },
    );
  }
}

export function pendingMigrations(state: MigrationState, migrations: Migration[]): Migration[] {
  if (state.lastWhen === null) return migrations;
  const last = state.lastWhen;
  return migrations.filter((m) => m.when > last);
}

export interface MigrateOptions {
  /**
   * Called before anything is changed when a database that already holds data is about to be
   * migrated (the app takes a pre-migration backup here). Throwing aborts the migration.
   */
  beforeMigrate?: (info: { from: number; to: number; pending: string[] }) => void;
}

export function migrate(sqlite: Database.Database, migrations: Migration[], opts: MigrateOptions = {}): MigrateResult {
  const state = readMigrationState(sqlite);
  assertNotNewer(state, migrations);
  const pending = pendingMigrations(state, migrations);
  const from = state.applied;
  if (pending.length === 0) return { from, to: from, applied: [] };

  if (!state.isEmpty && opts.beforeMigrate) {
    opts.beforeMigrate({ from, to: from + pending.length, pending: pending.map((m) => m.tag) });
  }

  // Table rebuilds in migrations need foreign keys off; they are checked before commit.
  sqlite.pragma('foreign_keys = OFF');
  try {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      sqlite.exec(
        `CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, hash text NOT NULL, created_at numeric)`,
      );
      const record = sqlite.prepare(`INSERT INTO ${TABLE} (hash, created_at) VALUES (?, ?)`);
      for (const m of pending) {
        for (const s of m.statements) {
          try {
            sqlite.exec(s);
          } catch (e) {
            throw new AppError('internal', `migration ${m.tag} failed: ${(e as Error).message}`, {
              cause: e,
            });
          }
        }
        record.run(m.hash, m.when);
      }
      const violations = sqlite.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new AppError(
          'internal',
          `foreign key check failed after migrating (${violations.length} rows); nothing was changed`,
          { details: { violations: violations.slice(0, 10) } },
        );
      }
      sqlite.pragma(`user_version = ${from + pending.length}`);
      sqlite.exec('COMMIT');
    } catch (e) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw e;
    }
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
  return { from, to: from + pending.length, applied: pending.map((m) => m.tag) };
}
