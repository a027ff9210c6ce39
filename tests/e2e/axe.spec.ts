// axe-core on every screen and dialog, in the light and the dark theme, on real data: any
// serious or critical violation fails, and so do the heading rules (a level-one heading on each
// screen, no skipped levels). A new screen or dialog is one more entry in SCREENS.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, seedRealExport, exportsDir } from './fixtures';
import type { Host } from './host';
import { unwrap } from '../../src/shared/errors';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Screen {
  name: string;
  /** Opens the screen (from the inventory) and waits until it shows its content. */
  open(page: Page, host: Host): Promise<void>;
  /** Closes it again (dialogs); views are left by opening the next. */
  close?(page: Page): Promise<void>;
}

/** Escape closes a dialog (a first Escape may close a list inside it). */
const closeDialog = async (page: Page) => {
  await expect(async () => {
    await page.keyboard.press('Escape');
    expect(await page.locator('dialog[open]').count()).toBe(0);
  }).toPass({ timeout: 10_000 });
};

async function show(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

const SCREENS: Screen[] = [
  {
    name: 'inventory',
    async open(page) {
      await show(page, 'Inventory');
      await expect(page.locator('[aria-busy=true]')).toHaveCount(0);
    },
  },
  { name: 'dashboard', open: (page) => show(page, 'Dashboard') },
  { name: 'settings', open: (page) => show(page, 'Settings') },
  {
    name: 'item editor',
    async open(page) {
      await page.getByRole('grid', { name: 'Inventory' }).getByRole('row').nth(1).dblclick();
      await expect(page.getByRole('dialog', { name: 'Edit lot' })).toBeVisible();
    },
    close: closeDialog,
  },
  {
    name: 'new item with the colour list open',
    async open(page) {
      await page.getByRole('button', { name: '+ New item' }).click();
      const dialog = page.getByRole('dialog', { name: 'New item' });
      await dialog.getByRole('combobox', { name: 'Colour', exact: true }).fill('bl');
      await expect(dialog.getByRole('listbox')).toBeVisible();
    },
    close: closeDialog,
  },
  {
    name: 'delete a lot',
    async open(page) {
      await page.getByRole('grid', { name: 'Inventory' }).getByRole('row').nth(1).click();
      await page.getByRole('grid', { name: 'Inventory' }).press('Delete');
      await expect(page.getByRole('alertdialog', { name: 'Delete lot?' })).toBeVisible();
    },
    close: closeDialog,
  },
  {
    name: 'import wizard with a preview',
    async open(page, host) {
      host.desktop.queueOpen([path.join(exportsDir, 'rebrickable_parts_401016_5-Transport-Vehicles.csv')]);
      host.menu('import.open');
      const dialog = page.getByRole('dialog', { name: 'Import parts' });
      await dialog.getByRole('button', { name: 'Check the file' }).click();
      await expect(dialog.getByTestId('import-preview')).toBeVisible();
    },
    close: closeDialog,
  },
  {
    name: 'export',
    async open(page, host) {
      host.menu('export.open');
      await expect(page.getByRole('dialog', { name: 'Export parts' })).toBeVisible();
    },
    close: closeDialog,
  },
  {
    name: 'backups & restore after a backup',
    async open(page) {
      await page.getByRole('button', { name: 'Backups', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Backups & Restore' });
      await dialog.getByRole('button', { name: 'Back up now' }).click();
      await expect(dialog.getByRole('status')).toContainText('Backup made');
    },
    close: closeDialog,
  },
  {
    name: 'restore confirmation',
    async open(page) {
      await page.getByRole('button', { name: 'Backups', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Backups & Restore' });
      await dialog
        .getByRole('button', { name: /^Restore the backup from / })
        .first()
        .click();
      await expect(page.getByRole('alertdialog', { name: 'Restore this backup?' })).toBeVisible();
    },
    async close(page) {
      await page.getByRole('alertdialog', { name: 'Restore this backup?' }).getByRole('button', { name: 'Cancel' }).click();
      await closeDialog(page);
    },
  },
  {
    name: 'about',
    async open(page, host) {
      host.menu('about.open');
      await expect(page.getByRole('dialog', { name: /About/ })).toBeVisible();
    },
    close: closeDialog,
  },
  {
    name: 'rename a profile',
    async open(page) {
      await show(page, 'Settings');
      await page.getByRole('button', { name: 'Rename the profile My collection' }).click();
      await expect(page.getByRole('dialog', { name: 'Rename profile' })).toBeVisible();
    },
    close: closeDialog,
  },
  {
    name: 'delete a profile',
    async open(page) {
      await show(page, 'Settings');
      await page.getByRole('button', { name: 'Delete the profile Second' }).click();
      await expect(page.getByRole('alertdialog', { name: 'Delete the profile Second?' })).toBeVisible();
    },
    close: closeDialog,
  },
  {
    name: 'labels with a preview',
    async open(page) {
      await page.getByRole('button', { name: 'Labels…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Print labels' });
      await expect(dialog.getByTestId('labels-summary')).toBeVisible();
    },
    close: closeDialog,
  },
  {
    name: 'sets: find a set, with results',
    async open(page) {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Sets', exact: true }).click();
      await page.getByRole('navigation', { name: 'Sets' }).getByRole('button', { name: 'Find a set' }).click();
      await page.getByRole('searchbox', { name: 'Search sets' }).fill('75331');
      await expect(page.getByRole('table', { name: 'Sets found' }).locator('tbody tr')).toHaveCount(1);
    },
  },
  {
    name: "sets: a set's page (parts not known yet)",
    async open(page) {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Sets', exact: true }).click();
      await page.getByRole('navigation', { name: 'Sets' }).getByRole('button', { name: 'Find a set' }).click();
      await page.getByRole('searchbox', { name: 'Search sets' }).fill('75331');
      await page.getByRole('button', { name: '75331-1 The Razor Crest' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'The Razor Crest' })).toBeVisible();
    },
  },
  {
    name: "sets: a set's page with its parts known (pictures in the missing table and the pick list)",
    async open(page, host) {
      unwrap(
        await host.core.invoke('catalog.import', {
          files: [host.core.files.register(path.join(repoRoot, 'tests/fixtures/catalog/inventory_parts.csv'), 'read').token],
        }),
      );
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Sets', exact: true }).click();
      await page.getByRole('navigation', { name: 'Sets' }).getByRole('button', { name: 'Find a set' }).click();
      await page.getByRole('searchbox', { name: 'Search sets' }).fill('915-1');
      await page.getByRole('button', { name: /^915-1 / }).click();
      await expect(page.locator('.report img[data-picture]').first()).toBeVisible();
    },
  },
  {
    name: "labels for a set's parts",
    async open(page) {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Sets', exact: true }).click();
      await expect(page.locator('.report')).toBeVisible();
      await page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Labels…' }).click();
      await expect(page.getByRole('dialog', { name: 'Print labels' }).getByTestId('labels-summary')).toBeVisible();
    },
    close: closeDialog,
  },
  {
    name: 'sets: which sets can I build',
    async open(page) {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Sets', exact: true }).click();
      await page.getByRole('navigation', { name: 'Sets' }).getByRole('button', { name: 'Which sets can I build?' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Which sets can I build?' })).toBeVisible();
    },
  },
  {
    name: 'sets: built',
    async open(page) {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Sets', exact: true }).click();
      await page.getByRole('navigation', { name: 'Sets' }).getByRole('button', { name: 'Built' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Built' })).toBeVisible();
    },
  },
];

/** Rules that fail although axe rates them moderate: the page's outline must hold. */
const ALSO_FAIL = new Set(['page-has-heading-one', 'heading-order']);

async function violations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || ALSO_FAIL.has(v.id))
    .flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.replaceAll('\n', ' ') ?? v.help}`),
    );
}

// The shipped catalogue is loaded, as in the app after its first start (the Sets screens need it).
test.use({ catalog: true });

for (const theme of ['light', 'dark'] as const) {
  test(`axe finds no serious violation on any screen or dialog in the ${theme} theme`, async ({ app, host }) => {
    test.setTimeout(180_000);
    await seedRealExport(host);
    const owner = host.core.profiles.current().id;
    host.core.profiles.create('Second');
    host.core.prefs.set(owner, { theme, lowStockThreshold: 2 });
    await app.reload();
    await expect(app.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(app.locator('[aria-busy=true]')).toHaveCount(0);

    const found: Record<string, string[]> = {};
    for (const screen of SCREENS) {
      await screen.open(app, host);
      const v = await violations(app);
      if (v.length) found[screen.name] = v;
      await screen.close?.(app);
      await show(app, 'Inventory');
    }
    expect(found).toEqual({});
  });
}
