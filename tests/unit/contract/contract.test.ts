// The contract: every call answers through core.invoke, and malformed input of every call is
// refused with invalid-input before anything is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { CHANNELS, contract, type Channel } from '../../../src/shared/contract';
import { ERROR_CODES } from '../../../src/shared/errors';
import path from 'node:path';
import { cleanupTempDirs, makeCore, ok, repoRoot, tempDir } from '../../helpers';

let core: Core;
let lotId = 0;
let otherId = 0;

beforeAll(async () => {
  core = makeCore();
  const r = await ok(core.invoke('inventory.create', { lot: { partId: '3001', colorId: 4, quantityTotal: 3 } }));
  if (r.status !== 'created') throw new Error('seed failed');
  lotId = r.lot.id;
  otherId = (await ok(core.invoke('profiles.create', { name: 'Other' }))).id;
});
afterAll(() => {
  core.close();
  cleanupTempDirs();
});

/** A valid input for each call (a function when it needs state made in beforeAll). */
const samples: Record<string, () => unknown> = {
  'app.info': () => ({}),
  'colors.list': () => ({}),
  'inventory.list': () => ({ search: 'brick', sort: 'name', dir: 'asc', limit: 10 }),
  'inventory.get': () => ({ id: lotId }),
  'inventory.create': () => ({ lot: { partId: '3002', colorId: 0, quantityTotal: 1 } }),
  'inventory.update': () => ({ id: lotId, patch: { notes: 'checked' } }),
  'inventory.delete': () => ({ id: 987654 }),
  'inventory.whereIs': () => ({ partId: '3001' }),
  'history.state': () => ({}),
  'history.undo': () => ({}),
  'history.redo': () => ({ steps: 2 }),
  'history.list': () => ({ limit: 5 }),
  'history.lot': () => ({ id: lotId }),
  'history.deleted': () => ({ search: '3001 red' }),
  'history.settings': () => ({}),
  'history.configure': () => ({ maxDays: 30 }),
  'inventory.locations': () => ({}),
  'inventory.summary': () => ({}),
  'desktop.pickBackupFolder': () => ({}),
  'desktop.openFolder': () => ({ which: 'logs' }),
  'profiles.list': () => ({}),
  'profiles.current': () => ({}),
  'profiles.create': () => ({ name: 'Third' }),
  'profiles.rename': () => ({ id: otherId, name: 'Other renamed' }),
  'profiles.impact': () => ({ id: otherId }),
  'profiles.delete': () => ({ id: 424242 }),
  'profiles.switch': () => ({ id: 1 }),
  'profiles.accessible': () => ({}),
  'collabs.list': () => ({}),
  'collabs.grant': () => ({ collaboratorId: otherId }),
  'collabs.accept': () => ({ id: 999 }),
  'collabs.revoke': () => ({ id: 999 }),
  'preferences.get': () => ({}),
  'preferences.set': () => ({ itemsPerPage: 50 }),
  'config.get': () => ({}),
  'config.set': () => ({ keepDaily: 10 }),
  'backup.status': () => ({}),
  'backup.list': () => ({}),
  'backup.create': () => ({}),
  'backup.cancel': () => ({}),
  'backup.verify': () => ({ backupId: 'blockshelf-2020-01-01T00-00-00-000Z-manual.db.gz' }),
  'backup.restore': () => ({ backupId: 'blockshelf-2020-01-01T00-00-00-000Z-manual.db.gz' }),
  'backup.prune': () => ({ dryRun: true }),
  'backup.archive': () => ({ fileToken: '0'.repeat(32) }),
  'backup.pickFile': () => ({ purpose: 'restore' }),
  // Import, export and the catalogue: files are tokens main handed out.
  'files.pickImport': () => ({}),
  'files.pickExport': () => ({ suggestedName: 'inventory.csv', format: 'blockshelf-csv' }),
  'import.detect': () => ({ file: readToken('transfer/blockshelf.csv') }),
  'import.preview': () => ({ file: readToken('transfer/blockshelf.csv'), mode: 'add' }),
  'import.apply': () => ({ importId: 'no-such-import' }),
  'import.problems': () => ({ importId: 'no-such-import' }),
  'import.cancel': () => ({ jobId: 'no-such-job' }),
  'export.run': () => ({ file: core.files.register(path.join(tempDir(), 'out.csv'), 'write').token, format: 'blockshelf-csv' }),
  'catalog.import': () => ({ files: [readToken('catalog/part_categories.csv')] }),
  'catalog.stats': () => ({}),
  'catalog.status': () => ({}),
  'catalog.lookup': () => ({ query: '3001' }),
  'catalog.search': () => ({ query: 'brick 2 x 4' }),
  'catalog.fillNames': () => ({}),
  // Sets: a catalogue set or a part list file, matched against the acting profile's lots.
  'sets.search': () => ({ query: 'razor crest', yearFrom: 2020, limit: 10 }),
  'sets.themes': () => ({}),
  'sets.get': () => ({ setNum: '75331-1' }),
  'sets.parts': () => ({ source: { file: readToken('sets/part-list.csv') } }),
  'sets.build': () => ({ source: { file: readToken('sets/part-list.csv') }, options: { ignoreColor: true } }),
  'sets.buildable': () => ({ minPct: 50, limit: 5 }),
  'sets.partOut': () => ({ source: { file: readToken('sets/part-list.csv') }, location: 'Bin 9' }),
  'sets.markBuilt': () => ({ source: { file: readToken('sets/part-list.csv') } }),
  'sets.takeApart': () => ({ buildId: 987654 }),
  'sets.builds': () => ({}),
  'sets.exportMissing': () => ({
    source: { file: readToken('sets/part-list.csv') },
    file: core.files.register(path.join(tempDir(), 'missing.xml'), 'write').token,
    format: 'bricklink-xml',
  }),
  // Pictures and labels: the picture source is the core's, never an input.
  'pictures.settings': () => ({}),
  'pictures.configure': () => ({ limitMb: 50 }),
  'pictures.clear': () => ({}),
  'labels.preview': () => ({ selection: { location: '' }, layout: 'a4-24' }),
  'labels.pickSave': () => ({ suggestedName: 'labels.pdf' }),
  'labels.create': () => ({
    selection: { lotIds: [lotId] },
    layout: 'avery-5167',
    file: core.files.register(path.join(tempDir(), 'labels.pdf'), 'write').token,
  }),
  'labels.print': () => ({ selection: { location: '' }, layout: 'roll-62mm' }),
};
const readToken = (fixture: string) => core.files.register(path.join(repoRoot, 'tests/fixtures', fixture), 'read').token;

