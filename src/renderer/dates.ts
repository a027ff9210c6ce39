// Dates in the inventory table: short enough to fit its columns ("today 12:43", "yesterday",
// "3 Dec", "3 Dec 2025"), in the user's locale, with the full date and time for the tooltip and
// for screen readers. Pure functions of (time, now, locale, time zone), so they are tested with
// a frozen clock.
import { remembered } from './format';

export interface DateFormatter {
  /** The short form, judged by calendar days in the time zone against `now`. */
  short(ms: number, now: number): string;
  /** The full date and time. */
  full(ms: number): string;
}

const DAY = 86_400_000;

export function dateFormatter(locale?: string | string[], timeZone?: string): DateFormatter {
  const zone = timeZone ? { timeZone } : {};
  const ymd = new Intl.DateTimeFormat('en-US', { ...zone, year: 'numeric', month: 'numeric', day: 'numeric' });
  const time = new Intl.DateTimeFormat(locale, { ...zone, timeStyle: 'short' });
  const dayMonth = new Intl.DateTimeFormat(locale, { ...zone, day: 'numeric', month: 'short' });
  const dayMonthYear = new Intl.DateTimeFormat(locale, { ...zone, day: 'numeric', month: 'short', year: 'numeric' });
  const fullFmt = new Intl.DateTimeFormat(locale, { ...zone, dateStyle: 'full', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });

  /** The calendar day of `ms` in the zone, as days since the epoch, and its year. */
  const calendarDay = (ms: number): { day: number; year: number } => {
    const parts = ymd.formatToParts(new Date(ms));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const year = get('year');
    return { day: Math.round(Date.UTC(year, get('month') - 1, get('day')) / DAY), year };
  };

  // The table formats the same times again and again while it scrolls: remember the answers
  // of the current day (a new day starts over, as "today" and "yesterday" move).
  let memoDay = NaN;
  const memo = new Map<number, string>();
  let lastNow = NaN;
  let lastToday = { day: NaN, year: NaN };

  function short(ms: number, now: number): string {
    if (now !== lastNow) {
      lastNow = now;
      lastToday = calendarDay(now);
    }
    const today = lastToday;
    if (today.day !== memoDay || memo.size > 20_000) {
      memo.clear();
      memoDay = today.day;
    }
    let s = memo.get(ms);
    if (s !== undefined) return s;
    const d = calendarDay(ms);
    if (d.day === today.day) s = `${relative.format(0, 'day')} ${time.format(ms)}`;
    else if (d.day === today.day - 1) s = relative.format(-1, 'day');
    else if (d.year === today.year) s = dayMonth.format(ms);
    else s = dayMonthYear.format(ms);
    memo.set(ms, s);
    return s;
  }

  return { short, full: remembered((ms: number) => fullFmt.format(ms), 20_000) };
}

/** The user's locale and time zone (the browser's). */
export const userDates = dateFormatter();
