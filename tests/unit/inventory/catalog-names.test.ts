// Lots without a name are listed with the catalogue's name of their part, where it knows one.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeCore, ok } from '../../helpers';

afterEach(cleanupTempDirs);

describe('catalogue names on list pages', () => {
  it('gives unnamed lots the catalogue name of their part, and leaves named and unknown parts alone', async () => {
    const core = makeCore();
    // Added before the catalogue knew the parts (a new lot takes the catalogue's name when it does).
    for (const lot of [
      { partId: '3001', colorId: 4, quantityTotal: 1 },
      { partId: '3001', colorId: 1, quantityTotal: 1 },
      { partId: '3003', colorId: 4, quantityTotal: 1, name: 'My own name' },
      { partId: 'zz-unknown', colorId: 4, quantityTotal: 1 },
    ]) {
      await ok(core.invoke('inventory.create', { lot }));
    }
    core.db.sqlite
      .prepare("INSERT OR REPLACE INTO parts (part_num, name) VALUES ('3001', 'Brick 2 x 4'), ('3003', 'Brick 2 x 2')")
      .run();
    const page = await ok(core.invoke('inventory.list', { sort: 'part', dir: 'asc', limit: 10 }));
    expect(page.items.map((l) => [l.partId, l.name, l.catalogName])).toEqual([
      ['3001', '', 'Brick 2 x 4'],
      ['3001', '', 'Brick 2 x 4'],
      ['3003', 'My own name', undefined],
      ['zz-unknown', '', undefined],
    ]);
    // What is stored is unchanged: a single lot and exports read the lot as it is.
    expect((await ok(core.invoke('inventory.get', { id: page.items[0]!.id }))).name).toBe('');
    core.close();
  });
});
