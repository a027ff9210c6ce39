// The command line, on the same core as the app: for scripting, cron and support.
//   npm run cli -- [--data-dir DIR] <command> [options] [--json]
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError, isAppError } from '../shared/errors';
import { createCore, lockError } from './core';
import { inventoryCommands } from './cli/inventory';
import { backupCommands } from './cli/backup';
import { transferCommands } from './cli/transfer';
import { catalogCommands } from './cli/catalog';
import { configCommands } from './cli/config';
import { historyCommands } from './cli/history';
import { setsCommands } from './cli/sets';
import { labelsCommands } from './cli/labels';
import type { CliIO, Command } from './cli/types';
import { UsageError } from './cli/types';
import { dataPaths, defaultCatalogDir, defaultDataDir, isEntryPoint } from './paths';

export const commands: Record<string, Command> = {
  ...inventoryCommands,
  ...backupCommands,
  ...transferCommands,
  ...catalogCommands,
  ...configCommands,
  ...historyCommands,
  ...setsCommands,
  ...labelsCommands,
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  return [
    'Usage: blockshelf [--data-dir DIR] <command> [options] [--json]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    "  --data-dir DIR  the data folder (default: the desktop app's; BLOCKSHELF_DATA_DIR overrides)",
    '  --json          print one JSON document on stdout',
    '',
    "Run `blockshelf <command> --help` for a command's options.",
  ].join('\n');
}

const defaultIO: CliIO = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

export async function runCli(argv: string[], io: CliIO = defaultIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Global options may stand anywhere; the first other word is the command.
  let dataDir: string | undefined;
  let json = false;
  let wantHelp = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--data-dir') {
      dataDir = argv[++i];
      if (!dataDir) {
        io.stderr('blockshelf: --data-dir needs a folder\n');
        return 2;
      }
    } else if (a.startsWith('--data-dir=')) dataDir = a.slice('--data-dir='.length);
    else if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') wantHelp = true;
    else rest.push(a);
  }
  const name = rest.shift();
  if (!name) {
    (wantHelp ? io.stdout : io.stderr)(`${help()}\n`);
    return wantHelp ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`blockshelf: unknown command “${name}”\n\n${help()}\n`);
    return 2;
  }
  if (wantHelp) {
    io.stdout(`Usage: blockshelf ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (e) {
    io.stderr(`blockshelf ${name}: ${(e as Error).message}\nUsage: blockshelf ${command.usage}\n`);
    return 2;
  }
  let core: ReturnType<typeof createCore> | undefined;
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  try {
    const dir = dataDir ?? defaultDataDir(env);
    const readOnly =
      typeof command.readOnly === 'function'
        ? command.readOnly({ values, positionals: parsed.positionals })
        : Boolean(command.readOnly);
    core = openCore(dir, readOnly);
    const args = { values, positionals: parsed.positionals };
    const needsCatalog = typeof command.needsCatalog === 'function' ? command.needsCatalog(args) : Boolean(command.needsCatalog);
    if (needsCatalog && core.catalog.pendingSnapshot()) {
      if (core.readOnly) {
        core.close();
        core = undefined;
        core = createCore({ ...coreOptions(dir), processKind: 'command line' });
      }
      await loadCatalog(core, io, readOnly);
    }
    const result = await command.run({ core, values, positionals: parsed.positionals, json, io });
    io.stdout(json ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.text}\n`);
    return result.exitCode ?? 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`blockshelf ${name}: ${e.message}\nUsage: blockshelf ${command.usage}\n`);
      return 2;
    }
    // A locked database anywhere (start-up included) is the coded db-locked, in plain words.
    const known = isAppError(e) ? e : lockError(e);
    const payload = known ? known.toPayload() : { code: 'internal', message: (e as Error)?.message ?? String(e) };
    if (!known) core?.log.error(`cli ${name} failed`, e);
    if (json) io.stdout(`${JSON.stringify({ ok: false, error: payload }, null, 2)}\n`);
    io.stderr(`blockshelf ${name}: ${payload.message}\n`);
    for (const f of 'fields' in payload && payload.fields ? payload.fields : []) io.stderr(`  ${f.field}: ${f.message}\n`);
    return 1;
  } finally {
    core?.close();
  }
}

/**
 * A command that only reads opens the database read-only, unless it first needs a write to be
 * usable at all (a first run, an upgrade): then it opens it as every other command does.
 */
function openCore(dataDir: string, readOnly: boolean): ReturnType<typeof createCore> {
  const opts = { ...coreOptions(dataDir), processKind: 'command line' };
  if (readOnly && existsSync(dataPaths(dataDir).db)) {
    try {
      return createCore({ ...opts, readOnly: true });
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'read-only')) throw e;
    }
  }
  return createCore(opts);
}

function coreOptions(dataDir: string) {
  const catalogDir = defaultCatalogDir();
  return { dataDir, ...(catalogDir ? { catalogDir, catalogLoad: 'manual' as const } : {}) };
}

/**
 * Loads the shipped catalogue now, with one progress line on stderr. While another program
 * writes to the database, a command that only reads goes on without it (and says so).
 */
async function loadCatalog(core: ReturnType<typeof createCore>, io: CliIO, optional: boolean): Promise<void> {
  const pending = core.catalog.pendingSnapshot();
  if (!pending) return;
  const tty = Boolean(process.stderr.isTTY) && io.stderr === defaultIO.stderr;
  let shown = -1;
  io.stderr(`Loading the parts catalogue (Rebrickable, ${pending.manifest.snapshot})…${tty ? '' : '\n'}`);
  let r;
  try {
    r = await core.catalog.loadSnapshot({
      busyTimeoutMs: 5000,
      progress: (p) => {
        if (tty && p.percent !== shown) {
          shown = p.percent;
          io.stderr(`\rLoading the parts catalogue (Rebrickable, ${pending.manifest.snapshot})… ${p.percent}%`);
        }
      },
    });
  } catch (e) {
    if (!optional || !lockError(e)) throw e;
    io.stderr(
      `${tty ? '\n' : ''}The parts catalogue was not loaded: another program is writing to the database. This answer is from what the database holds now.\n`,
    );
    return;
  }
  const rows = (r?.files ?? []).reduce((a, f) => a + f.rows, 0);
  io.stderr(
    `${tty ? '\r' : ''}Loaded the parts catalogue (Rebrickable, ${pending.manifest.snapshot}): ${rows.toLocaleString('en')} rows in ${((r?.durationMs ?? 0) / 1000).toFixed(1)} s\n`,
  );
}

if (isEntryPoint(import.meta.url)) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`blockshelf: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
