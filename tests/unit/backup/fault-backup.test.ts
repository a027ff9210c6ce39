// Fault injection: a separate process backing up a database of 100,000 lots is killed with
// SIGKILL at random moments. Afterwards the database is whole with every row, no partial
// backup is listed or accepted by verify, and the next backup succeeds.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_RE } from '../../../src/main/backup/names';
import type { Manifest } from '../../../src/main/backup/service';
import { copyDataDir, inspectDb, makeTemplate, openCore, sleep, startChild } from './helpers';

const LOTS = 100_000;
const TRIALS = 20;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Every final-named backup has a manifest that matches it byte for byte (`checked` are skipped). */
function assertOnlyWholeBackups(folder: string, checked: Set<string> = new Set()): string[] {
  const names = readdirSync(folder).filter((n) => BACKUP_RE.test(n));
  for (const n of names.filter((x) => !checked.has(x))) {
    const file = path.join(folder, n);
    const m = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Manifest;
    expect(m.id).toBe(n);
    expect(m.sizeBytes).toBe(statSync(file).size);
    expect(m.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(m.lots).toBe(LOTS);
  }
  return names;
}

describe('SIGKILL during a backup', () => {
  let dir: string;
  let expected: ReturnType<typeof inspectDb>;
  let duration = 0;

  beforeAll(async () => {
    const template = makeTemplate(LOTS);
    dirs.push(template);
    dir = copyDataDir(template);
    dirs.push(dir);
    expected = inspectDb(path.join(dir, 'blockshelf.db'));
    // One uninterrupted run in a child to learn how long a backup takes here.
    const t0 = performance.now();
    const c = await startChild(['backup', dir]);
    const t1 = performance.now();
    expect(await c.exit).toBe(0);
    duration = performance.now() - t1;
    expect(c.output()).toMatch(/done blockshelf-/);
    expect(t1 - t0).toBeGreaterThan(0);
  }, 300_000);

  it(`leaves the database whole and no partial backup, ${TRIALS} times`, async () => {
    const rnd = lcg(Number(process.env.BLOCKSHELF_FAULT_SEED ?? 20261127));
    const folder = path.join(dir, 'backups');
    let seen = new Set(assertOnlyWholeBackups(folder));
    const log: string[] = [];
    let completed = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      // Kills spread over the whole backup: copy, check, compress, rename.
      const delay = Math.floor(rnd() * duration * 0.95);
      const child = await startChild(['backup', dir]);
      await sleep(delay);
      child.child.kill('SIGKILL');
      await child.exit;
      const finished = child.output().includes('done ');
      if (finished) completed++;
      log.push(`trial ${trial}: killed after ${delay} ms${finished ? ' (had finished)' : ''}`);

      // The database: whole, every row.
      expect(inspectDb(path.join(dir, 'blockshelf.db'))).toEqual(expected);
      // No partial backup under a final name; a new one verifies.
      const names = assertOnlyWholeBackups(folder, seen);
      const core = openCore(dir); // start-up clean-up of the killed process's temporary files
      try {
        expect(readdirSync(folder).filter((n) => n.endsWith('.tmp'))).toEqual([]);
        const listed = await core.backup.list();
        expect(listed.every((b) => b.verified)).toBe(true);
        for (const n of names.filter((x) => !seen.has(x))) {
          expect((await core.backup.verify({ backupId: n })).lots).toBe(LOTS);
        }
        // The next backup succeeds: made here every fourth trial and after the last one; in
        // between, the next trial's process starts its backup on exactly this state.
        if (trial % 4 === 3 || trial === TRIALS - 1) {
          const next = await core.backup.create('manual');
          expect(next).toMatchObject({ verified: true, lots: LOTS });
        }
      } finally {
        core.close();
      }
      seen = new Set(assertOnlyWholeBackups(folder, seen));
    }
    // Most kills must land inside the backup, or the test proves little.
    expect(completed).toBeLessThan(TRIALS / 2);
    console.info(`backup fault injection (backup takes ~${Math.round(duration)} ms):\n${log.join('\n')}`);
  }, 900_000);
});
