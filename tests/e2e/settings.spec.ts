import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';

test('the backup folder is chosen in the folder dialog, and can go back to the default', async ({ app, host }) => {
  const chosen = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-e2e-folder-'));
  try {
    await app.getByRole('button', { name: 'Settings' }).click();
    await expect(app.getByTestId('backup-folder')).toHaveText(host.core.paths.backups);
    host.desktop.queueFolder(chosen);
    await app.getByRole('button', { name: 'Choose folder…' }).click();
    await expect(app.getByTestId('backup-folder')).toHaveText(chosen);
    expect(host.core.backup.folder().dir).toBe(chosen);
    await app.getByRole('button', { name: 'Use the default folder' }).click();
    await expect(app.getByTestId('backup-folder')).toHaveText(host.core.paths.backups);
    expect(host.core.backup.folder().isDefault).toBe(true);
  } finally {
    rmSync(chosen, { recursive: true, force: true });
  }
});
