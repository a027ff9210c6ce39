// Every control has an accessible name (as Chromium computes it) and the main controls are
// reachable with the keyboard alone.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { test, expect, seed } from './fixtures';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
  await expect(dialog.getByLabel('Part', { exact: true })).toBeFocused();
  const partNow = await dialog.getByLabel('Part', { exact: true }).inputValue();
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

/** Heading levels in document order: one h1 first, and no level skipped on the way down. */
async function headingProblems(page: Page): Promise<string[]> {
  const levels = await page.evaluate<number[]>(
    `[...document.querySelectorAll('main h1, main h2, main h3, main h4, dialog[open] h1, dialog[open] h2, dialog[open] h3')].map((h) => Number(h.tagName[1]))`,
  );
  const problems: string[] = [];
  if (levels[0] !== 1) problems.push(`first heading is h${levels[0]}`);
  levels.forEach((l, i) => {
    if (i > 0 && l > levels[i - 1]! + 1) problems.push(`h${levels[i - 1]} then h${l}`);
  });
  if (levels.filter((l) => l === 1).length > 1) problems.push('more than one h1');
  return problems;
}

test.describe('the Sets screens', () => {
  test.use({ catalog: true });

  test('every control is named and the headings are in order on each Sets screen and dialog', async ({ app, host }) => {
    const token = host.core.files.register(path.join(repoRoot, 'tests/fixtures/catalog/inventory_parts.csv'), 'read').token;
    expect((await host.core.invoke('catalog.import', { files: [token] })).ok).toBe(true);
    seed(host, [{ partId: '3007', colorId: 15, quantityTotal: 2, storageLocation: 'Drawer A' }]);
    await app.getByRole('button', { name: 'Sets', exact: true }).click();
    await expect(app.getByTestId('set-count')).toHaveText(/sets$/);
    expect(await unnamedControls(app), 'sets search').toEqual([]);
    expect(await headingProblems(app), 'sets search').toEqual([]);

    await app.getByRole('searchbox', { name: 'Search sets' }).fill('915-1');
    await app.getByRole('button', { name: /^915-1 / }).click();
    await expect(app.getByTestId('fig-pct')).toBeVisible();
    expect(await unnamedControls(app), 'set page').toEqual([]);
    expect(await headingProblems(app), 'set page').toEqual([]);
    // Focus is visible: the focused button draws an outline.
    await app.getByRole('button', { name: 'Part out…' }).focus();
    await app.keyboard.press('Shift+Tab');
    await app.keyboard.press('Tab');
    const outline = await app.getByRole('button', { name: 'Part out…' }).evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');

    await app.keyboard.press('Enter');
    await expect(app.getByRole('dialog', { name: /^Part out/ })).toBeVisible();
    expect(await unnamedControls(app), 'part out dialog').toEqual([]);
    await app.keyboard.press('Escape');
    await app.getByRole('button', { name: 'Export missing…' }).click();
    await expect(app.getByRole('dialog', { name: /^Export missing parts/ })).toBeVisible();
    expect(await unnamedControls(app), 'export missing dialog').toEqual([]);
    await app.keyboard.press('Escape');

    await app.getByRole('button', { name: 'Part out…' }).click();
    await app.getByRole('dialog').getByLabel('Location').fill('Drawer A');
    await app.getByRole('dialog').getByRole('button', { name: 'Part out', exact: true }).click();
    await expect(app.getByTestId('fig-pct')).toHaveText('100 %');
    await app.getByRole('button', { name: 'Mark as built' }).click();
    await expect(app.getByTestId('builds-table')).toBeVisible();
    expect(await unnamedControls(app), 'set page, built').toEqual([]);
    expect(await headingProblems(app), 'set page, built').toEqual([]);

    const nav = app.getByRole('navigation', { name: 'Sets' });
    await nav.getByRole('button', { name: 'Which sets can I build?' }).click();
    await app.getByRole('button', { name: 'Find sets' }).click();
    await expect(app.getByTestId('buildable-table')).toBeVisible();
    expect(await unnamedControls(app), 'which sets can I build').toEqual([]);
    expect(await headingProblems(app), 'which sets can I build').toEqual([]);

    await nav.getByRole('button', { name: 'Built' }).click();
    await expect(app.getByTestId('all-builds')).toBeVisible();
    expect(await unnamedControls(app), 'built').toEqual([]);
    expect(await headingProblems(app), 'built').toEqual([]);
  });
});
