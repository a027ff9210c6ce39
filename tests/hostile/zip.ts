// A small zip writer for hostile workbooks: each part's compressed bytes and declared sizes are
// chosen by the test, so a part can declare less than it produces, or expand a thousandfold.
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** Raw deflate data. */
  deflated: Buffer;
  /** Uncompressed size written in the headers. */
  declaredSize: number;
  crc: number;
}

/** A part compressed from its text. */
export function part(name: string, text: string): ZipPart {
  const data = Buffer.from(text, 'utf8');
  return { name, deflated: deflateRawSync(data), declaredSize: data.length, crc: crc32(data) };
}

/**
 * A part of `head` + `unit` repeated `times` + `tail`, compressed without ever holding the
 * expanded text: each piece is deflated on its own up to a full flush (byte-aligned, no
 * back-references), so the compressed unit can be repeated as it is. A 1 MiB unit compresses
 * to about 1 KiB. The CRC is left at 0 (zip readers check sizes, not this CRC, before reading).
 */
export function repeatedPart(
  name: string,
  head: string,
  unit: string,
  times: number,
  tail: string,
  declaredSize?: number,
): ZipPart {
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const h = deflateRawSync(Buffer.from(head), flush);
  const u = deflateRawSync(Buffer.from(unit), flush);
  const t = deflateRawSync(Buffer.from(tail));
  const size = Buffer.byteLength(head) + Buffer.byteLength(unit) * times + Buffer.byteLength(tail);
  return {
    name,
    deflated: Buffer.concat([h, ...Array.from({ length: times }, () => u), t]),
    declaredSize: declaredSize ?? size,
    crc: 0,
  };
}

export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(p.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.deflated.length, 20);
    central.writeUInt32LE(p.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.deflated);
    centrals.push(central, name);
    offset += local.length + name.length + p.deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a one-sheet workbook, with the shared strings and sheet given. */
export function workbook(sharedStrings: ZipPart, sheet: ZipPart): ZipPart[] {
  return [
    part(
      '[Content_Types].xml',
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
        `<Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
        `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
        `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
    ),
    part(
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    part(
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Parts" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    part(
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ),
    sheet,
    sharedStrings,
  ];
}

/** A sheet whose rows are given as shared-string indexes (s) or numbers (n). */
export function sheetPart(rows: { s?: number; n?: number }[][]): ZipPart {
  const cols = 'ABCDEFGHIJ';
  const xml = rows
    .map(
      (r, i) =>
        `<row r="${i + 1}">` +
        r
          .map((c, j) =>
            c.s !== undefined
              ? `<c r="${cols[j]}${i + 1}" t="s"><v>${c.s}</v></c>`
              : `<c r="${cols[j]}${i + 1}"><v>${c.n}</v></c>`,
          )
          .join('') +
        `</row>`,
    )
    .join('');
  return part(
    'xl/worksheets/sheet1.xml',
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${xml}</sheetData></worksheet>`,
  );
}

export const SST_HEAD = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">`;
