// One backup operation in a process of its own, so that its peak memory is its own:
//   tsx bench/backup-op.ts backup DATA_DIR [LEVEL]       make one backup (manual)
//   tsx bench/backup-op.ts restore DATA_DIR BACKUP_FILE   restore that backup
// Prints one JSON line: wall and CPU time, peak resident memory (VmHWM from /proc/self/status,
// which counts memory-mapped file pages as well, and process.resourceUsage().maxRSS; read before
// the core is closed, whose own work is not the operation's), per phase as well, the
// main thread's event-loop delay during the operation and, before it, the same process idling
// for as long (the floor that the machine's load alone causes), and the phases' times.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createCore } from '../src/main/core';
import { silentLogger } from '../src/main/log';

const [op, dataDir, arg] = process.argv.slice(2);
const IDLE_MS = 3000;

function vmHwmKib(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Resident memory now, split as the kernel reports it (anonymous, file-backed: mapped files). */
function rss(): { anon: number; file: number } {
  try {
    const t = readFileSync('/proc/self/status', 'utf8');
    const kib = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(t)?.[1] ?? 0);
    return { anon: kib('RssAnon') / 1024, file: kib('RssFile') / 1024 };
  } catch {
    return { anon: 0, file: 0 };
  }
}

function delays(h: ReturnType<typeof monitorEventLoopDelay>) {
  return { maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6 };
}

const core = createCore({
  dataDir: dataDir!,
  logger: silentLogger,
  logToFile: false,
  backup: op === 'backup' && arg ? { gzipLevel: Number(arg) } : {},
});
core.backup.stopScheduler();
const idle = monitorEventLoopDelay({ resolution: 1 });
idle.enable();
await new Promise((r) => setTimeout(r, IDLE_MS));
idle.disable();

// Each phase: when it began, the process's peak memory (VmHWM) when it ended and the largest
// event-loop delay within it.
const phases: { phase: string; at: number; hwmMiB: number; loopMaxMs: number }[] = [];
const ph = monitorEventLoopDelay({ resolution: 1 });
const endPhase = () => {
  const last = phases.at(-1);
  if (last) {
    last.hwmMiB = (vmHwmKib() ?? NaN) / 1024;
    last.loopMaxMs = ph.max / 1e6;
  }
  ph.reset();
};
const t0 = performance.now();
core.events.on('backup.progress', (p) => {
  if (phases.at(-1)?.phase === p.phase) return;
  endPhase();
  phases.push({ phase: p.phase, at: performance.now() - t0, hwmMiB: 0, loopMaxMs: 0 });
});
// Where the peak happens: resident memory sampled every 100 ms with the phase at that moment.
let peak = { mib: 0, anon: 0, file: 0, phase: '' };
const sampler = setInterval(() => {
  const r = rss();
  if (r.anon + r.file > peak.mib) peak = { mib: r.anon + r.file, anon: r.anon, file: r.file, phase: phases.at(-1)?.phase ?? '' };
}, 20);
const h = monitorEventLoopDelay({ resolution: 1 });
h.enable();
ph.enable();
const c0 = process.resourceUsage();
let out: Record<string, unknown>;
if (op === 'backup') {
  const b = await core.backup.create('manual');
  out = { file: b.file, bytes: b.sizeBytes, dbBytes: b.dbBytes, lots: b.lots };
} else {
  const r = await core.backup.restore({ path: arg! });
  out = { lots: r.lots, preRestoreBytes: r.preRestoreBackup.sizeBytes, preRestoreFile: r.preRestoreBackup.file };
}
const wallMs = performance.now() - t0;
endPhase();
h.disable();
ph.disable();
clearInterval(sampler);
const c1 = process.resourceUsage();
const hwm = vmHwmKib();
core.close();
process.stdout.write(
  `${JSON.stringify({
    op,
    ...out,
    wallMs,
    cpuMs: (c1.userCPUTime - c0.userCPUTime + c1.systemCPUTime - c0.systemCPUTime) / 1000,
    vmHwmMiB: (hwm ?? NaN) / 1024,
    maxRssMiB: c1.maxRSS / 1024,
    sampledPeak: peak,
    loop: delays(h),
    idle: delays(idle),
    phases: phases.map((p, i) => ({
      phase: p.phase,
      s: ((phases[i + 1]?.at ?? wallMs) - p.at) / 1000,
      hwmMiB: p.hwmMiB,
      loopMaxMs: p.loopMaxMs,
    })),
  })}\n`,
);
