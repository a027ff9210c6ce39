// Grandfather-father-son rotation as a pure function of (backups, now, policy): which backups
// to delete and why. Buckets are UTC days, ISO weeks and months, counted back from `now`.
//  - every backup of the last `keepRecentHours`, at most `keepRecentMax` of them (newest first);
//  - the newest backup of each of the last `keepDaily` days, `keepWeekly` ISO weeks and
//    `keepMonthly` months;
//  - the newest verified backup is never deleted, whatever the policy says;
//  - pre-restore and pre-migration backups are kept at least 30 days (they are the way back
//    from a restore or an upgrade that went wrong).
import type { BackupReason, RotationPolicy } from '../../shared/contract/backup';

export interface RotationInput {
  id: string;
  createdAt: number;
  reason: BackupReason;
  verified: boolean;
}

export interface RotationPlan {
  keep: { id: string; why: string }[];
  delete: { id: string; why: string }[];
}

export const PROTECTED_DAYS = 30;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function dayKey(t: number): number {
  return Math.floor(t / DAY);
}

/** ISO week as year*100+week (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekKey(t: number): number {
  const d = new Date(dayKey(t) * DAY);
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(d.getTime() + (3 - dow) * DAY);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY));
  return year * 100 + week;
}

export function monthKey(t: number): number {
  const d = new Date(t);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** The `n` most recent distinct bucket keys, counting back from now's bucket. */
function recentBuckets(now: number, n: number, key: (t: number) => number, step: number): Set<number> {
  const keys = new Set<number>();
  if (n <= 0) return keys;
  // Walk back in steps smaller than a bucket so no bucket is skipped.
  for (let t = now; keys.size < n; t -= step) keys.add(key(t));
  return keys;
}

export function planRotation(backups: RotationInput[], now: number, policy: RotationPolicy): RotationPlan {
  const sorted = [...backups].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  const why = new Map<string, string>();
  const keepFor = (id: string, reason: string) => {
    if (!why.has(id)) why.set(id, reason);
  };

  const newestGood = sorted.find((b) => b.verified);
  if (newestGood) keepFor(newestGood.id, 'newest good backup');

  let recent = 0;
  for (const b of sorted) {
    if (b.createdAt > now) {
      keepFor(b.id, 'dated in the future (clock change)');
      continue;
    }
    if (now - b.createdAt < policy.keepRecentHours * HOUR && recent < policy.keepRecentMax) {
      recent++;
      keepFor(b.id, `within the last ${policy.keepRecentHours} hours`);
    }
  }

  const buckets: [string, number, (t: number) => number, number][] = [
    ['daily', policy.keepDaily, dayKey, DAY],
    ['weekly', policy.keepWeekly, isoWeekKey, DAY],
    ['monthly', policy.keepMonthly, monthKey, DAY],
  ];
  for (const [label, n, key, step] of buckets) {
    const allowed = recentBuckets(now, n, key, step);
    const seen = new Set<number>();
    for (const b of sorted) {
      if (b.createdAt > now) continue;
      const k = key(b.createdAt);
      if (!allowed.has(k) || seen.has(k)) continue;
      seen.add(k);
      keepFor(b.id, `newest of its ${label === 'daily' ? 'day' : label === 'weekly' ? 'week' : 'month'}`);
    }
  }

  for (const b of sorted) {
    if ((b.reason === 'pre-restore' || b.reason === 'pre-migration') && now - b.createdAt < PROTECTED_DAYS * DAY) {
      keepFor(b.id, `${b.reason} backups are kept ${PROTECTED_DAYS} days`);
    }
  }

  const plan: RotationPlan = { keep: [], delete: [] };
  for (const b of sorted) {
    const w = why.get(b.id);
    if (w) plan.keep.push({ id: b.id, why: w });
    else plan.delete.push({ id: b.id, why: 'outside the rotation policy' });
  }
  return plan;
}
