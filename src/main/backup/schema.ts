// What a BlockShelf database may contain: exactly the schema objects that this app's migrations
// create, nothing more, nothing less, nothing altered. A backup can come from anywhere, and a
// trigger, a rewritten CHECK or a view in place of a table would run inside the app once the
// file is restored, so every file is compared object by object with a reference built by running
// the real migrations on an empty in-memory database up to the file's recorded version.
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { assertNotNewer, migrate, type Migration } from '../db/migrate';

/** sqlite_schema rows, except the statistics tables that ANALYZE and `PRAGMA optimize` make. */
export const SCHEMA_SQL = `SELECT type, name, tbl_name AS tblName, sql FROM sqlite_schema
  WHERE name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\' ORDER BY type, name`;
/** The columns of one table as SQLite parsed them (including generated and hidden ones). */
export const COLUMNS_SQL =
  'SELECT cid, name, type, "notnull", dflt_value AS dflt, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid';
export const MIGRATIONS_SQL = 'SELECT hash, created_at AS createdAt FROM __drizzle_migrations ORDER BY id';

export interface SchemaObject {
  type: string;
  name: string;
  tblName: string;
  sql: string | null;
  /** JSON of the table's columns (tables only). */
  columns?: string;
}

export interface MigrationRow {
  hash: string;
  createdAt: number | string | null;
}

/** Reads a database's schema (the same SQL runs in the check worker). */
export function readSchema(db: Database.Database): SchemaObject[] {
  const rows = db.prepare(SCHEMA_SQL).all() as SchemaObject[];
  const cols = db.prepare(COLUMNS_SQL);
  return rows.map((r) => (r.type === 'table' ? { ...r, columns: JSON.stringify(cols.all(r.name)) } : r));
}

function normalise(sql: string | null): string | null {
  return sql === null
    ? null
    : sql
        .replace(/\s+/g, ' ')
        .replace(/ ?([(),]) ?/g, '$1')
        .trim();
}

const references = new WeakMap<Migration[], Map<number, SchemaObject[]>>();

/** The schema that `migrations[0..version)` create, built once per version on an in-memory database. */
export function referenceSchema(migrations: Migration[], version: number, nativeBinding?: string): SchemaObject[] {
  let byVersion = references.get(migrations);
  if (!byVersion) references.set(migrations, (byVersion = new Map()));
  let ref = byVersion.get(version);
  if (!ref) {
    const db = new Database(':memory:', nativeBinding ? { nativeBinding } : {});
    try {
      db.pragma('trusted_schema = OFF');
      migrate(db, migrations.slice(0, version));
      ref = readSchema(db);
    } finally {
      db.close();
    }
    byVersion.set(version, ref);
  }
  return ref;
}

function label(o: SchemaObject): string {
  return `${o.type} ${o.name}`;
}

/**
 * Throws `db-newer-than-app` when the file's migration history or user_version goes beyond this
 * app, and `backup-corrupt` when they disagree with each other or with this app's migrations.
 */
export function checkHistory(name: string, rows: MigrationRow[], userVersion: number, migrations: Migration[]): void {
  const lastWhen = rows.length ? Number(rows[rows.length - 1]!.createdAt) : null;
  assertNotNewer({ applied: Math.max(rows.length, userVersion), lastWhen, isEmpty: rows.length === 0 }, migrations);
  if (userVersion !== rows.length) {
    throw new AppError(
      'backup-corrupt',
      `${name} is inconsistent: its schema version (user_version ${userVersion}) does not match its migration history (${rows.length} migrations).`,
      { details: { reason: 'schema', userVersion, migrations: rows.length } },
    );
  }
  rows.forEach((r, i) => {
    const m = migrations[i]!;
    if (Number(r.createdAt) !== m.when || r.hash !== m.hash) {
      throw new AppError('backup-corrupt', `${name} records a migration ${i + 1} that is not BlockShelf's ${m.tag}.`, {
        details: { reason: 'schema', object: `migration ${i + 1}` },
      });
    }
  });
}

/** Throws `backup-corrupt` naming the first schema object that is extra, missing or altered. */
export function compareSchema(name: string, actual: SchemaObject[], reference: SchemaObject[]): void {
  const want = new Map(reference.map((o) => [`${o.type}:${o.name}`, o]));
  const have = new Map(actual.map((o) => [`${o.type}:${o.name}`, o]));
  function fail(object: string, why: string): never {
    throw new AppError('backup-corrupt', `${name} cannot be used: ${object} ${why}.`, { details: { reason: 'schema', object } });
  }
  for (const [key, o] of have) {
    const ref = want.get(key);
    if (!ref) {
      // A table replaced by a view (or the reverse) is named as such.
      const other = reference.find((r) => r.name === o.name);
      fail(label(o), other ? `stands where BlockShelf's schema has ${label(other)}` : "is not part of BlockShelf's schema");
    }
  }
  for (const [key, ref] of want) {
    const o = have.get(key);
    if (!o) fail(label(ref), 'is missing');
    if (o.tblName !== ref.tblName || normalise(o.sql) !== normalise(ref.sql))
      fail(label(o), "differs from BlockShelf's definition");
    if ((o.columns ?? null) !== (ref.columns ?? null)) fail(label(o), "has columns that differ from BlockShelf's definition");
  }
}
