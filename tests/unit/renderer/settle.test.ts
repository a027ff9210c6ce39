import { describe, expect, it } from 'vitest';
import { remembered } from '../../../src/renderer/format';
import { settleDelay } from '../../../src/renderer/hooks';

describe('settleDelay', () => {
  it('passes the first change after a pause at once and holds a burst until it stops', () => {
    expect(settleDelay(1000, -Infinity, 70)).toBe(0);
    expect(settleDelay(1000, 900, 70)).toBe(0);
    expect(settleDelay(1000, 950, 70)).toBe(70);
  });
});

describe('remembered', () => {
  it('formats each value once while it is remembered, and starts over when full', () => {
    const calls: number[] = [];
    const f = remembered((n: number) => {
      calls.push(n);
      return `#${n}`;
    }, 2);
    expect([f(1), f(1), f(2), f(1)]).toEqual(['#1', '#1', '#2', '#1']);
    expect(calls).toEqual([1, 2]);
    f(3);
    expect(f(1)).toBe('#1');
    expect(calls).toEqual([1, 2, 3, 1]);
  });
});
