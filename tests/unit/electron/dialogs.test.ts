import { describe, expect, it, vi } from 'vitest';
import { electronFilePicker } from '../../../src/main/electron/dialogs';
import { createFileRegistry } from '../../../src/main/files';

describe('native file dialogs', () => {
  it('returns the chosen path, or null when cancelled, and the registry hides it behind a token', async () => {
    const dialog = {
      showOpenDialog: vi.fn().mockResolvedValueOnce({ canceled: false, filePaths: ['/home/me/parts.csv'] }).mockResolvedValueOnce({ canceled: true, filePaths: [] }),
      showSaveDialog: vi.fn().mockResolvedValue({ canceled: false, filePath: '/home/me/out.xlsx' }),
    };
    const picker = electronFilePicker(dialog as never, () => null);
    const files = createFileRegistry();
    const picked = await picker.open({});
    expect(picked).toBe('/home/me/parts.csv');
    const ref = files.register(picked!, 'read');
    expect(ref.token).toMatch(/^f_[A-Za-z0-9_-]+$/);
    expect(ref.token).not.toContain('parts');
    expect(ref.name).toBe('parts.csv');
    expect(files.resolve(ref.token, 'read')).toBe('/home/me/parts.csv');
    expect(() => files.resolve(ref.token, 'write')).toThrow(/chosen for reading/);
    expect(await picker.open({})).toBeNull();
    expect(await picker.save({ suggestedName: 'out.xlsx', extensions: ['xlsx'] })).toBe('/home/me/out.xlsx');
    expect(dialog.showSaveDialog.mock.calls[0]![0]).toMatchObject({ defaultPath: 'out.xlsx', filters: [{ extensions: ['xlsx'] }] });
  });
});
