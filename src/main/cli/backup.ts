// CLI commands of the backup engine: backup, backups, verify, restore, prune, archive.
// The person at the terminal may name files (they run with their own rights); the paths are
// registered as a dialog's answers would be, and the contract calls get their tokens.
import path from 'node:path';
import { contract } from '../../shared/contract';
import { CREATE_REASONS } from '../../shared/contract/backup';
import type { CliCore, Command } from './types';
import { call, fileToken, UsageError } from './types';

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
const when = (t: number) =>
  new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function fileArg(positionals: string[], what: string): string {
  const f = positionals[0];
  if (!f) throw new UsageError(`${what} is required`);
  if (positionals.length > 1) throw new UsageError(`one ${what} only`);
  return path.resolve(f);
}

/** A backup's name from `backups` (looked up in the backup folder), or else a file's path. */
function sourceArg(core: CliCore, positionals: string[]): { backupId: string } | { fileToken: string } {
  const f = positionals[0];
  if (f && positionals.length === 1 && contract['backup.verify'].input.safeParse({ backupId: f }).success) return { backupId: f };
  return { fileToken: fileToken(core, fileArg(positionals, 'FILE'), 'restore') };
}

/** The backup folder as the app shows it (this installation's, or the default). */
const backupFolder = async (core: CliCore) => (await call(core, 'app.info', {})).backupDir;

export const backupCmd: Command = {
  summary: 'make a verified backup now',
  usage: `backup [--reason ${CREATE_REASONS.join('|')}]`,
  options: { reason: { type: 'string' } },
  async run({ core, values, io, json }) {
    const reason = (values.reason as string | undefined) ?? 'manual';
    if (!(CREATE_REASONS as readonly string[]).includes(reason))
      throw new UsageError(`--reason must be one of ${CREATE_REASONS.join(', ')}`);
    const ac = new AbortController();
    const onSig = () => ac.abort();
    process.once('SIGINT', onSig);
    let lastPhase = '';
    const off = core.events.on('backup.progress', (p) => {
      if (!json && p.phase !== lastPhase && process.stderr.isTTY) io.stderr(`${p.phase}…\n`);
      lastPhase = p.phase;
    });
    try {
      const b = await call(core, 'backup.create', { reason: reason as (typeof CREATE_REASONS)[number] }, { signal: ac.signal });
      return {
        json: b,
        text: `Backup made: ${b.file}\n${b.lots} lots, ${mib(b.dbBytes)} database, ${mib(b.sizeBytes)} compressed, sha256 ${b.sha256}`,
      };
    } finally {
      off();
      process.off('SIGINT', onSig);
    }
  },
};

export const backupsCmd: Command = {
  summary: 'list the backups (newest first)',
  usage: 'backups',
  readOnly: true,
  async run({ core }) {
    const list = await call(core, 'backup.list', {});
    const folder = await backupFolder(core);
    if (!list.length) return { json: { folder, backups: [] }, text: `No backups yet in ${folder}` };
    const rows = [
      ['NAME', 'TIME (UTC)', 'REASON', 'SIZE', 'LOTS', 'VERIFIED'],
      ...list.map((b) => [
        b.id,
        when(b.createdAt),
        b.reason,
        mib(b.sizeBytes),
        String(b.lots),
        b.verified ? 'yes' : `NO (${b.check})`,
      ]),
    ];
    return { json: { folder, backups: list }, text: `Backups in ${folder}\n\n${table(rows)}` };
  },
};

export const verifyCmd: Command = {
  summary: 'check a backup file (.db.gz or .db) without restoring it',
  usage: 'verify FILE',
  readOnly: true,
  async run({ core, positionals }) {
    const r = await call(core, 'backup.verify', sourceArg(core, positionals));
    const text = [
      `${r.name}: OK`,
      `  format:          ${r.format}`,
      `  database:        ${mib(r.dbBytes)} (${r.lots} lots, ${r.profiles} profiles)`,
      `  schema version:  ${r.schemaVersion} (this app: ${r.appSchemaVersion}${r.schemaVersion < r.appSchemaVersion ? ', upgraded on restore' : ''})`,
      r.manifest
        ? `  made:            ${when(r.manifest.createdAt)} (${r.manifest.reason}, app ${r.manifest.appVersion}), checksum ${r.manifest.sha256Matches ? 'matches' : 'not checked'}`
        : '  manifest:        none',
    ].join('\n');
    return { json: r, text };
  },
};

export const restoreCmd: Command = {
  summary: 'replace the database with a backup (a backup of the current one is made first)',
  usage: 'restore FILE --yes',
  options: { yes: { type: 'boolean' } },
  async run({ core, positionals, values }) {
    const src = sourceArg(core, positionals);
    if (!values.yes) {
      throw new UsageError(
        `restoring replaces the current database with ${path.basename(positionals[0]!)}; add --yes to go ahead`,
      );
    }
    const r = await call(core, 'backup.restore', src);
    return {
      json: r,
      text: `Restored ${r.restoredFrom} (${r.lots} lots, schema ${r.schemaFrom}${r.schemaTo !== r.schemaFrom ? ` -> ${r.schemaTo}` : ''}).\nThe database as it was before: ${r.preRestoreBackup.file}`,
    };
  },
};

export const pruneCmd: Command = {
  summary: 'delete old backups by the rotation policy',
  usage: 'prune [--dry-run]',
  options: { 'dry-run': { type: 'boolean' } },
  async run({ core, values }) {
    const r = await call(core, 'backup.prune', { dryRun: Boolean(values['dry-run']) });
    const verb = r.dryRun ? 'Would delete' : 'Deleted';
    const lines = [`${verb} ${r.deleted.length} backups; ${r.kept} kept.`, ...r.deleted.map((d) => `  ${d.id}  (${d.why})`)];
    return { json: r, text: lines.join('\n') };
  },
};

export const archiveCmd: Command = {
  summary: 'write a portable .zip: database snapshot, inventory CSV per profile, manifest',
  usage: 'archive FILE.zip',
  async run({ core, positionals }) {
    const target = fileArg(positionals, 'FILE.zip');
    if (!target.toLowerCase().endsWith('.zip')) throw new UsageError('the archive name must end in .zip');
    const r = await call(core, 'backup.archive', { fileToken: fileToken(core, target, 'archive') });
    return { json: { ...r, file: target }, text: `Archive written: ${target} (${mib(r.bytes)}, ${r.lots} lots)` };
  },
};

export const backupCommands: Record<string, Command> = {
  backup: backupCmd,
  backups: backupsCmd,
  verify: verifyCmd,
  restore: restoreCmd,
  prune: pruneCmd,
  archive: archiveCmd,
};
