// Playwright fixtures: each test gets its own host (real core on a fresh temp data folder)
// and a page opened on it.
import { test as base, expect, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { startHost, type Host } from './host';
import { unwrap } from '../../src/shared/errors';
import { createCore } from '../../src/main/core';

export const SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');

export const test = base.extend<{ host: Host; app: Page; catalog: boolean }>({
  /** `test.use({ catalog: true })`: the host starts with the shipped catalogue loaded, as the app has it after its first start. */
  catalog: [false, { option: true }],
  host: async ({ catalog }, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-e2e-'));
    if (catalog) cpSync(await catalogTemplate(), dataDir, { recursive: true });
    const host = await startHost({ dataDir, ...(catalog ? { catalogDir } : {}) });
    await use(host);
    await host.close();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  },
  app: async ({ page, host }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(host.url);
    await expect(page.getByRole('grid', { name: 'Inventory' })).toBeVisible();
    await use(page);
    expect(errors, 'no errors in the page console').toEqual([]);
  },
});

export { expect };

/** Adds a lot through the core, as a quick way to set up data. */
export function seed(
  host: Host,
  lots: {
    partId: string;
    colorId: number;
    quantityTotal: number;
    quantityUsed?: number;
    storageLocation?: string;
    name?: string;
  }[],
) {
  const access = host.core.access();
  for (const lot of lots) host.core.inventory.create(access, lot, 'reject');
}

/** Fills the dialog's colour combobox with a colour name and picks it. */
export async function pickColor(page: Page, name: string) {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('combobox', { name: 'Colour', exact: true }).fill(name);
  await dialog.getByRole('option', { name, exact: true }).click();
}

/** Bulk-inserts `n` lots straight through the core's database (one transaction). */
export function seedBulk(host: Host, n: number): void {
  const db = host.core.db.sqlite;
  const owner = host.core.profiles.current().id;
  const colors = db.prepare('SELECT id, name FROM colors WHERE id >= 0 AND id < 9999 ORDER BY id').all() as {
    id: number;
    name: string;
  }[];
  const insert = db.prepare(
    `INSERT INTO inventory_items (user_id, part_id, color_id, color_name, name, quantity_total, quantity_used,
       storage_location, notes, image_url, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', NULL, ?, ?)`,
  );
  const t0 = Date.UTC(2026, 0, 1);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const c = colors[i % colors.length]!;
      const total = (i * 7) % 500;
      insert.run(
        owner,
        `p${String(i).padStart(6, '0')}`,
        c.id,
        c.name,
        `Bulk part ${i}`,
        total,
        Math.min(total, i % 3),
        `Shelf ${Math.floor(i / 1000)} drawer ${i % 40}`,
        t0 + i * 1000,
        t0 + i * 1000,
      );
    }
  })();
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The Rebrickable catalogue snapshot that ships with the app. */
export const catalogDir = path.join(repoRoot, 'resources/catalog');

let template: Promise<string> | null = null;
/**
 * A data folder in which the real core has loaded the shipped catalogue, made once per test
 * process: each test that wants the catalogue starts on a copy of it (loading it takes seconds).
 */
function catalogTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-e2e-catalog-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const core = createCore({ dataDir: dir, catalogDir });
    try {
      const deadline = Date.now() + 180_000;
      while (core.catalog.status().state === 'loading' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const st = core.catalog.status();
      if (st.state !== 'ready') throw new Error(`the shipped catalogue did not load: ${st.state} ${st.error ?? ''}`);
    } finally {
      core.close();
    }
    return dir;
  })();
  return template;
}
/** Real Rebrickable part-list exports (tests/fixtures/exports). */
export const exportsDir = path.join(repoRoot, 'tests/fixtures/exports');

/**
 * Loads real data through the contract, as the app would: Rebrickable's parts catalogue
 * download, then one real Rebrickable part-list export.
 */
export async function seedRealExport(host: Host, file = 'rebrickable_parts_399620_1-A_Basic_Plates-Tiles.csv') {
  const parts = host.core.files.register(path.join(catalogDir, 'parts.csv.gz'), 'read').token;
  unwrap(await host.core.invoke('catalog.import', { files: [parts] }));
  const token = host.core.files.register(path.join(exportsDir, file), 'read').token;
  const preview = unwrap(await host.core.invoke('import.preview', { file: token })) as { importId: string; lots: number };
  unwrap(await host.core.invoke('import.apply', { importId: preview.importId }));
  return preview.lots;
}
