import { describe, expect, it } from 'vitest';
import { affects } from '../../../src/renderer/data/queries';

describe('which Sets reads a change refreshes', () => {
  const lots = (reason: string, ownerId: number | null = 1) => ({ kind: 'data' as const, ownerId, reason });
  const catalog = { kind: 'data' as const, ownerId: null, reason: 'catalog' };
  const build = { source: { setNum: '915-1' } };

  it('a catalogue update refreshes every Sets read: a set’s parts, themes or the set itself may have arrived', () => {
    for (const ch of ['sets.search', 'sets.themes', 'sets.get', 'sets.build', 'sets.builds', 'sets.parts']) {
      expect(affects(catalog, ch, {}), ch).toBe(true);
    }
  });

  it('a lot change, a part out, a build or taking one apart refreshes matching and the builds, not the catalogue reads', () => {
    for (const reason of ['created', 'sets.partOut', 'sets.markBuilt', 'sets.takeApart', 'imported']) {
      expect(affects(lots(reason), 'sets.build', build), reason).toBe(true);
      expect(affects(lots(reason), 'sets.builds', {}), reason).toBe(true);
      expect(affects(lots(reason), 'sets.get', { setNum: '915-1' }), reason).toBe(false);
      expect(affects(lots(reason), 'sets.search', {}), reason).toBe(false);
    }
  });

  it('another owner’s lot change leaves the matching of this owner alone', () => {
    expect(affects(lots('sets.partOut', 2), 'sets.build', { ...build, ownerId: 1 })).toBe(false);
    expect(affects(lots('sets.partOut', 1), 'sets.build', { ...build, ownerId: 1 })).toBe(true);
  });

  it('a profile switch refreshes matching and the builds', () => {
    expect(affects(lots('profile-switched'), 'sets.build', build)).toBe(true);
    expect(affects(lots('profile-switched'), 'sets.builds', {})).toBe(true);
  });
});
