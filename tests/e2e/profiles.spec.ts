// Settings → Profile: rename and delete profiles. Delete says first what goes with the profile
// and wants its name typed when lots would go.
import { test, expect } from './fixtures';

test('rename a profile, then delete it after reading what goes and typing its name', async ({ app, host }) => {
  const me = host.core.profiles.current();
  const kid = host.core.profiles.create('Kid');
  host.core.profiles.create('Empty');
  // Kid holds two lots and shares its inventory with me.
  host.core.profiles.switchTo(kid.id);
  const access = host.core.access();
  host.core.inventory.create(access, { partId: '3001', colorId: 4, quantityTotal: 10 }, 'reject');
  host.core.inventory.create(access, { partId: '3003', colorId: 1, quantityTotal: 5 }, 'reject');
  host.core.profiles.grant(kid.id, me.id, { canEdit: true });
  host.core.profiles.switchTo(me.id);
  await app.reload();

  await app.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  const profiles = app.getByRole('table', { name: 'Profiles' });
  await expect(profiles).toContainText('My collection (in use)');

  await app.getByRole('button', { name: 'Rename the profile Kid' }).click();
  const rename = app.getByRole('dialog', { name: 'Rename profile' });
  await expect(rename.getByLabel('New name for “Kid”')).toBeFocused();
  await rename.getByLabel('New name for “Kid”').fill('empty');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename.getByRole('alert')).toContainText('already exists');
  await rename.getByLabel('New name for “Kid”').fill('Alex');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename).toBeHidden();
  await expect(profiles).toContainText('Alex');
  expect(host.core.profiles.get(kid.id).name).toBe('Alex');

  await app.getByRole('button', { name: 'Delete the profile Alex' }).click();
  const ask = app.getByRole('alertdialog', { name: 'Delete the profile Alex?' });
  const impact = ask.getByTestId('profile-impact');
  await expect(impact).toContainText('Its 2 lots (15 parts) are deleted with it.');
  await expect(impact).toContainText('Its inventory is shared with My collection: that profile loses it.');
  const del = ask.getByRole('button', { name: 'Delete Alex and 2 lots' });
  await expect(del).toBeDisabled();
  await ask.getByLabel('Type “Alex” to delete it with its lots').fill('Ale');
  await expect(del).toBeDisabled();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  expect(host.core.profiles.list().map((p) => p.name)).toContain('Alex');

  await app.getByRole('button', { name: 'Delete the profile Alex' }).click();
  await ask.getByLabel('Type “Alex” to delete it with its lots').fill('Alex');
  await del.click();
  await expect(ask).toBeHidden();
  await expect(profiles).not.toContainText('Alex');
  expect(host.core.profiles.list().map((p) => p.name)).toEqual(['Empty', 'My collection']);
  expect(host.core.db.sqlite.prepare('SELECT count(*) FROM inventory_items').pluck().get()).toBe(0);

  // A profile without lots goes after a plain question; the last one cannot go.
  await app.getByRole('button', { name: 'Delete the profile Empty' }).click();
  const plain = app.getByRole('alertdialog', { name: 'Delete the profile Empty?' });
  await expect(plain.getByTestId('profile-impact')).toContainText('Empty holds no lots.');
  await expect(plain.getByRole('textbox')).toHaveCount(0);
  await plain.getByRole('button', { name: 'Delete Empty' }).click();
  await expect(plain).toBeHidden();
  await expect(app.getByRole('button', { name: 'Delete the profile My collection' })).toBeDisabled();
});
