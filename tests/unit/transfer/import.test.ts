import { readFileSync, readdirSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Core } from '../../../src/main/core';
import type { ImportDetection, ImportPreview, ImportResult } from '../../../src/shared/contract';
import { cleanup, fixture, importFile, lotCount, lots, newCore, ok, exportsDir, tempDir, token } from './helpers';

let core: Core;
beforeEach(() => {
  core = newCore();
});
afterEach(() => core.close());
afterAll(cleanup);

describe('real Rebrickable part-list exports', () => {
  const dir = exportsDir;
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));

  it('finds the six export files', () => {
    expect(files).toHaveLength(6);
  });

  it.each(files)('%s imports with exact lots, quantities and locations', async (name) => {
    const file = path.join(dir, name);
    // Independent reading: csv-parse's record mode, summed by (part, colour, location).
    const rows = parse(readFileSync(file), { columns: true, bom: true }) as Record<string, string>[];
    const expected = new Map<
      string,
      { partId: string; colorId: number; storageLocation: string; quantityTotal: number; quantityUsed: number }
    >();
    for (const r of rows) {
      const key = `${r.Part}\u0000${r.Color}\u0000${r.Location!.trim()}`;
      const e = expected.get(key) ?? {
        partId: r.Part!,
        colorId: Number(r.Color),
        storageLocation: r.Location!.trim(),
        quantityTotal: 0,
        quantityUsed: 0,
      };
      e.quantityTotal += Number(r.Quantity);
      if (r.IsUsed === 'True') e.quantityUsed += Number(r.Quantity);
      expected.set(key, e);
    }
    const { preview, result } = await importFile(core, file);
    const p = ok<ImportPreview>(preview);
    expect(p.format).toBe('rebrickable-csv');
    expect(p.rows).toBe(rows.length);
    expect(p.invalidCount).toBe(0);
    expect(ok<ImportResult>(result!).created).toBe(expected.size);
    const want = [...expected.values()].sort((a, b) =>
      a.partId < b.partId
        ? -1
        : a.partId > b.partId
          ? 1
          : a.colorId - b.colorId || (a.storageLocation < b.storageLocation ? -1 : a.storageLocation > b.storageLocation ? 1 : 0),
    );
    expect(lots(core)).toEqual(want);
  });

  it('all six together: 4,964 rows', async () => {
    let rows = 0;
    for (const name of files) rows += ok<ImportPreview>((await importFile(core, path.join(dir, name))).preview).rows;
    expect(rows).toBe(4964);
  });
});

