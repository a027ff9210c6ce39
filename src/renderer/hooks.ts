// Small hooks shared by the views.
import { startTransition, useEffect, useRef, useState } from 'react';

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * When a change of `value` should take effect: at once (0) when nothing changed in the last
 * `ms`, else `ms` after this change (a burst of changes waits until it pauses).
 */
export function settleDelay(now: number, lastChange: number, ms: number): number {
  return now - lastChange >= ms ? 0 : ms;
}

/**
 * `value` for search as you type: the first change after a pause passes at once, changes that
 * follow each other within `ms` pass once they stop. The update is a transition, so typing
 * stays ahead of the list it starts.
 */
export function useSettled<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  const lastChange = useRef(-Infinity);
  useEffect(() => {
    const now = performance.now();
    const delay = settleDelay(now, lastChange.current, ms);
    lastChange.current = now;
    const t = setTimeout(() => startTransition(() => setV(value)), delay);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** A time of the current day, renewed just after each midnight (for "today" and "yesterday"). */
export function useToday(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const midnight = new Date(now);
    midnight.setHours(24, 0, 1, 0);
    const t = setTimeout(() => setNow(Date.now()), Math.max(1000, midnight.getTime() - Date.now()));
    return () => clearTimeout(t);
  }, [now]);
  return now;
}
