import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { ExportFormat, ExportResult, ImportResult } from '../../../src/shared/contract';
import type { Lot } from '../../../src/shared/types';
import type { ColorMaps } from '../../../src/main/colors/maps';
import { exportLots } from '../../../src/main/transfer/export';
import { cleanup, importFile, lots, newCore, ok, exportsDir, tempDir, token } from './helpers';

let core: Core;
const others: Core[] = [];
beforeEach(() => {
  core = newCore();
});
afterEach(() => {
  core.close();
  for (const c of others.splice(0)) c.close();
});
afterAll(cleanup);

const ALL = ['partId', 'colorId', 'storageLocation', 'quantityTotal', 'quantityUsed', 'name', 'notes'] as const;

async function seed(c: Core) {
  const add = async (lot: Record<string, unknown>) => ok(await c.invoke('inventory.create', { lot, onDuplicate: 'reject' }));
  for (const p of [
    () =>
      add({
        partId: '3001',
        colorId: 4,
        quantityTotal: 10,
        quantityUsed: 3,
        storageLocation: 'Drawer 1',
        name: 'Brick 2 x 4',
        notes: 'mixed, "old" & new',
      }),
    () => add({ partId: '3001', colorId: 4, quantityTotal: 2, storageLocation: 'Drawer 2', name: 'Brick 2 x 4' }),
    () =>
      add({
        partId: '3069b',
        colorId: 71,
        quantityTotal: 5,
        quantityUsed: 5,
        storageLocation: '=HYPERLINK("x")',
        name: '+Tile',
        notes: '@home\nsecond line',
      }),
    () => add({ partId: '-1', colorId: 0, quantityTotal: 1, storageLocation: '-5 shelf', name: 'Café 1 × 1' }),
    () => add({ partId: '3024', colorId: 15, quantityTotal: 1000, storageLocation: 'Box | A', name: '' }),
  ])
    await p();
}

async function exportTo(c: Core, format: ExportFormat, filter?: object) {
  const ext = format === 'xlsx' ? 'xlsx' : format === 'bricklink-xml' ? 'xml' : 'csv';
  const file = path.join(tempDir(), `out.${ext}`);
  const r = ok<ExportResult>(
    await c.invoke('export.run', { file: token(c, file, 'write'), format, ...(filter ? { filter } : {}) }),
  );
  return { file, r };
}

describe('round trips: export → import into an empty database gives the same lots', () => {
  it.each(['blockshelf-csv', 'rebrickable-csv', 'xlsx'] as const)('%s', async (format) => {
    await seed(core);
    const { file, r } = await exportTo(core, format);
    expect(r.lots).toBe(5);
    const fresh = newCore();
    others.push(fresh);
    const { result } = await importFile(fresh, file);
    expect(ok<ImportResult>(result!).created).toBe(5);
    // The Rebrickable part list has no lot names: compare the rest.
    const fields = format === 'rebrickable-csv' ? ALL.filter((f) => f !== 'name') : [...ALL];
    expect(lots(fresh, fields)).toEqual(lots(core, fields));
  });

  it('bricklink-xml keeps part, colour, quantity and location', async () => {
    await seed(core);
    const { file, r } = await exportTo(core, 'bricklink-xml');
    expect(r).toMatchObject({ lots: 5, skipped: [] });
    const xml = readFileSync(file, 'utf8');
    expect(xml).toContain('<ITEMID>3001</ITEMID>\n    <COLOR>5</COLOR>'); // Red is 5 on BrickLink
    expect(xml).toContain('<REMARKS>=HYPERLINK(&quot;x&quot;)</REMARKS>');
    const fresh = newCore();
    others.push(fresh);
    await importFile(fresh, file);
    const fields = ['partId', 'colorId', 'storageLocation', 'quantityTotal'] as const;
    expect(lots(fresh, [...fields])).toEqual(lots(core, [...fields]));
  });

  it('the real exports survive every format', async () => {
    const dir = exportsDir;
    for (const f of readdirSync(dir)) await importFile(core, path.join(dir, f));
    for (const format of ['blockshelf-csv', 'rebrickable-csv', 'xlsx', 'bricklink-xml'] as const) {
      const { file, r } = await exportTo(core, format);
      const fresh = newCore();
      others.push(fresh);
      const { preview } = await importFile(fresh, file);
      expect(preview.ok, format).toBe(true);
      const fields =
        format === 'bricklink-xml'
          ? (['partId', 'colorId', 'storageLocation', 'quantityTotal'] as const)
          : ALL.filter((x) => x !== 'name');
      // Colours without a BrickLink id are left out of the wanted list and listed as skipped.
      const skipped = new Set(r.skipped.map((s) => `${s.partId}/${s.colorId}`));
      const expected = lots(core, [...fields]).filter((l) => !skipped.has(`${l.partId}/${l.colorId}`));
      expect(lots(fresh, [...fields]), format).toEqual(expected);
    }
  });
});

