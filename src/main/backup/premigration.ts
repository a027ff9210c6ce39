// The pre-migration backup. It runs inside the guarded migration at start-up, before anything
// is usable and before any write, so it is synchronous: VACUUM INTO makes a consistent copy in
// one read transaction, which is then checked, gzipped, fsynced and renamed exactly like every
// other backup (same name pattern, same manifest), so it is listed and restorable like them.
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { DEFAULT_GZIP_LEVEL, diskError, fsyncPathSync } from './fsutil';
import { MANIFEST_SUFFIX, freeBackupName, tempName } from './names';
import { buildManifest, integrityProblems, manifestText } from './manifest';
import { FINGERPRINT_SQL } from './worker';

export interface PreMigrationOptions {
  sqlite: Database.Database;
  defaultDir: string;
  appVersion: string;
  now: () => number;
  nativeBinding?: string | undefined;
}

export function preMigrationBackupSync(o: PreMigrationOptions): string {
  let dir = o.defaultDir;
  try {
    const row = o.sqlite.prepare('SELECT backup_dir FROM app_config WHERE id = 1').get() as
      { backup_dir: string | null } | undefined;
    if (row?.backup_dir) dir = path.resolve(row.backup_dir);
  } catch {
    // very old schema without app_config: the default folder
  }
  if (dir === o.defaultDir) mkdirSync(dir, { recursive: true });
  if (!existsSync(dir)) throw new AppError('io-error', `The backup folder ${dir} does not exist; the database was not upgraded.`);
  const tmpDb = path.join(dir, tempName('db'));
  const tmpGz = path.join(dir, tempName('gz'));
  const tmpJson = path.join(dir, tempName('json'));
  try {
    try {
      o.sqlite.prepare('VACUUM INTO ?').run(tmpDb);
    } catch (e) {
      throw diskError(e, tmpDb, 'Backing up before the upgrade');
    }
    const createdAt = o.now();
    const copy = new Database(tmpDb, o.nativeBinding ? { nativeBinding: o.nativeBinding } : {});
    let info: { lots: number; profiles: number; userVersion: number; fingerprint: string | null };
    try {
      copy.pragma('trusted_schema = OFF');
      copy.pragma('journal_mode = DELETE');
      const integrity = (copy.pragma('integrity_check(5)') as { integrity_check: string }[]).map((r) => r.integrity_check);
      const problems = integrityProblems(integrity, 5);
      if (problems !== null) {
        throw new AppError('backup-corrupt', `The database failed its integrity check before the upgrade: ${problems}`);
      }
      const count = (t: string) => {
        try {
          return copy.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
        } catch {
          return 0;
        }
      };
      let fingerprint: string | null = null;
      try {
        fingerprint = createHash('sha256')
          .update(String(copy.prepare(FINGERPRINT_SQL).pluck().get()))
          .digest('hex')
          .slice(0, 32);
      } catch {
        fingerprint = null;
      }
      info = {
        lots: count('inventory_items'),
        profiles: count('users'),
        userVersion: copy.pragma('user_version', { simple: true }) as number,
        fingerprint,
      };
    } finally {
      copy.close();
    }
    // gzip in 4 MiB members (the same layout as the asynchronous engine writes).
    const hash = createHash('sha256');
    const input = openSync(tmpDb, 'r');
    const output = openSync(tmpGz, 'wx');
    let written = 0;
    const dbBytes = statSync(tmpDb).size;
    try {
      const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
      for (let pos = 0; pos < dbBytes;) {
        const n = readSync(input, buf, 0, buf.length, pos);
        if (n === 0) break;
        pos += n;
        const out = gzipSync(buf.subarray(0, n), { level: DEFAULT_GZIP_LEVEL });
        hash.update(out);
        writeSync(output, out, 0, out.length, written);
        written += out.length;
      }
      fsyncSync(output);
    } finally {
      closeSync(input);
      closeSync(output);
    }
    const { name, at } = freeBackupName(dir, createdAt, 'pre-migration');
    const final = path.join(dir, name);
    const manifest = buildManifest({
      id: name,
      createdAt: at,
      reason: 'pre-migration',
      sha256: hash.digest('hex'),
      sizeBytes: written,
      dbBytes,
      schemaVersion: info.userVersion,
      appVersion: o.appVersion,
      lots: info.lots,
      profiles: info.profiles,
      fingerprint: info.fingerprint,
    });
    writeFileSync(tmpJson, manifestText(manifest), { flag: 'wx' });
    fsyncPathSync(tmpJson);
    renameSync(tmpJson, `${final}${MANIFEST_SUFFIX}`);
    renameSync(tmpGz, final);
    fsyncPathSync(dir);
    return final;
  } catch (e) {
    throw diskError(e, dir, 'Backing up before the upgrade');
  } finally {
    for (const f of [tmpDb, `${tmpDb}-journal`, tmpGz, tmpJson]) rmSync(f, { force: true });
  }
}
