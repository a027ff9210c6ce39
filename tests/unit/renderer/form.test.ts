import { describe, expect, it } from 'vitest';
import { parseQty, placesText } from '../../../src/renderer/features/inventory/form';
import { resolveTheme } from '../../../src/renderer/stores/preferences';

describe('add/edit form helpers', () => {
  it('accepts whole, non-negative quantities and names the problem otherwise', () => {
    expect(parseQty(' 12 ', 'total')).toEqual({ value: 12 });
    expect(parseQty('0', 'used')).toEqual({ value: 0 });
    expect(parseQty('', 'total')).toEqual({ error: 'total is required' });
    expect(parseQty('1.5', 'total')).toEqual({ error: 'total must be a whole number' });
    expect(parseQty('abc', 'used')).toEqual({ error: 'used must be a whole number' });
    expect(parseQty('-3', 'total')).toEqual({ error: 'total must not be negative' });
  });

  it('lists a few other places and counts the rest', () => {
    const p = (storageLocation: string, quantityTotal: number) => ({
      lotId: 1,
      storageLocation,
      quantityTotal,
      quantityAvailable: quantityTotal,
    });
    expect(placesText([p('Drawer A', 3), p('', 1)])).toMatch(/^Drawer A \(3\), no location \(1\)$/);
    const many = Array.from({ length: 8 }, (_, i) => p(`Bin ${i}`, 1000 + i));
    expect(placesText(many)).toBe('Bin 0 (1,000), Bin 1 (1,001), Bin 2 (1,002), Bin 3 (1,003), Bin 4 (1,004) and 3 more places');
  });

  it('resolves the system theme from the OS setting', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});
