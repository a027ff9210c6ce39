// Screenshots of every screen in light and dark, on real data, saved to tests/e2e/screenshots/
// (gitignored) for a person to look at.
import path from 'node:path';
import { test, expect, seedRealExport, exportsDir, SCREENSHOT_DIR } from './fixtures';

for (const theme of ['light', 'dark'] as const) {
  test(`screens in ${theme}`, async ({ app, host }) => {
    const lots = await seedRealExport(host);
    host.core.prefs.set(host.core.profiles.current().id, { theme, lowStockThreshold: 2 });
    await app.reload();
    await expect(app.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(app.getByTestId('lot-count')).toHaveText(`${lots.toLocaleString('en-US')} lots`);
    await app.getByRole('button', { name: 'Part', exact: true }).click();
    await expect(app.locator('[aria-busy=true]')).toHaveCount(0);
    const shot = (name: string) => app.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${theme}.png`) });
    await shot('inventory');

    await app.getByRole('button', { name: '+ New item' }).click();
    const dialog = app.getByRole('dialog', { name: 'New item' });
    await dialog.getByLabel('Part', { exact: true }).fill('3024');
    await dialog.getByRole('combobox', { name: 'Colour', exact: true }).fill('bl');
    await expect(dialog.getByRole('listbox')).toBeVisible();
    await shot('item-dialog');
    await app.keyboard.press('Escape');
    await dialog.getByLabel('Total quantity').fill('-3');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await expect(dialog.getByRole('alert')).toBeVisible();
    await shot('item-dialog-errors');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await app.getByRole('button', { name: 'Dashboard' }).click();
    await expect(app.getByRole('heading', { name: 'Top colours' })).toBeVisible();
    await shot('dashboard');

    await app.getByRole('button', { name: 'Settings' }).click();
    await expect(app.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await shot('settings');

    await app.getByRole('button', { name: 'Backups', exact: true }).click();
    const backups = app.getByRole('dialog', { name: 'Backups & Restore' });
    await backups.getByRole('button', { name: 'Back up now' }).click();
    await expect(backups.getByRole('status').or(backups.getByRole('alert')).first()).toBeVisible();
    await shot('backups');
    await backups.getByRole('button', { name: 'Close' }).click();

    host.desktop.queueOpen([path.join(exportsDir, 'rebrickable_parts_401016_5-Transport-Vehicles.csv')]);
    host.menu('import.open');
    const importer = app.getByRole('dialog', { name: 'Import parts' });
    await importer.getByRole('button', { name: 'Check the file' }).click();
    await expect(importer.getByTestId('import-preview')).toBeVisible();
    await shot('import');
  });
}
