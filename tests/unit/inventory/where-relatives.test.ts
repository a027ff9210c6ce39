// "Where is this part" with its relatives, on the shipped catalogue's part_relationships loaded
// through the core the app runs: the part's own lots first, then the lots of its prints, mould
// variants and alternates (or of what it is a print of), each saying how it is related; parts
// that are not related never appear, and the query seeks indexes only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { SELECT_RELATED, SELECT_RELATED_ANY_COLOR } from '../../../src/main/inventory/service';
import { cli } from '../../cli';
import { catalogDir, cleanupTempDirs, makeCore, ok, tempDir } from '../../helpers';

let core: Core;

beforeAll(async () => {
  core = makeCore({ catalogDir });
  while (core.catalog.status().state === 'loading') await new Promise((r) => setTimeout(r, 100));
  expect(core.catalog.status().state).toBe('ready');
  const lots: [string, number, number, string][] = [
    ['3001', 4, 6, 'Drawer A'],
    ['3001pr0012', 4, 2, 'Drawer B'],
    ['3001a', 4, 3, 'Old bricks'],
    ['upn0041', 4, 1, 'Odd parts'],
    ['3001pr0012', 15, 1, 'White box'],
    ['3002', 4, 9, 'Drawer C'],
  ];
  for (const [partId, colorId, quantityTotal, storageLocation] of lots) {
    await ok(
      core.invoke('inventory.create', { lot: { partId, colorId, quantityTotal, storageLocation }, onDuplicate: 'reject' }),
    );
  }
}, 120_000);
afterAll(() => {
  core.close();
  cleanupTempDirs();
});

const brief = (places: { storageLocation: string; quantityTotal: number; related?: { partId: string; relation: string } }[]) =>
  places.map((p) => [p.related?.partId ?? '', p.related?.relation ?? '', p.storageLocation, p.quantityTotal]);

describe('inventory.whereIs with relatives (shipped catalogue)', () => {
  it('lists the part itself, then its mould variant, print and alternate in the same colour, each saying how', async () => {
    const places = await ok(core.invoke('inventory.whereIs', { partId: '3001', colorId: 4, relatives: true }));
    expect(brief(places)).toEqual([
      ['', '', 'Drawer A', 6],
      ['3001a', 'mould variant of 3001', 'Old bricks', 3],
      ['3001pr0012', 'print of 3001', 'Drawer B', 2],
      ['upn0041', 'alternate of 3001', 'Odd parts', 1],
    ]);
  });

  it('any colour: the white print too; 3002 (not related) never', async () => {
    const places = await ok(core.invoke('inventory.whereIs', { partId: '3001', relatives: true }));
    expect(places.filter((p) => p.related?.partId === '3001pr0012').map((p) => p.storageLocation)).toEqual([
      'Drawer B',
      'White box',
    ]);
    expect(places.some((p) => p.storageLocation === 'Drawer C')).toBe(false);
  });

  it('from the print: its base part, said the other way round', async () => {
    const places = await ok(core.invoke('inventory.whereIs', { partId: '3001pr0012', colorId: 4, relatives: true }));
    expect(brief(places)).toEqual([
      ['', '', 'Drawer B', 2],
      ['3001', 'base part of print 3001pr0012', 'Drawer A', 6],
    ]);
  });

  it('without the option, only the part itself (as before)', async () => {
    const places = await ok(core.invoke('inventory.whereIs', { partId: '3001', colorId: 4 }));
    expect(brief(places)).toEqual([['', '', 'Drawer A', 6]]);
    expect(places[0]).not.toHaveProperty('related');
  });

  it('seeks the relationship keys and the lots index, never scans', () => {
    const sql = core.db.sqlite;
    const plan = (q: string) =>
      (
        sql
          .prepare(`EXPLAIN QUERY PLAN ${q}`)
          .all(q === SELECT_RELATED ? { owner: 1, part: '3001', color: 4 } : { owner: 1, part: '3001' }) as { detail: string }[]
      ).map((r) => r.detail);
    for (const [q, lotsIndex] of [
      [
        SELECT_RELATED,
        /SEARCH i USING (COVERING )?INDEX inventory_items_user_part_color_location_uq \(user_id=\? AND part_id=\? AND color_id=\?\)/,
      ],
      [
        SELECT_RELATED_ANY_COLOR,
        /SEARCH i USING (COVERING )?INDEX inventory_items_user_part_color_location_uq \(user_id=\? AND part_id=\?\)/,
      ],
    ] as const) {
      const details = plan(q).join('\n');
      expect(details).toMatch(/SEARCH part_relationships USING COVERING INDEX \w+ \(child_part_num=\?\)/);
      expect(details).toMatch(
        /SEARCH part_relationships USING COVERING INDEX part_relationships_parent_idx \(parent_part_num=\?\)/,
      );
      expect(details).toMatch(lotsIndex);
      expect(details).not.toMatch(/SCAN (i|inventory_items|part_relationships)\b/);
    }
  });
});

describe('blockshelf where PART [--relatives] (the CLI as a process)', () => {
  it('lists the part’s lots, and with --relatives those of its print, saying how', async () => {
    const dir = tempDir();
    const run = (...args: string[]) => cli(['--data-dir', dir, ...args]);
    expect((await run('add', '--part', '3001', '--color', 'Red', '--qty', '6', '--location', 'Drawer A')).code).toBe(0);
    expect((await run('add', '--part', '3001pr0012', '--color', '4', '--qty', '2', '--location', 'Drawer B')).code).toBe(0);
    const plain = await run('where', '3001', '--color', 'Red');
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^3001\s+Drawer A\s+6\s+6$/m);
    expect(plain.stdout).not.toContain('Drawer B');
    const rel = await run('where', '3001', '--color', 'Red', '--relatives');
    expect(rel.code, rel.stderr).toBe(0);
    expect(rel.stdout).toMatch(/^3001pr0012\s+Drawer B\s+2\s+2\s+print of 3001$/m);
    const json = JSON.parse((await run('where', '3001pr0012', '--relatives', '--json')).stdout) as unknown[];
    expect(json).toEqual([
      expect.objectContaining({ storageLocation: 'Drawer B', quantityTotal: 2 }),
      expect.objectContaining({ related: { partId: '3001', relType: 'P', relation: 'base part of print 3001pr0012' } }),
    ]);
    const none = await run('where', '3002');
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('No lots of 3002');
  }, 180_000);
});