describe('export', () => {
  it('neutralises formulas in free text but never alters part numbers', async () => {
    await seed(core);
    const { file } = await exportTo(core, 'blockshelf-csv');
    const text = readFileSync(file, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain(`'+Tile,3069b,71,5,5,"'=HYPERLINK(""x"")",,"'@home\nsecond line"`);
    expect(text).toContain(`Café 1 × 1,-1,0,1,0,'-5 shelf,,`);
    const rb = readFileSync((await exportTo(core, 'rebrickable-csv')).file, 'utf8');
    expect(rb.split('\r\n')[0]).toBe('Part,Color,Quantity,Notes,Location,IsUsed,IsStickered');
    // A partly used lot becomes an unused and a used row.
    expect(rb).toContain(
      '3001,4,7,"mixed, ""old"" & new",Drawer 1,False,False\r\n3001,4,3,"mixed, ""old"" & new",Drawer 1,True,False',
    );
  });

  it('exports the current filtered view only', async () => {
    await seed(core);
    const { file, r } = await exportTo(core, 'rebrickable-csv', { search: '3001' });
    expect(r.lots).toBe(2);
    expect(readFileSync(file, 'utf8').trim().split('\r\n')).toHaveLength(1 + 3);
    const byColour = await exportTo(core, 'blockshelf-csv', { colorId: 71 });
    expect(byColour.r.lots).toBe(1);
  });

  it('writes the inventory as it was when the export began, while changes made meanwhile go on', async () => {
    // Enough lots that the export hands the thread back to other calls while it runs.
    const sqlite = core.db.sqlite;
    const ins = sqlite.prepare(
      `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
         storage_location, notes, image_url, created_at, updated_at) VALUES (1, ?, 4, 'Red', 'Brick', 1, 0, 'Bin', '', NULL, 1, 1)`,
    );
    sqlite.transaction(() => {
      for (let i = 0; i < 6000; i++) ins.run(`p${String(i).padStart(5, '0')}`);
    })();
    let added: Promise<unknown> | null = null;
    const off = core.events.on('import.progress', (p) => {
      // Part way through: a lot that sorts last is added, and one already written is changed.
      if (p.phase === 'exporting' && p.done === 2000 && !added)
        added = Promise.all([
          core.invoke('inventory.create', { lot: { partId: 'zz9', colorId: 4, quantityTotal: 1 } }),
          core.invoke('inventory.create', {
            lot: { partId: 'p05999', colorId: 4, quantityTotal: 7, storageLocation: 'Elsewhere' },
          }),
        ]);
    });
    const { file, r } = await exportTo(core, 'blockshelf-csv');
    off();
    expect(added).not.toBeNull();
    for (const res of (await added!) as { ok: boolean }[]) expect(res.ok).toBe(true);
    expect(r.lots).toBe(6000);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('zz9');
    expect(text).not.toContain('Elsewhere');
    expect(ok<{ total: number }>(await core.invoke('inventory.list', { limit: 1 })).total).toBe(6002);
  });

  it('BrickLink: a colour without a BrickLink id is left out and listed', async () => {
    ok(await core.invoke('inventory.create', { lot: { partId: '3001', colorId: -1, quantityTotal: 1 } }));
    const { r } = await exportTo(core, 'bricklink-xml');
    expect(r.skipped).toEqual([{ partId: '3001', colorId: -1, reason: 'colour [Unknown] has no BrickLink id' }]);
  });

  it('refuses a file token handed out for reading, and leaves no partial file on failure', async () => {
    const file = path.join(tempDir(), 'x.csv');
    const r = await core.invoke('export.run', { file: token(core, file, 'read'), format: 'blockshelf-csv' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const missing = path.join(tempDir(), 'no-such-folder', 'x.csv');
    const r2 = await core.invoke('export.run', { file: token(core, missing, 'write'), format: 'blockshelf-csv' });
    expect(r2).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(readdirSync(path.dirname(path.dirname(missing)))).toEqual([]);
  });
});

describe('export bytes', () => {
  // The exact text each writer produces: BOM, CRLF records, quoting only where needed, column
  // order, the XML's layout and escaping. Changing a writer must not change a byte of these.
  async function seedAwkward(c: Core) {
    const add = async (lot: Record<string, unknown>) => ok(await c.invoke('inventory.create', { lot, onDuplicate: 'reject' }));
    await add({
      partId: '3001',
      colorId: 4,
      quantityTotal: 10,
      quantityUsed: 3,
      storageLocation: 'Drawer 1',
      name: 'Brick 2 x 4',
      notes: 'mixed, "old" & new',
    });
    await add({
      partId: '3069b',
      colorId: 71,
      quantityTotal: 5,
      quantityUsed: 5,
      storageLocation: '=HYPERLINK("x")',
      name: '+Tile',
      notes: '@home\nsecond line',
    });
    await add({ partId: '-1', colorId: 0, quantityTotal: 1, storageLocation: '-5 shelf', name: 'Café 1 × 1' });
    await add({
      partId: '3024',
      colorId: 15,
      quantityTotal: 1000,
      storageLocation: `<a> & 'b' "c" \u0001 ]]> Ü`,
      name: '',
      notes: 'tab\there\r\nx',
    });
    await add({ partId: '3001', colorId: -1, quantityTotal: 1 });
  }
  const text = async (format: ExportFormat) => readFileSync((await exportTo(core, format)).file, 'utf8');

  it('BlockShelf CSV', async () => {
    await seedAwkward(core);
    expect(await text('blockshelf-csv')).toBe(
      '\uFEFFname,part_id,color,quantity_total,quantity_used,storage_location,image_url,notes\r\n' +
        "Café 1 × 1,-1,0,1,0,'-5 shelf,,\r\n" +
        'Brick 2 x 4,3001,4,10,3,Drawer 1,,"mixed, ""old"" & new"\r\n' +
        ',3001,-1,1,0,,,\r\n' +
        `,3024,15,1000,0,"<a> & 'b' ""c"" \u0001 ]]> Ü",,"tab\there\r\nx"\r\n` +
        `'+Tile,3069b,71,5,5,"'=HYPERLINK(""x"")",,"'@home\nsecond line"\r\n`,
    );
  });

  it('Rebrickable CSV', async () => {
    await seedAwkward(core);
    expect(await text('rebrickable-csv')).toBe(
      'Part,Color,Quantity,Notes,Location,IsUsed,IsStickered\r\n' +
        "-1,0,1,,'-5 shelf,False,False\r\n" +
        '3001,4,7,"mixed, ""old"" & new",Drawer 1,False,False\r\n' +
        '3001,4,3,"mixed, ""old"" & new",Drawer 1,True,False\r\n' +
        '3001,-1,1,,,False,False\r\n' +
        `3024,15,1000,"tab\there\r\nx","<a> & 'b' ""c"" \u0001 ]]> Ü",False,False\r\n` +
        `3069b,71,5,"'@home\nsecond line","'=HYPERLINK(""x"")",True,False\r\n`,
    );
  });

  const item = (id: string, color: number, qty: number, remarks: string) =>
    `  <ITEM>\n    <ITEMTYPE>P</ITEMTYPE>\n    <ITEMID>${id}</ITEMID>\n    <COLOR>${color}</COLOR>\n    <MINQTY>${qty}</MINQTY>\n` +
    (remarks ? `    <REMARKS>${remarks}</REMARKS>\n` : '') +
    `    <NOTIFY>N</NOTIFY>\n  </ITEM>\n`;

  it('BrickLink XML', async () => {
    await seedAwkward(core);
    expect(await text('bricklink-xml')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<INVENTORY>\n' +
        item('-1', 11, 1, '-5 shelf') +
        item('3001', 5, 10, 'Drawer 1') +
        // The control character XML 1.0 cannot carry is dropped.
        item('3024', 1, 1000, '&lt;a&gt; &amp; &apos;b&apos; &quot;c&quot;  ]]&gt; Ü') +
        item('3069b', 86, 5, '=HYPERLINK(&quot;x&quot;)') +
        '</INVENTORY>\n',
    );
  });

  it('long exports are written in batches without a seam', async () => {
    const n = 2345;
    function* many(): Generator<Lot> {
      for (let i = 0; i < n; i++) {
        const lot = {
          partId: `${3000 + i}`,
          colorId: i % 3,
          colorName: 'x',
          name: `Lot ${i}`,
          quantityTotal: i + 1,
          quantityUsed: 0,
        };
        yield {
          ...lot,
          id: i + 1,
          ownerId: 1,
          quantityAvailable: i + 1,
          storageLocation: i % 5 ? `Bin ${i} & co` : '',
          notes: '',
          imageUrl: null,
          createdAt: 0,
          updatedAt: 0,
        };
      }
    }
    const colors = { toBrickLink: (id: number) => id + 10 } as unknown as ColorMaps;
    const xml = path.join(tempDir(), 'many.xml');
    expect(await exportLots(xml, many(), { format: 'bricklink-xml', colors })).toMatchObject({ lots: n, rows: n, skipped: [] });
    const items = [...many()].map((l) =>
      item(l.partId, l.colorId + 10, l.quantityTotal, l.storageLocation.replace('&', '&amp;')),
    );
    expect(readFileSync(xml, 'utf8')).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<INVENTORY>\n${items.join('')}</INVENTORY>\n`,
    );
    const csv = path.join(tempDir(), 'many.csv');
    await exportLots(csv, many(), { format: 'rebrickable-csv', colors });
    const rows = [...many()].map((l) => `${l.partId},${l.colorId},${l.quantityTotal},,${l.storageLocation},False,False\r\n`);
    expect(readFileSync(csv, 'utf8')).toBe(`Part,Color,Quantity,Notes,Location,IsUsed,IsStickered\r\n${rows.join('')}`);
  });

  it('empty exports keep their header and frame', async () => {
    expect(await text('blockshelf-csv')).toBe(
      '\uFEFFname,part_id,color,quantity_total,quantity_used,storage_location,image_url,notes\r\n',
    );
    expect(await text('rebrickable-csv')).toBe('Part,Color,Quantity,Notes,Location,IsUsed,IsStickered\r\n');
    expect(await text('bricklink-xml')).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<INVENTORY>\n</INVENTORY>\n');
  });
});

describe('awkward text round-trips exactly', () => {
  it('CSV: a value with a comma, a quote and a newline', async () => {
    const value = 'Box "A", top\nshelf\r\nback, "left"';
    ok(
      await core.invoke('inventory.create', {
        lot: { partId: '3001', colorId: 4, quantityTotal: 2, storageLocation: value, name: value, notes: value },
      }),
    );
    for (const format of ['blockshelf-csv', 'rebrickable-csv'] as const) {
      const { file } = await exportTo(core, format);
      const fresh = newCore();
      others.push(fresh);
      const { preview } = await importFile(fresh, file);
      expect(preview.ok, format).toBe(true);
      const fields = format === 'rebrickable-csv' ? ALL.filter((f) => f !== 'name') : [...ALL];
      expect(lots(fresh, fields), format).toEqual(lots(core, fields));
      expect(lots(fresh, ['storageLocation', 'notes'])[0], format).toEqual({ storageLocation: value, notes: value });
    }
  });

  it('BrickLink XML: <, &, quotes, entity-like text and non-ASCII in a location', async () => {
    const locations = [
      `Shelf <2> & "top" 'left'`,
      'R&amp;D &lt;box&gt; &#38; &copy; &x;',
      'Schublade „Grün“ – 東京 🧱',
      ']]> <![CDATA[x]]>',
    ];
    for (const [i, storageLocation] of locations.entries()) {
      ok(await core.invoke('inventory.create', { lot: { partId: '3001', colorId: 4, quantityTotal: i + 1, storageLocation } }));
    }
    const { file, r } = await exportTo(core, 'bricklink-xml');
    expect(r).toMatchObject({ lots: locations.length, skipped: [] });
    const fresh = newCore();
    others.push(fresh);
    const { preview } = await importFile(fresh, file);
    expect(preview.ok).toBe(true);
    const fields = ['partId', 'colorId', 'storageLocation', 'quantityTotal'] as const;
    expect(lots(fresh, [...fields])).toEqual(lots(core, [...fields]));
    expect(
      lots(fresh, ['storageLocation'])
        .map((l) => l.storageLocation)
        .sort(),
    ).toEqual([...locations].sort());
  });
});
