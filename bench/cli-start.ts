// CLI start-up: `npm run bench:cli [-- --sizes=100000,1000000] [-- --runs=15] [-- --cli=FILE]`.
// Times the built command line (out/cli/blockshelf.js, built first when stale) running `info`
// on a generated inventory (bench/generate.ts), from spawn to its first byte on stdout and to its
// exit, next to a bare `node -e 0`. The runs alternate between the two, so a busy machine slows
// both alike; the figures are medians and p95 in milliseconds.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedDb, REPO_ROOT } from './generate';
import { summarize, type Timing } from './stats';
import { buildCliIfStale } from '../scripts/build-cli.mjs';

const args = process.argv.slice(2);
const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SIZES = (arg('sizes') ?? '100000').split(',').map(Number);
const RUNS = Number(arg('runs') ?? 15);
const log = (s: string) => process.stderr.write(`${s}\n`);

try {
  os.setPriority(10); // the machine is shared
} catch {
  // not permitted: run at normal priority
}

interface Run {
  firstOutput: number;
  exit: number;
  code: number | null;
}

/** Spawns `node …args` and times its first stdout byte and its exit (ms since the spawn). */
function timeProcess(nodeArgs: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = NaN;
    const child = spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.on('data', () => {
      if (Number.isNaN(first)) first = performance.now() - t0;
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const exit = performance.now() - t0;
      if (code !== 0) reject(new Error(`node ${nodeArgs.join(' ')} exited ${code}: ${err}`));
      else resolve({ firstOutput: Number.isNaN(first) ? exit : first, exit, code });
    });
  });
}

const fmt = (t: Timing) => `median ${t.p50.toFixed(0)} ms, p95 ${t.p95.toFixed(0)} ms`;

async function main() {
  const cli = arg('cli') ? path.resolve(arg('cli')!) : (await buildCliIfStale({ log })).file;
  console.log(
    `CLI: ${path.relative(process.cwd(), cli)}; ${RUNS} runs each, alternating; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const results = [];
  for (const size of SIZES) {
    const db = generatedDb(size, log);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-cli-start-'));
    try {
      copyFileSync(db.file, path.join(dataDir, 'blockshelf.db'));
      const info = [cli, '--data-dir', dataDir, 'info'];
      const bare = ['-e', '0'];
      // Warm the file cache (and create the log folder) before timing.
      for (let i = 0; i < 2; i++) {
        await timeProcess(info);
        await timeProcess(bare);
      }
      const cliRuns: Run[] = [];
      const bareRuns: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        cliRuns.push(await timeProcess(info));
        bareRuns.push(await timeProcess(bare));
      }
      const first = summarize(cliRuns.map((r) => r.firstOutput));
      const exit = summarize(cliRuns.map((r) => r.exit));
      const node = summarize(bareRuns.map((r) => r.exit));
      const ratio = first.p50 / node.p50;
      results.push({ size, cliFirstOutput: first, cliExit: exit, nodeE0: node, ratio });
      const k = size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1000}k`;
      console.log(`${k} lots: blockshelf info  first output ${fmt(first)}; exit ${fmt(exit)}`);
      console.log(`${' '.repeat(k.length + 6)}node -e 0        exit ${fmt(node)}`);
      console.log(
        `${' '.repeat(k.length + 6)}ratio (medians)  ${ratio.toFixed(1)}× node -e 0, ${(first.p50 - node.p50).toFixed(0)} ms over it`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));
  const json = path.join(REPO_ROOT, 'bench/results/cli-latest.json');
  writeFileSync(json, `${JSON.stringify({ at: new Date().toISOString(), load: os.loadavg()[0], results }, null, 1)}\n`);
  log(`wrote ${path.relative(REPO_ROOT, json)}`);
}

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
