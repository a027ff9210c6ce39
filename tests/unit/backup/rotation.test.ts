// Rotation (grandfather-father-son) as a pure function, with a frozen clock: two simulated
// years of hourly, daily and irregular backups, pruned after each new one as the app does.
import { describe, expect, it } from 'vitest';
import type { BackupReason, RotationPolicy } from '../../../src/shared/contract/backup';
import { dayKey, isoWeekKey, monthKey, planRotation, type RotationInput } from '../../../src/main/backup/rotation';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const POLICY: RotationPolicy = { keepRecentHours: 24, keepRecentMax: 48, keepDaily: 30, keepWeekly: 12, keepMonthly: 12 };
const START = Date.UTC(2025, 0, 1, 0, 30);

function b(createdAt: number, reason: BackupReason = 'timer', verified = true): RotationInput {
  return { id: `b-${createdAt}-${reason}`, createdAt, reason, verified };
}

/** Adds backups at the given times, pruning after each one; returns what is left at the end. */
function simulate(times: number[], policy = POLICY, reasonAt: (t: number) => BackupReason = () => 'timer') {
  let kept: RotationInput[] = [];
  for (const t of times) {
    kept.push(b(t, reasonAt(t)));
    const plan = planRotation(kept, t, policy);
    const del = new Set(plan.delete.map((d) => d.id));
    // Invariants at every step: the newest backup stays; nothing is both kept and deleted.
    expect(del.has(kept.at(-1)!.id)).toBe(false);
    expect(plan.keep.length + plan.delete.length).toBe(kept.length);
    kept = kept.filter((x) => !del.has(x.id));
  }
  return kept;
}

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('rotation keys', () => {
  it.each([
    [Date.UTC(2026, 0, 1), 202601], // Thursday 1 Jan 2026 is in week 1
    [Date.UTC(2024, 11, 30), 202501], // Monday 30 Dec 2024 belongs to 2025-W01
    [Date.UTC(2021, 0, 3), 202053], // Sunday 3 Jan 2021 is 2020-W53
    [Date.UTC(2026, 10, 27), 202648],
  ])('ISO week of %s is %s', (t, week) => {
    expect(isoWeekKey(t)).toBe(week);
  });
  it('days and months are UTC', () => {
    expect(dayKey(Date.UTC(2026, 0, 1, 23, 59)) - dayKey(Date.UTC(2026, 0, 1, 0, 0))).toBe(0);
    expect(monthKey(Date.UTC(2026, 1, 1)) - monthKey(Date.UTC(2026, 0, 31, 23))).toBe(1);
  });
});

