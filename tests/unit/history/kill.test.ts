// SIGKILL of a real `blockshelf undo` process (the built CLI) while it undoes a big import in its
// worker: the database is afterwards exactly as before the undo or exactly as after it, never a
// mix; and `undo`, `redo` and `history` work from the command line.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cliFile } from '../../../scripts/build-cli.mjs';
import { cli } from '../../cli';
import { cleanupTempDirs, makeCore, repoRoot, tempDir } from '../../helpers';
import { importFile } from '../transfer/helpers';
import { fullState } from './state';

afterEach(cleanupTempDirs);

function digest(dataDir: string): string {
  const c = makeCore({ dataDir });
  try {
    const s = fullState(c.db.sqlite);
    const ops = c.db.sqlite.prepare('SELECT id, state FROM history_ops ORDER BY id').all();
    return createHash('sha256')
      .update(JSON.stringify([s, ops]))
      .digest('hex');
  } finally {
    c.close();
  }
}

/** A data folder holding a few lots, then an import of `n` more (one operation). */
async function withImport(n: number): Promise<string> {
  const dataDir = tempDir();
  const c = makeCore({ dataDir });
  const lines = ['part_id,color,quantity_total,storage_location', '3001,4,5,Box A'];
  const first = path.join(tempDir(), 'first.csv');
  writeFileSync(first, `${lines.join('\n')}\n`);
  await importFile(c, first, { mode: 'add' });
  const rows = ['part_id,color,quantity_total,storage_location', '3001,4,7,Box A'];
  const colors = [0, 1, 2, 4, 14, 15, 71, 72];
  for (let i = 0; i < n; i++) rows.push(`p${i},${colors[i % colors.length]},${(i % 9) + 1},Bin ${i % 300}`);
  const big = path.join(tempDir(), 'big.csv');
  writeFileSync(big, `${rows.join('\n')}\n`);
  const r = await importFile(c, big, { mode: 'add' });
  if (!r.result?.ok) throw new Error(JSON.stringify(r.result ?? r.preview));
  c.close();
  return dataDir;
}

/** Resolves once another connection holds the database's write lock (polled every 10 ms). */
async function untilWriteLocked(file: string, exited: Promise<unknown>): Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  const probe = new Database(file, { fileMustExist: true });
  probe.pragma('busy_timeout = 0');
  try {
    for (;;) {
      if (done) throw new Error('the undo finished before its transaction was seen');
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_BUSY') return;
        throw e;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    probe.close();
  }
}

function undoProcess(dataDir: string) {
  const child = spawn(process.execPath, [cliFile, '--data-dir', dataDir, 'undo'], { cwd: repoRoot, stdio: 'ignore' });
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  );
  return { child, exit };
}

describe('undo from the command line', () => {
  it('undo, redo and history as commands', async () => {
    const dataDir = tempDir();
    const env = { BLOCKSHELF_DATA_DIR: dataDir };
    expect((await cli(['add', '--part', '3001', '--color', 'Red', '--qty', '12', '--location', 'Box A'], env)).code).toBe(0);
    expect((await cli(['add', '--part', '3001', '--color', 'Red', '--qty', '3', '--location', 'Box A'], env)).code).toBe(0);
    const h = await cli(['history', '--limit', '5'], env);
    expect(h.stdout).toMatch(/Add 3 to 3001 Red at Box A: total 12 → 15[\s\S]*Add 3001 Red: 12 at Box A/);
    const u = await cli(['undo', '--steps', '2'], env);
    expect(u.stdout).toBe(
      'Undone: Add 3 to 3001 Red at Box A: total 12 → 15\nUndone: Add 3001 Red: 12 at Box A\nNothing more to undo.\n',
    );
    const again = await cli(['undo'], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('There is nothing to undo.');
    const r = await cli(['redo', '--json'], env);
    expect(JSON.parse(r.stdout).done[0].label).toBe('Add 3001 Red: 12 at Box A');
    const lot = await cli(['history', '--lot', '1'], env);
    expect(lot.stdout).toMatch(/created .*\[Add 3001 Red: 12 at Box A\]/);
    expect((await cli(['undo', '--steps', '0'], env)).stderr).toContain('--steps must be between 1 and 100');
  }, 60_000);

  it('SIGKILL during the undo of a big import leaves the state before or after it, never a mix', async () => {
    const dataDir = await withImport(60_000);
    const before = digest(dataDir);
    // A run to the end: how long it takes, and the state after it.
    const t0 = performance.now();
    const full = undoProcess(dataDir);
    expect(await full.exit).toEqual({ code: 0, signal: null });
    const took = performance.now() - t0;
    const after = digest(dataDir);
    expect(after).not.toBe(before);
    const c = makeCore({ dataDir });
    await c.history.redo();
    c.close();
    expect(digest(dataDir)).toBe(before);

    const seen = { before: 0, after: 0 };
    for (const share of [0, 0.2, 0.4]) {
      const run = undoProcess(dataDir);
      // Wait until the undo holds the write lock (its one transaction is open), then a little more.
      await untilWriteLocked(c.paths.db, run.exit);
      await new Promise((r) => setTimeout(r, took * share));
      run.child.kill('SIGKILL');
      const end = await run.exit;
      const now = digest(dataDir);
      expect([before, after]).toContain(now);
      if (now === before) {
        expect(end.signal).toBe('SIGKILL');
        seen.before++;
      } else {
        seen.after++;
        const back = makeCore({ dataDir });
        await back.history.redo();
        back.close();
        expect(digest(dataDir)).toBe(before);
      }
    }
    // At least one kill landed while the undo was under way.
    expect(seen.before).toBeGreaterThan(0);
    const check = makeCore({ dataDir });
    expect(check.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  }, 300_000);
});
