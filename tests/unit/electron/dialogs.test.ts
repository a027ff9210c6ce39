import { describe, expect, it, vi } from 'vitest';
import { electronDesktop } from '../../../src/main/electron/desktop-host';
import { createFileRegistry } from '../../../src/main/files';

describe('native file dialogs', () => {
  it('returns the chosen path, or null when cancelled, and the registry hides it behind a token', async () => {
    const dialog = {
      showOpenDialog: vi
        .fn()
        .mockResolvedValueOnce({ canceled: false, filePaths: ['/home/me/parts.csv'] })
        .mockResolvedValueOnce({ canceled: true, filePaths: [] }),
      showSaveDialog: vi.fn().mockResolvedValue({ canceled: false, filePath: '/home/me/out.xlsx' }),
    };
    const picker = electronDesktop({ dialog: dialog as never, shell: { openPath: async () => '' }, window: () => null });
    const files = createFileRegistry();
    const [picked] = (await picker.openFile({})) ?? [];
    expect(picked).toBe('/home/me/parts.csv');
    const ref = files.register(picked!, 'read');
    expect(ref.token).toMatch(/^f_[A-Za-z0-9_-]+$/);
    expect(ref.token).not.toContain('parts');
    expect(ref.name).toBe('parts.csv');
    expect(files.resolve(ref.token, 'read')).toBe('/home/me/parts.csv');
    expect(() => files.resolve(ref.token, 'write')).toThrow(/chosen for reading/);
    expect(await picker.openFile({})).toBeNull();
    expect(await picker.saveFile({ suggestedName: 'out.xlsx', filters: [{ name: 'XLSX', extensions: ['xlsx'] }] })).toBe(
      '/home/me/out.xlsx',
    );
    expect(dialog.showSaveDialog.mock.calls[0]![0]).toMatchObject({
      defaultPath: 'out.xlsx',
      filters: [{ extensions: ['xlsx'] }],
    });
  });
});
