// The built CLI on a new data folder: the first command that reads the catalogue loads the
// shipped snapshot (a progress line on stderr), later ones find it there.
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../cli';
import { cleanupTempDirs, tempDir } from '../../helpers';

afterAll(() => cleanupTempDirs());

describe('blockshelf and the shipped catalogue', () => {
  const dir = tempDir();

  it('lookup loads the catalogue on first use, then shows how the part relates to others', async () => {
    const r = await cli(['--data-dir', dir, 'lookup', '3001pr0012']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Loading the parts catalogue (Rebrickable, 2026-04-02)');
    expect(r.stderr).toMatch(/Loaded the parts catalogue \(Rebrickable, 2026-04-02\): 325,087 rows/);
    expect(r.stdout).toContain('3001pr0012 is a print of 3001 (Brick 2 x 4)');
  }, 120_000);

  it('catalog stats --json prints one count per download kind, without loading again', async () => {
    const r = await cli(['--data-dir', dir, 'catalog', 'stats', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      colors: 275,
      part_categories: 76,
      parts: 61770,
      elements: 108920,
      themes: 492,
      sets: 26452,
      minifigs: 16663,
      inventories: 45032,
      inventory_parts: 0,
      inventory_sets: 4936,
      inventory_minifigs: 24894,
      part_relationships: 35577,
    });
  });

  it('lookup of a base part lists its prints and says how many more there are', async () => {
    const r = await cli(['--data-dir', dir, 'lookup', '3001']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3001a (Brick 2 x 4 without Cross Supports) is a mould variant of 3001');
    expect(r.stdout).toMatch(/^3001pr0001 \(.+\) is a print of 3001$/m);
    expect(r.stdout).toMatch(/… and \d+ more parts related to 3001/);
  });
});
