// CLI command for this installation's backup settings. The person at the terminal may name the
// backup folder as a path (the app's window may not: it picks one in the folder dialog); the path
// is registered as that dialog's answer would be, and both set it with the same config.set.
import type { AppConfig } from '../../shared/types';
import type { Command } from './types';
import { call, fileToken } from './types';

function describe(cfg: AppConfig, folder: string): string {
  return [
    `Backup folder:   ${folder}${cfg.backupDir === null ? ' (default)' : ''}`,
    `Automatic:       ${cfg.autoBackup ? `every ${cfg.backupIntervalHours} h` : 'off'}`,
    `Kept:            ${cfg.keepRecentHours} h (at most ${cfg.keepRecentMax}), ${cfg.keepDaily} daily, ${cfg.keepWeekly} weekly, ${cfg.keepMonthly} monthly`,
  ].join('\n');
}

export const configCmd: Command = {
  summary: 'show the backup settings, or set the backup folder (--backup-dir DIR, or default)',
  usage: 'config [--backup-dir DIR|default]',
  options: { 'backup-dir': { type: 'string' } },
  readOnly: ({ values }) => values['backup-dir'] === undefined,
  async run({ core, values }) {
    const dir = values['backup-dir'] as string | undefined;
    const cfg =
      dir === undefined
        ? await call(core, 'config.get', {})
        : await call(core, 'config.set', { backupFolder: dir === 'default' ? null : fileToken(core, dir, 'folder') });
    const folder = (await call(core, 'app.info', {})).backupDir;
    return { json: { ...cfg, folder }, text: describe(cfg, folder) };
  },
};

export const configCommands: Record<string, Command> = { config: configCmd };
