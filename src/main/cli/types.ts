// What a CLI command is: its options (node:util parseArgs), a summary, and a run function that
// goes through the same contract calls as the app's window (`call`), so both surfaces are
// validated alike and answer the same coded errors.
import type { ParseArgsConfig } from 'node:util';
import { unwrap } from '../../shared/errors';
import type { Channel, Input, Output } from '../../shared/contract';
import type { Core, HandlerContext } from '../core';
import type { FilePurpose } from '../files';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * What a command sees of the core: the contract, the push events (progress), and the file
 * registry's `register`, for the paths named on the command line.
 */
export type CliCore = Pick<Core, 'invoke' | 'events'> & { files: Pick<Core['files'], 'register'> };

export interface CommandContext {
  core: CliCore;
  /** Parsed options of the command. */
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  json: boolean;
  io: CliIO;
}

export interface Command {
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  /**
   * Commands that only read open the database read-only: they answer while another program
   * holds a write transaction, and cannot change anything by mistake.
   */
  readOnly?: boolean | ((args: { values: CommandContext['values']; positionals: string[] }) => boolean);
  /**
   * Commands that read the catalogue: on first use (or after an upgrade shipping a newer
   * snapshot) the shipped catalogue is loaded first, with a progress line on stderr.
   */
  needsCatalog?: boolean | ((args: { values: CommandContext['values']; positionals: string[] }) => boolean);
  /** Returns the JSON document (printed with --json) and the text to print otherwise. */
  run(ctx: CommandContext): Promise<{ json: unknown; text: string; exitCode?: number }>;
}

export class UsageError extends Error {}

/** A contract call, as the app's window makes it; a coded error is thrown for runCli to print. */
export async function call<K extends Channel>(
  core: CliCore,
  channel: K,
  input: Input<K>,
  ctx?: HandlerContext,
): Promise<Output<K>> {
  return unwrap(await core.invoke(channel, input, ctx));
}

/**
 * A file or folder named on the command line. The person at the terminal chose it, so it is
 * registered as a dialog's answer would be, and the contract call gets its token.
 */
export function fileToken(core: CliCore, file: string, purpose: FilePurpose): string {
  return core.files.register(file, purpose).token;
}
