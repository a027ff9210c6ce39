import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES } from '../../../src/main/preferences/service';
import { cleanupTempDirs, makeCore, ok } from '../../helpers';

afterEach(cleanupTempDirs);

describe('preferences and app config through the cache', () => {
  it('serves a second read from the cache without SQL, and shows a write on the very next read', async () => {
    const core = makeCore();
    const me = core.profiles.current().id;
    expect(core.prefs.get(me)).toEqual(DEFAULT_PREFERENCES);
    let before = core.db.stats.statements;
    core.prefs.get(me);
    core.prefs.theme(me);
    core.prefs.theme(me);
    expect(core.db.stats.statements - before).toBe(0);

    await ok(core.invoke('preferences.set', { theme: 'dark', lowStockThreshold: 5 }));
    expect(core.prefs.get(me)).toMatchObject({ theme: 'dark', lowStockThreshold: 5 });
    expect(core.prefs.theme(me)).toBe('dark');
    before = core.db.stats.statements;
    expect((await ok(core.invoke('preferences.get', {}))).theme).toBe('dark');
    expect(core.db.stats.statements - before).toBe(0);

    core.prefs.getConfig();
    before = core.db.stats.statements;
    core.prefs.getConfig();
    expect(core.db.stats.statements - before).toBe(0);
    await ok(core.invoke('config.set', { backupIntervalHours: 6 }));
    expect((await ok(core.invoke('config.get', {}))).backupIntervalHours).toBe(6);
    core.close();
  });

  it('keeps preferences per profile and forgets them when a profile is deleted', async () => {
    const core = makeCore();
    const me = core.profiles.current();
    const other = await ok(core.invoke('profiles.create', { name: 'Other' }));
    await ok(core.invoke('preferences.set', { theme: 'light' }));
    await ok(core.invoke('profiles.switch', { id: other.id }));
    await ok(core.invoke('preferences.set', { theme: 'dark' }));
    expect(core.prefs.theme(other.id)).toBe('dark');
    expect(core.prefs.theme(me.id)).toBe('light');
    await ok(core.invoke('profiles.delete', { id: other.id }));
    expect(core.prefs.cache.has(`user_theme:${other.id}`)).toBe(false);
    expect(core.prefs.cache.has(`user_prefs:${other.id}`)).toBe(false);
    expect(core.prefs.theme(other.id)).toBe('system'); // the row went with the profile
    core.close();
  });

  it('drops every cached value when the database is reopened (restore)', async () => {
    const core = makeCore();
    await ok(core.invoke('preferences.set', { theme: 'dark' }));
    core.prefs.getConfig();
    core.db.sqlite.prepare("UPDATE user_preferences SET theme = 'light'").run(); // as a restored file would hold
    expect(core.prefs.theme(core.profiles.current().id)).toBe('dark'); // still cached
    core.reopen();
    expect(core.prefs.theme(core.profiles.current().id)).toBe('light');
    core.close();
  });

  it('refuses values outside the allowed ranges', async () => {
    const core = makeCore();
    for (const bad of [{ itemsPerPage: 5 }, { theme: 'pink' }, { sortKey: 'price' }, { lowStockThreshold: -1 }]) {
      const r = await core.invoke('preferences.set', bad);
      expect(!r.ok && r.error.code, JSON.stringify(bad)).toBe('invalid-input');
    }
    const r = await core.invoke('config.set', { backupIntervalHours: 24 * 8 });
    expect(!r.ok && r.error.code).toBe('invalid-input');
    core.close();
  });
});
