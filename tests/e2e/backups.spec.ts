import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, seed } from './fixtures';

test('Backup Now shows a new backup in the list', async ({ app, host }) => {
  seed(host, [{ partId: '3001', colorId: 4, quantityTotal: 10, name: 'Brick 2 x 4' }]);
  await app.getByRole('button', { name: 'Backups', exact: true }).click();
  const dialog = app.getByRole('dialog', { name: 'Backups & Restore' });
  await expect(dialog.getByText('No backups yet.')).toBeVisible();
  await expect(dialog.getByTestId('backup-folder')).toContainText(host.core.paths.backups);
  await expect(dialog.getByTestId('backup-schedule')).toContainText('every 24 hours');
  await dialog.getByRole('button', { name: 'Back up now' }).click();
  await expect(dialog.getByRole('status')).toContainText(/Backup made .*: 1 lot, .*verified/);
  const rows = dialog.getByRole('table', { name: 'Backups' }).getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('Made by you');
  await expect(rows.nth(1)).toContainText('✓ verified');
  expect((await host.core.backup.list()).length).toBe(1);
});

test('the File menu’s Backup Now opens the dialog and makes a backup', async ({ app, host }) => {
  host.menu('backup.now');
  const dialog = app.getByRole('dialog', { name: 'Backups & Restore' });
  await expect(dialog.getByRole('status')).toContainText('Backup made');
  await expect(dialog.getByRole('table', { name: 'Backups' }).getByRole('row')).toHaveCount(2);
});

test('restoring a backup after confirming brings the old data back', async ({ app, host }) => {
  seed(host, [{ partId: '3001', colorId: 4, quantityTotal: 10, name: 'Old brick' }]);
  await app.reload();
  await app.getByRole('button', { name: 'Backups', exact: true }).click();
  const dialog = app.getByRole('dialog', { name: 'Backups & Restore' });
  await dialog.getByRole('button', { name: 'Back up now' }).click();
  await expect(dialog.getByRole('status')).toContainText('Backup made');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // change the data: delete the old lot, add a new one
  const lot = app.getByRole('row', { name: /Old brick/ });
  await lot.click();
  await app.getByRole('grid', { name: 'Inventory' }).press('Delete');
  await app.getByRole('alertdialog', { name: 'Delete lot?' }).getByRole('button', { name: 'Delete' }).click();
  seed(host, [{ partId: '3003', colorId: 1, quantityTotal: 2, name: 'New brick' }]);
  await expect(app.getByRole('row', { name: /New brick/ })).toBeVisible();
  await expect(app.getByRole('row', { name: /Old brick/ })).toHaveCount(0);

  await app.getByRole('button', { name: 'Backups', exact: true }).click();
  await dialog.getByRole('button', { name: /^Restore the backup from / }).click();
  const confirm = app.getByRole('alertdialog', { name: 'Restore this backup?' });
  await expect(confirm).toContainText('First, BlockShelf backs up the current data');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(app.getByRole('row', { name: /New brick/ })).toHaveCount(1);

  await dialog.getByRole('button', { name: /^Restore the backup from / }).click();
  await confirm.getByRole('button', { name: 'Restore' }).click();
  await expect(dialog.getByRole('status')).toContainText(/Restored the backup from .*: 1 lot\. The data from before is kept/);
  await expect(dialog.getByRole('table', { name: 'Backups' })).toContainText('Before a restore');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(app.getByRole('row', { name: /Old brick/ })).toBeVisible();
  await expect(app.getByRole('row', { name: /New brick/ })).toHaveCount(0);
});

test('Restore from File verifies the picked file, asks, and restores it; a bad file is refused', async ({ app, host }) => {
  seed(host, [{ partId: '3001', colorId: 4, quantityTotal: 7, name: 'From the file' }]);
  const made = await host.core.backup.create('manual');
  host.core.inventory.remove(
    host.core.access(),
    host.core.inventory.list(host.core.profiles.current().id, {}, { sort: 'part', dir: 'asc' }).items[0]!.id,
  );
  await app.reload();
  await expect(app.getByTestId('lot-count')).toHaveText('0 lots');

  const junk = path.join(host.core.dataDir, 'not-a-backup.db.gz');
  writeFileSync(junk, 'this is not a backup');
  host.desktop.queueOpen([junk]);
  host.menu('restore.fromFile');
  const dialog = app.getByRole('dialog', { name: 'Backups & Restore' });
  await expect(dialog.getByRole('alert')).toContainText('cannot be restored');

  host.desktop.queueOpen([made.file]);
  await dialog.getByRole('button', { name: 'Restore from file…' }).click();
  const confirm = app.getByRole('alertdialog', { name: 'Restore this backup?' });
  await expect(confirm).toContainText('(1 lot');
  await confirm.getByRole('button', { name: 'Restore' }).click();
  await expect(dialog.getByRole('status')).toContainText('Restored');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(app.getByRole('row', { name: /From the file/ })).toBeVisible();
});
