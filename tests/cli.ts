// The command line as users run it: the built out/cli/blockshelf.js in a real Node process.
// tests/global-setup.ts builds it before the tests when it is missing or stale.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cliFile } from '../scripts/build-cli.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const run = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `blockshelf …args` and returns its exit code and output (a failing command resolves too).
 * `env` is added to this process's environment, minus BLOCKSHELF_DATA_DIR unless given, so a
 * test never reaches a real data folder.
 */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const { BLOCKSHELF_DATA_DIR: _ignored, ...inherited } = process.env;
  try {
    const r = await run(process.execPath, [cliFile, ...args], {
      env: { ...inherited, ...env },
      cwd: repoRoot,
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof err.code !== 'number') throw e; // could not start at all
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