const changes = () => core.db.sqlite.prepare('SELECT total_changes()').pluck().get() as number;

describe('the IPC contract', () => {
  it('has a sample input here for every call', () => {
    expect(CHANNELS.filter((c) => !(c in samples))).toEqual([]);
  });

  it.each(CHANNELS)('%s answers a valid call with data or an expected error code', async (channel) => {
    const sample = samples[channel];
    if (!sample) throw new Error(`no sample for ${channel}`);
    const input = sample();
    expect(contract[channel as Channel].input.safeParse(input).success).toBe(true);
    const r = await core.invoke(channel, input);
    if (!r.ok) {
      expect(ERROR_CODES).toContain(r.error.code);
      expect(r.error.code).not.toBe('internal');
      expect(r.error.code).not.toBe('invalid-input');
      expect(r.error.message.length).toBeGreaterThan(0);
    }
  });

  it.each(CHANNELS)('%s refuses malformed input with invalid-input and writes nothing', async (channel) => {
    for (const bad of [{ __proto_pollution__: 1 }, 'text', 42, [1, 2], { ...(samples[channel]?.() as object), extra: true }]) {
      const before = changes();
      const r = await core.invoke(channel, bad);
      expect(r.ok, `${channel} accepted ${JSON.stringify(bad)}`).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid-input');
      expect(changes()).toBe(before);
    }
  });

  it('refuses an unknown call', async () => {
    const r = await core.invoke('inventory.dropTable', {});
    expect(!r.ok && r.error.code).toBe('invalid-input');
  });

  it('hides unexpected errors behind internal and logs them', async () => {
    const logged: string[] = [];
    const c = makeCore({ logger: { info() {}, warn() {}, error: (m) => logged.push(m) } });
    c.db.sqlite.exec('DROP TABLE user_preferences');
    c.prefs.invalidateAll();
    const r = await c.invoke('preferences.get', {});
    expect(!r.ok && r.error.code).toBe('internal');
    expect(!r.ok && r.error.message).not.toMatch(/no such table/);
    expect(logged).toEqual(['unexpected error in preferences.get']);
    c.close();
  });
});