describe('detection', () => {
  it('recognises each format from content, whatever the file is called', async () => {
    const cases: [string, string][] = [
      ['blockshelf.csv', 'blockshelf-csv'],
      ['rebrickable-spare.csv', 'rebrickable-csv'],
      ['cp1252-semicolon.csv', 'csv'],
      ['bricklink-wanted.xml', 'bricklink-xml'],
      ['brickstore.bsx', 'bsx'],
    ];
    for (const [name, format] of cases) {
      const copy = path.join(tempDir(), 'upload.dat');
      writeFileSync(copy, readFileSync(fixture(name)));
      const d = ok<ImportDetection>(await core.invoke('import.detect', { file: token(core, copy) }));
      expect(d.format, name).toBe(format);
    }
  });

  it('detects cp1252 and the semicolon, and maps aliased headers', async () => {
    const d = ok<ImportDetection>(await core.invoke('import.detect', { file: token(core, fixture('cp1252-semicolon.csv')) }));
    expect(d).toMatchObject({ encoding: 'windows-1252', delimiter: ';', confident: true, missing: [] });
    expect(d.mapping).toMatchObject({ part: 0, color: 1, quantity: 2, location: 3, name: 4 });
    expect(d.sample[0]).toEqual(['3001', 'Red', '4', 'Café shelf', 'Brick 2 x 4']);
  });

  it('asks for a mapping when the header is not understood, and imports with one', async () => {
    const file = fixture('unmapped.tsv');
    const d = ok<ImportDetection>(await core.invoke('import.detect', { file: token(core, file) }));
    expect(d.confident).toBe(false);
    expect(d.delimiter).toBe('\t');
    expect(d.missing).toEqual(['part', 'color', 'quantity']);
    const refused = await core.invoke('import.preview', { file: token(core, file) });
    expect(refused.ok).toBe(false);
    const { result } = await importFile(core, file, { mapping: { part: 0, color: 1, quantity: 2 } });
    expect(ok<ImportResult>(result!).created).toBe(1);
    expect(lots(core)).toEqual([{ partId: '3001', colorId: 4, storageLocation: '', quantityTotal: 2, quantityUsed: 0 }]);
  });

  it('refuses a token main never handed out, and raw paths', async () => {
    const r = await core.invoke('import.detect', { file: 'f_notatokenIhandedout' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const raw = await core.invoke('import.detect', { file: fixture('blockshelf.csv') });
    expect(raw).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('formats', () => {
  it('BlockShelf CSV: colour by name or id, quotes and newlines in fields', async () => {
    const { preview, result } = await importFile(core, fixture('blockshelf.csv'));
    expect(ok<ImportPreview>(preview).invalid).toEqual([]);
    expect(ok<ImportResult>(result!).created).toBe(4);
    expect(lots(core, ['partId', 'colorId', 'quantityTotal', 'quantityUsed', 'storageLocation', 'name', 'notes'])).toEqual([
      {
        partId: '3001',
        colorId: 4,
        quantityTotal: 10,
        quantityUsed: 2,
        storageLocation: 'Drawer 1',
        name: 'Brick 2 x 4',
        notes: '',
      },
      {
        partId: '3023',
        colorId: 0,
        quantityTotal: 5,
        quantityUsed: 0,
        storageLocation: 'Box "A"',
        name: 'Plate 1 x 2, with "clip"',
        notes: 'line one\nline two',
      },
      { partId: '3069b', colorId: 71, quantityTotal: 7, quantityUsed: 7, storageLocation: 'Drawer 2', name: '', notes: '' },
      { partId: '3070b', colorId: 71, quantityTotal: 3, quantityUsed: 0, storageLocation: '', name: 'Tile', notes: '' },
    ]);
  });

  it('Rebrickable part list with Is Spare: rows of one part and colour add up', async () => {
    await importFile(core, fixture('rebrickable-spare.csv'));
    expect(lots(core)).toEqual([
      { partId: '3001', colorId: 4, storageLocation: '', quantityTotal: 3, quantityUsed: 0 },
      { partId: '4073', colorId: 71, storageLocation: '', quantityTotal: 20, quantityUsed: 0 },
    ]);
  });

  it('generic CSV in Windows-1252 keeps accents and curly quotes', async () => {
    await importFile(core, fixture('cp1252-semicolon.csv'));
    expect(lots(core, ['partId', 'colorId', 'storageLocation', 'name'])).toEqual([
      { partId: '3001', colorId: 4, storageLocation: 'Café shelf', name: 'Brick 2 x 4' },
      { partId: '3002', colorId: 0, storageLocation: 'Régal 2', name: '“Brick” 2 x 3' },
    ]);
  });

  it('BrickLink XML: colours mapped, MINQTY or QTY, duplicates merged, non-parts reported', async () => {
    const { preview, result } = await importFile(core, fixture('bricklink-wanted.xml'));
    const p = ok<ImportPreview>(preview);
    expect(p).toMatchObject({ format: 'bricklink-xml', rows: 6, valid: 4, lots: 3, invalidCount: 0 });
    expect(p.nonParts).toEqual([
      { type: 'S', itemId: '6020-1', rows: 1 },
      { type: 'M', itemId: 'cas002', rows: 1 },
    ]);
    expect(ok<ImportResult>(result!).created).toBe(3);
    expect(lots(core)).toEqual([
      { partId: '3001', colorId: 0, storageLocation: 'Drawer A & B', quantityTotal: 20, quantityUsed: 0 },
      { partId: '3020', colorId: 71, storageLocation: '', quantityTotal: 4, quantityUsed: 0 },
      // BrickLink's Trans-Black is Rebrickable's Trans-Brown (the exception table).
      { partId: '3069b', colorId: 40, storageLocation: 'Trans box', quantityTotal: 3, quantityUsed: 0 },
    ]);
  });

  it('BrickLink XML: an unmapped colour and a negative quantity are reported by item', async () => {
    const { preview, result } = await importFile(core, fixture('bricklink-unknown-colour.xml'));
    const p = ok<ImportPreview>(preview);
    expect(p.invalid).toEqual([
      {
        file: 'bricklink-unknown-colour.xml',
        row: 2,
        field: 'COLOR',
        reason: 'BrickLink colour 113 has no Rebrickable counterpart',
      },
      { file: 'bricklink-unknown-colour.xml', row: 3, field: 'MINQTY', reason: 'is negative (-4)' },
    ]);
    expect(p.unknownColors).toEqual([{ value: 'BrickLink 113', rows: 1 }]);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(lotCount(core)).toBe(0);
  });

  it('BrickStore BSX: Remarks is the location, Comments the notes', async () => {
    const { preview } = await importFile(core, fixture('brickstore.bsx'));
    const p = ok<ImportPreview>(preview);
    expect(p.nonParts).toEqual([{ type: 'M', itemId: 'sw0001a', rows: 1 }]);
    expect(lots(core, ['partId', 'colorId', 'storageLocation', 'quantityTotal', 'name', 'notes'])).toEqual([
      {
        partId: '3001',
        colorId: 4,
        storageLocation: 'Bin 7',
        quantityTotal: 25,
        name: 'Brick 2 x 4',
        notes: 'from the 2019 haul',
      },
      { partId: '3794b', colorId: 15, storageLocation: 'Bin 8', quantityTotal: 10, name: '', notes: '' },
      { partId: '970c00', colorId: 0, storageLocation: '', quantityTotal: 2, name: '', notes: '' },
    ]);
  });

  it('XLSX with its own headers and a number-typed part column', async () => {
    const file = path.join(tempDir(), 'sheet.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Parts');
    ws.addRow(['Part ID', 'Colour', 'Qty', 'Drawer', 'Comment']);
    ws.addRow([3001, 'Black', 6, 'D1', 'old']);
    ws.addRow(['3069b', 71, 2, 'D2', '']);
    ws.addRow([]);
    ws.addRow(['3070b', 'Dark Bluish Grey', 1, '', '']);
    await wb.xlsx.writeFile(file);
    const { preview } = await importFile(core, file);
    expect(ok<ImportPreview>(preview)).toMatchObject({ format: 'xlsx', rows: 3, invalidCount: 0 });
    expect(lots(core, ['partId', 'colorId', 'storageLocation', 'quantityTotal', 'notes'])).toEqual([
      { partId: '3001', colorId: 0, storageLocation: 'D1', quantityTotal: 6, notes: 'old' },
      { partId: '3069b', colorId: 71, storageLocation: 'D2', quantityTotal: 2, notes: '' },
      { partId: '3070b', colorId: 72, storageLocation: '', quantityTotal: 1, notes: '' },
    ]);
  });
});

describe('XLSX worksheets', () => {
  it('reads the first tab unless another is chosen, and lists the tabs', async () => {
    const file = path.join(tempDir(), 'two.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRow(['just notes']);
    const parts = wb.addWorksheet('Parts');
    parts.addRow(['Part', 'Color', 'Quantity']);
    parts.addRow(['3001', 4, 9]);
    await wb.xlsx.writeFile(file);
    const d = ok<ImportDetection>(await core.invoke('import.detect', { file: token(core, file) }));
    expect(d.sheets).toEqual(['Notes', 'Parts']);
    expect(d.missing).toEqual(['part', 'color', 'quantity']);
    const d2 = ok<ImportDetection>(await core.invoke('import.detect', { file: token(core, file), sheet: 'Parts' }));
    expect(d2).toMatchObject({ confident: true, headers: ['Part', 'Color', 'Quantity'] });
    await importFile(core, file, { sheet: 'Parts' });
    expect(lots(core)).toEqual([{ partId: '3001', colorId: 4, storageLocation: '', quantityTotal: 9, quantityUsed: 0 }]);
    const none = await core.invoke('import.detect', { file: token(core, file), sheet: 'Nope' });
    expect(!none.ok && none.error.message).toMatch(/no worksheet “Nope” \(Notes, Parts\)/);
  });
});

describe('bad input: a clear report and nothing half-applied', () => {
  it('lists every bad row as file, row, field and reason; applies nothing', async () => {
    const { preview, result } = await importFile(core, fixture('bad.csv'));
    const p = ok<ImportPreview>(preview);
    expect(p.invalid.map((x) => `${x.file}:${x.row}: ${x.field}: ${x.reason}`)).toEqual([
      'bad.csv:3: quantity_total: is negative (-3)',
      'bad.csv:4: quantity_total: “lots” is not a whole number',
      'bad.csv:5: quantity_used: 5 is more than the quantity 2',
      'bad.csv:6: color: unknown colour “Unobtainium”',
      'bad.csv:7: (row): has 3 fields, the header has 8',
      'bad.csv:7: quantity_total: is empty',
      // the record that starts on line 8 spans two lines; the next starts on line 10
      'bad.csv:10: part_id: is empty',
      'bad.csv:11: image_url: is not an http(s) address',
    ]);
    expect(p).toMatchObject({ rows: 9, valid: 2, invalidCount: 7 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(lotCount(core)).toBe(0);
  });

  it('skipInvalid imports only the valid rows', async () => {
    const { result } = await importFile(core, fixture('bad.csv'), { skipInvalid: true });
    expect(ok<ImportResult>(result!)).toMatchObject({ created: 2, skippedInvalid: 7 });
    expect(lots(core, ['partId'])).toEqual([{ partId: '3001' }, { partId: '3007' }]);
  });

  it('a Windows-1252 file forced to UTF-8 stops with a clear message', async () => {
    const { preview } = await importFile(core, fixture('cp1252-semicolon.csv'), { encoding: 'utf-8' });
    expect(preview).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!preview.ok && preview.error.message).toMatch(/cp1252-semicolon\.csv: the file is not valid UTF-8/);
    expect(lotCount(core)).toBe(0);
  });

  it('an unclosed quote names the line', async () => {
    const file = path.join(tempDir(), 'quote.csv');
    writeFileSync(file, 'Part,Color,Quantity\n3001,4,2\n"3002,4,1\n3003,4,1\n');
    const { preview } = await importFile(core, file);
    expect(!preview.ok && preview.error.message).toMatch(/^quote\.csv:\d+: a quoted field is never closed/);
    expect(lotCount(core)).toBe(0);
  });

  it('refuses an XML bomb (DOCTYPE with entities) without expanding it', async () => {
    const { preview } = await importFile(core, fixture('xml-bomb.xml'));
    expect(preview).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!preview.ok && preview.error.message).toMatch(/^xml-bomb\.xml:13: XML with a DOCTYPE is refused/);
    expect(lotCount(core)).toBe(0);
  });

  it('a 50 MB single line is refused, naming the line', async () => {
    const file = path.join(tempDir(), 'oneline.csv');
    const out = createWriteStream(file);
    out.write('Part,Color,Quantity\n');
    const chunk = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 50; i++) if (!out.write(chunk)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const { preview } = await importFile(core, file);
    expect(!preview.ok && preview.error.message).toMatch(/^oneline\.csv:2: a row is longer than 1 MB/);
    expect(lotCount(core)).toBe(0);
  });

  it('a binary file is not taken for a CSV', async () => {
    const file = path.join(tempDir(), 'image.csv');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const { preview } = await importFile(core, file);
    expect(preview).toMatchObject({ ok: false, error: { code: 'unsupported-format' } });
  });
});

describe('apply', () => {
  const csv = (rows: string[]) => {
    const f = path.join(tempDir(), 'list.csv');
    writeFileSync(f, ['Part,Color,Quantity,Notes,Location,IsUsed,IsStickered', ...rows].join('\n'));
    return f;
  };

  it('add sums quantities; replace sets them to the file', async () => {
    await importFile(core, csv(['3001,4,5,,A,False,False', '3001,4,2,,A,True,False']));
    expect(lots(core)).toEqual([{ partId: '3001', colorId: 4, storageLocation: 'A', quantityTotal: 7, quantityUsed: 2 }]);
    const { preview } = await importFile(core, csv(['3001,4,3,,A,False,False', '3002,4,1,,A,False,False']));
    expect(ok<ImportPreview>(preview)).toMatchObject({ newLots: 1, mergedLots: 1 });
    expect(lots(core)[0]).toMatchObject({ quantityTotal: 10, quantityUsed: 2 });
    const { result } = await importFile(core, csv(['3001,4,4,,A,False,False']), { mode: 'replace' });
    expect(ok<ImportResult>(result!)).toMatchObject({ replaced: 1, created: 0 });
    expect(lots(core)[0]).toMatchObject({ quantityTotal: 4, quantityUsed: 0 });
  });

  it('duplicate rows merge whether they are close together or far apart in the file', async () => {
    // Duplicates inside one staging chunk and across chunks sum alike and keep the first
    // non-empty notes.
    const rows: string[] = [];
    const want = new Map<string, { total: number; used: number }>();
    for (let i = 0; i < 1234; i++) {
      const part = `p${i % 97 === 0 ? 0 : i % 301}`;
      const loc = `Bin ${i % 3}`;
      const used = i % 4 === 0;
      rows.push(`${part},4,${1 + (i % 5)},${i % 2 ? `n${i}` : ''},${loc},${used ? 'True' : 'False'},False`);
      const e = want.get(`${part}|${loc}`) ?? { total: 0, used: 0 };
      e.total += 1 + (i % 5);
      if (used) e.used += 1 + (i % 5);
      want.set(`${part}|${loc}`, e);
    }
    const { preview } = await importFile(core, csv(rows));
    expect(ok<ImportPreview>(preview)).toMatchObject({ rows: 1234, lots: want.size });
    const got = lots(core, ['partId', 'storageLocation', 'quantityTotal', 'quantityUsed', 'notes']);
    expect(got).toHaveLength(want.size);
    for (const l of got) {
      expect({ total: l.quantityTotal, used: l.quantityUsed }, `${l.partId} ${l.storageLocation}`).toEqual(
        want.get(`${l.partId}|${l.storageLocation}`),
      );
    }
    const first = rows.findIndex((r) => r.startsWith('p0,') && r.includes(',Bin 1,') && /,n\d+,/.test(r));
    expect(got.find((l) => l.partId === 'p0' && l.storageLocation === 'Bin 1')!.notes).toBe(rows[first]!.split(',')[3]);
  });

  it('a preview does not survive a database swap (restore)', async () => {
    const p = ok<ImportPreview>(await core.invoke('import.preview', { file: token(core, csv(['3001,4,5,,A,False,False'])) }));
    core.reopen();
    const r = await core.invoke('import.apply', { importId: p.importId });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(lotCount(core)).toBe(0);
  });

  it('a dry run changes nothing', async () => {
    const { result } = await importFile(core, csv(['3001,4,5,,A,False,False']), { dryRun: true });
    expect(ok<ImportResult>(result!)).toMatchObject({ applied: false, created: 1 });
    expect(lotCount(core)).toBe(0);
  });

  it('takes the before-import backup first, and a failing backup stops the import', async () => {
    const calls: unknown[] = [];
    core.hooks.beforeImport = (info) => {
      calls.push(info);
      return { name: 'blockshelf-before-import.db.gz' };
    };
    const { result } = await importFile(core, csv(['3001,4,5,,A,False,False']));
    expect(ok<ImportResult>(result!).backup).toBe('blockshelf-before-import.db.gz');
    expect(calls).toEqual([{ reason: 'before-import', ownerId: 1, file: 'list.csv' }]);
    core.hooks.beforeImport = () => {
      throw new Error('disk full');
    };
    const second = await importFile(core, csv(['3002,4,5,,A,False,False']));
    expect(second.result!.ok).toBe(false);
    expect(lots(core, ['partId'])).toEqual([{ partId: '3001' }]);
  });

  it('cancel during apply rolls everything back; reads answer meanwhile, writes are refused', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 60_000; i++) rows.push(`p${i},4,1,,Bin ${i % 7},False,False`);
    const file = csv(rows);
    await importFile(core, csv(['3001,4,5,,A,False,False']));
    const p = ok<ImportPreview>(await core.invoke('import.preview', { file: token(core, file), jobId: 'big' }));
    let busy: unknown = null;
    let read: unknown = null;
    const off = core.events.on('import.progress', (e) => {
      if (e.id === 'big' && e.phase === 'applying' && e.done > 0 && busy === null) {
        busy = 'pending';
        void core.invoke('inventory.list', {}).then((r) => (read = r));
        void core
          .invoke('inventory.create', { lot: { partId: '3003', colorId: 4, quantityTotal: 1, storageLocation: 'B' } })
          .then((r) => (busy = r));
        void core.invoke('import.cancel', { jobId: 'big' });
      }
    });
    const r = await core.invoke('import.apply', { importId: p.importId });
    off();
    expect(r).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(busy).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(read).toMatchObject({ ok: true, data: { total: 1 } });
    expect(lots(core, ['partId', 'quantityTotal'])).toEqual([{ partId: '3001', quantityTotal: 5 }]);
    expect(ok<{ items: unknown[] }>(await core.invoke('inventory.list', {})).items).toHaveLength(1);
    // The search index's insert trigger, dropped for the bulk fill, is back after the rollback.
    const trigger = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'inventory_items_fts_ai'";
    expect(core.db.sqlite.prepare(trigger).pluck().get()).toBe(1);
  });

  it('a big import fills the search index in bulk: every new lot is searchable, the trigger is back', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 3000; i++) rows.push(`p${i},4,1,,Shelf ${i},False,False`);
    await importFile(core, csv(rows));
    const trigger = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'inventory_items_fts_ai'";
    expect(core.db.sqlite.prepare(trigger).pluck().get()).toBe(1);
    core.db.sqlite.exec(`INSERT INTO inventory_fts (inventory_fts) VALUES ('integrity-check')`);
    const found = ok<{ items: { partId: string }[] }>(await core.invoke('inventory.list', { search: 'Shelf 2999' }));
    expect(found.items.map((l) => l.partId)).toEqual(['p2999']);
    ok(
      await core.invoke('inventory.create', { lot: { partId: 'after', colorId: 0, quantityTotal: 1, storageLocation: 'Attic' } }),
    );
    expect(ok<{ items: unknown[] }>(await core.invoke('inventory.list', { search: 'Attic' })).items).toHaveLength(1);
  });

  it('reports progress while reading and applying', async () => {
    const phases = new Set<string>();
    core.events.on('import.progress', (e) => phases.add(e.phase));
    await importFile(core, csv(['3001,4,5,,A,False,False']));
    expect([...phases]).toEqual(expect.arrayContaining(['reading', 'previewed', 'applying', 'done']));
  });

  it('new lots get the catalogue name when the file has none', async () => {
    core.db.sqlite.prepare(`INSERT INTO parts (part_num, name) VALUES ('3001', 'Brick 2 x 4')`).run();
    const { preview } = await importFile(core, csv(['3001,4,5,,A,False,False', '99999zz,4,1,,A,False,False']));
    expect(ok<ImportPreview>(preview).unknownParts).toEqual([{ partId: '99999zz', rows: 1 }]);
    expect(lots(core, ['partId', 'name'])).toEqual([
      { partId: '3001', name: 'Brick 2 x 4' },
      { partId: '99999zz', name: '' },
    ]);
  });
});
