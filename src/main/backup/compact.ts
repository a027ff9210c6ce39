// Compact backups: a backup carries the data, not what can be rebuilt from it. What may be left
// out, and how it is rebuilt, is derived from the migrations alone (one source of truth):
//
//   - every index a migration creates with CREATE INDEX (the statement is the one in the schema
//     the migrations leave behind, so an index a later migration changed is rebuilt as changed);
//   - every FTS5 index whose content lives in another table (`content = '<table>'`): it is made
//     again by its CREATE VIRTUAL TABLE statement and filled by FTS5's 'rebuild' command;
//   - every maintained aggregate: a table that triggers write and that a migration back-fills
//     with `INSERT INTO <table> (...) SELECT ...` (the last such statement wins).
//
// A backup drops exactly these from its copy; a restore or verify puts them back from the same
// plan, then compares the result object by object with what the migrations create.
import type { Migration } from '../db/migrate';
import { referenceSchema, type SchemaObject } from './schema';

export interface CompactPlan {
  /** The schema version (number of migrations) the plan is for. */
  version: number;
  /** Indexes to drop and re-create, with their CREATE INDEX statements. */
  indexes: { name: string; sql: string }[];
  /** External-content FTS5 tables: their CREATE VIRTUAL TABLE statement and shadow tables. */
  searchIndexes: { name: string; sql: string; shadows: string[] }[];
  /** Maintained aggregate tables, emptied in a backup and back-filled on restore. */
  aggregates: { table: string; backfill: string }[];
  /** Tables whose rows a backup carries unchanged (their counts are compared). */
  dataTables: string[];
}

const SHADOW_SUFFIXES = ['data', 'idx', 'docsize', 'config', 'content'];
const ident = (s: string) => s.replace(/^[`"[]|[`"\]]$/g, '');

/** A statement without the comment lines in front of it. */
function stripComments(sql: string): string {
  return sql.replace(/^(?:\s*--[^\n]*\n)+/, '').trim();
}

function virtualTables(reference: SchemaObject[]): { name: string; sql: string }[] {
  return reference
    .filter((o) => o.type === 'table' && o.sql !== null && /^CREATE\s+VIRTUAL\s+TABLE/i.test(o.sql))
    .map((o) => ({ name: o.name, sql: o.sql! }));
}

function shadowsOf(name: string, reference: SchemaObject[]): string[] {
  const names = new Set(reference.filter((o) => o.type === 'table').map((o) => o.name));
  return SHADOW_SUFFIXES.map((s) => `${name}_${s}`).filter((n) => names.has(n));
}

const plans = new WeakMap<Migration[], Map<number, CompactPlan>>();

/** The plan for a database made by `migrations[0..version)` (built once per version). */
export function compactPlan(migrations: Migration[], version: number, nativeBinding?: string): CompactPlan {
  let byVersion = plans.get(migrations);
  if (!byVersion) plans.set(migrations, (byVersion = new Map()));
  const known = byVersion.get(version);
  if (known) return known;
  const reference = referenceSchema(migrations, version, nativeBinding);
  const tables = new Set(reference.filter((o) => o.type === 'table').map((o) => o.name));

  const indexes = reference.filter((o) => o.type === 'index' && o.sql !== null).map((o) => ({ name: o.name, sql: o.sql! }));

  const vtabs = virtualTables(reference);
  const searchIndexes = vtabs
    .filter((v) => {
      const m = /\bUSING\s+fts5\s*\(([\s\S]*)\)\s*$/i.exec(v.sql);
      const content = m && /\bcontent\s*=\s*'([^']+)'/i.exec(m[1]!);
      return !!content && tables.has(content[1]!);
    })
    .map((v) => ({ name: v.name, sql: v.sql, shadows: shadowsOf(v.name, reference) }));

  // Tables that triggers write into.
  const written = new Set<string>();
  for (const t of reference.filter((o) => o.type === 'trigger' && o.sql)) {
    for (const m of t.sql!.matchAll(/\b(?:INSERT\s+INTO|UPDATE)\s+([`"[]?\w+[`"\]]?)/gi)) written.add(ident(m[1]!));
  }
  const vnames = new Set(vtabs.map((v) => v.name));
  const backfills = new Map<string, string>();
  for (const m of migrations.slice(0, version)) {
    for (const raw of m.statements) {
      const s = stripComments(raw);
      const hit = /^INSERT\s+INTO\s+([`"[]?\w+[`"\]]?)\s*\([^)]*\)\s*SELECT\b/i.exec(s);
      if (!hit) continue;
      const table = ident(hit[1]!);
      if (written.has(table) && tables.has(table) && !vnames.has(table)) backfills.set(table, s.replace(/;\s*$/, ''));
    }
  }
  const aggregates = [...backfills].map(([table, backfill]) => ({ table, backfill }));

  const shadows = new Set(vtabs.flatMap((v) => shadowsOf(v.name, reference)));
  const dataTables = reference
    .filter(
      (o) =>
        o.type === 'table' &&
        !o.name.startsWith('sqlite_') &&
        !vnames.has(o.name) &&
        !shadows.has(o.name) &&
        !backfills.has(o.name),
    )
    .map((o) => o.name);

  const plan: CompactPlan = { version, indexes, searchIndexes, aggregates, dataTables };
  byVersion.set(version, plan);
  return plan;
}

/** The names (type:name) of the schema objects a compact backup leaves out. */
function droppedKeys(plan: CompactPlan): Set<string> {
  return new Set([
    ...plan.indexes.map((i) => `index:${i.name}`),
    ...plan.searchIndexes.flatMap((s) => [`table:${s.name}`, ...s.shadows.map((t) => `table:${t}`)]),
  ]);
}

/** What a compact backup's schema must be: the reference without the objects the plan drops. */
export function compactReference(reference: SchemaObject[], plan: CompactPlan): SchemaObject[] {
  const dropped = droppedKeys(plan);
  return reference.filter((o) => !dropped.has(`${o.type}:${o.name}`));
}

/**
 * 'compact' when a file's schema holds none of the objects a compact backup leaves out (it is then
 * compared with compactReference and rebuilt); 'full' otherwise (compared with the whole reference,
 * so a file missing only some of them is refused by name).
 */
export function layoutOf(schema: SchemaObject[], plan: CompactPlan): 'compact' | 'full' {
  const dropped = droppedKeys(plan);
  if (dropped.size === 0) return 'full';
  return schema.some((o) => dropped.has(`${o.type}:${o.name}`)) ? 'full' : 'compact';
}
