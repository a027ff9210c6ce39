// Every control has an accessible name (as Chromium computes it) and the main controls are
// reachable with the keyboard alone.
import type { Page } from '@playwright/test';
import { test, expect, seed } from './fixtures';

const CONTROL_ROLES = new Set([
  'button',
  'textbox',
  'searchbox',
  'combobox',
  'checkbox',
  'radio',
  'spinbutton',
  'listbox',
  'link',
  'slider',
  'switch',
  'tab',
]);

async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { ignored: boolean; role?: { value: string }; name?: { value: string }; backendDOMNodeId?: number }[];
  };
  await cdp.detach();
  return nodes
    .filter((n) => !n.ignored && CONTROL_ROLES.has(n.role?.value ?? '') && !(n.name?.value ?? '').trim())
    .map((n) => `${n.role?.value} #${n.backendDOMNodeId}`);
}

test('every control on every screen and dialog has an accessible name', async ({ app, host }) => {
  seed(host, [{ partId: '3001', colorId: 4, quantityTotal: 3, storageLocation: 'Drawer 1', name: 'Brick' }]);
  await app.reload();
  await expect(app.getByRole('row', { name: /Brick/ })).toBeVisible();
  expect(await unnamedControls(app), 'inventory').toEqual([]);
  await app.getByRole('button', { name: '+ New item' }).click();
  await app.getByRole('combobox', { name: 'Colour', exact: true }).fill('re');
  expect(await unnamedControls(app), 'new item dialog').toEqual([]);
  await app.getByRole('button', { name: 'Cancel' }).click();
  await app.getByRole('button', { name: 'Dashboard' }).click();
  await expect(app.getByRole('heading', { name: 'Top colours' })).toBeVisible();
  expect(await unnamedControls(app), 'dashboard').toEqual([]);
  await app.getByRole('button', { name: 'Settings' }).click();
  await expect(app.getByRole('heading', { name: 'Settings' })).toBeVisible();
  expect(await unnamedControls(app), 'settings').toEqual([]);
  await app.getByRole('button', { name: 'Backups', exact: true }).click();
  await expect(app.getByRole('dialog', { name: 'Backups & Restore' })).toBeVisible();
  expect(await unnamedControls(app), 'backups dialog').toEqual([]);
});

test('the inventory works from the keyboard alone', async ({ app, host }) => {
  seed(host, [
    { partId: '3001', colorId: 4, quantityTotal: 3, name: 'First brick' },
    { partId: '3002', colorId: 1, quantityTotal: 4, name: 'Second brick' },
  ]);
  await app.reload();
  await expect(app.getByTestId('lot-count')).toHaveText('2 lots');
  const reached: string[] = [];
  for (let i = 0; i < 25; i++) {
    await app.keyboard.press('Tab');
    reached.push(
      await app.evaluate<string>(
        `(() => { const el = document.activeElement; const role = el && el.getAttribute('role') ? el.getAttribute('role') + ':' : ''; return el ? role + (el.getAttribute('aria-label') || el.id || (el.textContent || '').trim().slice(0, 20) || el.tagName) : ''; })()`,
      ),
    );
  }
  for (const want of [
    'Inventory',
    'Dashboard',
    'Settings',
    'Backups',
    'inv-search',
    'inv-location',
    'inv-color',
    '+ New item',
    'grid:Inventory',
  ]) {
    expect(
      reached.some((r) => r.startsWith(want)),
      `${want} in ${reached.join(' | ')}`,
    ).toBe(true);
  }
  // in the table: arrows select, Enter edits
  await app.getByRole('grid', { name: 'Inventory' }).focus();
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  const dialog = app.getByRole('dialog', { name: 'Edit lot' });
  await expect(dialog.getByLabel('Part')).toBeFocused();
  const partNow = await dialog.getByLabel('Part').inputValue();
  expect(['3001', '3002']).toContain(partNow);
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // the colour picker works with keys
  await app.keyboard.press('Control+n');
  const add = app.getByRole('dialog', { name: 'New item' });
  await app.keyboard.type('3003');
  await app.keyboard.press('Tab'); // name
  await app.keyboard.press('Tab'); // colour
  await app.keyboard.type('Yellow');
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  await expect(add.getByRole('combobox', { name: 'Colour', exact: true })).toHaveValue(/Yellow/);
  await add.getByLabel('Total quantity').focus();
  await app.keyboard.press('Control+a');
  await app.keyboard.type('9');
  await app.keyboard.press('Enter');
  await expect(add).toBeHidden();
  await expect(app.getByTestId('lot-count')).toHaveText('3 lots');
});
