// While a catalogue job's worker holds SQLite's write lock (here the shipped snapshot that
// createCore loads on first start), the thread that answers calls never waits for that lock:
// reads answer from the last commit, writes are told `busy` at once, and they work again after.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { catalogDir, cleanupTempDirs, makeCore } from '../../helpers';

let core: Core | null = null;
afterAll(() => {
  core?.close();
  cleanupTempDirs();
});

const lot = (partId: string) => ({ lot: { partId, colorId: 4, quantityTotal: 1, storageLocation: 'Drawer B' } });

describe('writes while the catalogue is applied', () => {
  it('answer busy at once instead of waiting for the lock; reads answer; writes work after', async () => {
    const c = (core = makeCore({ catalogDir }));
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    // Reading the downloads takes no lock: a write then just works.
    expect((await c.invoke('inventory.create', lot('3001'))).ok).toBe(true);
    await new Promise<void>((resolve) => {
      const off = c.events.on('catalog.progress', (p) => {
        if (p.phase === 'applying') {
          off();
          resolve();
        }
      });
    });
    // The worker asked before it took the lock: the core answers writes `busy` from now on.
    expect(c.gate.catalog).toBe(1);
    const t = performance.now();
    const write = await c.invoke('inventory.create', lot('3002'));
    const pref = await c.invoke('preferences.set', { theme: 'dark' });
    const took = performance.now() - t;
    expect(write).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(write.ok ? '' : write.error.message).toMatch(/catalogue is being updated — try again in a moment/);
    expect(pref).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(took, 'two refused writes').toBeLessThan(250);
    const list = await c.invoke('inventory.list', {});
    expect(list).toMatchObject({ ok: true, data: { total: 1 } });
    expect(c.db.sqlite.pragma('busy_timeout', { simple: true })).toBe(0);

    await c.catalog.startSnapshotLoad();
    delay.disable();
    expect(c.gate.catalog).toBe(0);
    expect(c.db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect((await c.invoke('inventory.create', lot('3002'))).ok).toBe(true);
    expect((await c.invoke('inventory.list', {})).ok && c.catalog.status().state).toBe('ready');
    // Nothing on this thread waited on the lock while the worker held it.
    expect(delay.max / 1e6, 'longest event-loop delay (ms)').toBeLessThan(250);
  }, 180_000);
});
