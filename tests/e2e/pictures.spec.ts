// Pictures and labels in Chromium against the e2e host, whose pictures come from a picture
// server of the test's own (no test reaches the internet): nothing is downloaded before the
// user says yes; then rows show the pictures that exist and a placeholder in the part's colour
// for the rest (never a broken image); labels preview, save and print.
import { test as base, expect, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHost, type Host } from './host';
import { seed } from './fixtures';
import { png, pictureServer, type PictureServer } from '../unit/pictures/server';

const test = base.extend<{ pics: PictureServer; host: Host; app: Page }>({
  // eslint-disable-next-line no-empty-pattern
  pics: async ({}, use) => {
    const server = await pictureServer();
    await use(server);
    await server.close();
  },
  host: async ({ pics }, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-e2e-'));
    const host = await startHost({ dataDir, pictures: { baseUrl: pics.base, timeoutMs: 500, retries: 1, backoffMs: 20 } });
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
    seed(host, [
      { partId: '3001', colorId: 4, quantityTotal: 10, storageLocation: 'Drawer A1', name: 'Brick 2 x 4' },
      { partId: '3002', colorId: 1, quantityTotal: 3, storageLocation: 'Drawer A1', name: 'Brick 2 x 3' },
      { partId: '3003', colorId: 14, quantityTotal: 7, storageLocation: 'Box Z', name: 'Brick 2 x 2' },
    ]);
    await page.goto(host.url);
    await expect(page.getByRole('grid', { name: 'Inventory' })).toBeVisible();
    await use(page);
    expect(errors, 'no errors in the page console').toEqual([]);
  },
});

/** Size of the picture an <img> shows: 5 × 7 is the server's, anything else a placeholder. */
function natural(app: Page, key: string) {
  return app.locator(`.grid-body img[data-picture="${key}"]`).evaluate((img: HTMLImageElement) => ({
    complete: img.complete,
    w: img.naturalWidth,
    h: img.naturalHeight,
  }));
}

test('asks before downloading; then shows pictures, and placeholders for failures', async ({ app, host, pics }) => {
  pics.routes.set('/media/parts/ldraw/4/3001.png', { kind: 'picture', body: png(5, 7, [201, 26, 9]) });
  pics.routes.set('/media/parts/ldraw/1/3002.png', { kind: 'fail' });
  pics.routes.set('/media/parts/ldraw/14/3003.png', { kind: 'garbage' });

  const consent = app.getByRole('region', { name: 'Show pictures of your parts?' });
  await expect(consent).toBeVisible();
  // Placeholders, and nothing asked of the picture server.
  await expect.poll(async () => (await natural(app, 'part/3001/4')).complete).toBe(true);
  expect((await natural(app, 'part/3001/4')).w).toBeGreaterThan(0);
  expect(pics.requests).toEqual([]);

  await consent.getByRole('button', { name: 'Download pictures' }).click();
  await expect(consent).toBeHidden();
  await expect.poll(async () => natural(app, 'part/3001/4')).toEqual({ complete: true, w: 5, h: 7 });
  await host.core.pictures.idle();
  for (const key of ['part/3002/1', 'part/3003/14']) {
    const n = await natural(app, key);
    expect(n.complete, key).toBe(true);
    expect(n.w, key).toBeGreaterThan(0);
    expect(n.w === 5 && n.h === 7, key).toBe(false);
  }
  // The lot editor shows the picture too.
  await app.locator('[data-lot-id]').filter({ hasText: 'Brick 2 x 4' }).dblclick();
  const editor = app.getByRole('dialog');
  await expect(editor.getByRole('img', { name: 'Picture of part 3001' })).toBeVisible();
  await editor.getByRole('button', { name: 'Cancel' }).click();

  // Settings: the cache holds the one picture.
  await app.getByRole('button', { name: 'Settings' }).click();
  await expect(app.getByTestId('picture-usage')).toContainText('1 picture');
  await expect(app.getByRole('checkbox', { name: /Download pictures of parts and sets/ })).toBeChecked();
});

test('labels: preview of the first page, Save PDF and Print', async ({ app, host }) => {
  await app.getByRole('button', { name: 'Labels…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Print labels' });
  await dialog.getByRole('combobox', { name: 'Location', exact: true }).selectOption('Drawer A1');
  await expect(dialog.getByTestId('labels-summary')).toHaveText('2 labels on 1 page. The first page:');
  await expect(dialog.getByTestId('label-cell')).toHaveCount(2);
  await expect(dialog.getByTestId('label-cell').first()).toContainText('3001');
  await dialog.getByRole('combobox', { name: 'Label stock' }).selectOption('roll-62mm');
  await expect(dialog.getByTestId('labels-summary')).toHaveText('2 labels on 2 pages. The first page:');

  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'blockshelf-e2e-labels-')), 'drawer.pdf');
  try {
    host.desktop.queueSave(out);
    await dialog.getByRole('button', { name: 'Save PDF…' }).click();
    await expect(app.getByText('Saved 2 labels (2 pages) to drawer.pdf.')).toBeVisible();
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await app.getByRole('button', { name: 'Labels…' }).click();
    const again = app.getByRole('dialog', { name: 'Print labels' });
    await again.getByRole('combobox', { name: 'Location', exact: true }).selectOption('Drawer A1');
    await expect(again.getByTestId('labels-summary')).toHaveText('2 labels on 1 page. The first page:');
    await again.getByRole('button', { name: 'Print…' }).click();
    await expect(app.getByText('Sent 2 labels to the printer.')).toBeVisible();
    expect(host.desktop.printed).toHaveLength(1);
    expect(host.desktop.printed[0]!.head).toMatch(/^%PDF-/);
    // The print job's file is gone once printed.
    expect(existsSync(host.desktop.printed[0]!.file)).toBe(false);
  } finally {
    rmSync(path.dirname(out), { recursive: true, force: true });
  }
});
