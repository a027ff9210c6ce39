// Timing helpers: run a function repeatedly, report p50 / p95 / max in milliseconds.
export interface Timing {
  p50: number;
  p95: number;
  max: number;
  runs: number;
  /** CPU time of this process per call (user + system), p50 / p95 in ms: the work itself,
   * without the waits for the CPU that a shared machine adds to the wall-clock figures. */
  cpuP50?: number;
  cpuP95?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), max: r(s.at(-1) ?? NaN), runs: s.length };
}

/** Times `fn` `runs` times after `warmup` untimed calls (wall clock and CPU time). */
export function time(fn: () => unknown, runs: number, warmup = 2): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const c = summarize(cpu);
  return { ...summarize(samples), cpuP50: c.p50, cpuP95: c.p95 };
}
