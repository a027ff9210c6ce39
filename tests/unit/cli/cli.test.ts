// The CLI as a user runs it: the built command line in a real process on a real data folder.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../cli';
import { cleanupTempDirs, exportsDir, tempDir } from '../../helpers';

afterAll(cleanupTempDirs);

describe('command line', () => {
  const dir = tempDir();
  const files = readdirSync(exportsDir)
    .filter((f) => f.endsWith('.csv'))
    .sort();

  it('imports every real Rebrickable export with one lot per row and exact quantities and locations', async () => {
    expect(files).toHaveLength(6);
    let rows = 0;
    for (const f of files) {
      const r = await cli(['--data-dir', dir, 'import', path.join(exportsDir, f), '--json']);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      const expected = parse(readFileSync(path.join(exportsDir, f)), { columns: true, bom: true }) as Record<string, string>[];
      expect(report).toMatchObject({ rows: expected.length, created: expected.length, merged: 0, invalid: [], applied: true });
      rows += expected.length;
    }
    expect(rows).toBe(4964);
    const info = JSON.parse((await cli(['--data-dir', dir, 'info', '--json'])).stdout);
    expect(info.counts.lots).toBe(4964);

    // Every row of every file is a lot with its quantity and location.
    const exported = path.join(dir, 'all.csv');
    expect((await cli(['--data-dir', dir, 'export', exported, '--format', 'rebrickable'])).code).toBe(0);
    const key = (r: Record<string, string>) => `${r.Part}|${r.Color}|${r.Location}|${r.Quantity}`;
    const want = files
      .flatMap((f) => parse(readFileSync(path.join(exportsDir, f)), { columns: true, bom: true }) as Record<string, string>[])
      .map(key)
      .sort();
    const got = (parse(readFileSync(exported), { columns: true, bom: true }) as Record<string, string>[]).map(key).sort();
    expect(got).toEqual(want);
  });

  it('prints info as text and as one JSON document', async () => {
    const text = await cli(['info'], { BLOCKSHELF_DATA_DIR: dir });
    expect(text.stdout).toMatch(/Lots:\s+4964/);
    expect(text.stdout).toContain(path.join(dir, 'blockshelf.db'));
    const json = JSON.parse((await cli(['--data-dir', dir, 'info', '--json'])).stdout);
    expect(json).toMatchObject({ dbPath: path.join(dir, 'blockshelf.db'), schemaVersion: expect.any(Number) });
    expect(json.counts.locations).toBeGreaterThan(100);
  });

  it('adds, merges and lists with search, sort and paging', async () => {
    const d = tempDir();
    expect(
      (await cli(['--data-dir', d, 'add', '--part', '3001', '--color', 'Red', '--qty', '4', '--location', 'Drawer A'])).stdout,
    ).toMatch(/Added lot \d+: 4 × 3001 Red at Drawer A/);
    const merged = await cli([
      '--data-dir',
      d,
      'add',
      '--part',
      '3001',
      '--color',
      '4',
      '--qty',
      '6',
      '--used',
      '2',
      '--location',
      'Drawer A',
    ]);
    expect(merged.stdout).toMatch(/Merged into lot \d+: 10 × 3001 Red/);
    await cli(['--data-dir', d, 'add', '--part', '3003', '--color', '0', '--qty', '1', '--location', 'Drawer B']);
    const first = JSON.parse(
      (await cli(['--data-dir', d, 'list', '--sort', 'total', '--desc', '--limit', '1', '--json'])).stdout,
    );
    expect(first.items.map((l: { partId: string }) => l.partId)).toEqual(['3001']);
    expect(first.total).toBe(2);
    const second = JSON.parse(
      (await cli(['--data-dir', d, 'list', '--sort', 'total', '--desc', '--limit', '1', '--after', first.nextCursor, '--json']))
        .stdout,
    );
    expect(second.items.map((l: { partId: string }) => l.partId)).toEqual(['3003']);
    expect(second.nextCursor).toBeNull();
    const found = JSON.parse((await cli(['--data-dir', d, 'list', '--search', 'drawer b', '--json'])).stdout);
    expect(found.items.map((l: { partId: string }) => l.partId)).toEqual(['3003']);
  });

  it('names the problem on stderr and exits non-zero', async () => {
    const d = tempDir();
    const unknownColour = await cli(['--data-dir', d, 'add', '--part', '3001', '--color', '98765', '--qty', '1']);
    expect(unknownColour.code).toBe(1);
    expect(unknownColour.stderr).toMatch(/unknown colour “98765”/);
    const badQty = await cli(['--data-dir', d, 'add', '--part', '3001', '--color', '0', '--qty', 'many']);
    expect(badQty.code).toBe(2);
    expect(badQty.stderr).toMatch(/--qty must be a whole number/);
    const badSort = await cli(['--data-dir', d, 'list', '--sort', 'price']);
    expect(badSort.stderr).toMatch(/--sort must be one of/);
    const unknown = await cli(['--data-dir', d, 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command “frobnicate”/);
    const missing = await cli(['--data-dir', d, 'import', path.join(d, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv: no such file/);
  });

  it('imports nothing from a file with bad rows unless told to skip them, and lists each bad row', async () => {
    const d = tempDir();
    const file = path.join(d, 'mixed.csv');
    writeFileSync(
      file,
      'Part,Color,Quantity,Notes,Location,IsUsed,IsStickered\n3001,4,5,,A,False,False\n3002,777777,1,,A,False,False\n3003,0,-2,,A,False,False\n3004,0,x,,A,False,False\n',
    );
    const blocked = await cli(['--data-dir', d, 'import', file]);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain('mixed.csv:3: Color: unknown colour “777777”');
    expect(blocked.stdout).toContain('mixed.csv:4: Quantity: is negative');
    expect(blocked.stdout).toContain('mixed.csv:5: Quantity: “x” is not a whole number');
    expect(JSON.parse((await cli(['--data-dir', d, 'info', '--json'])).stdout).counts.lots).toBe(0);
    const skipped = await cli(['--data-dir', d, 'import', file, '--skip-invalid', '--json']);
    expect(skipped.code).toBe(0);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ created: 1, applied: true });
    expect(JSON.parse((await cli(['--data-dir', d, 'info', '--json'])).stdout).counts.lots).toBe(1);
  });

  it('round-trips an export through an import into an empty database', async () => {
    const out = path.join(tempDir(), 'roundtrip.csv');
    expect((await cli(['--data-dir', dir, 'export', out])).code).toBe(0);
    const fresh = tempDir();
    const r = await cli(['--data-dir', fresh, 'import', out, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'blockshelf-csv', created: 4964, invalid: [] });
    const a = JSON.parse((await cli(['--data-dir', dir, 'list', '--sort', 'part', '--limit', '1000', '--json'])).stdout);
    const b = JSON.parse((await cli(['--data-dir', fresh, 'list', '--sort', 'part', '--limit', '1000', '--json'])).stdout);
    const strip = (l: Record<string, unknown>) => [
      l.partId,
      l.colorId,
      l.storageLocation,
      l.quantityTotal,
      l.quantityUsed,
      l.notes,
    ];
    expect(b.items.map(strip)).toEqual(a.items.map(strip));
  });
});
