// Random sequences of changes (lots added, edited, moved, deleted, imported; lists marked as
// built and taken apart), undos and redos against a model of the journal: the model keeps
// the whole state after each operation in effect (past) and each undone one (future); a new
// change clears the future. After every step the database must be exactly the model's state
// (every row, the aggregates, the search index), and undo / redo must refuse only when the model
// has nothing to step.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { cleanupTempDirs, frozenClock, makeCore, ok, tempDir } from '../../helpers';
import { importFile } from '../transfer/helpers';
import { fullState, type FullState } from './state';

afterAll(cleanupTempDirs);

const PARTS = ['3001', '3023', '3069b'];
const COLORS = [0, 4, 71];
const PLACES = ['', 'Box A', 'box a', 'Shelf'];

type Action =
  | { t: 'add'; part: number; color: number; place: number; qty: number }
  | { t: 'edit'; pick: number; qty: number }
  | { t: 'move'; pick: number; place: number }
  | { t: 'delete'; pick: number }
  | { t: 'import'; qty: number }
  | { t: 'build'; pick: number; qty: number }
  | { t: 'unbuild'; pick: number }
  | { t: 'undo' }
  | { t: 'redo' };

// A small list: a few pieces of the part and colour of one of the lots, so builds often go through.
const build = fc.record({ t: fc.constant('build' as const), pick: fc.nat(20), qty: fc.integer({ min: 1, max: 4 }) });
const unbuild = fc.record({ t: fc.constant('unbuild' as const), pick: fc.nat(5) });

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    t: fc.constant('add' as const),
    part: fc.nat(2),
    color: fc.nat(2),
    place: fc.nat(3),
    qty: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({ t: fc.constant('edit' as const), pick: fc.nat(20), qty: fc.integer({ min: 1, max: 99 }) }),
  fc.record({ t: fc.constant('move' as const), pick: fc.nat(20), place: fc.nat(3) }),
  fc.record({ t: fc.constant('delete' as const), pick: fc.nat(20) }),
  fc.record({ t: fc.constant('import' as const), qty: fc.integer({ min: 1, max: 9 }) }),
  build,
  build,
  unbuild,
  unbuild,
  fc.constant({ t: 'undo' as const }),
  fc.constant({ t: 'undo' as const }),
  fc.constant({ t: 'redo' as const }),
);

/** How many builds were made and taken apart over all runs (the property must exercise them). */
let built = 0;
let takenApart = 0;

const ids = (c: Core) => c.db.sqlite.prepare('SELECT id FROM inventory_items ORDER BY id').pluck().all() as number[];

async function run(c: Core, a: Action, csvDir: string): Promise<'written' | 'stepped' | 'refused'> {
  const all = ids(c);
  const pick = (n: number) => all[n % Math.max(all.length, 1)];
  switch (a.t) {
    case 'add':
      await c.invoke('inventory.create', {
        lot: { partId: PARTS[a.part]!, colorId: COLORS[a.color]!, quantityTotal: a.qty, storageLocation: PLACES[a.place]! },
        onDuplicate: 'merge',
      });
      break;
    case 'edit':
      if (pick(a.pick) !== undefined) await c.invoke('inventory.update', { id: pick(a.pick)!, patch: { quantityTotal: a.qty } });
      break;
    case 'move':
      if (pick(a.pick) !== undefined)
        await c.invoke('inventory.update', { id: pick(a.pick)!, patch: { storageLocation: PLACES[a.place]! } });
      break;
    case 'delete':
      if (pick(a.pick) !== undefined) await c.invoke('inventory.delete', { id: pick(a.pick)! });
      break;
    case 'import': {
      const f = path.join(csvDir, `list-${a.qty}.csv`);
      writeFileSync(f, `part_id,color,quantity_total,storage_location\n3001,4,${a.qty},Box A\n3710,1,${a.qty},Drawer\n`);
      const r = await importFile(c, f, { mode: 'add' });
      if (!r.result?.ok) throw new Error('import failed');
      break;
    }
    case 'build': {
      // Mark a one-line list as built (refused, changing nothing, when pieces are missing).
      const id = pick(a.pick);
      if (id === undefined) break;
      const lot = c.db.sqlite.prepare('SELECT part_id AS p, color_id AS c FROM inventory_items WHERE id = ?').get(id) as {
        p: string;
        c: number;
      };
      const f = path.join(csvDir, `build-${lot.p}-${lot.c}-${a.qty}.csv`);
      writeFileSync(f, `Part,Color,Quantity\n${lot.p},${lot.c},${a.qty}\n`);
      const r = await c.invoke('sets.markBuilt', { source: { file: c.files.register(f, 'read').token } });
      if (!r.ok && r.error.code !== 'conflict') throw new Error(r.error.message);
      if (r.ok) built++;
      break;
    }
    case 'unbuild': {
      const builds = await ok(c.invoke('sets.builds', {}));
      const b = builds[a.pick % Math.max(builds.length, 1)];
      if (b) {
        const r = await c.invoke('sets.takeApart', { buildId: b.id });
        if (!r.ok && r.error.code !== 'conflict') throw new Error(r.error.message);
        if (r.ok) takenApart++;
      }
      break;
    }
    case 'undo':
    case 'redo': {
      const r = await c.invoke(a.t === 'undo' ? 'history.undo' : 'history.redo', {});
      if (!r.ok && r.error.code !== 'not-found') throw new Error(r.error.message);
      return r.ok ? 'stepped' : 'refused';
    }
  }
  return 'written';
}

describe('undo / redo against a model', () => {
  it('random changes, undos and redos keep the database equal to the model', async () => {
    const csvDir = tempDir();
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 30 }), async (actions) => {
        const clock = frozenClock();
        const c = makeCore({ now: () => (clock.advance(1000), clock()) });
        try {
          const past: FullState[] = [fullState(c.db.sqlite)];
          let future: FullState[] = [];
          for (const a of actions) {
            const before = fullState(c.db.sqlite);
            const r = await run(c, a, csvDir);
            const now = fullState(c.db.sqlite);
            if (a.t === 'undo') {
              if (past.length > 1) {
                expect(r).toBe('stepped');
                future = [past.pop()!, ...future];
                expect(now).toEqual(past.at(-1));
              } else {
                expect(r).toBe('refused');
                expect(now).toEqual(before);
              }
            } else if (a.t === 'redo') {
              if (future.length) {
                expect(r).toBe('stepped');
                past.push(future.shift()!);
                expect(now).toEqual(past.at(-1));
              } else {
                expect(r).toBe('refused');
                expect(now).toEqual(before);
              }
            } else if (JSON.stringify(now) !== JSON.stringify(before)) {
              past.push(now);
              future = [];
            }
          }
        } finally {
          c.close();
        }
      }),
      { numRuns: 25, seed: 1313 },
    );
    expect(built).toBeGreaterThan(0);
    expect(takenApart).toBeGreaterThan(0);
  }, 300_000);
});