describe('planRotation', () => {
  it('keeps everything of the last 24 hours up to the cap, newest first', () => {
    const now = START + 10 * DAY;
    const many = Array.from({ length: 100 }, (_, i) => b(now - i * 10 * 60_000)); // every 10 minutes
    const plan = planRotation(many, now, POLICY);
    const keep = new Set(plan.keep.map((k) => k.id));
    // The 48 newest are kept; of the rest only the newest of each earlier day survives.
    for (const x of many.slice(0, 48)) expect(keep.has(x.id)).toBe(true);
    const olderKept = many.slice(48).filter((x) => keep.has(x.id));
    expect(olderKept.every((x) => dayKey(x.createdAt) !== dayKey(now))).toBe(true);
  });

  it('never deletes the newest verified backup, even when the policy keeps nothing', () => {
    const none: RotationPolicy = { keepRecentHours: 0, keepRecentMax: 1, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 };
    const list = [b(START + 5 * HOUR, 'manual', false), b(START + 2 * HOUR), b(START)];
    const plan = planRotation(list, START + 400 * DAY, none);
    expect(plan.keep.map((k) => k.id)).toEqual([list[1]!.id]);
    expect(plan.keep[0]!.why).toMatch(/newest good/);
  });

  it('keeps pre-restore and pre-migration backups for 30 days, then lets them go', () => {
    const none: RotationPolicy = { keepRecentHours: 0, keepRecentMax: 1, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 };
    const newest = b(START + 60 * DAY, 'manual');
    const pre = b(START + 40 * DAY, 'pre-restore');
    const mig = b(START + 35 * DAY, 'pre-migration');
    const old = b(START + 20 * DAY, 'pre-restore');
    const plan = planRotation([newest, pre, mig, old], START + 60 * DAY, none);
    expect(plan.keep.map((k) => k.id).sort()).toEqual([newest.id, pre.id, mig.id].sort());
    expect(plan.delete.map((d) => d.id)).toEqual([old.id]);
  });

  it('keeps backups dated in the future (the clock was changed) rather than guess', () => {
    const plan = planRotation([b(START + 90 * DAY), b(START)], START, POLICY);
    expect(plan.delete).toEqual([]);
  });

  it('two years of hourly backups end with 24 recent + daily + weekly + monthly survivors', () => {
    const times: number[] = [];
    for (let t = START; t < START + 730 * DAY; t += HOUR) times.push(t);
    const now = times.at(-1)!;
    const kept = simulate(times);
    const recent = kept.filter((x) => now - x.createdAt < 24 * HOUR);
    expect(recent).toHaveLength(24);
    // Each of the last 30 days, 12 ISO weeks and 12 months still has its newest backup.
    const days = new Set(kept.map((x) => dayKey(x.createdAt)));
    for (let i = 0; i < 30; i++) expect(days.has(dayKey(now - i * DAY))).toBe(true);
    const weeks = new Set(kept.map((x) => isoWeekKey(x.createdAt)));
    for (let i = 0; i < 12; i++) expect(weeks.has(isoWeekKey(now - i * 7 * DAY))).toBe(true);
    const months = new Set(kept.map((x) => monthKey(x.createdAt)));
    for (let i = 0; i < 12; i++) expect(months.has(monthKey(now) - i)).toBe(true);
    // Nothing older than the monthly window, and no day holds two backups outside the last 24 h.
    expect(Math.min(...kept.map((x) => monthKey(x.createdAt)))).toBeGreaterThan(monthKey(now) - 12);
    const older = kept.filter((x) => now - x.createdAt >= 24 * HOUR);
    expect(new Set(older.map((x) => dayKey(x.createdAt))).size).toBe(older.length);
    expect(kept.length).toBeLessThanOrEqual(24 + 30 + 12 + 12);
    expect(kept.length).toBeGreaterThanOrEqual(24 + 29);
  });

  it('two years of daily backups keep 30 days, 12 weeks and 12 months', () => {
    const times: number[] = [];
    for (let t = START; t < START + 730 * DAY; t += DAY) times.push(t);
    const now = times.at(-1)!;
    const kept = simulate(times);
    const ages = kept.map((x) => Math.round((now - x.createdAt) / DAY));
    for (let i = 0; i < 30; i++) expect(ages).toContain(i);
    expect(Math.max(...ages)).toBeLessThan(366);
    expect(kept.length).toBeLessThanOrEqual(30 + 12 + 12);
  });

  it('two years of irregular backups (bursts, gaps of weeks, manual and pre-restore) keep the guarantees', () => {
    const rnd = lcg(42);
    const times: number[] = [];
    for (let t = START; t < START + 730 * DAY;) {
      const r = rnd();
      t += r < 0.5 ? Math.floor(rnd() * 3 * HOUR) + 60_000 : r < 0.9 ? Math.floor(rnd() * 3 * DAY) : Math.floor(rnd() * 30 * DAY);
      times.push(t);
    }
    const reasons: BackupReason[] = ['manual', 'timer', 'startup', 'pre-restore', 'before-import'];
    const reasonAt = (t: number) => reasons[Math.floor((t / 60_000) % reasons.length)]!;
    const now = times.at(-1)!;
    const kept = simulate(times, POLICY, reasonAt);
    const all = times.map((t) => b(t, reasonAt(t)));
    // Every pre-restore backup younger than 30 days survived.
    for (const x of all) {
      if (x.reason === 'pre-restore' && now - x.createdAt < 30 * DAY) expect(kept.map((k) => k.id)).toContain(x.id);
    }
    // For each of the last 30 days that had a backup, its newest one survived.
    for (let i = 0; i < 30; i++) {
      const day = dayKey(now) - i;
      const ofDay = all.filter((x) => dayKey(x.createdAt) === day);
      if (ofDay.length) expect(kept.map((k) => k.id)).toContain(ofDay.at(-1)!.id);
    }
    // Same for months.
    for (let i = 0; i < 12; i++) {
      const m = monthKey(now) - i;
      const ofMonth = all.filter((x) => monthKey(x.createdAt) === m);
      if (ofMonth.length) expect(kept.map((k) => k.id)).toContain(ofMonth.at(-1)!.id);
    }
  });
});
