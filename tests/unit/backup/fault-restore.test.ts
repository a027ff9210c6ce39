// Fault injection: a separate process restoring a backup over a database of 100,000 lots is
// killed with SIGKILL at random moments. Afterwards the database is the old one or the new one,
// whole, and the app opens it.
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkInsert, copyDataDir, inspectDb, makeTemplate, openCore, sleep, startChild, tempDir } from './helpers';

const LOTS = 100_000;
const ADDED = 500;
const TRIALS = 20;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('SIGKILL during a restore', () => {
  let template: string;
  let backupFile: string;
  let oldState: ReturnType<typeof inspectDb>;
  let newState: ReturnType<typeof inspectDb>;
  let duration = 0;

  beforeAll(async () => {
    template = makeTemplate(LOTS);
    dirs.push(template);
    oldState = inspectDb(path.join(template, 'blockshelf.db'));
    // The backup to restore: the same collection with 500 more lots.
    const other = copyDataDir(template);
    dirs.push(other);
    const core = openCore(other);
    bulkInsert(core, ADDED, LOTS);
    const b = await core.backup.create('manual');
    core.close();
    const keep = tempDir('bs-restore-src-');
    dirs.push(keep);
    backupFile = path.join(keep, path.basename(b.file));
    copyFileSync(b.file, backupFile);
    copyFileSync(`${b.file}.json`, `${backupFile}.json`);
    newState = inspectDb(path.join(other, 'blockshelf.db'));
    expect(newState.lots).toBe(LOTS + ADDED);

    const dir = copyDataDir(template);
    dirs.push(dir);
    const c = await startChild(['restore', dir, backupFile]);
    const t1 = performance.now();
    expect(await c.exit).toBe(0);
    duration = performance.now() - t1;
    expect(c.output()).toContain(`done ${LOTS + ADDED}`);
    expect(inspectDb(path.join(dir, 'blockshelf.db'))).toEqual(newState);
  }, 300_000);

  it(`leaves the old or the new database, whole, and it opens, ${TRIALS} times`, async () => {
    const rnd = lcg(Number(process.env.BLOCKSHELF_FAULT_SEED ?? 20261127));
    const outcomes = { old: 0, new: 0 };
    const log: string[] = [];
    const runTrial = async (trial: number, delay: number) => {
      const dir = copyDataDir(template);
      const child = await startChild(['restore', dir, backupFile]);
      await sleep(delay);
      child.child.kill('SIGKILL');
      await child.exit;

      const state = inspectDb(path.join(dir, 'blockshelf.db'));
      expect(state.integrity).toBe('ok');
      expect([oldState, newState]).toContainEqual(state);
      outcomes[state.lots === LOTS ? 'old' : 'new']++;
      log.push(`trial ${trial}: killed after ${delay} ms -> ${state.lots === LOTS ? 'old' : 'new'}`);

      // The app opens it (the dead restorer's lock and leftovers do not stand in the way).
      const core = openCore(dir);
      try {
        expect(core.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get()).toBe(state.lots);
        expect(existsSync(`${core.paths.db}.restore-old`)).toBe(false);
        expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
        expect((await core.backup.list()).every((b) => b.verified)).toBe(true);
      } finally {
        core.close();
      }
      rmSync(dir, { recursive: true, force: true });
    };
    for (let trial = 0; trial < TRIALS; trial++) {
      // Half the kills anywhere, half in the last third, where the files are swapped.
      await runTrial(trial, Math.floor(trial % 2 === 0 ? rnd() * duration * 1.1 : duration * (0.66 + rnd() * 0.4)));
    }
    // On a loaded machine a restore can take longer than the one timed above, so that every kill
    // lands before the swap (or after it): then aim at the side not yet reached, a few times.
    for (let extra = 0; extra < 6 && (outcomes.old === 0 || outcomes.new === 0); extra++) {
      const delay = outcomes.new === 0 ? duration * (1.2 + extra * 0.4) : duration * 0.1 * rnd();
      await runTrial(TRIALS + extra, Math.floor(delay));
    }
    console.info(
      `restore fault injection (restore takes ~${Math.round(duration)} ms): ${JSON.stringify(outcomes)}\n${log.join('\n')}`,
    );
    // Both outcomes happen, so the kills really fall before and after the swap.
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.new).toBeGreaterThan(0);
  }, 900_000);
});
