// The Sets commands of the built CLI, run as a process on one data folder: the catalogue loads
// on first use, the fixture inventory_parts is imported with `catalog import`, then search, show,
// build (text and --json), build --all, partout, built, unbuilt and missing --export, and clear
// errors with a non-zero exit for bad input.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../cli';
import { cleanupTempDirs, tempDir } from '../../helpers';
import { fixture } from './helpers';

const dir = tempDir();
const run = (...args: string[]) => cli(['--data-dir', dir, ...args]);
const PACK = '5026469771003-1';

beforeAll(async () => {
  const r = await run('catalog', 'import', fixture('inventory_parts.csv'));
  expect(r.code).toBe(0);
}, 180_000);
afterAll(() => cleanupTempDirs());

describe('blockshelf set / build / partout / built / unbuilt / missing', () => {
  it('set search and set show', async () => {
    const s = await run('set', 'search', 'razor', 'crest');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/^75331-1\s+2022\s+The Razor Crest {2}\[.+, 6187 parts, parts unknown\]$/m);
    const show = await run('set', 'show', '75331-1');
    expect(show.stdout).toContain('75331-1 The Razor Crest');
    expect(show.stdout).toContain('year 2022, theme Star Wars');
    expect(show.stdout).toContain('inventory_parts');
    const pack = await run('set', 'show', PACK, '--json');
    expect(JSON.parse(pack.stdout)).toMatchObject({ setNum: PACK, pieces: 16, spares: 3, partsKnown: true });
  }, 60_000);

  it('partout, then build --json is 100 %, then built / unbuilt give the inventory back', async () => {
    const before = (await run('list', '--json')).stdout;
    const p = await run('partout', PACK, '--location', 'Bin 7');
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('Added 16 pieces of Harry Potter: Amazing Starter Pack to “Bin 7”: 5 new lots, 0 lots grew');
    const b = await run('build', PACK, '--json');
    expect(b.code).toBe(0);
    const j = JSON.parse(b.stdout);
    expect([j.needed, j.owned, j.pct, j.missing]).toEqual([16, 16, 100, []]);
    expect(j.pick[0]).toMatchObject({ location: 'Bin 7', take: expect.any(Number) });
    expect(before).not.toBe((await run('list', '--json')).stdout);
    const listed = JSON.parse((await run('list', '--json')).stdout).items as { quantityUsed: number }[];
    const built = await run('built', PACK);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/^Built Harry Potter: Amazing Starter Pack: 16 pieces from 5 lots moved into used/);
    const usedNow = JSON.parse((await run('list', '--json')).stdout).items as { quantityUsed: number }[];
    expect(usedNow.reduce((n, l) => n + l.quantityUsed, 0)).toBe(16);
    expect((await run('builds')).stdout).toContain(`${PACK} Harry Potter: Amazing Starter Pack  16 pieces`);
    const again = await run('built', PACK);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Not built: 16 pieces are missing/);
    const un = await run('unbuilt', PACK);
    expect(un.code).toBe(0);
    expect(JSON.parse((await run('list', '--json')).stdout).items).toEqual(listed);
  }, 120_000);

  it('build FILE prints the figures, the missing lines and the pick list; --json has part, color, need, have', async () => {
    const list = path.join(tempDir(), 'moc.csv');
    writeFileSync(list, 'Part,Color,Quantity,Is Spare\n3001,15,7,False\n3005,1,1,False\n3001,Glowing Mauve,1,False\n');
    const t = await run('build', list);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^moc\.csv: 6 of 8 pieces \(75\.0 %\) in 2 lines$/m);
    expect(t.stdout).toMatch(/^ {2}3001\s+White \(15\)\s+need 7, have 5, missing 2 {2}Brick 2 x 4$/m);
    expect(t.stdout).toContain('Pick list:');
    expect(t.stdout).toMatch(/line 4: 3001 Glowing Mauve × 1: Color: unknown colour/);
    const j = JSON.parse((await run('build', list, '--json')).stdout);
    expect(j).toMatchObject({ needed: 8, owned: 6, missing: [{ part: '3001', color: 15, need: 7, have: 5 }] });
    expect(j.pct).toBeCloseTo(75);
    const ic = JSON.parse((await run('build', list, '--ignore-color', '--json')).stdout);
    expect(ic.options.ignoreColor).toBe(true);
  }, 60_000);

  it('build --all ranks the sets, with --theme and --min', async () => {
    const all = await run('build', '--all', '--min', '100');
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^100\.0 % {2}5026469771003-1 +16 \/ 16/m);
    expect(all.stdout).toMatch(/sets with known parts at 100 % or more/);
    const hp = JSON.parse((await run('build', '--all', '--theme', 'Harry Potter', '--json')).stdout);
    expect(hp.items.map((s: { setNum: string }) => s.setNum)).toEqual(['30392-1']);
  }, 60_000);

  it('missing --export writes the shortfall as a BrickLink wanted list', async () => {
    const list = path.join(tempDir(), 'want.csv');
    writeFileSync(list, 'Part,Color,Quantity\n3001,0,3\n3001,15,1\n');
    const out = path.join(tempDir(), 'wanted.xml');
    const r = await run('missing', list, '--export', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Wrote 3 missing pieces in 1 lines to wanted.xml (bricklink-xml)');
    expect(readFileSync(out, 'utf8')).toMatch(/<ITEMID>3001<\/ITEMID>\s*<COLOR>11<\/COLOR>\s*<MINQTY>3<\/MINQTY>/);
    const csv = path.join(tempDir(), 'wanted.csv');
    expect((await run('missing', list, '--export', csv, '--format', 'rebrickable-csv')).code).toBe(0);
    expect(readFileSync(csv, 'utf8')).toMatch(/^Part,Color,Quantity/);
  }, 60_000);

  it('bad input: a clear message and a non-zero exit', async () => {
    const unknown = await run('build', '12345678-9');
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('Set 12345678-9 is not in the catalogue')]);
    const unknownParts = await run('build', '75331-1');
    expect(unknownParts.stderr).toMatch(/The parts of 75331-1 The Razor Crest are not known.*inventory_parts/);
    const empty = path.join(tempDir(), 'empty.csv');
    writeFileSync(empty, 'Part,Color,Quantity\n');
    expect((await run('build', empty)).stderr).toContain('empty.csv: the list is empty');
    expect((await run('partout', PACK)).code).toBe(2);
    expect((await run('missing', PACK, '--export', 'x.txt', '--format', 'xlsx')).stderr).toMatch(/--format is one of/);
  }, 60_000);
});
