// The import/export/catalogue commands: the built command line on a real data folder.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../cli';
import { cleanup, catalogDir, fixture, tempDir } from './helpers';

afterAll(cleanup);

describe('blockshelf import / export', () => {
  it('imports every format, lists bad rows as FILE:ROW: field: reason, and applies nothing', async () => {
    const d = tempDir();
    const bad = await cli(['--data-dir', d, 'import', fixture('bad.csv')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'bad.csv:3: quantity_total: is negative (-3)',
        'bad.csv:5: quantity_used: 5 is more than the quantity 2',
        'bad.csv:6: color: unknown colour “Unobtainium”',
        'unknown colour Unobtainium: 1 rows',
        'Nothing imported: 7 invalid rows in bad.csv (use --skip-invalid to import the 2 valid rows)',
      ]),
    );
    expect(JSON.parse((await cli(['--data-dir', d, 'info', '--json'])).stdout).counts.lots).toBe(0);

    const xml = JSON.parse((await cli(['--data-dir', d, 'import', fixture('bricklink-wanted.xml'), '--json'])).stdout);
    expect(xml).toMatchObject({ format: 'bricklink-xml', created: 3, applied: true, nonParts: [{ type: 'S' }, { type: 'M' }] });
    const dry = await cli(['--data-dir', d, 'import', fixture('brickstore.bsx'), '--dry-run']);
    expect(dry.stdout).toMatch(/Dry run of brickstore\.bsx \(bsx\): 4 rows, 3 lots: would add 3 new lots/);
    expect(JSON.parse((await cli(['--data-dir', d, 'info', '--json'])).stdout).counts.lots).toBe(3);
    const replaced = JSON.parse(
      (
        await cli([
          '--data-dir',
          d,
          'import',
          fixture('bricklink-wanted.xml'),
          '--mode',
          'replace',
          '--format',
          'bricklink',
          '--json',
        ])
      ).stdout,
    );
    expect(replaced).toMatchObject({ created: 0, replaced: 3 });
  });

  it('takes an explicit column mapping', async () => {
    const d = tempDir();
    const r = await cli([
      '--data-dir',
      d,
      'import',
      fixture('unmapped.tsv'),
      '--map',
      'part=Teil',
      '--map',
      'color=Farbe',
      '--map',
      'quantity=3',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: 1 });
    const refused = await cli(['--data-dir', d, 'import', fixture('unmapped.tsv')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/choose the column for part, color, quantity/);
  });

  it('exports each format by extension or --format, and a filtered view', async () => {
    const d = tempDir();
    await cli(['--data-dir', d, 'import', fixture('blockshelf.csv')]);
    const out = tempDir();
    for (const [name, format] of [
      ['a.csv', 'blockshelf-csv'],
      ['b.xlsx', 'xlsx'],
      ['c.xml', 'bricklink-xml'],
    ] as const) {
      const r = JSON.parse((await cli(['--data-dir', d, 'export', path.join(out, name), '--json'])).stdout);
      expect(r).toMatchObject({ format, lots: 4 });
    }
    const rb = await cli(['--data-dir', d, 'export', path.join(out, 'd.csv'), '--format', 'rebrickable', '--search', '3001']);
    expect(rb.stdout).toMatch(/Exported 1 lots \(2 rows\)/);
    expect(readFileSync(path.join(out, 'd.csv'), 'utf8')).toBe(
      'Part,Color,Quantity,Notes,Location,IsUsed,IsStickered\r\n3001,4,8,,Drawer 1,False,False\r\n3001,4,2,,Drawer 1,True,False\r\n',
    );
    const badFormat = await cli(['--data-dir', d, 'export', path.join(out, 'e.csv'), '--format', 'pdf']);
    expect(badFormat.code).toBe(2);
  });
});

describe('blockshelf catalog / lookup', () => {
  it('imports the catalogue and looks parts up', async () => {
    const d = tempDir();
    const files = ['colors', 'part_categories', 'parts', 'elements'].map((t) => path.join(catalogDir, `${t}.csv.gz`));
    const imp = await cli(['--data-dir', d, 'catalog', 'import', ...files, '--json']);
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.stdout).files.map((f: { rows: number }) => f.rows)).toEqual([275, 76, 61770, 108920]);
    expect((await cli(['--data-dir', d, 'lookup', '3684c'])).stdout).toMatch(
      /^3684c is not in the catalogue; its base part is 3684/,
    );
    const el = JSON.parse((await cli(['--data-dir', d, 'lookup', '4190230', '--json'])).stdout);
    expect(el).toMatchObject({ matchedBy: 'element', colorId: 19, part: { partNum: '973c26h01pr0391' } });
    const none = await cli(['--data-dir', d, 'lookup', 'qqq999']);
    expect(none.code).toBe(1);
    expect(
      (await cli(['--data-dir', d, 'catalog', 'search', 'tile', '2x2', '--limit', '3'])).stdout.trim().split('\n'),
    ).toHaveLength(3);
    const list = path.join(tempDir(), 'names.csv');
    writeFileSync(list, 'Part,Color,Quantity\n3001,4,1\n3684c,0,1\n');
    await cli(['--data-dir', d, 'import', list]);
    const names = JSON.parse((await cli(['--data-dir', d, 'list', '--json'])).stdout).items.map((l: { name: string }) => l.name);
    expect(names.sort()).toEqual(['', 'Brick 2 x 4']);
    expect((await cli(['--data-dir', d, 'catalog', 'fill-names'])).stdout).toBe(
      'Named 1 lots from the catalogue; 0 lots still have no name\n',
    );
  });
});
