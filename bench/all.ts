// The whole benchmark: `npm run bench [-- --quick] [-- --sizes=10000,100000] [-- --skip=renderer,backup]`.
// Runs each benchmark in turn as its own process (so one's memory never counts against the
// next), each writing its results into bench/results/, then writes the at-a-glance table of
// every target into docs/PERFORMANCE.md (bench/glance.ts).
//   lists     bench/run.ts         list pages, filters, searches, jumps, dashboard, start-up
//   import    bench/import.ts      a 1M-row import (browsing measured meanwhile), next to raw inserts
//   backup    bench/backup.ts      backup and restore, next to sqlite3 .backup + gzip -6
//   export    bench/export.ts      every export format: time, peak memory, main-thread delay
//   cli       bench/cli-start.ts   `blockshelf info` to first output, next to node -e 0
//   renderer  bench/renderer.ts    the inventory table in Chromium: long tasks, keystroke to rows
// --quick measures at 100k lots instead of 1M (and the lists at 10k and 100k).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './generate';
import { writeGlance } from './glance';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const skip = new Set(
  args
    .find((a) => a.startsWith('--skip='))
    ?.slice(7)
    .split(',') ?? [],
);
const sizes = args.find((a) => a.startsWith('--sizes='));
const big = quick ? '100000' : '1000000';
const tsx = (script: string, ...rest: string[]) => [
  process.execPath,
  ['--import', 'tsx', path.join(REPO_ROOT, 'bench', script), ...rest],
];

const steps: [string, string, string[]][] = [
  ['lists', ...(tsx('run.ts', ...(quick ? ['--quick', '--write-docs'] : []), ...(sizes ? [sizes] : [])) as [string, string[]])],
  ['import', ...(tsx('import.ts', '--rows', big, '--seed', '100000') as [string, string[]])],
  ['backup', ...(tsx('backup.ts', '--sizes', big, '--runs', quick ? '1' : '3') as [string, string[]])],
  ['export', ...(tsx('export.ts', `--sizes=${big}`) as [string, string[]])],
  ['cli', ...(tsx('cli-start.ts', `--sizes=${big}`) as [string, string[]])],
  ['renderer', 'npm', ['run', 'bench:renderer']],
];

const failed: string[] = [];
for (const [name, cmd, cmdArgs] of steps) {
  if (skip.has(name)) continue;
  if (name === 'renderer' && !existsSync('/usr/bin/chromium')) {
    console.log('\n== renderer: no Chromium at /usr/bin/chromium, not measured');
    continue;
  }
  console.log(`\n== ${name}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}
writeGlance();
console.log('\nupdated the at-a-glance table in docs/PERFORMANCE.md');
if (failed.length) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
