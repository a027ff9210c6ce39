// Prints SQL that upserts Rebrickable's colour table (colors.csv or colors.csv.gz) into
// `colors`. Used to write the colour rows shipped in a migration; run it again with a newer
// download to make a new (append-only) migration.
//   node scripts/colors-seed.mjs ../shared/data/rebrickable/colors.csv.gz > drizzle/NNNN_colors.sql
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/colors-seed.mjs COLORS.csv[.gz]');
  process.exit(2);
}
let buf = readFileSync(file);
if (file.endsWith('.gz')) buf = gunzipSync(buf);
const rows = parse(buf, { columns: true, skip_empty_lines: true, bom: true });
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const values = rows.map((r) => {
  if (!/^-?\d+$/.test(r.id) || !/^[0-9A-Fa-f]{6}$/.test(r.rgb)) throw new Error(`bad colour row ${JSON.stringify(r)}`);
  return `(${Number(r.id)}, ${q(r.name)}, ${q(r.rgb.toUpperCase())}, ${r.is_trans === 'True' ? 1 : 0})`;
});
process.stdout.write(
  `INSERT INTO colors (id, name, rgb, is_trans) VALUES\n${values.join(',\n')}\n` +
    'ON CONFLICT(id) DO UPDATE SET name = excluded.name, rgb = excluded.rgb, is_trans = excluded.is_trans;\n',
);
