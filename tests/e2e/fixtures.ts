// Playwright fixtures: each test gets its own host (real core on a fresh temp data folder)
// and a page opened on it.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHost, type Host } from './host';

export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');

export const test = base.extend<{ host: Host; app: Page }>({
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-e2e-'));
    const host = await startHost({ dataDir });
    await use(host);
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
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
  lots: { partId: string; colorId: number; quantityTotal: number; quantityUsed?: number; storageLocation?: string; name?: string }[],
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
