// Backups & Restore → Save a portable archive…: the save dialog, the archive job with its
// progress, and a zip that an unzip tool reads back (database snapshot, CSV, manifest).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import { test, expect, seed } from './fixtures';

/** Every entry of a zip file, read into memory (the archive is small here). */
function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

test('Save a portable archive… writes a valid zip where the save dialog said, with progress', async ({ app, host }) => {
  seed(host, [
    { partId: '3001', colorId: 4, quantityTotal: 10, storageLocation: 'Drawer A', name: 'Brick 2 x 4' },
    { partId: '3003', colorId: 1, quantityTotal: 4, storageLocation: 'Drawer B', name: 'Brick 2 x 2' },
  ]);
  await app.reload();
  await app.getByRole('button', { name: 'Backups', exact: true }).click();
  const dialog = app.getByRole('dialog', { name: 'Backups & Restore' });

  // Cancelling the save dialog writes nothing and says nothing went wrong.
  host.desktop.queueSave(null);
  await dialog.getByRole('button', { name: 'Save a portable archive…' }).click();
  await expect(dialog.getByRole('button', { name: 'Save a portable archive…' })).toBeEnabled();
  await expect(dialog.getByRole('alert')).toHaveCount(0);

  const target = path.join(host.core.dataDir, 'for the new laptop.zip');
  host.desktop.queueSave(target);
  // The progress bar shows while the job runs (the job reports its first step at once).
  const seen = app.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        const check = () => !!document.querySelector('[role=progressbar][aria-label="Archive progress"]');
        if (check()) return resolve(true);
        const mo = new MutationObserver(() => check() && (mo.disconnect(), resolve(true)));
        mo.observe(document.body, { subtree: true, childList: true });
        setTimeout(() => resolve(false), 20_000);
      }),
  );
  await dialog.getByRole('button', { name: 'Save a portable archive…' }).click();
  await expect(dialog.getByRole('status')).toContainText('Saved the portable archive for the new laptop.zip: 2 lots');
  expect(await seen).toBe(true);

  const entries = await readZip(target);
  expect([...entries.keys()].sort()).toEqual(['blockshelf.db', 'inventory/1-My collection.csv', 'manifest.json']);
  const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as { lots: number; profiles: { name: string }[] };
  expect(manifest.lots).toBe(2);
  expect(manifest.profiles.map((p) => p.name)).toEqual(['My collection']);
  const csv = entries.get('inventory/1-My collection.csv')!.toString('utf8').trim().split(/\r?\n/);
  expect(csv).toHaveLength(3);
  expect(csv.join('\n')).toContain('Brick 2 x 2');

  // The snapshot inside is a sound BlockShelf database with the two lots.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-archive-'));
  try {
    const db = path.join(dir, 'blockshelf.db');
    writeFileSync(db, entries.get('blockshelf.db')!);
    const conn = new Database(db, { readonly: true });
    expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(conn.prepare('SELECT part_id FROM inventory_items ORDER BY part_id').pluck().all()).toEqual(['3001', '3003']);
    conn.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
