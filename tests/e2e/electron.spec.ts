// The real desktop app through Playwright's Electron driver. Electron's runtime cannot be
// downloaded on every machine (it is fetched on first `npm start`); without it this spec is
// skipped and says so. Everything else is covered in Chromium through the test host.
import { _electron as electron, test, expect } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const rel = readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const bin = path.join(dir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

test('the desktop app starts, shows the inventory and opens Backups from the File menu', async () => {
  if (!binary) {
    const why = 'SKIPPED: no Electron binary in node_modules/electron/dist (it could not be downloaded here)';
    console.log(`[electron spec] ${why}`);
    test.skip(true, why);
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: [path.resolve('out/main/index.js')],
    env: { ...process.env, BLOCKSHELF_DATA_DIR: dataDir },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('grid', { name: 'Inventory' })).toBeVisible();
    const hasBlockshelfOnly = await page.evaluate(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      return typeof w.blockshelf === 'object' && w.require === undefined && w.process === undefined;
    });
    expect(hasBlockshelfOnly).toBe(true);
    await app.evaluate(({ Menu }) => {
      Menu.getApplicationMenu()?.getMenuItemById('command:backups.open')?.click();
    });
    await expect(page.getByRole('dialog', { name: 'Backups & Restore' })).toBeVisible();
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
