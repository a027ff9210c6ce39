import { describe, expect, it } from 'vitest';
import { dateFormatter } from '../../../src/renderer/dates';

// A frozen clock: Thursday 3 December 2026, 18:05 UTC.
const NOW = Date.UTC(2026, 11, 3, 18, 5);
const at = (y: number, m: number, d: number, h = 12, min = 0) => Date.UTC(y, m - 1, d, h, min);

describe('the short dates of the inventory table', () => {
  const gb = dateFormatter('en-GB', 'UTC');

  it('says "today" with the time for the same calendar day', () => {
    expect(gb.short(at(2026, 12, 3, 12, 43), NOW)).toBe('today 12:43');
    expect(gb.short(at(2026, 12, 3, 0, 0), NOW)).toBe('today 00:00');
  });

  it('says "yesterday" for the calendar day before, however few hours ago', () => {
    expect(gb.short(at(2026, 12, 2, 23, 59), NOW)).toBe('yesterday');
    expect(gb.short(at(2026, 12, 2, 0, 1), NOW)).toBe('yesterday');
  });

  it('gives day and month in the same year, and the year for other years', () => {
    expect(gb.short(at(2026, 12, 1), NOW)).toBe('1 Dec');
    expect(gb.short(at(2026, 1, 3), NOW)).toBe('3 Jan');
    expect(gb.short(at(2025, 12, 3), NOW)).toBe('3 Dec 2025');
    expect(gb.short(at(2025, 12, 31, 23, 59), NOW)).toBe('31 Dec 2025');
  });

  it('judges days in the time zone, not in UTC', () => {
    // 18:05 UTC on 3 Dec is 03:05 on 4 Dec in Tokyo (UTC+9).
    const tokyo = dateFormatter('en-GB', 'Asia/Tokyo');
    expect(tokyo.short(at(2026, 12, 3, 15, 30), NOW)).toBe('today 00:30');
    expect(tokyo.short(at(2026, 12, 3, 14, 0), NOW)).toBe('yesterday');
    expect(gb.short(at(2026, 12, 3, 14, 0), NOW)).toBe('today 14:00');
  });

  it('follows the locale', () => {
    const us = dateFormatter('en-US', 'UTC');
    expect(us.short(at(2026, 12, 3, 12, 43), NOW)).toBe('today 12:43 PM');
    expect(us.short(at(2026, 12, 1), NOW)).toBe('Dec 1');
    expect(us.short(at(2025, 12, 3), NOW)).toBe('Dec 3, 2025');
    const de = dateFormatter('de-DE', 'UTC');
    expect(de.short(at(2026, 12, 3, 12, 43), NOW)).toBe('heute 12:43');
    expect(de.short(at(2026, 12, 2), NOW)).toBe('gestern');
  });

  it('moves "today" along when the clock passes midnight', () => {
    const t = at(2026, 12, 3, 9, 15);
    expect(gb.short(t, NOW)).toBe('today 09:15');
    expect(gb.short(t, NOW + 86_400_000)).toBe('yesterday');
    expect(gb.short(t, NOW + 2 * 86_400_000)).toBe('3 Dec');
  });

  it('gives the full date and time for the tooltip and screen readers', () => {
    expect(gb.full(at(2026, 12, 3, 12, 43))).toBe('Thursday, 3 December 2026 at 12:43');
  });
});
