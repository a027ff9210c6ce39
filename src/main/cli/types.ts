// What a CLI command is: its options (node:util parseArgs), a summary, and a run function that
// calls the same core (and mostly the same contract handlers) as the app.
import type { ParseArgsConfig } from 'node:util';
import type { Core } from '../core';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface CommandContext {
  core: Core;
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
  /** Commands that never touch the database (help) set this to false. */
  needsCore?: boolean;
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
